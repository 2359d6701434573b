"""The privacy office's request pages: the queue with filters, one request with its actions,
the preview of a copy before release, and the files. Privacy office only
(`officer.views.privacy_office_only`): anonymous → login, other roles → 403; an unknown
request → 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from steward.accounts.models import Account
from steward.officer.views import privacy_office_only
from steward.requests import actions, contents, formats
from steward.requests.eligibility import still_entitled
from steward.requests.forms import (
    AssignForm,
    MeetingForm,
    OutcomeForm,
    QueueFilterForm,
    ReasonsForm,
    WithdrawForm,
)
from steward.requests.models import (
    COPY_KINDS,
    MEETING_KINDS,
    OPEN_STATUSES,
    AccessRequest,
    RequestCopy,
)
from steward.requests.tables import Column, text
from steward.requests.views_files import copy_response
from steward.security.reauth import recent_authentication_required

PER_PAGE = 50


def _filtered(form: QueueFilterForm, user: Any) -> QuerySet[AccessRequest]:
    rows = AccessRequest.objects.select_related("student", "assignee", "requester_guardian")
    data = form.cleaned_data if form.is_valid() else {"status": QueueFilterForm.OPEN}
    status = data.get("status") or ""
    if status == QueueFilterForm.OPEN:
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif status == QueueFilterForm.LATE:
        rows = rows.filter(status__in=OPEN_STATUSES, due_on__lt=timezone.localdate())
    elif status:
        rows = rows.filter(status=status)
    if data.get("kind"):
        rows = rows.filter(kind=data["kind"])
    if data.get("mine"):
        rows = rows.filter(assignee=user)
    if data.get("unassigned"):
        rows = rows.filter(assignee__isnull=True)
    return rows.order_by("due_on", "received_at", "pk")


@privacy_office_only
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Requests, the soonest due first; open ones unless the filters say otherwise."""
    form = QueueFilterForm(request.GET if request.GET else {"status": QueueFilterForm.OPEN})
    page = Paginator(_filtered(form, request.user), PER_PAGE).get_page(request.GET.get("page"))
    params = [(k, str(v)) for k, v in request.GET.items() if k != "page" and v]
    return render(
        request,
        "requests/office/queue.html",
        {
            "form": form,
            "page": page,
            "today": timezone.localdate(),
            "query": urlencode(sorted(params)),
        },
    )


def _request(pk: int) -> AccessRequest:
    return get_object_or_404(
        AccessRequest.objects.select_related(
            "student", "requester_guardian", "requester_user", "entered_by", "assignee"
        ),
        pk=pk,
    )


def _office_people() -> list[tuple[int, str]]:
    users = get_user_model().objects.filter(
        Q(is_superuser=True) | Q(account__role=Account.Role.PRIVACY_OFFICER), is_active=True
    )
    return [(u.pk, u.get_full_name() or u.get_username()) for u in users.order_by("username")]


@privacy_office_only
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request(pk)
    today = timezone.localdate()
    entitled = still_entitled(
        req.kind, req.requester_kind, req.requester_guardian_id, req.student_id
    )
    context = {
        "req": req,
        "today": today,
        "days_left": (req.due_on - today).days,
        "days_late": max((today - req.due_on).days, 0),
        "steps": list(req.steps.select_related("by").order_by("at", "pk")),
        "copies": list(
            req.copies.defer("pdf", "archive")
            .select_related("generated_by")
            .order_by("-generated_at")
        ),
        "notices": list(
            req.custodial_notices.select_related("guardian", "mailed_by").order_by("pk")
        ),
        "entitled": entitled,
        "release_blocked": req.release_on is not None and today < req.release_on,
        "is_copy_kind": req.kind in COPY_KINDS,
        "is_meeting_kind": req.kind in MEETING_KINDS,
        "assign_form": AssignForm(_office_people(), initial={"assignee": req.assignee_id}),
        "meeting_form": MeetingForm(),
        "outcome_form": OutcomeForm(),
        "reasons_form": ReasonsForm(),
        "withdraw_form": WithdrawForm(),
    }
    return render(request, "requests/office/detail.html", context)


