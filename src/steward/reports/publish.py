"""The published files of an approved release: CSV and PDF, each with the method note.

The CSV is made once, when the release is approved, and stored with it (with its SHA-256 in
the ledger entry), so the file the district published can always be produced byte for byte.
Lines starting with "#" before the header carry the title and the note (most CSV readers
take a comment character: pandas `comment="#"`, R `comment.char = "#"`). The PDF is drawn
from the same stored cells whenever it is asked for (`steward.vendors.pdf` helpers).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from steward.reports import method, present
from steward.reports.models import Release
from steward.reports.sdc.rules import Rules
from steward.reports.spec import ReportSpec
from steward.vendors.pdf import Page
from steward.vendors.sdpc import district_name


def _spec(release: Release) -> ReportSpec:
    return ReportSpec.from_dict(release.spec)


def heading(release: Release) -> list[str]:
    """Title and provenance lines (the release must be approved: they name its date)."""
    district = district_name() or _("the district")
    approved = date_format(release.approved_at, "DATE_FORMAT") if release.approved_at else ""
    return [
        release.title,
        _("%(district)s · %(series)s, release %(number)d · approved %(day)s")
        % {
            "district": district,
            "series": release.series.title,
            "number": release.number,
            "day": approved,
        },
    ]


def note(release: Release) -> list[str]:
    return method.note(_spec(release), Rules.from_dict(release.rules))


def csv_text(release: Release) -> str:
    """The published CSV of `release` (called on approval; see the module docstring)."""
    spec = _spec(release)
    buffer = io.StringIO()
    for line in heading(release):
        buffer.write(f"# {line}\n")
    for paragraph in note(release):
        buffer.write(f"# {paragraph}\n")
    writer = csv.writer(buffer, lineterminator="\n")
    for stored in release.tables["tables"]:
        header, rows = present.long_rows(stored, spec)
        writer.writerow(header)
        writer.writerows(rows)
    return buffer.getvalue()


def pdf(release: Release) -> bytes:
    """The published PDF: title, provenance, the note on the method and the table."""
    spec = _spec(release)
    title, provenance = heading(release)
    doc = Page(title, provenance)
    doc.section(_("Method"))
    for paragraph in note(release):
        doc.paragraph(paragraph)
        doc.ln(1)
    for stored in release.tables["tables"]:
        header, rows = present.long_rows(stored, spec)
        doc.section(_("Table"))
        _table(doc, header, rows)
    return doc.finish()


def _table(doc: Page, header: list[str], rows: list[list[Any]]) -> None:
    doc.set_font(doc.face, "", 8)
    width = doc.epw
    value_width = 28.0
    label_width = (width - value_width) / max(1, len(header) - 1)
    with doc.table(
        col_widths=(*([label_width] * (len(header) - 1)), value_width),
        headings_style=FontFace(emphasis="BOLD"),
        line_height=4.5,
        padding=0.8,
        text_align=(*(["LEFT"] * (len(header) - 1)), "RIGHT"),
        repeat_headings=1,
    ) as table:
        heading_row = table.row()
        for text in header:
            heading_row.cell(doc.clean(text))
        for row in rows:
            cells = table.row()
            for text in row:
                cells.cell(doc.clean(str(text)))
    doc.set_font(doc.face, "", 10)
    doc.cell(0, 4, "", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
