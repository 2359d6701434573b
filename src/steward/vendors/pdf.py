"""Printable documents for an agreement, as PDF (issue #6 item 7), made with fpdf2:

- `summary()`: the agreement at a glance: parties, kind, bases, purpose and services
  (Exhibit A), data elements (Exhibit B), students covered, dates, protections, security
  (Exhibit F), Exhibit E, and the signed document's SHA-256 (R80, R107–R112);
- `directive()`: the NDPA Exhibit D directive for disposition of data (R110): extent, nature,
  schedule, the district's authorized signature and date, and a blank verification block for
  the provider to sign;
- `certificate()`: the provider's verification of disposition as recorded (R80, R110): signer,
  title, date, method, scope and the signed certificate's SHA-256.

Text is Unicode (names such as "Zoë Ngô" or "Łukasz"): the DejaVu TrueType fonts are embedded
(Debian package fonts-dejavu-core). Without them the PDF is still made, with the built-in
Helvetica and each character it lacks replaced by its closest Latin-1 form, and a warning is
logged. Labels are in the active language; dates in its format.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from steward.vendors import public, sdpc
from steward.vendors.models import (
    Agreement,
    DispositionCertificate,
    DispositionDirective,
    Extent,
    Nature,
    Schedule,
)

logger = logging.getLogger(__name__)

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_FONT_FILES = {
    ("Text", ""): "DejaVuSans.ttf",
    ("Text", "B"): "DejaVuSans-Bold.ttf",
    ("Mono", ""): "DejaVuSansMono.ttf",
}
# Typographic characters Helvetica lacks, and their plain forms (used only without DejaVu).
_PLAIN = str.maketrans({"—": "-", "–": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "..."})
LABEL_WIDTH = 58


def _latin1(text: str) -> str:
    """`text` in the Latin-1 range of the built-in fonts: decomposed when that helps ("Ł" has
    no decomposition and becomes "?"; "ő" becomes "o")."""
    out = []
    for char in text.translate(_PLAIN):
        if ord(char) < 256:
            out.append(char)
            continue
        base = unicodedata.normalize("NFKD", char)[:1]
        out.append(base if base and ord(base) < 128 else "?")
    return "".join(out)


def _day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value)
    return date_format(value, "DATE_FORMAT")


class Page(FPDF):
    """An A4 document with a title, sections, label/value tables and signature lines."""

    def __init__(self, title: str, subject: str) -> None:
        super().__init__(format="A4")
        self.unicode = self._fonts()
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(True, margin=20)
        self.set_title(self.clean(title))
        self.set_subject(self.clean(subject))
        self.set_creator("Steward")
        self.generated = timezone.localdate()
        self.add_page()
        self.set_font(self.face, "B", 16)
        self.multi_cell(0, 8, self.clean(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(self.face, "", 11)
        self.multi_cell(0, 6, self.clean(subject), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def _fonts(self) -> bool:
        paths = {key: FONT_DIR / name for key, name in _FONT_FILES.items()}
        missing = [str(p) for p in paths.values() if not p.is_file()]
        if missing:
            logger.warning(
                "PDF fonts not found (%s): using Helvetica; characters outside Latin-1 are "
                "replaced. Install the fonts-dejavu-core package.",
                ", ".join(missing),
            )
            self.face, self.mono = "helvetica", "courier"
            return False
        for (family, style), path in paths.items():
            self.add_font(family, style, str(path))
        self.face, self.mono = "Text", "Mono"
        return True

    def clean(self, text: str) -> str:
        return text if self.unicode else _latin1(text)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(self.face, "", 8)
        line = _("Made by Steward on %(day)s · page %(page)d") % {
            "day": _day(self.generated),
            "page": self.page_no(),
        }
        self.cell(0, 6, self.clean(line), align="C")

    def section(self, title: str) -> None:
        self.ln(3)
        self.set_font(self.face, "B", 12)
        self.multi_cell(0, 7, self.clean(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(self.face, "", 10)

    def fields(self, rows: Iterable[tuple[str, str]]) -> None:
        """Label/value rows; a value that is empty shows as a dash."""
        self.set_font(self.face, "", 10)
        with self.table(
            col_widths=(LABEL_WIDTH, self.epw - LABEL_WIDTH),
            first_row_as_headings=False,
            borders_layout="HORIZONTAL_LINES",
            line_height=5.5,
            padding=1.2,
            text_align="LEFT",
        ) as table:
            for label, value in rows:
                row = table.row()
                row.cell(self.clean(label), style=FontFace(emphasis="BOLD"))
                row.cell(self.clean(value.strip() or "—"))

    def paragraph(self, text: str) -> None:
        self.set_font(self.face, "", 10)
        self.multi_cell(0, 5.5, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def digest(self, label: str, sha256: str) -> None:
        """A SHA-256 on one line in a fixed-width font, so it can be read and compared."""
        self.set_font(self.face, "B", 10)
        self.cell(LABEL_WIDTH, 6, self.clean(label))
        self.set_font(self.mono, "", 9)
        self.cell(0, 6, sha256 or "—", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(self.face, "", 10)

    def signature_lines(self, labels: Sequence[str]) -> None:
        """Blank lines to sign and fill in by hand."""
        self.set_font(self.face, "", 10)
        for label in labels:
            self.ln(5)
            self.cell(LABEL_WIDTH, 7, self.clean(label))
            x, y = self.get_x(), self.get_y() + 6
            self.line(x, y, self.w - self.r_margin, y)
            self.ln(7)

    def finish(self) -> bytes:
        return bytes(self.output())


def _district(agreement: Agreement) -> str:
    return agreement.lea_name or sdpc.district_name()


def _parties(agreement: Agreement) -> list[tuple[str, str]]:
    return [
        (_("District"), _district(agreement)),
        (_("Provider"), agreement.vendor.name),
        (_("Agreement"), agreement.title),
    ]


def _elements(agreement: Agreement) -> list[tuple[str, str]]:
    # The agreement's own Exhibit B words: this is the legal record, not the parents' page.
    return [
        (group.category, "; ".join(item.element for item in group.items))
        for group in public.grouped(agreement.data_elements or ())
    ]


def _scope(agreement: Agreement) -> str:
    parts = [agreement.get_scope_kind_display()] if agreement.scope_kind else []
    schools = ", ".join(org.name for org in agreement.scope_schools.all())
    sections = ", ".join(section.title for section in agreement.scope_sections.all())
    grades = ", ".join(str(grade) for grade in agreement.scope_grades or ())
    if schools:
        parts.append(_("schools: %(names)s") % {"names": schools})
    if grades:
        parts.append(_("grades: %(grades)s") % {"grades": grades})
    if sections:
        parts.append(_("classes: %(names)s") % {"names": sections})
    if agreement.scope_rule:
        parts.append(_("rule: %(rule)s") % {"rule": agreement.scope_rule})
    return "; ".join(parts)


def _number(value: int | None, text: str) -> str:
    return text % {"n": value} if value is not None else ""


def summary(agreement: Agreement) -> bytes:
    """The agreement summary PDF."""
    doc = Page(_("Data privacy agreement: summary"), agreement.title)
    doc.section(_("Parties"))
    vendor = agreement.vendor
    doc.fields(
        [
            (_("District"), _district(agreement)),
            (_("District signatory"), agreement.district_signatory),
            (_("Provider"), vendor.name),
            (_("Provider's address"), vendor.address),
            (_("Provider signatory"), agreement.provider_signatory),
            (_("Apps and services"), ", ".join(p.name for p in agreement.products.all())),
        ]
    )
    doc.section(_("Agreement"))
    rows = [
        (_("Type"), agreement.get_kind_display()),
        (_("Template"), agreement.get_template_display() if agreement.template else ""),
        (_("FERPA basis"), agreement.get_ferpa_basis_display() if agreement.ferpa_basis else ""),
        (_("Massachusetts basis"), agreement.get_ma_basis_display() if agreement.ma_basis else ""),
        (_("Status"), agreement.get_status_display()),
    ]
    if agreement.external:
        rows.append((_("Registry id"), agreement.registry_id))
    doc.fields(rows)
    doc.section(_("Purpose and services (Exhibit A)"))
    doc.fields([(_("Purpose"), agreement.purpose), (_("Services"), agreement.services)])
    doc.section(_("Data elements (Exhibit B)"))
    elements = _elements(agreement)
    if elements:
        doc.fields(elements)
    else:
        doc.paragraph(_("No data elements are listed."))
    doc.section(_("Students covered and dates"))
    doc.fields(
        [
            (_("Students covered"), _scope(agreement)),
            (_("Start date"), _day(agreement.start_date)),
            (_("End date"), _day(agreement.end_date)),
            (_("Signed on"), _day(agreement.signed_on)),
            (
                _("Disposition window"),
                _number(agreement.disposition_window_days, _("%(n)d days after the end")),
            ),
        ]
    )
    doc.section(_("Protections"))
    protections = [
        (
            _("Parent-access response"),
            _number(agreement.parent_access_days, _("within %(n)d days")),
        ),
        (
            _("Breach notification"),
            _number(agreement.breach_notification_hours, _("within %(n)d hours")),
        ),
        (_("Security framework (Exhibit F)"), agreement.security_framework),
        (_("Security evidence"), agreement.security_evidence),
    ]
    optional = [
        (_("Authorized representative"), agreement.representative),
        (_("Description of the activity"), agreement.activity_description),
        (_("Scope of the study"), agreement.study_scope),
        (_("Duration of the study"), agreement.study_duration),
        (_("IRB approval or exemption"), agreement.irb_evidence),
        (_("Destruction requirement and time period"), agreement.destruction_terms),
    ]
    doc.fields(protections + [(label, value) for label, value in optional if value])
    doc.section(_("General offer of terms (Exhibit E)"))
    origin = agreement.originating_agreement
    doc.fields(
        [
            (_("Offered to other districts"), _("yes") if agreement.exhibit_e_offered else _("no")),
            (_("Offer expires"), _day(agreement.exhibit_e_expires)),
            (_("Adopted from"), str(origin) if origin is not None else ""),
        ]
    )
    doc.section(_("Signed document"))
    signed = agreement.signed_document
    doc.fields([(_("File"), signed.filename if signed is not None else "")])
    sha256 = signed.sha256 if signed is not None else agreement.registry_document_sha256
    doc.digest(_("SHA-256"), sha256)
    return doc.finish()


def directive(agreement: Agreement, order: DispositionDirective) -> bytes:
    """The Exhibit D directive PDF, with a blank verification block for the provider."""
    doc = Page(_("Directive for disposition of data (Exhibit D)"), agreement.title)
    doc.fields(_parties(agreement))
    doc.section(_("1. Extent of disposition"))
    extent = [(_("Extent"), order.get_extent_display())]
    if order.extent == Extent.PARTIAL:
        extent.append((_("Categories"), "; ".join(str(c) for c in order.categories or ())))
    doc.fields(extent)
    doc.section(_("2. Nature of disposition"))
    nature = [(_("Nature"), order.get_nature_display())]
    if order.nature == Nature.TRANSFER:
        nature.append((_("Transfer to"), order.transfer_to))
    doc.fields(nature)
    doc.section(_("3. Schedule of disposition"))
    schedule = [(_("Schedule"), order.get_schedule_display())]
    if order.schedule == Schedule.BY_DATE:
        schedule.append((_("By"), _day(order.due_date)))
    else:
        schedule.append((_("Certification due by"), _day(order.due_date)))
    doc.fields(schedule)
    doc.section(_("4. Signature of the district"))
    doc.fields(
        [
            (_("Authorized representative"), order.authorized_by),
            (_("Date"), _day(order.issued_at)),
        ]
    )
    doc.section(_("5. Verification of disposition of data"))
    doc.paragraph(
        _(
            "The provider's authorized representative verifies that the data described above "
            "was disposed of as directed, and that no copy remains with the provider or its "
            "subprocessors."
        )
    )
    doc.signature_lines(
        [_("Name"), _("Title"), _("Method of disposition"), _("Signature"), _("Date")]
    )
    return doc.finish()


def certificate(agreement: Agreement, verification: DispositionCertificate) -> bytes:
    """The deletion certificate PDF, from the verification the provider signed."""
    doc = Page(_("Certificate of disposition of data"), agreement.title)
    doc.fields(_parties(agreement))
    doc.section(_("Verification of disposition"))
    doc.fields(
        [
            (_("Signed by"), verification.signer_name),
            (_("Title"), verification.signer_title),
            (_("Date signed"), _day(verification.signed_on)),
            (_("Method"), verification.method),
            (_("Scope"), verification.scope),
            (_("Recorded on"), _day(verification.recorded_at)),
        ]
    )
    doc.section(_("Signed certificate"))
    doc.fields([(_("File"), verification.document.filename)])
    doc.digest(_("SHA-256"), verification.document.sha256)
    return doc.finish()
