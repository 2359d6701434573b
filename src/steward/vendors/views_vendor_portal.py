"""The vendor contact's pages (design.md §2 "submit the deletion certificate at the end";
R80, R110).

/vendor/                    the vendor's agreements with the district (drafts are the
                            district's work in progress and are not shown)
/vendor/agreements/<id>/    dates, the data shared (Exhibit B, with what each element means in
                            Steward), the Exhibit D directive if any, the signed document, and
                            the form to submit the verification of disposition

Only signed-in vendor contacts (an `Account` with the vendor role) may open them: anonymous
visitors go to the login page, other roles get 403. Another vendor's agreement, a draft or an
unknown one is a 404, so a contact learns nothing about agreements that are not theirs.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from steward.vendors.actions import agreements as actions
from steward.vendors.forms_agreements import CertificateForm, show
from steward.vendors.models import Agreement, AgreementStatus, VendorContact
from steward.vendors.permissions import vendor_contact_only
from steward.vendors.views_agreements import PENDING, serve, terms_context, upload_of

Status = AgreementStatus


def _theirs(contact: VendorContact) -> QuerySet[Agreement]:
    """The agreements a contact may see: their vendor's, signed, of this district."""
    return (
        Agreement.objects.filter(vendor_id=contact.vendor_id, external=False)
        .exclude(status=Status.DRAFT)
        .select_related("vendor")
    )


def _agreement(contact: VendorContact, pk: int) -> Agreement:
    rows = _theirs(contact).select_related("signed_document").defer("signed_document__content")
    return get_object_or_404(rows.prefetch_related("products"), pk=pk)


@vendor_contact_only
@require_GET
def portal_home(request: HttpRequest, *, contact: VendorContact) -> HttpResponse:
    agreements = _theirs(contact).only(
        "pk", "title", "status", "start_date", "end_date", "disposition_due", "vendor__name"
    )
    return render(
        request,
        "vendors/portal/home.html",
        {
            "contact": contact,
            "agreements": agreements.order_by("-end_date", "title", "pk"),
            "pending": PENDING,
            "today": timezone.localdate(),
        },
    )


def _page(
    request: HttpRequest, contact: VendorContact, agreement: Agreement, form: CertificateForm | None
) -> HttpResponse:
    if form is None and agreement.status in PENDING:
        form = CertificateForm(initial={"signer_name": contact.name, "signer_title": contact.title})
    context = terms_context(agreement) | {
        "contact": contact,
        "certificate_form": form,
        "document_url": reverse("vendors-portal-document", args=[agreement.pk]),
    }
    return render(request, "vendors/portal/agreement.html", context)


@vendor_contact_only
@require_GET
def portal_agreement(request: HttpRequest, pk: int, *, contact: VendorContact) -> HttpResponse:
    return _page(request, contact, _agreement(contact, pk), None)


@vendor_contact_only
@require_POST
def portal_certificate(
    request: HttpRequest, pk: int, *, contact: VendorContact
) -> HttpResponseBase:
    """Submit the verification of disposition (Exhibit D part 5) with its signed PDF."""
    agreement = _agreement(contact, pk)
    form = CertificateForm(request.POST, request.FILES)
    if form.is_valid():
        data, filename = upload_of(form)
        values = {k: v for k, v in form.cleaned_data.items() if k != "document"}
        try:
            actions.record_certificate(
                agreement, data=data, filename=filename, by=request.user, request=request, **values
            )
        except ValidationError as error:
            show(form, error)
        else:
            messages.success(request, _("Thank you: the verification of disposition is recorded."))
            return redirect("vendors-portal-agreement", agreement.pk)
    return _page(request, contact, agreement, form)


@vendor_contact_only
@require_GET
def portal_document(request: HttpRequest, pk: int, *, contact: VendorContact) -> HttpResponse:
    agreement = get_object_or_404(
        _theirs(contact).select_related(None).only("pk", "signed_document_id"), pk=pk
    )
    return serve(agreement.signed_document_id)
