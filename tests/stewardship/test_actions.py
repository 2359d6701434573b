"""The two writes, `do_confirm_training` and `do_name_records_custodian`: each adds one history
row and exactly one ledger entry in the same transaction (design.md §3 rule 2; R44, R138)."""

from __future__ import annotations

import hashlib
import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from steward.audit import ledger
from steward.audit.models import Action, Entry
from steward.stewardship import actions, rules
from steward.stewardship.models import RecordsCustodian, TrainingAttestation
from steward.stewardship.selectors import current_custodian

TEXT = "I confirm that I completed the district's privacy training."


def _entries(purpose: str) -> list[Entry]:
    return list(Entry.objects.filter(purpose=purpose).order_by("seq"))


def _boom(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("the ledger is unavailable")


def test_confirming_the_training_stores_the_exact_text_its_hash_and_the_period(
    users: SimpleNamespace,
) -> None:
    request = RequestFactory().post("/training/", REMOTE_ADDR="10.1.2.3")
    made = actions.do_confirm_training(users.teacher, TEXT, request)
    made.refresh_from_db()
    assert made.user_id == users.teacher.pk
    assert made.text == TEXT
    assert made.text_sha256 == hashlib.sha256(TEXT.encode()).hexdigest()
    assert made.period == rules.training_period(made.confirmed_at).label
    assert made.confirmed_at.tzinfo is not None
    assert made.client_ip == "10.1.2.3"


def test_confirming_the_training_writes_exactly_one_ledger_entry(users: SimpleNamespace) -> None:
    request = RequestFactory().post("/training/", REMOTE_ADDR="10.1.2.3")
    made = actions.do_confirm_training(users.teacher, TEXT, request)
    [entry] = _entries(actions.TRAINING_PURPOSE)
    assert entry.action == Action.CREATE
    assert entry.actor_user_id == users.teacher.pk
    assert entry.actor_role == "teacher"
    assert entry.client_ip == "10.1.2.3"
    assert entry.subject_count == 0
    assert json.loads(entry.detail) == {
        "training_attestation": made.pk,
        "period": made.period,
        "text_sha256": made.text_sha256,
    }


def test_no_attestation_remains_when_the_ledger_write_fails(
    users: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger, "record", _boom)
    with pytest.raises(RuntimeError):
        actions.do_confirm_training(users.teacher, TEXT)
    assert not TrainingAttestation.objects.exists()


def test_a_second_confirmation_adds_a_row_and_keeps_the_first(users: SimpleNamespace) -> None:
    first = actions.do_confirm_training(users.teacher, TEXT)
    second = actions.do_confirm_training(users.teacher, TEXT + " Again.")
    assert TrainingAttestation.objects.filter(user=users.teacher).count() == 2
    first.refresh_from_db()
    assert first.text == TEXT and second.text.endswith("Again.")
    assert len(_entries(actions.TRAINING_PURPOSE)) == 2


def test_an_attestation_is_never_changed_in_place(users: SimpleNamespace) -> None:
    made = actions.do_confirm_training(users.teacher, TEXT)
    made.text = "something else"
    with pytest.raises(ValueError, match="history"):
        made.save()
    made.refresh_from_db()
    assert made.text == TEXT


@pytest.mark.parametrize("user", ["guardian", "no_role", "root"])
def test_only_staff_with_record_access_confirm(users: SimpleNamespace, user: str) -> None:
    with pytest.raises(PermissionDenied):
        actions.do_confirm_training(getattr(users, user), TEXT)
    assert not TrainingAttestation.objects.exists()
    assert not _entries(actions.TRAINING_PURPOSE)


def test_an_empty_text_is_refused(users: SimpleNamespace) -> None:
    with pytest.raises(ValidationError):
        actions.do_confirm_training(users.teacher, "   ")
    assert not TrainingAttestation.objects.exists()


def test_naming_a_custodian_writes_a_row_and_one_ledger_entry(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    named = actions.do_name_records_custodian(district.north, district.paula, users.officer)
    assert (named.school, named.staff, named.named_by) == (
        district.north,
        district.paula,
        users.officer,
    )
    assert named.named_at.tzinfo is not None
    [entry] = _entries(actions.CUSTODIAN_PURPOSE)
    assert entry.action == Action.CHANGE
    assert entry.actor_name == "Rita Reyes"
    assert entry.actor_role == "privacy_officer"
    detail = json.loads(entry.detail)
    assert detail["school"] == district.north.sourced_id
    assert detail["staff"] == district.paula.sourced_id
    assert detail["previous_staff"] == ""


def test_naming_another_custodian_keeps_the_history(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    first = actions.do_name_records_custodian(district.north, district.paula, users.officer)
    second = actions.do_name_records_custodian(district.north, district.carl, users.officer)
    assert list(RecordsCustodian.objects.order_by("pk")) == [first, second]
    assert current_custodian(district.north) == second
    entries = _entries(actions.CUSTODIAN_PURPOSE)
    assert len(entries) == 2
    assert json.loads(entries[1].detail)["previous_staff"] == district.paula.sourced_id


def test_naming_the_current_custodian_again_changes_nothing(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    first = actions.do_name_records_custodian(district.north, district.paula, users.officer)
    again = actions.do_name_records_custodian(district.north, district.paula, users.officer)
    assert again == first
    assert RecordsCustodian.objects.count() == 1
    assert len(_entries(actions.CUSTODIAN_PURPOSE)) == 1


@pytest.mark.parametrize("member", ["nina", "ollie"])
def test_a_custodian_must_work_at_the_school_today(
    users: SimpleNamespace, district: SimpleNamespace, member: str
) -> None:
    # Nina works at Baker, not Adams; Ollie's position at Adams ended last month.
    with pytest.raises(ValidationError):
        actions.do_name_records_custodian(district.north, getattr(district, member), users.officer)
    assert not RecordsCustodian.objects.exists()
    assert not _entries(actions.CUSTODIAN_PURPOSE)


def test_only_a_school_has_a_records_custodian(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    with pytest.raises(ValidationError):
        actions.do_name_records_custodian(district.district, district.paula, users.officer)


def test_no_custodian_remains_when_the_ledger_write_fails(
    users: SimpleNamespace, district: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger, "record", _boom)
    with pytest.raises(RuntimeError):
        actions.do_name_records_custodian(district.north, district.paula, users.officer)
    assert not RecordsCustodian.objects.exists()
