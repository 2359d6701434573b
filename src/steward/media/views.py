"""Staff pages for media release (design.md P8; R129, R133; issue #5 item 5).

* `/media/can-i-post/`: pick one of your current sections (or students you may see) and a use;
  see who is cleared, who is not, and why.
* `/media/sections/<id>/`: a class roster with each student's release status per use.

Both are for accounts acting as a member of staff: anonymous visitors go to the login page,
other accounts (guardians, the privacy officer, no role) get 403. A section or student the
staff member may not see is a 404 (R39), whether or not it exists. Students are read only
through `steward.access.service.visible_students(actor, "directory")`; the pages show the
directory fields the actor's relationships already grant and each student's release status,
which staff need before capture or posting (R129), so, like "My students", they are not logged
per student.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from steward.access import service
from steward.access.policy import DIRECTORY
from steward.accounts.selectors import current
from steward.media import selectors
from steward.media.models import MediaUse
from steward.roster.models import Enrollment, Section, Student

MAX_STUDENTS = 2000


def _staff_actor(request: HttpRequest) -> service.Actor:
    actor = service.actor_for(request.user)
    if actor is None or actor.staff_id is None:
        raise PermissionDenied
    return actor


def _my_sections(staff_id: int, at: dt.date) -> list[Section]:
    """The active sections `staff_id` is enrolled on today, by school and title. One query."""
    taught = Enrollment.objects.filter(
        current(at), section=OuterRef("pk"), staff_id=staff_id, active=True
    )
    return list(
        Section.objects.filter(Exists(taught), active=True)
        .select_related("school")
        .order_by("school__name", "title", "pk")
    )


def _section_student_ids(section_id: int, at: dt.date) -> set[int]:
    return set(
        Enrollment.objects.filter(
            current(at), section_id=section_id, role=Enrollment.Role.STUDENT, active=True
        ).values_list("student_id", flat=True)
    )


def _students(ids: set[int]) -> list[Student]:
    return list(
        Student.objects.filter(pk__in=sorted(ids), active=True)
        .only("pk", "given_name", "preferred_given_name", "family_name", "grade")
        .order_by("family_name", "given_name", "pk")
    )


@dataclass(frozen=True)
class PostRow:
    student: Student
    cleared: bool
    reason: str


@login_required
@require_GET
def can_i_post(request: HttpRequest) -> HttpResponse:
    """ "Can I post this?": a section (or students) and a use → cleared or not, and why."""
    actor = _staff_actor(request)
    assert actor.staff_id is not None
    at = timezone.localdate()
    sections = _my_sections(actor.staff_id, at)
    uses = selectors.active_uses()
    section_param = request.GET.get("section", "")
    student_params = request.GET.getlist("student")[:MAX_STUDENTS]
    use_key = request.GET.get("use", "")
    chosen_use = next((use for use in uses if use.key == use_key), None)
    rows: list[PostRow] = []
    wanted: set[int] | None = None
    if section_param:
        section = next((s for s in sections if str(s.pk) == section_param), None)
        if section is None:
            raise Http404
        wanted = _section_student_ids(section.pk, at)
    if student_params:
        if not all(value.isdigit() for value in student_params):
            raise Http404
        picked = {int(value) for value in student_params}
        wanted = picked if wanted is None else wanted & picked
    if wanted is not None:
        visible = service.visible_students(actor, DIRECTORY, at=at)
        if student_params and not {int(v) for v in student_params} <= visible:
            raise Http404
        wanted &= visible
        if chosen_use is not None:
            students = _students(wanted)
            answers = selectors.can_post([s.pk for s in students], chosen_use.key)
            rows = [
                PostRow(student, cleared, reason)
                for student, (_pk, cleared, reason) in zip(students, answers, strict=True)
            ]
    return render(
        request,
        "media/can_i_post.html",
        {
            "sections": sections,
            "uses": uses,
            "section": section_param,
            "use": chosen_use,
            "rows": rows,
            "cleared": sum(1 for row in rows if row.cleared),
            "asked": wanted is not None and chosen_use is not None,
        },
    )


@dataclass(frozen=True)
class RosterRow:
    student: Student
    badges: list[tuple[MediaUse, str]]
    has_release: bool


@login_required
@require_GET
def section_roster(request: HttpRequest, section_id: int) -> HttpResponse:
    """A class roster with each student's media release status per use (R129)."""
    actor = _staff_actor(request)
    assert actor.staff_id is not None
    at = timezone.localdate()
    section = Section.objects.filter(pk=section_id, active=True).select_related("school").first()
    if section is None:
        raise Http404
    visible = service.visible_students(actor, DIRECTORY, at=at)
    ids = _section_student_ids(section.pk, at) & visible
    if not ids:
        raise Http404
    students = _students(ids)
    uses = selectors.active_uses()
    year = selectors.school_year(timezone.now())
    status = selectors.status_for([s.pk for s in students], year, uses=uses)
    rows = [
        RosterRow(
            student=student,
            badges=[(use, status[student.pk][use.key]) for use in uses],
            has_release=any(
                value != selectors.Status.NO_RELEASE for value in status[student.pk].values()
            ),
        )
        for student in students
    ]
    return render(
        request,
        "media/section_roster.html",
        {"section": section, "uses": uses, "rows": rows, "year": year},
    )
