"""What a family sees of its child's log (R61, R62, R64, R66): `steward.audit.family`."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from steward.audit import actions, ledger
from steward.audit.family import (
    ACTION_RULES,
    SCHOOL_PERSONNEL_ROLES,
    FamilyRow,
    family_log,
    family_q,
    family_visible,
    is_family_visible,
)
from steward.audit.ledger import Party, Release
from steward.audit.models import Action, Entry

pytestmark = pytest.mark.django_db

CHILD = 101
OTHER_CHILD = 202


def _record(action: str, students: Any = (CHILD,), **fields: Any) -> Entry:
    return ledger.record(action=str(action), students=students, **fields)


def _staff(role: str, name: str = "Tess Turner") -> dict[str, Any]:
    return {"actor_user_id": 11, "actor_name": name, "actor_role": role}


def _release(recipient: str, affiliation: str, **more: Any) -> Release:
    return Release(
        releaser_name="Rita Reyes",
        releaser_position="records custodian",
        releaser_signature="signed:rita",
        recipient_name=recipient,
        recipient_affiliation=affiliation,
        **more,
    )


def _shown(entry: Entry) -> bool:
    return any(row.at == entry.at and row.action == entry.action for row in family_log(CHILD))


def _log_actions() -> list[str]:
    return [row.action for row in family_log(CHILD)]


def test_it_hides_a_teachers_read_of_the_record() -> None:
    _record(Action.READ, **_staff("teacher"), scopes=["grades"], purpose="grading")
    assert family_log(CHILD) == []


def test_it_hides_a_nurses_read_of_the_health_record() -> None:
    _record(Action.READ, **_staff("nurse", "Nina Nolan"), scopes=["health"], purpose="care")
    assert family_log(CHILD) == []


@pytest.mark.parametrize("role", sorted(SCHOOL_PERSONNEL_ROLES))
def test_it_hides_plain_reads_by_every_school_personnel_role(role: str) -> None:
    _record(Action.READ, **_staff(role))
    assert family_log(CHILD) == []


def test_it_shows_a_staff_read_that_involved_a_release() -> None:
    entry = _record(
        Action.READ,
        **_staff("counselor", "Carl Cruz"),
        scopes=["attendance"],
        release=_release("Jo Smith", "Youth Services"),
    )
    assert _shown(entry)


def test_it_shows_a_deletion_by_staff() -> None:
    _record(Action.DELETE, **_staff("teacher"), scopes=["grades"], purpose="wrong student")
    [row] = family_log(CHILD)
    assert (row.action, row.actor_name, row.record_parts) == ("delete", "Tess Turner", ("grades",))


@pytest.mark.parametrize(
    ("basis", "recipient", "affiliation", "extra"),
    [
        ("A1", "Quill Learning", "Quill Learning Inc.", {}),
        ("A9", "Clerk of Court", "Hampden County Probate Court", {}),
        (
            "A10",
            "Officer Dana",
            "Springfield Police",
            {"emergency_threat": "bomb threat naming the student", "emergency_parties": ("SPD",)},
        ),
        ("A11", "Yearbook Co.", "Memories Press", {}),
    ],
)
def test_it_shows_every_third_party_disclosure_whatever_the_basis(
    basis: str, recipient: str, affiliation: str, extra: dict[str, Any]
) -> None:
    _record(
        Action.RELEASE,
        **_staff("privacy_officer", "Rita Reyes"),
        basis=basis,
        scopes=["directory"],
        purpose="disclosure",
        release=_release(recipient, affiliation, **extra),
    )
    [row] = family_log(CHILD)
    assert row.is_release
    assert (row.basis, row.recipient_name, row.recipient_affiliation) == (
        basis,
        recipient,
        affiliation,
    )
    assert (row.releaser_name, row.releaser_position) == ("Rita Reyes", "records custodian")
    assert row.emergency_threat == extra.get("emergency_threat", "")


def test_it_shows_the_further_parties_a_recipient_may_redisclose_to() -> None:
    further = (Party("State auditor", "audit of the program"),)
    _record(
        Action.RELEASE, basis="A3", release=_release("DESE", "MA DESE", further_parties=further)
    )
    [row] = family_log(CHILD)
    assert row.further_parties == (("State auditor", "audit of the program"),)


def test_it_shows_a_read_by_a_third_party() -> None:
    _record(
        Action.READ,
        actor_name="Quill API",
        actor_role="vendor",
        actor_affiliation="Quill Learning Inc.",
        basis="A1",
        scopes=["roster"],
    )
    [row] = family_log(CHILD)
    assert (row.actor_name, row.actor_affiliation) == ("Quill API", "Quill Learning Inc.")


def test_it_shows_a_read_by_someone_in_a_staff_role_but_with_an_outside_affiliation() -> None:
    _record(Action.READ, **_staff("teacher", "Val Volunteer"), actor_affiliation="Tutoring Co.")
    assert _log_actions() == ["read"]


def test_it_shows_reads_by_the_parents_themselves() -> None:
    _record(Action.READ, actor_name="Gail Avery", actor_role="guardian", scopes=["grades"])
    assert _log_actions() == ["read"]


def test_it_shows_reads_by_roles_outside_school_personnel() -> None:
    _record(Action.READ, actor_name="root", actor_role="superuser")
    _record(Action.READ, actor_name="nightly job")
    assert _log_actions() == ["read", "read"]


@pytest.mark.parametrize(
    "action",
    [Action.CREATE, Action.CHANGE, Action.EXPORT, Action.CONSENT, Action.RETENTION],
)
def test_it_shows_changes_exports_consents_and_destruction(action: str) -> None:
    _record(action, **_staff("teacher"))
    assert _log_actions() == [str(action)]


def test_a_bulk_export_of_300_students_names_no_other_student() -> None:
    others = list(range(900_001, 900_300))
    _record(
        Action.EXPORT,
        students=[CHILD, *others],
        basis="A1",
        scopes=["roster"],
        release=_release("Quill Learning", "Quill Learning Inc."),
    )
    [row] = family_log(CHILD)
    assert row.other_students == 299
    assert "9000" not in repr(dataclasses.asdict(row))
    field_names = {f.name for f in dataclasses.fields(FamilyRow)}
    assert not field_names & {"students", "subject_set", "subjects_digest", "detail"}
    assert not field_names & {"client_ip", "request_id", "hash", "actor_user_id"}


def test_a_single_student_entry_has_no_other_students() -> None:
    _record(Action.CHANGE)
    [row] = family_log(CHILD)
    assert row.other_students == 0


@pytest.mark.parametrize(
    "action", [Action.LOGIN, Action.LOGIN_FAILED, Action.LOGOUT, Action.SECURITY]
)
def test_login_and_security_events_never_appear(action: str) -> None:
    _record(action, actor_name="Gail Avery", actor_role="guardian")
    _record(action, students=(), actor_name="Gail Avery", actor_role="guardian")
    assert family_log(CHILD) == []


def test_another_students_entries_never_appear() -> None:
    _record(Action.RELEASE, students=[OTHER_CHILD], basis="A9", release=_release("X", "Court"))
    _record(Action.CHANGE, students=[OTHER_CHILD, 303])
    assert family_log(CHILD) == []
    assert len(family_log(OTHER_CHILD)) == 2


def test_entries_destroyed_with_their_record_part_are_gone_but_the_destruction_shows() -> None:
    _record(Action.CHANGE, scopes=["discipline"], purpose="incident note")
    actions.do_destroy_audit_entries(
        CHILD, ["discipline"], actor_user_id=1, actor_name="Rita Reyes", reason="schedule"
    )
    assert _log_actions() == ["retention"]


def test_rows_say_who_when_what_why_and_on_what_basis() -> None:
    entry = _record(
        Action.RELEASE,
        **_staff("privacy_officer", "Rita Reyes"),
        scopes=["grades", "attendance"],
        purpose="transfer",
        legitimate_interest="enrolment at the receiving school",
        basis="A2",
        release=_release("Registrar", "Baker Academy"),
    )
    [row] = family_log(CHILD)
    assert row.at == entry.at
    assert row.actor_position == "privacy officer"
    assert row.action_label == "release / disclosure"
    assert row.record_parts == ("attendance", "grades")
    assert (row.purpose, row.legitimate_interest) == (
        "transfer",
        "enrolment at the receiving school",
    )


def test_the_log_is_newest_first() -> None:
    first = _record(Action.CHANGE)
    second = _record(Action.DELETE)
    assert [row.at for row in family_log(CHILD)] == [second.at, first.at]
    assert _log_actions() == ["delete", "change"]


def test_every_action_has_a_rule_with_a_citation() -> None:
    assert set(ACTION_RULES) == set(Action.values)
    assert all(rule.cite.startswith("R") for rule in ACTION_RULES.values())


def test_the_database_filter_and_the_python_rule_agree() -> None:
    makers: list[Callable[[], Entry]] = [
        lambda: _record(Action.READ, **_staff("teacher")),
        lambda: _record(Action.READ, **_staff("nurse"), release=_release("EMS", "Ambulance")),
        lambda: _record(Action.READ, **_staff("teacher"), actor_affiliation="Tutoring Co."),
        lambda: _record(Action.READ, actor_role="guardian"),
        lambda: _record(Action.DELETE, **_staff("teacher")),
        lambda: _record(Action.LOGIN, **_staff("teacher")),
        lambda: _record(Action.CHECKPOINT),
        lambda: _record(Action.EXPORT, **_staff("principal")),
    ]
    entries = [make() for make in makers]
    in_sql = set(Entry.objects.filter(family_q()).values_list("seq", flat=True))
    assert in_sql == {e.seq for e in entries if is_family_visible(e)}
    assert len(family_visible(entries)) == len(in_sql) == 5


def test_it_reads_the_log_in_one_query(
    django_assert_num_queries: Callable[..., Any],
) -> None:
    for _ in range(5):
        _record(Action.CHANGE)
        _record(Action.EXPORT, students=range(CHILD, CHILD + 50))
    with django_assert_num_queries(1):
        assert len(family_log(CHILD)) == 10