def _act(request: HttpRequest, req: AccessRequest, action: str) -> str | None:
    """Run `action` from the posted form; returns where to go next (None: the detail page).
    ValidationError propagates with the action's message."""
    post = request.POST
    user = request.user
    if action == "assign":
        form: Any = AssignForm(_office_people(), post)
        if not form.is_valid():
            raise ValidationError(_("Choose someone in the privacy office."))
        assignee = get_user_model().objects.get(pk=form.cleaned_data["assignee"])
        actions.do_assign_request(req, assignee, user, request=request)
    elif action == "start":
        actions.do_start_request(req, user, request=request)
    elif action == "meeting":
        form = MeetingForm(post)
        if not form.is_valid():
            raise ValidationError([m for ms in form.errors.values() for m in ms])
        data = form.cleaned_data
        actions.do_schedule_meeting(
            req,
            user,
            when=data["when"],
            place=data["place"],
            with_whom=data["with_whom"],
            request=request,
        )
    elif action == "copy":
        actions.do_make_copy(req, user, request=request)
        return "preview"
    elif action == "fulfil":
        form = OutcomeForm(post)
        outcome = form.cleaned_data["outcome"] if form.is_valid() else ""
        actions.do_fulfil_request(req, user, outcome=outcome, request=request)
    elif action == "refuse":
        form = ReasonsForm(post)
        actions.do_refuse_request(
            req, user, form.cleaned_data["reasons"] if form.is_valid() else "", request=request
        )
    elif action == "withdraw":
        form = WithdrawForm(post)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        actions.do_withdraw_request(req, user, note, request=request)
    else:
        raise Http404
    return None


SUCCESS = {
    "assign": gettext_lazy("The request is assigned."),
    "start": gettext_lazy("Work on the request has started."),
    "meeting": gettext_lazy("The meeting is scheduled and the requester told."),
    "copy": gettext_lazy("The copy is made. Check it before releasing it."),
    "fulfil": gettext_lazy("The request is fulfilled."),
    "refuse": gettext_lazy("The request is refused."),
    "withdraw": gettext_lazy("The request is withdrawn."),
}


@privacy_office_only
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One action on a request from the detail page; back to it with the outcome."""
    if action not in SUCCESS:
        raise Http404
    req = _request(pk)
    try:
        then = _act(request, req, action)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("requests-detail", pk=req.pk)
    messages.success(request, str(SUCCESS[action]))
    if then == "preview":
        return redirect("requests-preview", pk=req.pk)
    return redirect("requests-detail", pk=req.pk)


def _copy(req: AccessRequest, request: HttpRequest) -> RequestCopy:
    copies = req.copies.defer("pdf")
    wanted = request.GET.get("copy", "")
    copy = copies.filter(pk=int(wanted)).first() if wanted.isdigit() else None
    copy = copy or copies.order_by("-generated_at", "-pk").first()
    if copy is None:
        raise Http404
    return copy


def _shown(table: dict[str, Any]) -> dict[str, Any]:
    columns = [Column(c["key"], c["label"], choices=c.get("codes", {})) for c in table["columns"]]
    rows = [[text(c, row.get(c.key)) for c in columns] for row in table["rows"]]
    return {"key": table["key"], "title": table["title"], "columns": columns, "rows": rows}


@privacy_office_only
@require_GET
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The copy exactly as the family will receive it (its `copy.json`), to check before
    release (R30); viewing it is logged like any read of the record."""
    req = _request(pk)
    copy = _copy(req, request)
    data = formats.read_json(bytes(copy.archive))
    actions.do_record_preview(req, copy, request.user, request=request)
    labels = contents.about_labels()
    about = [(labels.get(k, k), v) for k, v in data.get("about", {}).items()]
    sections = [
        (key, title, [_shown(t) for t in data.get(key, [])])
        for key, title in (
            ("record", _("The student record")),
            ("consent_history", _("Consent history")),
            ("access_log", _("Who accessed or received the record")),
        )
        if key in data
    ]
    return render(
        request,
        "requests/office/preview.html",
        {"req": req, "copy": copy, "data": data, "about": about, "sections": sections},
    )


@privacy_office_only
@recent_authentication_required  # a copy of a whole record (R33, #10)
@require_GET
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """The released copy, else the latest one, for the office to check or hand over (logged)."""
    req = _request(pk)
    copy = actions.may_download(req, request.user)
    if copy is None or fmt not in actions.FORMATS:
        raise Http404
    actions.do_record_download(req, copy, request.user, fmt, request=request)
    return copy_response(req, copy.pk, fmt)
