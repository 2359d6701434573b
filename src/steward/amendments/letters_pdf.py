"""A letter of an amendment request as a PDF (the written notice of R34–R36, to keep or print),
made with the vendors' PDF page (fpdf2, DejaVu fonts)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from steward.amendments import items
from steward.amendments.models import Letter
from steward.vendors.pdf import Page


def render(letter: Letter) -> bytes:
    """The letter's text as issued, with its date and SHA-256, in the letter's language."""
    with translation.override(letter.language):
        page = Page(letter.subject, _("Issued on %(day)s") % {"day": items.when(letter.issued_at)})
        for paragraph in letter.body.split("\n\n"):
            page.paragraph(paragraph.strip())
            page.ln(2)
        page.digest(_("SHA-256 of the text"), letter.body_sha256)
        return page.finish()


def response(letter: Letter) -> HttpResponse:
    reply = HttpResponse(render(letter), content_type="application/pdf")
    name = f"amendment-{letter.request_id}-{letter.kind}-{letter.pk}.pdf"
    reply["Content-Disposition"] = f'attachment; filename="{name}"'
    reply["X-Content-Type-Options"] = "nosniff"
    reply["Cache-Control"] = "private, no-store"
    return reply
