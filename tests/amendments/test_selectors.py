"""Which students have an open amendment or hearing, at a given moment (R104 for retention)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from steward.amendments import selectors
from steward.amendments.models import AmendmentRequest, Hearing, RequesterKind, Status
from steward.roster.models import Student
from tests.amendments.helpers import at
from tests.web import factories as f


def _request(student: Student, received: int, **fields: Any) -> AmendmentRequest:
    return AmendmentRequest.objects.create(
        student=student,
        requester_kind=RequesterKind.GUARDIAN,
        requester_name="Gail Avery",
        language="en",
        received_at=at(received),
        due_on=f.days(received + 30),
        **fields,
    )


def test_a_request_awaiting_its_decision_is_open(district: SimpleNamespace) -> None:
    _request(district.ann, -3)
    assert selectors.students_with_open_amendments() == {district.ann.pk}
    assert selectors.students_with_open_hearings() == set()


def test_a_decided_request_is_open_only_before_its_decision(district: SimpleNamespace) -> None:
    _request(district.ann, -10, status=Status.DECIDED, decided_at=at(-2))
    assert selectors.students_with_open_amendments() == set()
    assert selectors.students_with_open_amendments(f.days(-5)) == {district.ann.pk}
    assert selectors.students_with_open_amendments(f.days(-11)) == set()
    # A date counts to its end: decided during day -2, so closed on that day.
    assert selectors.students_with_open_amendments(f.days(-2)) == set()
    assert selectors.students_with_open_amendments(at(-2, 9)) == {district.ann.pk}


def test_a_hearing_is_open_from_its_request_to_its_decision(district: SimpleNamespace) -> None:
    request = _request(district.cara, -40, status=Status.HEARING_SCHEDULED, decided_at=at(-30))
    Hearing.objects.create(
        request=request, requested_at=at(-20), requested_by_name="Hank Cole", due_on=f.days(10)
    )
    assert selectors.students_with_open_hearings() == {district.cara.pk}
    assert selectors.students_with_open_amendments() == {district.cara.pk}
    assert selectors.students_with_open_hearings(f.days(-25)) == set()
    assert selectors.students_with_open_amendments(f.days(-25)) == set()
    assert selectors.students_with_open_hearings(f.days(-20)) == {district.cara.pk}


def test_a_decided_hearing_is_no_longer_open(district: SimpleNamespace) -> None:
    request = _request(district.cara, -40, status=Status.CLOSED, decided_at=at(-30))
    Hearing.objects.create(
        request=request,
        requested_at=at(-20),
        requested_by_name="Hank Cole",
        due_on=f.days(10),
        decided_at=at(-1),
    )
    assert selectors.students_with_open_hearings() == set()
    assert selectors.students_with_open_hearings(f.days(-3)) == {district.cara.pk}
    assert selectors.students_with_open_amendments(f.days(-3)) == {district.cara.pk}


def test_a_withdrawn_request_is_not_open(district: SimpleNamespace) -> None:
    request = _request(district.ann, -10, status=Status.WITHDRAWN, withdrawn_at=at(-4))
    Hearing.objects.create(
        request=request, requested_at=at(-6), requested_by_name="Gail Avery", due_on=f.days(10)
    )
    assert selectors.students_with_open_amendments() == set()
    assert selectors.students_with_open_hearings() == set()
    assert selectors.students_with_open_hearings(f.days(-5)) == {district.ann.pk}
    assert selectors.students_with_open_amendments(f.days(-3)) == set()


def test_the_open_sets_cost_one_query(
    district: SimpleNamespace, django_assert_num_queries: object
) -> None:
    _request(district.ann, -3)
    _request(district.cara, -3)
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert selectors.students_with_open_amendments(f.days(0)) == {
            district.ann.pk,
            district.cara.pk,
        }
    with django_assert_num_queries(1):  # type: ignore[operator]
        selectors.students_with_open_hearings(f.days(0))
