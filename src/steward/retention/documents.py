"""The exit notice (R102) and the certificate of destruction (R105): text and PDF.

The notice text is generated once, in the district's language, and stored with its SHA-256
(what the family was told is fixed); the PDF prints the stored text. PDFs reuse the agreement
documents' page (`steward.vendors.pdf.Page`: A4, DejaVu fonts, label/value tables).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from steward.retention.models import Certificate, ExitKind, ExitNotice
from steward.vendors.pdf import Page, _day


def _date(day: dt.date) -> str:
    return date_format(day, "DATE_FORMAT")


def notice_text(
    *,
    student_name: str,
    kind: str,
    exit_date: dt.date,
    temporary_on: dt.date,
    transcript_on: dt.date,
    temporary_years: int,
    transcript_years: int,
    addressed_to: list[dict[str, Any]],
) -> str:
    """The R102 notice, in the district's language: the approximate date of destruction of
    the temporary record and the right to receive the information in whole or in part."""
    with translation.override(settings.LANGUAGE_CODE):
        names = ", ".join(person["name"] for person in addressed_to) or _("the family")
        values = {
            "names": names,
            "student": student_name,
            "kind": str(ExitKind(kind).label),
            "exit": _date(exit_date),
            "temporary": _date(temporary_on),
            "transcript": _date(transcript_on),
            "temporary_years": temporary_years,
            "transcript_years": transcript_years,
        }
        paragraphs = [
            _("To: %(names)s") % values,
            _(
                "The district has recorded the %(kind)s of %(student)s on %(exit)s. This "
                "notice tells you when the student's records will be destroyed and how to get "
                "a copy first (603 CMR 23.06)."
            )
            % values,
            _(
                "The temporary record (everything except the transcript: attendance, "
                "assessments, discipline, health, special education, student work, teachers' "
                "comments and the like) is kept for %(temporary_years)d years after the student "
                "leaves. It will be destroyed on or about %(temporary)s."
            )
            % values,
            _(
                "The transcript (the student's name, phone number and date of birth, the names "
                "and phone numbers of the parents, the courses taken, grades, credits and the "
                "classes attended) is kept for %(transcript_years)d years, until %(transcript)s."
            )
            % values,
            _(
                "Before the temporary record is destroyed, you have the right to receive the "
                "information in it, in whole or in part. To ask for a copy, sign in to the "
                "family portal or write to the district's privacy office."
            ),
            _(
                "Nothing is destroyed while a request to see the record, a request to amend "
                "it, a hearing or a legal hold is open."
            ),
            _(
                "This notice is in addition to the annual notice of your rights under the "
                "Massachusetts student records regulations (603 CMR 23.10)."
            ),
        ]
    return "\n\n".join(paragraphs)


def notice_pdf(notice: ExitNotice) -> bytes:
    """The stored notice as a PDF, with its dates and tracking."""
    doc = Page(_("Notice of destruction of student records"), _("603 CMR 23.06(3)"))
    doc.fields(
        [
            (_("Date of the notice"), _day(notice.generated_at)),
            (_("Temporary record destroyed on or about"), _day(notice.temporary_destroy_on)),
            (_("Transcript kept until"), _day(notice.transcript_destroy_on)),
        ]
    )
    doc.section(_("Notice"))
    for paragraph in notice.text.split("\n\n"):
        doc.paragraph(paragraph)
        doc.ln(2)
    doc.digest(_("SHA-256 of the text"), notice.text_sha256)
    return doc.finish()


def certificate_pdf(certificate: Certificate, part_labels: dict[str, str]) -> bytes:
    """The certificate of destruction (R105): items, record parts, method, operator, date."""
    doc = Page(
        _("Certificate of destruction of student records"),
        _("Certificate no. %(number)d") % {"number": certificate.pk},
    )
    doc.fields(
        [
            (_("Student"), certificate.student_name),
            (_("Student information system ID"), certificate.student_sourced_id),
            (_("Destroyed on"), _day(certificate.destroyed_at)),
            (_("Run by"), certificate.operator_name),
            (_("Rule"), certificate.rule),
            (_("Method"), certificate.method),
            (_("Backup copies expire by"), _day(certificate.backup_purge_by)),
        ]
    )
    doc.section(_("What was destroyed"))
    rows = []
    for item in certificate.items:
        label = f"{part_labels.get(item['scope'], item['scope'])} ({item['ma_part']})"
        removed = "; ".join(f"{what}: {count}" for what, count in item["removed"].items())
        kept = "; ".join(item.get("kept", []))
        value = removed or _("nothing held")
        if kept:
            value += "\n" + _("Kept: %(kept)s") % {"kept": kept}
        rows.append((label, value))
    doc.fields(rows)
    doc.section(_("Access and disclosure log"))
    doc.paragraph(
        _("%(count)d log entries kept with the destroyed parts were destroyed with them (R60).")
        % {"count": len(certificate.ledger_seqs)}
    )
    doc.digest(_("SHA-256 of the certificate"), certificate.sha256)
    return doc.finish()
