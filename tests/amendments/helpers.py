"""Helpers for the amendment tests: instants relative to today, and items to ask for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from steward.amendments import items
from steward.amendments.actions.decisions import Ruling, do_decide_item
from steward.amendments.actions.requests import Ask, do_request_amendment
from steward.amendments.models import AmendmentRequest, Ground, Item
from steward.records import parts as record_parts
from steward.roster import parts as roster_parts
from steward.roster.models import Student
from tests.web import factories as f

READ: dict[str, Callable[[int], Any]] = {
    "attendance": record_parts.attendance,
    "grades_transcript": record_parts.grades,
    "discipline": record_parts.discipline,
    "special_education": record_parts.special_education,
    "demographics": roster_parts.demographics,
    "directory": roster_parts.student,
}


def at(days: int, hour: int = 10) -> dt.datetime:
    """An aware instant `days` from today at `hour` o'clock, local time."""
    return timezone.make_aware(dt.datetime.combine(f.days(days), dt.time(hour)))


def option(student: Student, scope: str, code_start: str) -> items.Option:
    """The option of `scope` whose code starts with `code_start`, e.g.
    "c:records.DailyAttendance.status:" or "d:records.DisciplineIncident:"."""
    found = [
        o
        for o in items.options_for(scope, READ[scope](student.pk))
        if o.code.startswith(code_start)
    ]
    assert len(found) == 1, [o.code for o in items.options_for(scope, READ[scope](student.pk))]
    return found[0]


def ask(
    student: Student,
    scope: str,
    code_start: str,
    change: str = "It should say otherwise.",
    **fields: Any,
) -> Ask:
    return Ask(
        option=option(student, scope, code_start),
        scope=scope,
        ground=fields.get("ground", Ground.INACCURATE),
        problem=fields.get("problem", "This is wrong."),
        requested_change=change,
    )


def other(scope: str = "discipline", change: str = "Remove the remark.") -> Ask:
    return Ask(None, scope, Ground.MISLEADING, "It misrepresents what happened.", change)


def absence_status(student: Student) -> Ask:
    return ask(
        student,
        "attendance",
        "c:records.DailyAttendance.status:",
        "absent, excused",
        problem="She was ill and we sent a note.",
    )


def request_absence(district: Any, user: User) -> AmendmentRequest:
    """Gail asks to excuse Ann's absence and to delete the incident (two items)."""
    d = district
    return do_request_amendment(
        d.ann,
        user,
        [absence_status(d.ann), ask(d.ann, "discipline", "d:records.DisciplineIncident:")],
    )


def refuse_all(amendment: AmendmentRequest, officer: User) -> None:
    for item in Item.objects.filter(request=amendment).order_by("position"):
        do_decide_item(item, officer, Ruling("refuse", "The record is accurate."))
