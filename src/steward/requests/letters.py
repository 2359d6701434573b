"""The R18 letter to a custodial parent, printed by the office for certified and first-class
mail (603 CMR 23.07(5)): the same text as the e-mail, in English and in the notice language
the office chose, with blank lines for the address the roster does not hold."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from steward.requests.copy_pdf import CopyPage
from steward.requests.models import CustodialNotice


def custodial_letter(notice: CustodialNotice, portal_link: str) -> bytes:
    req = notice.request
    with translation.override("en"):
        doc = CopyPage(
            _("Notice of a request for access to a student record"),
            _("603 CMR 23.07(5): request by a parent without custody"),
        )
        doc.signature_lines(
            [_("To"), _("Address"), "", _("Sent by certified and first-class mail on")]
        )
    for language in dict.fromkeys(["en", req.notice_language]):
        with translation.override(language):
            body = render_to_string(
                "requests/email/custodial_notice.txt",
                {
                    "name": notice.guardian.display_name,
                    "req": req,
                    "student": req.student.display_name,
                    "link": portal_link,
                },
            )
        doc.ln(4)
        for paragraph in body.split("\n\n"):
            if paragraph.strip():
                doc.paragraph(paragraph.strip())
                doc.ln(1)
    return doc.finish()
