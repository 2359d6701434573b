"""Staff pages for media release (design.md P8; R129, R133; issue #5 item 5).

* `/media/can-i-post/`: pick one of your current sections (or students you may see) and a use;
  see who is cleared, who is not, and why.
* `/media/sections/<id>/`: a class roster with each student's release status per use.
* `/media/published/`: record a publication (one of your classes, a use, the students shown),
  the items published with students you may see, and those to take down (R134).
* `/media/events/`: ask the families of one of your classes for an event release (R130), and
  `/media/events/<id>/` their answers, student by student.

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
from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.access import service
from steward.access.policy import DIRECTORY
from steward.access.views import staff_actor
from steward.accounts.selectors import current
from steward.media import actions, selectors
from steward.media.models import (
    EventRelease,
    EventReleaseRequest,
    MediaUse,
    PublishedItem,
    PublishedStudent,
)
from steward.roster.models import Enrollment, Section, Student

MAX_STUDENTS = 2000


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
    actor = staff_actor(request)
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
    cells: str = ""


def _badge_texts() -> dict[str, tuple[str, str]]:
    """Each status's symbol and word (the badge says it in text, never by colour alone)."""
    return {
        selectors.Status.ALLOWED: ("✓", _("Yes")),
        selectors.Status.DENIED: ("✗", _("No")),
        selectors.Status.REVOKED: ("✗", _("Withdrawn")),
        selectors.Status.NO_RELEASE: ("–", _("None")),
    }


def roster_rows(
    students: list[Student], uses: list[MediaUse], status: Mapping[int, Mapping[str, str]]
) -> list[RosterRow]:
    """The roster's rows, each with its badge cells as HTML. A class shares a handful of
    (use, status) pairs, so each cell is built once per page and reused: rendering 450 cells
    through template tags cost most of the page."""
    texts = _badge_texts()
    labels = [(use, use.key, use.display_label) for use in uses]
    fragments: dict[tuple[str, str], str] = {}

    def cell(key: str, label: str, value: str) -> str:
        found = fragments.get((key, value))
        if found is None:
            symbol, word = texts[value]
            found = fragments[(key, value)] = format_html(
                '<td data-use="{}" data-status="{}" title="{}">'
                '<span class="badge badge-{}">{} {}</span></td>',
                key,
                value,
                label,
                value.replace("_", "-"),
                symbol,
                word,
            )
        return found

    rows = []
    for student in students:
        mine = status[student.pk]
        rows.append(
            RosterRow(
                student=student,
                badges=[(use, mine[key]) for use, key, _label in labels],
                has_release=any(value != selectors.Status.NO_RELEASE for value in mine.values()),
                cells=mark_safe("".join(cell(key, label, mine[key]) for _u, key, label in labels)),  # noqa: S308 - built by format_html
            )
        )
    return rows


@login_required
@require_GET
def section_roster(request: HttpRequest, section_id: int) -> HttpResponse:
    """A class roster with each student's media release status per use (R129)."""
    actor = staff_actor(request)
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
    rows = roster_rows(students, uses, status)
    return render(
        request,
        "media/section_roster.html",
        {"section": section, "uses": uses, "rows": rows, "year": year},
    )


