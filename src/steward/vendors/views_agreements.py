"""Privacy-office pages for data sharing agreements (issue #6 items 3 and 4; R80, R107–R111).

/officer/agreements/            list, filtered by status and vendor
/officer/agreements/new/        a new draft; or renew an agreement, or adopt an Exhibit E offer
/officer/agreements/<id>/       every term, what is missing before activation, the directive and
                                certificate, and the forms for each next step
/officer/agreements/<id>/edit/  every term of a draft

Every write is a POST to an action (`steward.vendors.actions.agreements`); a refusal shows the
action's messages on the page (all of them, for activation). Only the privacy office may open
these pages: anonymous visitors go to the login page, everyone else gets 403, and an unknown
agreement is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.officer.views import privacy_office_only
from steward.security import uploads
from steward.vendors import documents
from steward.vendors.actions import agreements as actions
from steward.vendors.forms_agreements import (
    AgreementFilterForm,
    AgreementForm,
    CertificateForm,
    CreateForm,
    TerminateForm,
    UploadForm,
    exhibit_b_groups,
    show,
)
from steward.vendors.mandatory import DIRECT_CONTROL, missing_fields
from steward.vendors.models import (
    SHARING_STATUSES,
    Agreement,
    AgreementStatus,
    DispositionCertificate,
    DispositionDirective,
    Document,
)

Status = AgreementStatus
PER_PAGE = 50
PENDING = {Status.DISPOSITION_PENDING, Status.DISPOSITION_OVERDUE}


def _agreement(pk: int) -> Agreement:
    """The agreement with everything its page shows, in a fixed number of queries."""
    rows = (
        Agreement.objects.select_related(
            "vendor", "signed_document", "originating_agreement", "renewal_of"
        )
        .defer("signed_document__content")
        .prefetch_related("products", "scope_schools", "scope_sections", "renewals")
    )
    return get_object_or_404(rows, pk=pk)


def terms_context(agreement: Agreement) -> dict[str, Any]:
    """What the terms part of an agreement page shows (shared with the vendor's page)."""
    directive = DispositionDirective.objects.filter(agreement_id=agreement.pk).first()
    certificate = (
        DispositionCertificate.objects.filter(agreement_id=agreement.pk)
        .select_related("document")
        .defer("document__content")
        .first()
    )
    today = timezone.localdate()
    return {
        "agreement": agreement,
        "exhibit_b": exhibit_b_groups(agreement.data_elements, only_chosen=True),
        "direct_control": [
            (label, key in agreement.direct_control) for key, label in DIRECT_CONTROL.items()
        ],
        "directive": directive,
        "certificate": certificate,
        "today": today,
        "days_left": (agreement.end_date - today).days if agreement.end_date else None,
    }


def _detail(request: HttpRequest, agreement: Agreement, **forms: Any) -> HttpResponse:
    draft = agreement.status == Status.DRAFT
    context = terms_context(agreement) | {
        "missing": missing_fields(agreement) if draft else [],
        "upload_form": UploadForm() if draft else None,
        "terminate_form": TerminateForm(agreement=agreement)
        if agreement.status in SHARING_STATUSES
        else None,
        "certificate_form": CertificateForm() if agreement.status in PENDING else None,
        "can_renew": agreement.status in SHARING_STATUSES
        and not agreement.external
        and not agreement.renewals.all(),
        "can_adopt": agreement.external and agreement.exhibit_e_offered,
        "activation_errors": [],
        "document_url": reverse("vendors-agreement-document", args=[agreement.pk]),
        "certificate_url": reverse("vendors-agreement-certificate-document", args=[agreement.pk]),
    }
    context.update(forms)
    return render(request, "vendors/agreements/detail.html", context)


@privacy_office_only
@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    """This district's agreements, newest end first; 50 a page."""
    form = AgreementFilterForm(request.GET)
    rows = Agreement.objects.filter(external=False).select_related("vendor")
    if form.is_valid():
        if form.cleaned_data["status"]:
            rows = rows.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["vendor"]:
            rows = rows.filter(vendor=form.cleaned_data["vendor"])
    rows = rows.only(
        "pk", "title", "kind", "status", "start_date", "end_date", "disposition_due",
        "vendor__name",
    ).order_by("vendor__name", "-end_date", "title", "pk")  # fmt: skip
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "vendors/agreements/list.html",
        {"form": form, "page": page, "today": timezone.localdate(), "query": query.urlencode()},
    )


def _renewable() -> QuerySet[Agreement]:
    return (
        Agreement.objects.filter(external=False, status__in=SHARING_STATUSES)
        .exclude(Exists(Agreement.objects.filter(renewal_of=OuterRef("pk"))))
        .select_related("vendor")
        .order_by("end_date", "pk")
    )


def _adoptable(today: dt.date) -> QuerySet[Agreement]:
    adopted = Agreement.objects.filter(
        originating_agreement=OuterRef("pk"),
        external=False,
        status__in=[Status.DRAFT, *SHARING_STATUSES],
    )
    return (
        Agreement.objects.filter(external=True, exhibit_e_offered=True)
        .filter(Q(exhibit_e_expires__isnull=True) | Q(exhibit_e_expires__gte=today))
        .exclude(Exists(adopted))
        .select_related("vendor")
        .order_by("vendor__name", "title", "pk")
    )


