"""App pages for staff (/apps/) and the privacy office's request queue (R73, R125).

Staff (`staff_only`: staff with a roster record, and the privacy office) see which apps they
may use: APPROVED; APPROVED WITH GUARDIAN RELEASE only for students whose guardians
consented; the others as not approved or under review. They request a new app and follow
their own requests; another person's request is a 404.

The privacy office's queue (/officer/vendors/requests/) takes open requests into review
(creating the vendor and app in the registry and starting a vetting) or declines them.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.officer.views import privacy_office_only
from steward.vendors.actions import registry as actions
from steward.vendors.forms_registry import AppRequestForm, DeclineForm, ReviewForm
from steward.vendors.models import (
    AppRequest,
    AppRequestStatus,
    AppStatus,
    Product,
    Vendor,
)
from steward.vendors.permissions import is_privacy_office, staff_only
from steward.vendors.views_registry import form_page, refusal

# The staff list's groups, in the order shown (R73).
GROUPS = (
    ("approved", (AppStatus.APPROVED,)),
    ("guardian_release", (AppStatus.APPROVED_WITH_GUARDIAN_RELEASE,)),
    ("not_approved", (AppStatus.NOT_APPROVED, AppStatus.EXPIRED)),
    ("under_review", (AppStatus.UNDER_REVIEW,)),
)
GROUP_OF: dict[str, str] = {status: group for group, statuses in GROUPS for status in statuses}
DECIDED_SHOWN = 50


@staff_only
@require_GET
def apps(request: HttpRequest) -> HttpResponse:
    """The registry as staff need it, grouped by what they may do; `q` searches app and
    vendor names. Below, the signed-in person's own requests."""
    q = request.GET.get("q", "").strip()[:100]
    products = Product.objects.select_related("vendor").only(
        "name", "status", "status_reason", "website", "vendor__name"
    )
    if q:
        products = products.filter(Q(name__icontains=q) | Q(vendor__name__icontains=q))
    groups: dict[str, list[Product]] = defaultdict(list)
    for product in products.order_by("name", "vendor__name"):
        groups[GROUP_OF[product.status]].append(product)
    mine = AppRequest.objects.filter(requested_by=request.user.pk).select_related("product")
    context = {"groups": dict(groups), "q": q, "mine": mine}
    return render(request, "vendors/apps/apps.html", context)


@staff_only
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    """Ask for an app that is not approved yet; `?app=` fills in its name."""
    return form_page(
        request,
        AppRequestForm,
        save=lambda data: actions.request_app(**data, by=request.user, request=request),
        done=lambda asked: reverse("vendors-apps-request", args=[asked.pk]),
        success=_("Your request is sent to the privacy office."),
        title=_("Request an app"),
        back=reverse("vendors-apps"),
        initial={"app_name": request.GET.get("app", "")[:200]},
    )


def _own_request(request: HttpRequest, pk: int) -> AppRequest:
    """The request if it is the signed-in person's (or the privacy office is looking);
    otherwise 404, which says nothing about whether it exists."""
    found = get_object_or_404(
        AppRequest.objects.select_related("product", "decided_by", "requested_by"), pk=pk
    )
    if found.requested_by_id != request.user.pk and not is_privacy_office(request):
        raise Http404
    return found


@staff_only
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    asked = _own_request(request, pk)
    context = {
        "asked": asked,
        "mine": asked.requested_by_id == request.user.pk,
        "open": asked.status in (AppRequestStatus.OPEN, AppRequestStatus.IN_REVIEW),
    }
    return render(request, "vendors/apps/request_detail.html", context)


@staff_only
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponseBase:
    asked = _own_request(request, pk)
    try:
        actions.withdraw_request(asked, by=request.user, request=request)
    except ValidationError as error:
        refusal(request, error)
    else:
        messages.success(request, _("Your request is withdrawn."))
    return redirect("vendors-apps-request", pk=asked.pk)


# --- the privacy office's queue -----------------------------------------------------------------


@privacy_office_only
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Open requests (start review, decline), requests in review, and the latest answered."""
    requests = AppRequest.objects.select_related("requested_by", "product", "decided_by")
    context = {
        "open": requests.filter(status=AppRequestStatus.OPEN).order_by("created_at"),
        "in_review": requests.filter(status=AppRequestStatus.IN_REVIEW).order_by("created_at"),
        "decided": requests.exclude(
            status__in=[AppRequestStatus.OPEN, AppRequestStatus.IN_REVIEW]
        ).order_by("-decided_at", "-pk")[:DECIDED_SHOWN],
        # One list of vendors for every review form (not one query per form).
        "vendors": Vendor.objects.only("name").order_by("name"),
    }
    return render(request, "vendors/apps/queue.html", context)


@privacy_office_only
@require_POST
def queue_review(request: HttpRequest, pk: int) -> HttpResponseBase:
    asked = get_object_or_404(AppRequest, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a vendor from the list."))
        return redirect("vendors-apps-queue")
    try:
        vetting = actions.start_review(
            asked, vendor=form.cleaned_data["vendor"], by=request.user, request=request
        )
    except ValidationError as error:
        refusal(request, error)
        return redirect("vendors-apps-queue")
    messages.success(request, _("The request is in review; vet the app here."))
    return redirect("vendors-vetting", pk=vetting.pk)


@privacy_office_only
@require_POST
def queue_decline(request: HttpRequest, pk: int) -> HttpResponseBase:
    asked = get_object_or_404(AppRequest, pk=pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason, for the person who asked."))
        return redirect("vendors-apps-queue")
    try:
        actions.decline_request(
            asked, reason=form.cleaned_data["reason"], by=request.user, request=request
        )
    except ValidationError as error:
        refusal(request, error)
    else:
        messages.success(request, _("The request is declined; the requester sees the reason."))
    return redirect("vendors-apps-queue")