def _errors(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _my_section(sections: list[Section], value: str) -> Section:
    """The chosen section among the staff member's own; 404 for any other value."""
    section = next((s for s in sections if str(s.pk) == value), None)
    if section is None:
        raise Http404
    return section


@dataclass(frozen=True)
class Candidate:
    """A student of the chosen class on the "record a publication" form."""

    student: Student
    cleared: bool
    reason: str


@dataclass(frozen=True)
class ItemRow:
    item: PublishedItem
    students: list[Student]
    others: int
    withdrawals: list[tuple[Student, str]]


PUBLISHED_LIMIT = 200


@login_required
@require_http_methods(["GET", "POST"])
def published(request: HttpRequest) -> HttpResponse:
    """Published items per student (R134): record one, list them, and what to take down.

    GET ``?section=<id>&use=<key>`` shows the class with each student's clearance for the
    use, ready to record; POST records it (`actions.do_record_publication`). ``?student=<id>``
    narrows the list to one student. Only items showing students the staff member may see
    are listed, and only those students are named.
    """
    actor = staff_actor(request)
    assert actor.staff_id is not None
    at = timezone.localdate()
    sections = _my_sections(actor.staff_id, at)
    uses = selectors.active_uses()
    visible = service.visible_students(actor, DIRECTORY, at=at)
    data = request.POST if request.method == "POST" else request.GET
    section_param = data.get("section", "")
    use_key = data.get("use", "")
    chosen_use = next((use for use in uses if use.key == use_key), None)
    section = _my_section(sections, section_param) if section_param else None
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if section is None or chosen_use is None:
            errors.append(_("Choose one of your classes and a use."))
        else:
            picked = data.getlist("student")
            if not all(value.isdigit() for value in picked):
                raise Http404
            wanted = {int(value) for value in picked}
            in_class = _section_student_ids(section.pk, at) & visible
            if not wanted <= in_class:
                raise Http404
            try:
                actions.do_record_publication(
                    title=data.get("title", ""),
                    use_key=chosen_use.key,
                    location=data.get("location", ""),
                    students=_students(wanted),
                    published_by=request.user,
                    section=section,
                    request=request,
                )
            except ValidationError as error:
                errors = _errors(error)
            else:
                messages.success(request, _("The publication is recorded."))
                return HttpResponseRedirect(reverse("media-published"))
        status = 400
    candidates: list[Candidate] = []
    if section is not None and chosen_use is not None:
        students = _students(_section_student_ids(section.pk, at) & visible)
        answers = selectors.can_post([s.pk for s in students], chosen_use.key)
        candidates = [
            Candidate(student, cleared, reason)
            for student, (_pk, cleared, reason) in zip(students, answers, strict=True)
        ]
    student_param = request.GET.get("student", "")
    only: int | None = None
    if student_param:
        if not student_param.isdigit() or int(student_param) not in visible:
            raise Http404
        only = int(student_param)
    listed = _published_rows(visible, only)
    return render(
        request,
        "media/published.html",
        {
            "sections": sections,
            "uses": uses,
            "section": section,
            "use": chosen_use,
            "candidates": candidates,
            "errors": errors,
            "form": data,
            "items": listed,
            "to_take_down": [row for row in listed if row.withdrawals],
            "only": next(iter(_students({only})), None) if only is not None else None,
        },
        status=status,
    )


def _published_rows(visible: set[int], only: int | None) -> list[ItemRow]:
    """The latest items showing students in `visible` (or only student `only`), with the
    visible students named and any withdrawals after publication. A fixed number of queries."""
    appearances = PublishedStudent.objects.all()
    if only is not None:
        appearances = appearances.filter(student_id=only)
    item_ids = list(
        appearances.filter(student_id__in=_ids_filter(visible))
        .order_by("-item__published_at", "-item_id")
        .values_list("item_id", flat=True)
        .distinct()[: PUBLISHED_LIMIT * 2]
    )
    item_ids = list(dict.fromkeys(item_ids))[:PUBLISHED_LIMIT]
    items = list(
        PublishedItem.objects.filter(pk__in=item_ids)
        .select_related("use", "published_by", "take_down", "take_down__by")
        .order_by("-published_at", "-pk")
    )
    shown: dict[int, list[int]] = {}
    for item_id, student_id in PublishedStudent.objects.filter(item_id__in=item_ids).values_list(
        "item_id", "student_id"
    ):
        shown.setdefault(item_id, []).append(student_id)
    names = {s.pk: s for s in _students({i for ids in shown.values() for i in ids} & visible)}
    withdrawn = selectors.to_take_down(item_ids)
    rows = []
    for item in items:
        ids = shown.get(item.pk, [])
        mine = [names[i] for i in ids if i in names]
        mine.sort(key=lambda s: (s.family_name, s.given_name, s.pk))
        rows.append(
            ItemRow(
                item=item,
                students=mine,
                others=len(ids) - len(mine),
                withdrawals=[
                    (names[w.student_id], selectors.withdrawal_reason(w))
                    for w in withdrawn.get(item.pk, [])
                    if w.student_id in names
                ],
            )
        )
    return rows


def _ids_filter(visible: set[int]) -> list[int]:
    return sorted(visible)


@login_required
@require_POST
def take_down(request: HttpRequest, item_id: int) -> HttpResponse:
    """Record that a published item was taken down (R134)."""
    actor = staff_actor(request)
    item = PublishedItem.objects.filter(pk=item_id).select_related("use").first()
    if item is None:
        raise Http404
    visible = service.visible_students(actor, DIRECTORY, at=timezone.localdate())
    if not PublishedStudent.objects.filter(item=item, student_id__in=sorted(visible)).exists():
        raise Http404
    try:
        actions.do_take_down(item, request.user, request.POST.get("note", ""), request=request)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(
            request, _("“%(title)s” is recorded as taken down.") % {"title": item.title}
        )
    return HttpResponseRedirect(reverse("media-published"))


@dataclass(frozen=True)
class EventRow:
    event: EventReleaseRequest
    allowed: int
    denied: int
    waiting: int


def _event_answers(event: EventReleaseRequest, student_ids: list[int]) -> dict[int, EventRelease]:
    """student id → latest answer to `event`."""
    latest: dict[int, EventRelease] = {}
    for answer in EventRelease.objects.filter(request=event, student_id__in=student_ids).order_by(
        "signed_at", "pk"
    ):
        latest[answer.student_id] = answer
    return latest


@login_required
@require_http_methods(["GET", "POST"])
def events(request: HttpRequest) -> HttpResponse:
    """Event release requests (R130): ask the families of one of your classes, and see the
    requests for your classes with how many families said yes, no, or nothing yet."""
    actor = staff_actor(request)
    assert actor.staff_id is not None
    at = timezone.localdate()
    sections = _my_sections(actor.staff_id, at)
    uses = selectors.active_uses()
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        section = _my_section(sections, request.POST.get("section", ""))
        day = parse_date(request.POST.get("date", "") or "")
        if day is None:
            errors.append(_("Give the date of the event."))
        else:
            try:
                made = actions.do_request_event_release(
                    request.POST.get("title", ""),
                    day,
                    request.POST.getlist("use"),
                    request.user,
                    section=section,
                    request=request,
                )
            except ValidationError as error:
                errors = _errors(error)
            else:
                messages.success(
                    request,
                    _("The request is sent to the families of %(section)s.")
                    % {"section": section.title},
                )
                return HttpResponseRedirect(reverse("media-event", args=[made.pk]))
        status = 400
    mine = [s.pk for s in sections]
    requests = list(
        EventReleaseRequest.objects.filter(section_id__in=mine)
        .select_related("section")
        .order_by("-date", "-pk")[:100]
    )
    visible = service.visible_students(actor, DIRECTORY, at=at)
    roster = {
        s.pk: sorted(_section_student_ids(s.pk, at) & visible) for s in sections
    }  # one query per class: a teacher has a handful
    answers: dict[tuple[int, int], bool] = {}
    for request_id, student_id, allowed in (
        EventRelease.objects.filter(request__in=requests)
        .order_by("signed_at", "pk")
        .values_list("request_id", "student_id", "allowed")
    ):
        answers[(request_id, student_id)] = allowed
    rows = []
    for event in requests:
        ids = roster.get(event.section_id or 0, [])
        said = [answers.get((event.pk, i)) for i in ids]
        rows.append(
            EventRow(
                event=event,
                allowed=sum(1 for a in said if a is True),
                denied=sum(1 for a in said if a is False),
                waiting=sum(1 for a in said if a is None),
            )
        )
    return render(
        request,
        "media/events.html",
        {
            "sections": sections,
            "uses": uses,
            "rows": rows,
            "errors": errors,
            "form": request.POST if request.method == "POST" else {},
            "chosen_uses": request.POST.getlist("use") if request.method == "POST" else [],
        },
        status=status,
    )


@dataclass(frozen=True)
class AnswerRow:
    student: Student
    answer: str  # "allowed", "denied" or "waiting"
    signed_at: dt.datetime | None


@login_required
@require_GET
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    """One event release request: each student of the class you may see, and the family's
    latest answer (allowed, not allowed, no answer yet)."""
    actor = staff_actor(request)
    assert actor.staff_id is not None
    at = timezone.localdate()
    event = (
        EventReleaseRequest.objects.filter(pk=event_id, section__isnull=False)
        .select_related("section__school", "requested_by")
        .prefetch_related("uses")
        .first()
    )
    if event is None or event.section_id is None:
        raise Http404
    visible = service.visible_students(actor, DIRECTORY, at=at)
    ids = _section_student_ids(event.section_id, at) & visible
    if not ids:
        raise Http404
    students = _students(ids)
    latest = _event_answers(event, [s.pk for s in students])
    rows = []
    for student in students:
        answer = latest.get(student.pk)
        rows.append(
            AnswerRow(
                student=student,
                answer="waiting" if answer is None else ("allowed" if answer.allowed else "denied"),
                signed_at=answer.signed_at if answer is not None else None,
            )
        )
    return render(
        request,
        "media/event_detail.html",
        {
            "event": event,
            "uses": [use.display_label for use in event.uses.all()],
            "rows": rows,
            "allowed": sum(1 for r in rows if r.answer == "allowed"),
            "denied": sum(1 for r in rows if r.answer == "denied"),
            "waiting": sum(1 for r in rows if r.answer == "waiting"),
        },
    )
