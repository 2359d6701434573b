"""The family portal (issue #5 item 6): activation, my children, a child's record, and the
access and disclosure log as families may see it (R61, R66).

A guardian reaches only children for whom the rights rules (`steward.rights`) give them the
right to inspect; any other child is a 404, whether or not the child exists. Staff roles get
403: the portal is for families.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from steward.access.record import open_record
from steward.access.views import SCOPE_LABELS
from steward.accounts.models import Account
from steward.audit.family import family_log
from steward.portal import actions
from steward.portal.forms import ActivationForm
from steward.rights.selectors import can_act, holders_for_many
from steward.roster.models import GuardianRelationship, Student

View = Callable[..., HttpResponse]


def guardians_only(view: View) -> View:
    """Families only: signed-in guardians, and students with their own login (eligible
    students get the same portal for themselves). Anonymous → login page, staff → 403."""

    @login_required
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        account: Account | None = getattr(request.user, "account", None)
        family = account is not None and (
            (account.role == Account.Role.GUARDIAN and account.guardian_id)
            or (account.role == Account.Role.STUDENT and account.student_id)
        )
        if not family:
            raise PermissionDenied
        return view(request, account, *args, **kwargs)

    return guarded


def _children(account: Account) -> list[Student]:
    """The students whose record this guardian may inspect today, by name (three queries);
    for a student's own login, the student, once the rights rules give them inspection."""
    if account.student_id is not None:
        if not can_act(account, account.student_id, "inspect"):
            return []
        return list(Student.objects.filter(pk=account.student_id))
    assert account.guardian_id is not None  # guardians_only
    linked = list(
        GuardianRelationship.objects.filter(guardian_id=account.guardian_id, active=True)
        .values_list("student_id", flat=True)
        .distinct()
    )
    holders = holders_for_many(linked, timezone.localdate())
    allowed = [
        pk for pk, h in holders.items() if account.guardian_id is not None
        and h.guardian_holds(account.guardian_id, "inspect")
    ]  # fmt: skip
    return list(Student.objects.filter(pk__in=allowed).order_by("given_name", "family_name"))


def _child(account: Account, pk: int) -> Student:
    for child in _children(account):
        if child.pk == pk:
            return child
    raise Http404


@guardians_only
@require_GET
def home(request: HttpRequest, account: Account) -> HttpResponse:
    return render(request, "portal/home.html", {"children": _children(account)})


@guardians_only
@require_GET
def child_record(request: HttpRequest, account: Account, pk: int) -> HttpResponse:
    """Every part of the child's record a parent may inspect; each view is in the ledger."""
    child = _child(account, pk)
    record = open_record(request, request.user, child.pk)
    if record is None:
        raise Http404
    parts = [
        {
            "part": part,
            "label": SCOPE_LABELS.get(part.scope, part.scope),
            "template": f"access/parts/{part.scope}.html",
        }
        for part in record.parts
    ]
    return render(request, "portal/child.html", {"child": child, "parts": parts})


@guardians_only
@require_GET
def child_log(request: HttpRequest, account: Account, pk: int) -> HttpResponse:
    """Who accessed and received the child's record (R61(1), R66)."""
    child = _child(account, pk)
    rows = family_log(child.pk, staff_reads=settings.STEWARD_FAMILY_LOG_STAFF_READS)
    shown = [(row, [SCOPE_LABELS.get(p, p) for p in row.record_parts]) for row in rows]
    return render(request, "portal/log.html", {"child": child, "rows": shown})


@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest) -> HttpResponse:
    """Turn the invitation code from the e-mail into a login, then sign in."""
    if request.user.is_authenticated:
        return redirect("portal-home")
    form = ActivationForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.do_activate_account(
                form.cleaned_data["code"], password=form.cleaned_data["password"], request=request
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error("password", exc.messages)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")  # type: ignore[arg-type]
            return redirect("portal-home")
    return render(
        request, "portal/activate.html", {"form": form}, status=400 if form.errors else 200
    )
