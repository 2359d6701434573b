"""Exits (R100–R102): record one, cancel one, and detect them from the roster.

Recording an exit sets a destruction date for every record part's Massachusetts part
(`Item`, `policy.destroy_on`) and generates the exit notice for the family (R102) in the same
transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit import ledger
from steward.audit.models import Action
from steward.catalog.elements import MAPart
from steward.retention import policy
from steward.retention.actions import SCOPE
from steward.retention.documents import notice_text
from steward.retention.models import Exit, ExitKind, ExitNotice, ExitSource, Item
from steward.rights.selectors import holders_for
from steward.roster.models import Guardian, Student, StudentSchool

PURPOSE = "exit recorded: retention schedule set and exit notice generated (R100-R102)"
CANCEL_PURPOSE = "exit cancelled: retention schedule withdrawn (R100-R102)"
GRADUATING_GRADES = frozenset({"12"})


def _addressed_to(student: Student, at: dt.date) -> list[dict[str, Any]]:
    """The rights holders who may inspect the record on `at` (R102: the parents, and the
    student once eligible): guardians by name, then the student."""
    holders = holders_for(student.pk, at).inspect
    guardian_ids = [h.id for h in holders if h.kind == "guardian"]
    names = dict(
        (pk, f"{given} {family}".strip())
        for pk, given, family in Guardian.objects.filter(pk__in=guardian_ids).values_list(
            "pk", "given_name", "family_name"
        )
    )
    people = [
        {"kind": "guardian", "id": pk, "name": names[pk]}
        for pk in sorted(names, key=lambda pk: names[pk])
    ]
    if any(h.kind == "student" for h in holders):
        people.append({"kind": "student", "id": student.pk, "name": student.display_name})
    return people


def _check(student: Student, kind: str, exit_date: dt.date, today: dt.date) -> None:
    if kind not in ExitKind.values:
        raise ValidationError(_("Choose transfer, graduation or withdrawal."), code="kind")
    if exit_date > today:
        raise ValidationError(
            _("The date of exit cannot be in the future: record the exit when it happens."),
            code="future",
        )


def _replace_open(student: Student, now: dt.datetime) -> Exit | None:
    """Cancel the student's open exit, which this one supersedes; refused once any part of
    it has been destroyed."""
    current = Exit.objects.filter(student=student, cancelled_at__isnull=True).first()
    if current is None:
        return None
    if Item.objects.filter(exit=current, destroyed_at__isnull=False).exists():
        raise ValidationError(
            _("Parts of this student's record were already destroyed under the exit of %(date)s.")
            % {"date": current.exit_date.isoformat()},
            code="destroyed",
        )
    current.cancelled_at = now
    current.cancel_reason = "superseded by a new exit"
    current.save(update_fields=["cancelled_at", "cancel_reason"])
    return current


def record_exit(
    student: Student,
    kind: str,
    exit_date: dt.date,
    *,
    user: Any = None,
    request: HttpRequest | None = None,
    source: str = ExitSource.STAFF,
    today: dt.date | None = None,
) -> Exit:
    """Record `student`'s exit on `exit_date`: the items with their destruction dates and the
    exit notice. An open exit of the student is superseded (cancelled), unless parts of it
    were destroyed already."""
    day = today or timezone.localdate()
    _check(student, kind, exit_date, day)
    now = timezone.now()
    with transaction.atomic():
        replaced = _replace_open(student, now)
        made = Exit.objects.create(
            student=student,
            kind=kind,
            exit_date=exit_date,
            source=source,
            recorded_at=now,
            recorded_by=user if getattr(user, "is_authenticated", False) else None,
        )
        Item.objects.bulk_create(
            [
                Item(
                    exit=made,
                    student=student,
                    scope=scope,
                    ma_part=part,
                    destroy_on=policy.destroy_on(exit_date, part),
                )
                for scope, part in policy.schedule()
            ]
        )
        temporary_on = policy.destroy_on(exit_date, MAPart.TEMPORARY)
        transcript_on = policy.destroy_on(exit_date, MAPart.TRANSCRIPT)
        people = _addressed_to(student, exit_date)
        text = notice_text(
            student_name=student.display_name,
            kind=kind,
            exit_date=exit_date,
            temporary_on=temporary_on,
            transcript_on=transcript_on,
            temporary_years=policy.temporary_years(),
            transcript_years=policy.transcript_years(),
            addressed_to=people,
        )
        notice = ExitNotice.objects.create(
            exit=made,
            student=student,
            generated_at=now,
            addressed_to=people,
            text=text,
            text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            temporary_destroy_on=temporary_on,
            transcript_destroy_on=transcript_on,
        )
        ledger.record(
            action=Action.CREATE,
            **ledger.actor_of(user),
            **ledger.request_context(request),
            students=[student.pk],
            scopes=[SCOPE],
            purpose=PURPOSE,
            detail={
                "exit": made.pk,
                "kind": kind,
                "exit_date": exit_date.isoformat(),
                "source": source,
                "temporary_destroy_on": temporary_on.isoformat(),
                "transcript_destroy_on": transcript_on.isoformat(),
                "notice": notice.pk,
                "superseded": replaced.pk if replaced else None,
            },
        )
    return made


def cancel_exit(
    exit: Exit, reason: str, *, user: Any = None, request: HttpRequest | None = None
) -> Exit:
    """Cancel an open exit (recorded in error, or the student came back): its items will
    never be destroyed. Refused once any of them was."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for cancelling the exit."), code="reason")
    with transaction.atomic():
        current = Exit.objects.select_for_update().get(pk=exit.pk)
        if current.cancelled_at is not None:
            raise ValidationError(_("This exit is already cancelled."), code="cancelled")
        if Item.objects.filter(exit=current, destroyed_at__isnull=False).exists():
            raise ValidationError(
                _("Parts of the record were already destroyed under this exit."),
                code="destroyed",
            )
        current.cancelled_at = timezone.now()
        current.cancel_reason = reason
        current.save(update_fields=["cancelled_at", "cancel_reason"])
        ledger.record(
            action=Action.CHANGE,
            **ledger.actor_of(user),
            **ledger.request_context(request),
            students=[current.student_id],
            scopes=[SCOPE],
            purpose=CANCEL_PURPOSE,
            detail={"exit": current.pk, "reason": reason},
        )
    return current


