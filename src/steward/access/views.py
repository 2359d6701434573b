"""Staff pages: my students, the student record, and break-glass requests (issue #4 item 4).

Denied access to a student is a 404, whether or not the student exists (R39). Every record
part shown is read through `steward.access.record.open_record`, which logs it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from steward.access import actions, service
from steward.access.forms import SCOPE_CHOICES, BreakGlassForm
from steward.access.policy import DIRECTORY
from steward.access.record import open_record
from steward.accounts.selectors import current
from steward.roster.models import Caseload, Enrollment, StaffRole, Student, StudentSchool
from steward.security.reauth import recent_authentication_required

PER_PAGE = 50
# Lazy: each page shows the names in its own language.
SCOPE_LABELS: dict[str, Any] = dict(SCOPE_CHOICES)


def staff_actor(request: HttpRequest) -> service.Actor:
    """The signed-in staff member as an access `Actor`; anyone else gets 403."""
    actor = service.actor_for(request.user)
    if actor is None or actor.staff_id is None:
        raise PermissionDenied
    return actor


@dataclass(frozen=True)
class Group:
    """A way to narrow "my students": one section, one caseload kind, or one school."""

    key: str
    label: str
    kind: str


def _groups(staff_id: int, at: dt.date) -> list[Group]:
    """The actor's current sections, caseload kinds and schools (three queries)."""
    groups = [
        Group(f"section-{pk}", f"{title} ({code})" if code else title, "section")
        for pk, title, code in Enrollment.objects.filter(
            current(at), staff_id=staff_id, role="teacher"
        )
        .order_by("section__periods", "section__title")
        .values_list("section_id", "section__title", "section__class_code")
    ]
    kinds = dict(Caseload.Kind.choices)
    groups += [
        Group(f"caseload-{kind}", _("Caseload: %s") % kinds.get(kind, kind), "caseload")
        for kind in Caseload.objects.filter(current(at), staff_id=staff_id)
        .order_by("kind")
        .values_list("kind", flat=True)
        .distinct()
    ]
    groups += [
        Group(f"school-{pk}", name, "school")
        for pk, name in StaffRole.objects.filter(current(at), staff_id=staff_id)
        .order_by("org__name")
        .values_list("org_id", "org__name")
        .distinct()
    ]
    return groups


def _narrow(
    students: QuerySet[Student], group: str, staff_id: int, at: dt.date
) -> QuerySet[Student]:
    kind, _sep, value = group.partition("-")
    inside: Exists
    if kind == "section" and value.isdigit():
        inside = Exists(
            Enrollment.objects.filter(current(at), student=OuterRef("pk"), section_id=int(value))
        )
    elif kind == "school" and value.isdigit():
        inside = Exists(
            StudentSchool.objects.filter(current(at), student=OuterRef("pk"), school_id=int(value))
        )
    elif kind == "caseload":
        inside = Exists(
            Caseload.objects.filter(
                current(at), student=OuterRef("pk"), staff_id=staff_id, kind=value
            )
        )
    else:
        return students
    return students.filter(inside)


def _search(students: QuerySet[Student], text: str) -> QuerySet[Student]:
    for word in text.split()[:4]:
        students = students.filter(
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(preferred_given_name__icontains=word)
            | Q(identifier__iexact=word)
        )
    return students


@login_required
@require_GET
def my_students(request: HttpRequest) -> HttpResponse:
    """Every student the staff member may see today, narrowed by group and search, 50 a page.

    The list shows directory fields only (name, grade, number) and is not logged per student:
    it is the directory view the actor's relationships already grant (R41).
    """
    actor = staff_actor(request)
    assert actor.staff_id is not None
    at = timezone.localdate()
    visible = service.visible_students(actor, DIRECTORY, at=at)
    groups = _groups(actor.staff_id, at)
    group = request.GET.get("group", "")
    if group not in {g.key for g in groups}:
        group = ""
    text = request.GET.get("q", "").strip()[:100]
    students = Student.objects.filter(pk__in=sorted(visible))
    if group:
        students = _narrow(students, group, actor.staff_id, at)
    if text:
        students = _search(students, text)
    students = students.only(
        "pk", "given_name", "preferred_given_name", "family_name", "grade", "identifier"
    ).order_by("family_name", "given_name", "pk")
    page = Paginator(students, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "access/my_students.html",
        {
            "page": page,
            "groups": groups,
            "group": group,
            "q": text,
            "visible_count": len(visible),
        },
    )


@login_required
@require_GET
def student_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The record parts the user may see, each with its reasons; one ledger entry per part."""
    from steward.stewardship import rules

    at = timezone.localdate()
    if rules.record_access_blocked(request.user, timezone.now()):
        return render(request, "access/training_required.html", status=403)
    record = open_record(request, request.user, pk, at=at)
    if record is None:
        raise Http404
    namer = record.namer
    parts = [
        {
            "part": part,
            "label": SCOPE_LABELS.get(part.scope, part.scope),
            "reasons": [namer.grant(g) for g in part.grants],
            "template": f"access/parts/{part.scope}.html",
        }
        for part in record.parts
    ]
    return render(
        request,
        "access/record.html",
        {
            "student": record.student,
            "parts": parts,
            "shows_directory": any(p.scope == DIRECTORY for p in record.parts),
            "withheld": [SCOPE_LABELS.get(s, s) for s in record.withheld],
            "break_glass": any(p.break_glass for p in record.parts),
        },
    )


def _find_student(number: str) -> Student | None:
    number = number.strip()
    if not number:
        return None
    return (
        Student.objects.filter(Q(identifier=number) | Q(sourced_id=number)).order_by("pk").first()
    )


def staff_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Refuse anyone but staff (403) before the view, so that checks stacked inside it (a
    re-authentication) never ask another role for their password first."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        staff_actor(request)
        return view(request, *args, **kwargs)

    return guarded


@login_required
@staff_only
@recent_authentication_required  # emergency access to a record (R33, #10)
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest) -> HttpResponseBase:
    """Ask for emergency access (R82, R83). It starts at once, for a limited time, and the
    privacy office must review it."""
    actor = staff_actor(request)
    form = BreakGlassForm(request.POST or None, initial={"student": request.GET.get("student", "")})
    if request.method == "POST" and form.is_valid():
        student = _find_student(form.cleaned_data["student"])
        if student is None:
            form.add_error("student", _("No student has this number."))
        else:
            scopes = set(form.cleaned_data["scopes"]) | {DIRECTORY}
            try:
                actions.do_open_break_glass(
                    user=request.user,
                    actor=actor,
                    student=student,
                    scopes=scopes,
                    threat=form.cleaned_data["threat"],
                    parties=form.cleaned_data["parties"],
                    hours=form.cleaned_data["hours"],
                    request=request,
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                return redirect("student-record", pk=student.pk)
    return render(
        request, "access/break_glass.html", {"form": form}, status=400 if form.errors else 200
    )