@privacy_office_only
@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest) -> HttpResponse:
    """A new draft for a chosen vendor, then its edit page."""
    form = CreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = actions.create_agreement(
                form.cleaned_data["vendor"],
                by=request.user,
                request=request,
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            show(form, error)
        else:
            messages.success(request, _("Draft created: complete its terms."))
            return redirect("vendors-agreement-edit", agreement.pk)
    today = timezone.localdate()
    return render(
        request,
        "vendors/agreements/create.html",
        {"form": form, "renewable": _renewable(), "adoptable": _adoptable(today)},
    )


@privacy_office_only
@require_GET
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _agreement(pk))


@privacy_office_only
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Every term of a draft; a signed agreement is changed only by a new agreement."""
    agreement = _agreement(pk)
    if agreement.status != Status.DRAFT:
        messages.error(request, _("Only a draft can be edited."))
        return redirect("vendors-agreement-detail", agreement.pk)
    if request.method == "POST":
        form = AgreementForm(request.POST, agreement=agreement)
        if form.is_valid():
            try:
                actions.update_agreement(
                    agreement, by=request.user, request=request, **form.terms()
                )
            except ValidationError as error:
                show(form, error)
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("vendors-agreement-detail", agreement.pk)
        chosen = [v.split("|", 1) for v in request.POST.getlist("data_elements")]
    else:
        form = AgreementForm(initial=AgreementForm.initial_for(agreement), agreement=agreement)
        chosen = agreement.data_elements
    return render(
        request,
        "vendors/agreements/edit.html",
        {"agreement": agreement, "form": form, "exhibit_b": exhibit_b_groups(chosen)},
    )


def upload_of(form: Any) -> tuple[bytes, str]:
    """The uploaded file's bytes (one byte over the limit at most, so the size check can
    refuse it) and name."""
    upload = form.cleaned_data["document"]
    return uploads.read(upload, uploads.document_limit()), upload.name or "document.pdf"


@privacy_office_only
@require_POST
def agreement_upload(request: HttpRequest, pk: int) -> HttpResponseBase:
    agreement = _agreement(pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.attach_signed_document(
                agreement, *upload_of(form), by=request.user, request=request
            )
        except ValidationError as error:
            show(form, error)
        else:
            messages.success(request, _("The signed document is attached."))
            return redirect("vendors-agreement-detail", agreement.pk)
    return _detail(request, agreement, upload_form=form)


@privacy_office_only
@require_POST
def agreement_activate(request: HttpRequest, pk: int) -> HttpResponseBase:
    agreement = _agreement(pk)
    try:
        actions.activate_agreement(agreement, by=request.user, request=request)
    except ValidationError as error:
        return _detail(request, agreement, activation_errors=error.messages)
    messages.success(
        request, _("The agreement is %(status)s.") % {"status": agreement.get_status_display()}
    )
    return redirect("vendors-agreement-detail", agreement.pk)


@privacy_office_only
@require_POST
def agreement_terminate(request: HttpRequest, pk: int) -> HttpResponseBase:
    agreement = _agreement(pk)
    form = TerminateForm(request.POST, agreement=agreement)
    if form.is_valid():
        try:
            actions.terminate_agreement(
                agreement, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            show(form, error)
        else:
            messages.success(request, _("Terminated: the Exhibit D directive is issued."))
            return redirect("vendors-agreement-detail", agreement.pk)
    return _detail(request, agreement, terminate_form=form)


@privacy_office_only
@require_POST
def agreement_certificate(request: HttpRequest, pk: int) -> HttpResponseBase:
    agreement = _agreement(pk)
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
            messages.success(request, _("The verification of disposition is recorded."))
            return redirect("vendors-agreement-detail", agreement.pk)
    return _detail(request, agreement, certificate_form=form)


@privacy_office_only
@require_POST
def agreement_renew(request: HttpRequest, pk: int) -> HttpResponseBase:
    agreement = _agreement(pk)
    try:
        renewal = actions.renew_agreement(agreement, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("vendors-agreement-detail", agreement.pk)
    messages.success(request, _("Renewal drafted: check its terms, then attach the signed copy."))
    return redirect("vendors-agreement-edit", renewal.pk)


@privacy_office_only
@require_POST
def agreement_adopt(request: HttpRequest, pk: int) -> HttpResponseBase:
    agreement = _agreement(pk)
    try:
        adoption = actions.adopt_exhibit_e(agreement, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("vendors-agreement-detail", agreement.pk)
    messages.success(request, _("Exhibit E adoption drafted: attach the district's signed copy."))
    return redirect("vendors-agreement-edit", adoption.pk)


def serve(document_id: int | None) -> HttpResponse:
    """A stored document (signed agreement or certificate), or 404 when there is none."""
    if document_id is None:
        raise Http404
    return documents.response(get_object_or_404(Document, pk=document_id))


@privacy_office_only
@require_GET
def agreement_document(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement.objects.only("pk", "signed_document_id"), pk=pk)
    return serve(agreement.signed_document_id)


@privacy_office_only
@require_GET
def agreement_certificate_document(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_object_or_404(
        DispositionCertificate.objects.only("document_id"), agreement_id=pk
    )
    return serve(certificate.document_id)
