"""The printable PDFs of an agreement (issue #6 item 7): for the privacy office, any agreement;
for a vendor contact, only their own vendor's signed ones (another vendor's, or a draft, is a
404, never a 403 that confirms it exists). A directive or certificate that does not exist yet
is a 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from steward.officer.views import privacy_office_only
from steward.vendors import pdf
from steward.vendors.models import (
    Agreement,
    AgreementStatus,
    DispositionCertificate,
    DispositionDirective,
    VendorContact,
)
from steward.vendors.permissions import vendor_contact_only

KINDS = ("summary", "directive", "certificate")
_FILE_NAMES = {
    "summary": "agreement-{pk}-summary.pdf",
    "directive": "agreement-{pk}-exhibit-d-directive.pdf",
    "certificate": "agreement-{pk}-deletion-certificate.pdf",
}


def _render(agreement: Agreement, kind: str) -> bytes:
    if kind == "summary":
        return pdf.summary(agreement)
    if kind == "directive":
        order = DispositionDirective.objects.filter(agreement=agreement).first()
        if order is None:
            raise Http404
        return pdf.directive(agreement, order)
    verification = (
        DispositionCertificate.objects.filter(agreement=agreement)
        .select_related("document")
        .first()
    )
    if verification is None:
        raise Http404
    return pdf.certificate(agreement, verification)


def _response(agreement: Agreement, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    reply = HttpResponse(_render(agreement, kind), content_type="application/pdf")
    name = _FILE_NAMES[kind].format(pk=agreement.pk)
    reply["Content-Disposition"] = f'inline; filename="{name}"'
    reply["X-Content-Type-Options"] = "nosniff"
    reply["Cache-Control"] = "private, no-store"
    return reply


def _agreements() -> QuerySet[Agreement]:
    return Agreement.objects.select_related(
        "vendor", "signed_document", "originating_agreement"
    ).defer("signed_document__content")


@privacy_office_only
@require_GET
def officer_pdf(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    agreement = get_object_or_404(_agreements(), pk=pk)
    return _response(agreement, kind)


@vendor_contact_only
@require_GET
def vendor_pdf(request: HttpRequest, pk: int, kind: str, contact: VendorContact) -> HttpResponse:
    # The contact's agreements as their portal shows them: their vendor's, of this district,
    # and signed (a draft's terms are the office's until both sides sign).
    agreement = get_object_or_404(
        _agreements().exclude(status=AgreementStatus.DRAFT),
        pk=pk,
        vendor_id=contact.vendor_id,
        external=False,
    )
    return _response(agreement, kind)
