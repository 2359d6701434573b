"""The privacy office's amendment pages (R34–R36): the queue, a case with a decision form per
item, scheduling the hearing with the officer's attestation, and the hearing's decision.

Privacy office only (`officer.views.privacy_office_only`: anonymous → login, other roles →
403), except the hearing decision, which the hearing officer of that hearing may also open.
An unknown case is a 404. Opening a case is logged as a read of the contested parts (R63).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.access.views import SCOPE_LABELS
from steward.amendments import case, letters_pdf, sweep
from steward.amendments.actions.common import require_privacy_office
from steward.amendments.actions.decisions import do_decide_item
from steward.amendments.actions.hearings import (
    current_schedule,
    do_decide_hearing,
    do_schedule_hearing,
)
from steward.amendments.forms_office import HearingDecisionForm, RulingFields, ScheduleForm
from steward.amendments.models import (
    HEARING_STATUSES,
    OPEN_STATUSES,
    AmendmentRequest,
    Hearing,
    Item,
    Letter,
    Schedule,
    Status,
)
from steward.amendments.reads import log_case_view
from steward.officer.views import privacy_office_only
from steward.security import uploads
from steward.vendors import documents

PER_PAGE = 50
FILTERS: dict[str, tuple[str, ...]] = {
    "open": OPEN_STATUSES,
    "hearings": HEARING_STATUSES,
    "decided": (Status.DECIDED,),
    "closed": (Status.CLOSED, Status.WITHDRAWN),
}


def _case(request_id: int) -> AmendmentRequest:
    found = case.requests_of(AmendmentRequest.objects.filter(pk=request_id)).first()
    if found is None:
        raise Http404
    return found


@privacy_office_only
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Requests to work on, the nearest deadline first; 50 a page."""
    shown = request.GET.get("show", "open")
    if shown not in FILTERS and shown != "all":
        shown = "open"
    rows = case.requests_of(AmendmentRequest.objects.all()).prefetch_related("hearing__schedules")
    if shown != "all":
        rows = rows.filter(status__in=FILTERS[shown])
    rows = rows.annotate(item_count=Count("items")).order_by("due_on", "pk")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    lines = []
    for amendment in page:
        found = sweep.deadline(amendment, today)
        lines.append(
            {
                "amendment": amendment,
                "what": found[0] if found else "",
                "due": found[1] if found else None,
                "late": found is not None and found[1] < today and found[0] != "scheduled",
            }
        )
    return render(
        request,
        "amendments/office_queue.html",
        {"page": page, "lines": lines, "shown": shown, "filters": [*FILTERS, "all"]},
    )


def _case_page(
    request: HttpRequest,
    amendment: AmendmentRequest,
    bound: RulingFields | None = None,
    status: int = 200,
) -> HttpResponse:
    shown = case.load(amendment)
    log_case_view(request, request.user, shown)
    forms = []
    for view in shown.undecided:
        if bound is not None and bound.item.pk == view.item.pk:
            forms.append((view, bound))
        else:
            forms.append((view, RulingFields(item=view.item, prefix=f"item-{view.item.pk}")))
    return render(
        request,
        "amendments/office_case.html",
        {
            "case": shown,
            "forms": forms if amendment.status == Status.OPEN else [],
            "labels": SCOPE_LABELS,
        },
        status=status,
    )


@privacy_office_only
@require_GET
def case_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    return _case_page(request, _case(request_id))


@privacy_office_only
@require_POST
def decide(request: HttpRequest, request_id: int, item_id: int) -> HttpResponse:
    """Decide one item; the page comes back with the form's errors when it is refused."""
    amendment = _case(request_id)
    item = Item.objects.filter(pk=item_id, request=amendment).first()
    if item is None:
        raise Http404
    form = RulingFields(request.POST, item=item, prefix=f"item-{item.pk}")
    if form.is_valid():
        try:
            do_decide_item(item, request.user, form.ruling(), request=request)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("amendments-office-case", request_id=amendment.pk)
    return _case_page(request, amendment, form, status=400)


