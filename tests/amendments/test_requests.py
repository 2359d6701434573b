"""Asking for an amendment (R34, R37): who may ask, what is captured, what is refused."""

from __future__ import annotations

import dataclasses
import json
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from steward.amendments import items, policy
from steward.amendments.actions.requests import (
    do_request_amendment,
    do_withdraw_amendment_request,
)
from steward.amendments.models import AmendmentRequest, Item, ItemKind, Status
from steward.audit.models import Action, Entry
from tests.amendments.helpers import READ, absence_status, ask, other, request_absence
from tests.web import factories as f


def test_a_parent_asks_and_the_record_as_it_was_is_captured(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    amendment = request_absence(district, users.gail)
    assert amendment.status == Status.OPEN
    assert amendment.requester_name == "Gail Avery"
    assert amendment.requester_guardian == district.gail
    assert amendment.due_on == f.days(policy.DEFAULTS["STEWARD_AMENDMENT_DECISION_DAYS"])
    first, second = Item.objects.filter(request=amendment).order_by("position")
    assert first.kind == ItemKind.CORRECT
    assert first.element_key == "records.DailyAttendance.status"
    assert first.row_id == district.absence.pk
    assert first.value_at_request == "absent, unexcused"
    assert first.field_label == "Attendance status"
    assert second.kind == ItemKind.DELETE
    assert "Talked during the test." in second.value_at_request


def test_the_request_is_in_the_ledger_without_its_values(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    amendment = request_absence(district, users.gail)
    entry = Entry.objects.get(purpose__startswith="amendment request")
    assert entry.action == Action.CREATE
    assert entry.subject_student == district.ann.pk
    assert entry.scopes == "attendance,discipline"
    detail = json.loads(entry.detail)
    assert detail["amendment_request"] == amendment.pk
    assert "absent" not in entry.detail


def test_the_district_may_set_another_decision_time(
    district: SimpleNamespace, users: SimpleNamespace, settings: object
) -> None:
    settings.STEWARD_AMENDMENT_DECISION_DAYS = 7  # type: ignore[attr-defined]
    amendment = request_absence(district, users.gail)
    assert amendment.due_on == f.days(7)


def test_a_fifteen_year_old_asks_for_their_own_record_in_massachusetts(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    amendment = do_request_amendment(
        district.ben, users.ben, [other("directory", "Spell it Benn.")]
    )
    assert amendment.requester_kind == "student"
    assert amendment.requester_name == "Ben Avery"


def test_it_refuses_another_family_and_staff(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    for user in (users.hank, users.teacher, users.olivia):
        with pytest.raises(PermissionDenied):
            do_request_amendment(district.ann, user, [absence_status(district.ann)])
    assert not AmendmentRequest.objects.exists()


def test_it_refuses_a_proposed_iep_but_not_one_in_effect(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    d = district
    current = ask(d.ann, "special_education", f"c:records.EducationPlan.summary:{d.iep.pk}")
    do_request_amendment(d.ann, users.gail, [current])
    picked = ask(d.ann, "special_education", f"c:records.EducationPlan.summary:{d.iep.pk}")
    assert picked.option is not None
    # The form offers no proposed plan; a forged choice of one is refused all the same.
    proposed = dataclasses.replace(
        picked, option=dataclasses.replace(picked.option, row_id=d.proposed_iep.pk)
    )
    with pytest.raises(ValidationError, match=r"603 CMR 23\.08"):
        do_request_amendment(d.ann, users.gail, [proposed])
    assert AmendmentRequest.objects.count() == 1


def test_a_proposed_iep_is_not_offered(district: SimpleNamespace) -> None:

    codes = [
        o.code
        for o in items.options_for("special_education", READ["special_education"](district.ann.pk))
    ]
    assert any(f":{district.iep.pk}" in c for c in codes)
    assert not any(c.endswith(f":{district.proposed_iep.pk}") for c in codes)


def test_it_refuses_an_item_already_contested_by_an_open_request(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    request_absence(district, users.gail)
    with pytest.raises(ValidationError, match="already part of an open request"):
        do_request_amendment(district.ann, users.gail, [absence_status(district.ann)])


def test_it_refuses_the_same_item_twice_and_empty_explanations(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    d = district
    with pytest.raises(ValidationError, match="named twice"):
        do_request_amendment(d.ann, users.gail, [absence_status(d.ann), absence_status(d.ann)])
    blank = ask(d.ann, "attendance", "c:records.DailyAttendance.status:", problem="  ")
    with pytest.raises(ValidationError, match="say what is wrong"):
        do_request_amendment(d.ann, users.gail, [blank])
    with pytest.raises(ValidationError, match="at least one item"):
        do_request_amendment(d.ann, users.gail, [])
    assert not AmendmentRequest.objects.exists()
    assert not Entry.objects.filter(purpose__startswith="amendment").exists()


def test_it_refuses_an_entry_no_longer_in_the_record(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    picked = absence_status(district.ann)
    district.absence.delete()
    with pytest.raises(ValidationError, match="no longer in the record"):
        do_request_amendment(district.ann, users.gail, [picked])


def test_something_else_needs_a_record_part_and_a_description(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    with pytest.raises(ValidationError, match="part of the record"):
        do_request_amendment(district.ann, users.gail, [other("nowhere")])
    made = do_request_amendment(district.ann, users.gail, [other()])
    item = made.items.get()
    assert (item.kind, item.scope, item.row_id) == (ItemKind.OTHER, "discipline", None)


def test_the_family_withdraws_an_open_request(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    amendment = request_absence(district, users.gail)
    with pytest.raises(PermissionDenied):
        do_withdraw_amendment_request(amendment, users.hank)
    do_withdraw_amendment_request(amendment, users.gail)
    amendment.refresh_from_db()
    assert amendment.status == Status.WITHDRAWN
    assert amendment.withdrawn_at is not None
    with pytest.raises(ValidationError, match="no longer open"):
        do_withdraw_amendment_request(amendment, users.gail)


def test_a_parent_barred_by_a_court_order_may_not_ask(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    """R17: a documented restriction removes the parent's record rights, this one included."""
    rex = f.guardian(district.run, "Rex", "Avery")
    f.guardian_of(district.run, rex, district.ann, restricted=True)
    login = f.login("rex", "guardian", guardian=rex)
    with pytest.raises(PermissionDenied):
        do_request_amendment(district.ann, login, [absence_status(district.ann)])
    assert not AmendmentRequest.objects.exists()
