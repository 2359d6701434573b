"""The ledger as the database holds it: record(), rollbacks, tampering, PostgreSQL immutability,
retention tombstones, checkpoints and the `steward audit` command (issue #3, R55–R66)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connection, transaction

from steward import cli
from steward.audit import chain
from steward.audit.actions import do_create_checkpoint, do_destroy_audit_entries
from steward.audit.ledger import Event, Party, Release, record, record_many
from steward.audit.models import Action, Entry, SubjectSet, SubjectSetMember
from steward.audit.verify import verify_ledger

pytestmark = pytest.mark.django_db


def add(n: int, **fields: object) -> list[Entry]:
    base: dict[str, object] = {
        "action": Action.READ,
        "actor_name": "T. Teacher",
        "actor_role": "teacher",
        "scopes": ["grades"],
        "students": [7],
    }
    base.update(fields)
    return [record(Event(**base)) for _ in range(n)]  # type: ignore[arg-type]


@contextmanager
def tampering() -> Iterator[None]:
    """Raw writes as an attacker with database access would make them. On PostgreSQL the
    append-only trigger must first be switched off (superuser only), as such an attacker would."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        yield


def raw(sql: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def run_audit(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = 0
    try:
        cli.main(["steward", "audit", *args])
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_it_numbers_entries_from_one_and_links_each_to_the_previous() -> None:
    entries = add(5)
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == chain.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert verify_ledger().ok


def test_it_keeps_the_chain_whole_across_a_transaction_that_rolls_back() -> None:
    add(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        add(3)
        raise RuntimeError("the action failed")
    add(2)
    assert list(Entry.objects.values_list("seq", flat=True).order_by("seq")) == [1, 2, 3, 4]
    report = verify_ledger()
    assert report.ok and report.checked == 4


def test_a_bulk_operation_writes_one_entry_and_one_shared_student_set() -> None:
    students = list(range(1, 3001))
    export = record(
        Event(
            action=Action.EXPORT,
            students=students,
            scopes=["directory"],
            basis="A1",
            agreement_id="DSA-7",
        )
    )
    again = record(Event(action=Action.EXPORT, students=reversed(students), basis="A1"))
    assert Entry.objects.count() == 2
    assert export.subject_set_id == again.subject_set_id
    assert export.subject_count == 3000
    assert SubjectSetMember.objects.filter(student_id=1234).count() == 1
    assert verify_ledger().ok


def test_an_entry_about_one_student_names_them_without_a_subject_set() -> None:
    entry = record(Event(action=Action.READ, students=[42], scopes=["health"]))
    assert (entry.subject_student, entry.subject_set_id, entry.subject_count) == (42, None, 1)
    assert entry.subjects_digest == chain.subjects_digest([42])  # the hash still covers it
    assert not SubjectSet.objects.exists()
    assert verify_ledger().ok


def test_it_stores_the_ferpa_and_massachusetts_release_fields() -> None:
    entry = record(
        Event(
            action=Action.RELEASE,
            students=[3],
            scopes=["health"],
            basis="A10",
            purpose="health or safety emergency",
            release=Release(
                releaser_name="Pat Custodian",
                releaser_position="records custodian",
                releaser_signature="sig:ed25519:abc",
                recipient_name="Dr. Lee",
                recipient_position="ER physician",
                recipient_affiliation="City Hospital",
                further_parties=(Party("County health", "outbreak tracing"),),
                emergency_threat="anaphylaxis on a field trip",
                emergency_parties=("City Hospital", "EMS"),
            ),
        )
    )
    release = json.loads(entry.release)
    assert release["releaser"] == {
        "name": "Pat Custodian",
        "position": "records custodian",
        "signature": "sig:ed25519:abc",
    }
    assert release["recipient"]["affiliation"] == "City Hospital"
    assert release["further_parties"] == [
        {"name": "County health", "legitimate_interest": "outbreak tracing"}
    ]
    assert release["emergency"]["threat"] == "anaphylaxis on a field trip"


def test_batched_appends_continue_the_same_chain() -> None:
    add(1)
    batch = record_many([Event(action=Action.READ, students=[i]) for i in range(100)])
    assert [e.seq for e in batch] == list(range(2, 102))
    assert verify_ledger().ok


def test_it_refuses_an_unknown_action() -> None:
    with pytest.raises(ValueError, match="unknown audit action"):
        record(Event(action="peek"))
    assert Entry.objects.count() == 0


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("actor_name", "Someone Else"),
        ("purpose", "curiosity"),
        ("at_us", 1),
        ("basis", "A9"),
        ("detail", '{"x":1}'),
        ("subject_count", 2),
    ],
)
def test_verify_names_an_edited_field(
    capsys: pytest.CaptureFixture[str], column: str, value: object
) -> None:
    add(5)
    with tampering():
        raw(f"UPDATE audit_entry SET {column} = %s WHERE seq = 3", [value])  # noqa: S608
    code, _out, err = run_audit(capsys, "verify")
    assert code == 3
    assert "damaged at seq 3: edit" in err


def test_verify_names_an_entry_moved_to_another_student(
    capsys: pytest.CaptureFixture[str],
) -> None:
    record(Event(action=Action.READ, students=[7], scopes=["health"]))
    record(Event(action=Action.READ, students=[8], scopes=["health"]))
    with tampering():
        raw("UPDATE audit_entry SET subject_student = %s WHERE seq = 2", [9])
    code, _out, err = run_audit(capsys, "verify")
    assert code == 3
    assert "entries 2 do not match" in err


def test_verify_names_a_student_dropped_from_a_bulk_set(
    capsys: pytest.CaptureFixture[str],
) -> None:
    record(Event(action=Action.EXPORT, students=[1, 2, 3]))
    with tampering():
        raw("DELETE FROM audit_subjectsetmember WHERE student_id = %s", [2])
    code, _out, err = run_audit(capsys, "verify")
    assert code == 3
    assert "entries 1 do not match" in err


def test_verify_names_a_deleted_entry(capsys: pytest.CaptureFixture[str]) -> None:
    add(5)
    with tampering():
        raw("DELETE FROM audit_entry WHERE seq = %s", [3])
    code, _out, err = run_audit(capsys, "verify")
    assert code == 3 and "deletion" in err


def test_verify_names_two_swapped_entries(capsys: pytest.CaptureFixture[str]) -> None:
    add(5)
    with tampering():
        raw("UPDATE audit_entry SET seq = -1 WHERE seq = 2", [])
        raw("UPDATE audit_entry SET seq = 2 WHERE seq = 3", [])
        raw("UPDATE audit_entry SET seq = 3 WHERE seq = -1", [])
    code, _out, err = run_audit(capsys, "verify")
    assert code == 3 and "damaged at seq 2" in err
    assert "reordering" in err or "edit" in err


def test_verify_names_a_tail_truncated_after_a_checkpoint(
    capsys: pytest.CaptureFixture[str], settings: object, tmp_path: object
) -> None:
    add(5)
    code, _out, _err = run_audit(capsys, "checkpoint")
    assert code == 0
    with tampering():
        raw("DELETE FROM audit_entry WHERE seq >= %s", [4])
    code, _out, err = run_audit(capsys, "verify")
    assert code == 3 and "truncation" in err


def test_verify_accepts_the_ledger_after_a_checkpoint_and_more_entries(
    capsys: pytest.CaptureFixture[str],
) -> None:
    add(3)
    assert run_audit(capsys, "checkpoint")[0] == 0
    add(3)
    code, out, _err = run_audit(capsys, "verify")
    assert code == 0 and "Ledger intact: 7 entries" in out  # 3 + the checkpoint entry + 3


def test_verify_from_a_later_seq_checks_only_the_rest(capsys: pytest.CaptureFixture[str]) -> None:
    add(6)
    code, out, _err = run_audit(capsys, "verify", "--from", "4")
    assert code == 0 and "3 entries checked" in out


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL trigger")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_entry SET purpose = 'x' WHERE seq = 1",
        "DELETE FROM audit_entry WHERE seq = 1",
        "UPDATE audit_subjectset SET members = '1'",
        "DELETE FROM audit_subjectsetmember",
        "DELETE FROM audit_checkpoint",
    ],
)
def test_postgresql_rejects_update_and_delete_on_ledger_tables(sql: str) -> None:
    add(1)
    add(1, students=[7, 8])  # a bulk entry: subject set and member rows
    assert do_create_checkpoint() is not None  # so every ledger table has rows to refuse
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(sql, [])
    assert Entry.objects.count() == 3


