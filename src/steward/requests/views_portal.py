"""The family's request pages in the portal (R24–R28, R31, R18): make a request, follow it,
download the copy. Families only (`portal.views.guardians_only`: anonymous → login, staff →
403); another family's request, or a student the login may not ask about, is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.accounts.models import Account
from steward.portal.views import guardians_only
from steward.requests import actions
from steward.requests.eligibility import choices_for, is_requester, requester_of
from steward.requests.forms import AFFIRMATION, THIRD_PARTY_CONSENT, PortalRequestForm
from steward.requests.models import AccessRequest, CustodialNotice, Kind, RequesterKind
from steward.requests.views_files import copy_response
from steward.security.reauth import recent_authentication_required


def _own(request: HttpRequest, pk: int) -> AccessRequest:
    req = (
        AccessRequest.objects.select_related("student", "released_copy")
        .defer("released_copy__pdf", "released_copy__archive")
        .filter(pk=pk)
        .first()
    )
    if req is None or not is_requester(req, request.user):
        raise Http404
    return req


@guardians_only
@require_GET
def portal_list(request: HttpRequest, account: Account) -> HttpResponse:
    """The requests this person made, newest first, and the R18 notices addressed to them."""
    requester = requester_of(request.user)
    assert requester is not None  # guardians_only
    if requester.kind == RequesterKind.GUARDIAN:
        made = AccessRequest.objects.filter(
            requester_kind=RequesterKind.GUARDIAN, requester_guardian_id=requester.guardian_id
        )
        notices = list(
            CustodialNotice.objects.filter(guardian_id=requester.guardian_id or 0)
            .select_related("request", "request__student")
            .order_by("-sent_at")
        )
    else:
        made = AccessRequest.objects.filter(
            requester_kind=RequesterKind.STUDENT, student_id=requester.student_id or 0
        )
        notices = []
    rows = list(made.select_related("student").order_by("-received_at", "-pk"))
    return render(request, "requests/portal/list.html", {"rows": rows, "notices": notices})


@guardians_only
@require_http_methods(["GET", "POST"])
def portal_new(request: HttpRequest, account: Account) -> HttpResponse:
    requester = requester_of(request.user)
    assert requester is not None
    choices = choices_for(requester)
    initial = {}
    if request.GET.get("student", "").isdigit():
        wanted = int(request.GET["student"])
        if wanted not in {c.student.pk for c in choices}:
            raise Http404
        initial["student"] = wanted
    form = PortalRequestForm(choices, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        student = next(c.student for c in choices if c.student.pk == data["student"])
        try:
            req = actions.do_submit_request(
                request.user,
                student,
                data["kind"],
                details=data["details"],
                third_party_name=data["third_party_name"],
                third_party_affiliation=data["third_party_affiliation"],
                third_party_consent=form.consent_text(),
                affirmation=form.affirmation_text(),
                request=request,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, _("Your request is sent. You can follow it on this page."))
            return redirect("requests-portal-detail", pk=req.pk)
    return render(
        request,
        "requests/portal/new.html",
        {
            "form": form,
            "choices": choices,
            "third_party": Kind.THIRD_PARTY.value,
            "affirmation": AFFIRMATION,
            "consent": THIRD_PARTY_CONSENT,
        },
        status=400 if form.errors else 200,
    )


def _errors_to_form(form: PortalRequestForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = {"affirmation": "affirm"}.get(field, field)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@guardians_only
@require_GET
def portal_detail(request: HttpRequest, account: Account, pk: int) -> HttpResponse:
    req = _own(request, pk)
    return render(request, "requests/portal/detail.html", {"req": req, "student": req.student})


@guardians_only
@require_POST
def portal_withdraw(request: HttpRequest, account: Account, pk: int) -> HttpResponse:
    req = _own(request, pk)
    try:
        actions.do_withdraw_request(req, request.user, request=request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.info(request, message)
    else:
        messages.success(request, _("Your request is withdrawn."))
    return redirect("requests-portal-detail", pk=req.pk)


@guardians_only
@recent_authentication_required  # a copy of a whole record (R33, #10)
@require_GET
def portal_download(request: HttpRequest, account: Account, pk: int, fmt: str) -> HttpResponse:
    """The released copy, as PDF or zip; each download is in the ledger (R32)."""
    req = _own(request, pk)
    copy = actions.may_download(req, request.user)
    if copy is None or fmt not in actions.FORMATS:
        raise Http404
    try:
        actions.do_record_download(req, copy, request.user, fmt, request=request)
    except PermissionDenied as exc:  # R17: a restriction that arrived since the release
        raise Http404 from exc
    return copy_response(req, copy.pk, fmt)
