"""The privacy office's page for rostering API clients (issue #7 item 3; design.md §6).

`/officer/rostering/clients/`: every client with its agreement, scopes and state; a form to
create one for an agreement (the secret is shown once, on the answer to that POST, and never
again); per client, rotate the secret or deactivate it. Privacy office only: anonymous
visitors go to the login page, every other role gets 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_POST

from steward.officer.views import privacy_office_only
from steward.rostering import actions
from steward.rostering import scopes as sc
from steward.rostering.models import ApiClient
from steward.vendors.models import Agreement, AgreementStatus

SCOPE_LABELS = (
    (sc.CORE, "roster-core.readonly"),
    (sc.ROSTER, "roster.readonly"),
    (sc.DEMOGRAPHICS, "roster-demographics.readonly"),
)


def _page(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    clients = ApiClient.objects.select_related("agreement__vendor").order_by(
        "agreement__vendor__name", "agreement__title", "name", "pk"
    )
    agreements = (
        Agreement.objects.filter(
            external=False,
            status__in=[AgreementStatus.DRAFT, AgreementStatus.ACTIVE, AgreementStatus.EXPIRING],
        )
        .select_related("vendor")
        .order_by("vendor__name", "title")
    )
    context = {
        "clients": clients,
        "agreements": agreements,
        "scope_labels": SCOPE_LABELS,
        "token_url": request.build_absolute_uri("/ims/oneroster/rostering/v1p2/token"),
        **extra,
    }
    return render(request, "rostering/clients.html", context, status=status)


@privacy_office_only
@require_http_methods(["GET", "POST"])
def clients(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request)
    agreement = Agreement.objects.filter(pk=request.POST.get("agreement") or 0).first()
    name = request.POST.get("name", "")
    chosen = request.POST.getlist("scope")
    form = {"agreement": request.POST.get("agreement", ""), "name": name, "scopes": chosen}
    if agreement is None:
        return _page(request, 400, errors=[_no_agreement()], form=form)
    try:
        client, secret = actions.do_create_api_client(
            agreement=agreement,
            name=name,
            scopes=chosen,
            by=request.user,
            request=request,
        )
    except ValidationError as error:
        return _page(request, 400, errors=error.messages, form=form)
    return _page(request, shown=client, secret=secret)


def _no_agreement() -> str:
    from django.utils.translation import gettext as _

    return _("Choose an agreement.")


@privacy_office_only
@require_POST
def rotate(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_object_or_404(ApiClient.objects.select_related("agreement"), pk=client_id)
    try:
        secret = actions.do_rotate_api_client_secret(
            client=client, by=request.user, request=request
        )
    except ValidationError as error:
        return _page(request, 400, errors=error.messages)
    return _page(request, shown=client, secret=secret)


@privacy_office_only
@require_POST
def deactivate(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_object_or_404(ApiClient.objects.select_related("agreement"), pk=client_id)
    try:
        actions.do_deactivate_api_client(
            client=client, reason=request.POST.get("reason", ""), by=request.user, request=request
        )
    except ValidationError as error:
        return _page(request, 400, errors=error.messages)
    return _page(request, deactivated=client)