def test_retention_tombstones_only_the_destroyed_part_and_the_chain_still_verifies() -> None:
    grades = add(2, scopes=["grades"], students=[7])
    health = add(1, scopes=["health"], students=[7])
    other = add(1, scopes=["grades"], students=[7, 8])
    seqs = do_destroy_audit_entries(
        7,
        ["grades"],
        actor_user_id=None,
        actor_name="Custodian",
        reason="R60 schedule: temporary record destroyed",
    )
    assert seqs == [e.seq for e in grades]
    gone = Entry.objects.get(seq=grades[0].seq)
    assert gone.tombstone and gone.actor_name == "" and gone.hash == grades[0].hash
    assert not Entry.objects.get(seq=health[0].seq).tombstone
    assert not Entry.objects.get(seq=other[0].seq).tombstone
    retention = Entry.objects.order_by("-seq").first()
    assert retention is not None and retention.action == Action.RETENTION
    assert json.loads(retention.detail)["tombstoned"] == seqs
    assert verify_ledger().ok


def test_verify_names_a_tombstone_no_retention_entry_authorised(
    capsys: pytest.CaptureFixture[str],
) -> None:
    add(4)
    with tampering():
        raw("UPDATE audit_entry SET tombstone = %s, actor_name = '' WHERE seq = 2", [True])
    code, _out, err = run_audit(capsys, "verify")
    assert code == 3 and "damaged at seq 2: tombstone" in err
