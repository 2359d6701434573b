"""`students_with_open_requests`: the R29 legal hold the retention job asks before destroying."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from steward.requests.models import AccessRequest, Channel, Kind, RequesterKind, Status
from steward.requests.selectors import students_with_open_requests
from steward.roster.models import Student
from tests.web import factories as f

pytestmark = pytest.mark.django_db

RECEIVED = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 0))


def _student(name: str) -> Student:
    return f.student(f.import_run(), name, "Lane")


def _request(student: Student, closed_at: dt.datetime | None = None) -> AccessRequest:
    return AccessRequest.objects.create(
        student=student,
        kind=Kind.COPY,
        status=Status.RECEIVED if closed_at is None else Status.FULFILLED,
        channel=Channel.PAPER,
        requester_kind=RequesterKind.STUDENT,
        received_at=RECEIVED,
        due_on=RECEIVED.date() + dt.timedelta(days=10),
        ceiling_on=RECEIVED.date() + dt.timedelta(days=45),
        closed_at=closed_at,
        updated_at=RECEIVED,
    )


def test_it_names_students_with_a_request_still_open() -> None:
    open_one, closed_one, none = _student("Ada"), _student("Bo"), _student("Cy")
    _request(open_one)
    _request(closed_one, closed_at=RECEIVED + dt.timedelta(days=3))
    assert students_with_open_requests() == {open_one.pk}
    assert none.pk not in students_with_open_requests()


def test_it_answers_for_a_past_instant() -> None:
    pupil = _student("Ada")
    _request(pupil, closed_at=RECEIVED + dt.timedelta(days=3))
    assert students_with_open_requests(RECEIVED - dt.timedelta(seconds=1)) == set()
    assert students_with_open_requests(RECEIVED + dt.timedelta(days=1)) == {pupil.pk}
    assert students_with_open_requests(RECEIVED + dt.timedelta(days=4)) == set()


def test_a_date_counts_the_whole_day_so_the_hold_errs_on_the_safe_side() -> None:
    pupil = _student("Ada")
    closed = RECEIVED + dt.timedelta(days=3)
    _request(pupil, closed_at=closed)
    # Received at 9:00 that day: the day of receipt is held, and so is the day of closing.
    assert students_with_open_requests(RECEIVED.date()) == {pupil.pk}
    assert students_with_open_requests(timezone.localdate(closed)) == {pupil.pk}
    assert students_with_open_requests(RECEIVED.date() - dt.timedelta(days=1)) == set()
    assert students_with_open_requests(timezone.localdate(closed) + dt.timedelta(days=1)) == set()


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        students_with_open_requests(dt.datetime(2026, 3, 2, 9, 0))