def _current_link(at: dt.date) -> Q:
    return Q(end_date__isnull=True) | Q(end_date__gte=at)


def departed(today: dt.date) -> list[tuple[Student, dt.date]]:
    """Students the roster shows as gone, with no open exit, and the day each left: inactive,
    or every school membership ended before `today`. The day is the last school end date
    (else the last change from the SIS, else `today`). Two queries."""
    links = StudentSchool.objects.filter(student=OuterRef("pk"))
    open_exit = Exit.objects.filter(student=OuterRef("pk"), cancelled_at__isnull=True)
    rows = list(
        Student.objects.annotate(
            has_links=Exists(links),
            has_current=Exists(links.filter(_current_link(today))),
            has_exit=Exists(open_exit),
            last_end=Max("school_links__end_date"),
        )
        .filter(has_exit=False)
        .filter(Q(active=False) | Q(has_links=True, has_current=False))
        .order_by("pk")
    )
    # An exit cancelled for the same departure (or a later one) stays cancelled: the office
    # decided, and only a new departure in the roster starts a new exit.
    cancelled = dict(
        Exit.objects.filter(student__in=[s.pk for s in rows], cancelled_at__isnull=False)
        .values("student_id")
        .annotate(last=Max("exit_date"))
        .values_list("student_id", "last")
    )
    out: list[tuple[Student, dt.date]] = []
    for student in rows:
        left = getattr(student, "last_end", None)
        if left is None and student.date_last_modified is not None:
            left = timezone.localdate(student.date_last_modified)
        day = min(left or today, today)
        if student.pk in cancelled and cancelled[student.pk] >= day:
            continue
        out.append((student, day))
    return out


def returned(today: dt.date) -> list[Exit]:
    """Open exits detected from the roster whose student is enrolled again (active, with a
    current school membership) and of which nothing was destroyed. One query."""
    current = StudentSchool.objects.filter(student=OuterRef("student_id")).filter(
        _current_link(today)
    )
    destroyed = Item.objects.filter(exit=OuterRef("pk"), destroyed_at__isnull=False)
    return list(
        Exit.objects.filter(
            cancelled_at__isnull=True, source=ExitSource.ROSTER, student__active=True
        )
        .filter(Exists(current))
        .exclude(Exists(destroyed))
        .order_by("pk")
    )


def detect_exits(today: dt.date) -> tuple[list[int], list[int]]:
    """Record an exit for every departed student and cancel the roster exits of students who
    came back. Returns (exits recorded, exits cancelled). Idempotent: a second run finds
    nothing to do. Each student is its own transaction."""
    recorded = []
    for student, left in departed(today):
        kind = ExitKind.GRADUATION if student.grade in GRADUATING_GRADES else ExitKind.WITHDRAWAL
        made = record_exit(student, kind, left, source=ExitSource.ROSTER, today=today)
        recorded.append(made.pk)
    cancelled = []
    for exit in returned(today):
        cancel_exit(exit, "the student is enrolled again (roster)")
        cancelled.append(exit.pk)
    return recorded, cancelled
