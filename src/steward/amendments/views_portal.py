"""The family's amendment pages in the portal (R34–R37): ask to amend items of the child's
record, follow the request, ask for a hearing, place a statement, add material.

Families only (`portal.views.guardians_only`: anonymous → login, staff → 403); a child the
user may not act for, or a request of another child, is a 404. The record items offered are
read through `steward.access.record.open_record`, which logs the read.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.access.policy import ACCOMMODATIONS_SUMMARY, SPECIAL_EDUCATION
from steward.access.record import open_record
from steward.access.views import SCOPE_LABELS
from steward.accounts.models import Account
from steward.amendments import case, items, letters_pdf
from steward.amendments.actions.family import do_add_material, do_place_statement
from steward.amendments.actions.hearings import do_request_hearing
from steward.amendments.actions.requests import (
    do_request_amendment,
    do_withdraw_amendment_request,
)
from steward.amendments.forms import AdditionForm, HearingRequestForm, ItemFormSet, StatementForm
from steward.amendments.models import Addition, AmendmentRequest, Item, Letter
from steward.portal.views import _child, guardians_only
from steward.rights.selectors import can_act
from steward.roster.models import Student
from steward.security import uploads


def _may_amend(account: Account, pk: int) -> Student:
    """The child, if this family member may ask for amendments (the inspect and amend rights
    go together, R14); 404 otherwise."""
    child = _child(account, pk)
    if not can_act(account, child.pk, "amend"):
        raise Http404
    return child


def _request_of(child: Student, request_id: int) -> AmendmentRequest:
    found = case.requests_of(AmendmentRequest.objects.filter(pk=request_id, student=child)).first()
    if found is None:
        raise Http404
    return found


@guardians_only
@require_GET
def amendments(request: HttpRequest, account: Account, pk: int) -> HttpResponse:
    """The child's amendment requests, newest first, and the material the family added."""
    child = _may_amend(account, pk)
    rows = (
        AmendmentRequest.objects.filter(student=child)
        .annotate(item_count=Count("items"))
        .order_by("-received_at", "-pk")
    )
    additions = (
        Addition.objects.filter(student=child)
        .select_related("document")
        .defer("document__content")
        .order_by("-added_at", "-pk")
    )
    return render(
        request,
        "amendments/portal_list.html",
        {
            "child": child,
            "requests": list(rows),
            "additions": [(a, SCOPE_LABELS.get(a.scope, a.scope)) for a in additions],
            "parts": [(k, v) for k, v in SCOPE_LABELS.items() if k != ACCOMMODATIONS_SUMMARY],
        },
    )


@guardians_only
@require_http_methods(["GET", "POST"])
def new_request(request: HttpRequest, account: Account, pk: int) -> HttpResponse:
    """Ask to amend items of one part of the record (`?part=`); the items offered are the
    part's rows and fields as the family sees them now."""
    child = _may_amend(account, pk)
    scope = request.GET.get("part", "")
    if scope == ACCOMMODATIONS_SUMMARY:
        # The summary is lines of the plans: what to correct is in the plans themselves.
        url = reverse("amendments-portal-new", args=[child.pk])
        return redirect(f"{url}?part={SPECIAL_EDUCATION}")
    if scope not in SCOPE_LABELS:
        raise Http404
    record = open_record(request, request.user, child.pk, only={scope})
    if record is None or not record.parts:
        raise Http404
    options = items.options_for(scope, record.parts[0].data)
    formset = ItemFormSet(request.POST or None, form_kwargs={"options": options})
    if request.method == "POST" and formset.is_valid():
        asks = [form.ask(scope) for form in formset.forms if form.cleaned_data]
        try:
            made = do_request_amendment(child, request.user, asks, request=request)
        except ValidationError as exc:
            for message in exc.messages:
                formset.non_form_errors().append(message)
        else:
            messages.success(request, _("Your request has been sent to the privacy office."))
            return redirect("amendments-portal-detail", pk=child.pk, request_id=made.pk)
    return render(
        request,
        "amendments/portal_new.html",
        {"child": child, "scope": scope, "label": SCOPE_LABELS[scope], "formset": formset},
        status=400 if request.method == "POST" else 200,
    )


@guardians_only
@require_GET
def detail(request: HttpRequest, account: Account, pk: int, request_id: int) -> HttpResponse:
    """One request: each item and its decision, the letters, the hearing, the statements."""
    child = _may_amend(account, pk)
    shown = case.load(_request_of(child, request_id))
    return render(
        request,
        "amendments/portal_detail.html",
        {
            "child": child,
            "case": shown,
            "hearing_form": HearingRequestForm(),
            "statement_form": StatementForm(),
        },
    )


@guardians_only
@require_POST
def ask_hearing(request: HttpRequest, account: Account, pk: int, request_id: int) -> HttpResponse:
    child = _may_amend(account, pk)
    amendment = _request_of(child, request_id)
    form = HearingRequestForm(request.POST)
    note = form.cleaned_data["family_note"] if form.is_valid() else ""
    try:
        do_request_hearing(amendment, request.user, note, request=request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your request for a hearing has been sent."))
    return redirect("amendments-portal-detail", pk=child.pk, request_id=amendment.pk)


@guardians_only
@require_POST
def place_statement(
    request: HttpRequest, account: Account, pk: int, request_id: int, item_id: int
) -> HttpResponse:
    child = _may_amend(account, pk)
    amendment = _request_of(child, request_id)
    item = Item.objects.filter(pk=item_id, request=amendment).first()
    if item is None:
        raise Http404
    form = StatementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the statement."))
    else:
        try:
            do_place_statement(item, request.user, form.cleaned_data["text"], request=request)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your statement is now part of the record."))
    return redirect("amendments-portal-detail", pk=child.pk, request_id=amendment.pk)


@guardians_only
@require_POST
def withdraw(request: HttpRequest, account: Account, pk: int, request_id: int) -> HttpResponse:
    child = _may_amend(account, pk)
    amendment = _request_of(child, request_id)
    try:
        do_withdraw_amendment_request(amendment, request.user, request=request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The request is withdrawn."))
    return redirect("amendments-portal-detail", pk=child.pk, request_id=amendment.pk)


@guardians_only
@require_GET
def letter(
    request: HttpRequest, account: Account, pk: int, request_id: int, letter_id: int
) -> HttpResponse:
    """A letter of the request as a PDF to keep or print."""
    child = _may_amend(account, pk)
    amendment = _request_of(child, request_id)
    found = Letter.objects.filter(pk=letter_id, request=amendment).first()
    if found is None:
        raise Http404
    return letters_pdf.response(found)


@guardians_only
@require_http_methods(["GET", "POST"])
def add_material(request: HttpRequest, account: Account, pk: int) -> HttpResponse:
    """Add information, comments or a document to the record (R37, 603 CMR 23.08(1))."""
    child = _may_amend(account, pk)
    form = AdditionForm(
        request.POST or None,
        request.FILES or None,
        initial={"scope": request.GET.get("part", "")},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        data = uploads.read(upload, uploads.document_limit()) if upload else None
        try:
            do_add_material(
                child,
                request.user,
                scope=form.cleaned_data["scope"],
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                pdf=data,
                filename=upload.name if upload else "",
                request=request,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("What you added is now part of the record."))
            return redirect("amendments-portal-list", pk=child.pk)
    return render(
        request,
        "amendments/portal_add.html",
        {"child": child, "form": form},
        status=400 if form.errors else 200,
    )