@privacy_office_only
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest, request_id: int) -> HttpResponse:
    """Schedule or move the hearing (R36), with the officer's impartiality attestation."""
    amendment = _case(request_id)
    hearing = getattr(amendment, "hearing", None)
    if hearing is None or amendment.status not in HEARING_STATUSES:
        raise Http404
    form = ScheduleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["attestation"]
        try:
            do_schedule_hearing(
                hearing,
                request.user,
                starts_at=form.starts_at(),
                place=form.cleaned_data["place"],
                officer_user=form.cleaned_data["officer"],
                officer_name=form.cleaned_data["officer_name"],
                officer_title=form.cleaned_data["officer_title"],
                attested=form.cleaned_data["attested"],
                attestation_pdf=uploads.read(upload, uploads.document_limit()) if upload else None,
                attestation_filename=upload.name if upload else "",
                request=request,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The hearing is scheduled and the notice is sent."))
            return redirect("amendments-office-case", request_id=amendment.pk)
    return render(
        request,
        "amendments/office_schedule.html",
        {"case": case.load(amendment), "form": form},
        status=400 if form.errors else 200,
    )


View = Callable[..., HttpResponseBase]


def office_or_hearing_officer(view: View) -> View:
    """The privacy office, or the hearing officer of this case's current schedule; anonymous →
    login page, anyone else → 403."""

    @login_required
    @wraps(view)
    def guarded(
        request: HttpRequest, request_id: int, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        # The current schedule's officer only: a hearing moved to another officer is no longer
        # the first one's to read or decide (the action checks the same, `_is_officer`).
        hearing = Hearing.objects.filter(request_id=request_id).first()
        current = current_schedule(hearing) if hearing is not None else None
        heard_by_me = current is not None and current.officer_user_id == request.user.pk
        if not heard_by_me:
            require_privacy_office(request.user)
        return view(request, request_id, *args, **kwargs)

    return guarded


@office_or_hearing_officer
@require_http_methods(["GET", "POST"])
def hearing_decision(request: HttpRequest, request_id: int) -> HttpResponse:
    """The hearing officer's written decision (R35, R36): a finding on every item heard."""
    amendment = _case(request_id)
    hearing: Hearing | None = getattr(amendment, "hearing", None)
    if hearing is None or amendment.status != Status.HEARING_SCHEDULED:
        raise Http404
    shown = case.load(amendment)
    data = request.POST or None
    form = HearingDecisionForm(data)
    rulings = [
        (v, RulingFields(data, item=v.item, prefix=f"item-{v.item.pk}")) for v in shown.refused
    ]
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for _v, f in rulings):
        try:
            do_decide_hearing(
                hearing,
                request.user,
                held_at=form.held_at(),
                attended_by=form.cleaned_data["attended_by"],
                representative=form.cleaned_data["representative"],
                evidence_summary=form.cleaned_data["evidence_summary"],
                reasons=form.cleaned_data["reasons"],
                findings={v.item.pk: f.ruling() for v, f in rulings},
                request=request,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except PermissionDenied:
            form.add_error(None, _("The hearing officer records this decision themselves."))
        else:
            messages.success(request, _("The hearing decision is recorded and sent."))
            try:
                require_privacy_office(request.user)
            except PermissionDenied:  # a hearing officer from outside the office
                return redirect("home")
            return redirect("amendments-office-case", request_id=amendment.pk)
    schedule_now = current_schedule(hearing)
    if request.method == "GET":
        log_case_view(request, request.user, shown)
    return render(
        request,
        "amendments/office_hearing_decision.html",
        {"case": shown, "form": form, "rulings": rulings, "schedule": schedule_now},
        status=400 if request.method == "POST" else 200,
    )


@privacy_office_only
@require_GET
def letter(request: HttpRequest, request_id: int, letter_id: int) -> HttpResponse:
    found = Letter.objects.filter(pk=letter_id, request_id=request_id).first()
    if found is None:
        raise Http404
    return letters_pdf.response(found)


@privacy_office_only
@require_GET
def attestation(request: HttpRequest, request_id: int, schedule_id: int) -> HttpResponse:
    """The hearing officer's signed attestation, as uploaded."""
    found = (
        Schedule.objects.filter(pk=schedule_id, hearing__request_id=request_id)
        .select_related("attestation_document")
        .first()
    )
    if found is None or found.attestation_document is None:
        raise Http404
    return documents.response(found.attestation_document)
