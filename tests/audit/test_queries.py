"""`steward.audit.queries.search`: each filter, the student index, and the date boundaries."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steward.audit import ledger, queries
from steward.audit.ledger import Release
from steward.audit.models import Action, Entry
from tests.web import factories as f

pytestmark = pytest.mark.django_db

DISTRICT = zoneinfo.ZoneInfo("America/New_York")


def _record(action: str = Action.READ, **fields: Any) -> Entry:
    return ledger.record(action=str(action), **fields)


def _seqs(entries: Any) -> list[int]:
    return [e.seq for e in entries]


def _release(recipient: str, affiliation: str = "", releaser: str = "Rita Reyes") -> Release:
    return Release(
        releaser_name=releaser,
        releaser_position="records custodian",
        releaser_signature="sig",
        recipient_name=recipient,
        recipient_affiliation=affiliation,
    )


def test_it_lists_every_entry_newest_first_without_filters() -> None:
    first, second, third = (_record() for _ in range(3))
    assert _seqs(queries.search()) == [third.seq, second.seq, first.seq]


def test_it_finds_a_student_named_alone_or_in_a_bulk_set() -> None:
    alone = _record(students=[7])
    bulk = _record(Action.EXPORT, students=range(1, 301))
    _record(students=[8])
    _record()  # no student at all
    assert _seqs(queries.search(student=7)) == [bulk.seq, alone.seq]


def test_it_finds_nothing_for_a_student_never_named() -> None:
    _record(students=[1, 2, 3])
    assert list(queries.search(student=4)) == []


def test_it_filters_by_acting_user_id() -> None:
    mine = _record(actor_user_id=5, actor_name="Tess Turner")
    _record(actor_user_id=6, actor_name="Tess Turner")
    assert _seqs(queries.search(actor_user_id=5)) == [mine.seq]


def test_it_filters_by_part_of_the_actor_name_ignoring_case() -> None:
    tess = _record(actor_name="Tess Turner")
    _record(actor_name="Olga Ortiz")
    assert _seqs(queries.search(actor="turn")) == [tess.seq]


def test_it_filters_by_action() -> None:
    _record(Action.READ)
    deleted = _record(Action.DELETE)
    assert _seqs(queries.search(action=Action.DELETE)) == [deleted.seq]


def test_it_filters_by_basis_code_in_either_case() -> None:
    subpoena = _record(Action.RELEASE, basis="A9")
    _record(Action.RELEASE, basis="A10")
    assert _seqs(queries.search(basis="a9")) == [subpoena.seq]
    assert _seqs(queries.search(basis="A9")) == [subpoena.seq]


def test_it_matches_the_recipient_name_or_affiliation_ignoring_case() -> None:
    by_name = _record(Action.RELEASE, release=_release("Quill Learning"))
    by_affiliation = _record(
        Action.RELEASE, release=_release("Officer Dana", affiliation="Springfield Police")
    )
    _record(Action.RELEASE, release=_release("Other Vendor"))
    _record(Action.READ)
    assert _seqs(queries.search(recipient="QUILL")) == [by_name.seq]
    assert _seqs(queries.search(recipient="police")) == [by_affiliation.seq]


def test_it_does_not_match_the_recipient_filter_against_the_releaser() -> None:
    _record(Action.RELEASE, release=_release("Quill Learning", releaser="Rita Reyes"))
    assert list(queries.search(recipient="Rita")) == []


def test_it_matches_a_recipient_whose_name_is_not_ascii() -> None:
    entry = _record(Action.RELEASE, release=_release("Escola São José"))
    assert _seqs(queries.search(recipient="São")) == [entry.seq]


def _at(day: int, hour: int, minute: int = 0, second: int = 0, micro: int = 0) -> dt.datetime:
    return dt.datetime(2025, 3, day, hour, minute, second, micro, tzinfo=DISTRICT)


def test_it_treats_since_and_until_as_inclusive_district_days() -> None:
    # March 9, 2025 is the switch to daylight time: the range spans both UTC offsets.
    before = _record(at=dt.datetime(2025, 2, 28, 23, 59, 59, 999000, tzinfo=DISTRICT))
    first = _record(at=_at(1, 0))
    last = _record(at=_at(10, 23, 59, 59, 999000))
    after = _record(at=_at(11, 0))
    found = _seqs(queries.search(since=dt.date(2025, 3, 1), until=dt.date(2025, 3, 10)))
    assert found == [last.seq, first.seq]
    assert before.seq not in found and after.seq not in found


def test_it_takes_a_single_day_as_since_equals_until() -> None:
    _record(at=_at(4, 23, 0))
    day = _record(at=_at(5, 0, 30))
    _record(at=_at(6, 0, 0))
    assert _seqs(queries.search(since=dt.date(2025, 3, 5), until=dt.date(2025, 3, 5))) == [day.seq]


def test_it_combines_filters_with_and() -> None:
    wanted = _record(Action.RELEASE, students=[3], basis="A1", actor_name="Rita")
    _record(Action.RELEASE, students=[3], basis="A9", actor_name="Rita")
    _record(Action.RELEASE, students=[4], basis="A1", actor_name="Rita")
    assert _seqs(queries.search(student=3, basis="A1", actor="rit")) == [wanted.seq]


def test_it_asks_for_a_students_entries_through_a_subquery_in_one_statement() -> None:
    _record(students=range(1, 50))
    with CaptureQueriesContext(connection) as captured:
        list(queries.search(student=7))
    assert len(captured.captured_queries) == 1
    sql = captured.captured_queries[0]["sql"].upper()
    assert '"SUBJECT_SET_ID" IN (SELECT' in sql
    assert '"STUDENT_ID" =' in sql


@pytest.mark.skipif(connection.vendor != "sqlite", reason="EXPLAIN QUERY PLAN is SQLite's")
def test_it_uses_the_member_and_subject_set_indexes_on_sqlite() -> None:
    for start in range(0, 200, 20):
        _record(students=range(start, start + 20))
    sql, params = queries.search(student=7).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "audit_member_student" in plan
    assert "audit_entry_subjects" in plan
    assert "audit_entry_student" in plan  # entries naming the student alone


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the rowid is SQLite's")
def test_on_sqlite_seq_is_the_rowid_so_each_index_is_ordered_by_seq_without_storing_it() -> None:
    # #3: appends are cheaper without a unique index on seq and with smaller index entries.
    _record(students=[7])
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA index_list(audit_entry)")
        assert not [row[1] for row in cursor.fetchall() if row[1].startswith("sqlite_autoindex")]
        cursor.execute("PRAGMA index_info(audit_entry_student)")
        assert [row[2] for row in cursor.fetchall()] == ["subject_student"]
        cursor.execute(
            "EXPLAIN QUERY PLAN SELECT seq FROM audit_entry WHERE subject_student = 7 "
            "ORDER BY seq DESC"
        )
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "audit_entry_student" in plan
    assert "TEMP B-TREE" not in plan  # read newest first straight from the index


def test_it_finds_a_students_entries_whether_alone_or_in_a_bulk_set() -> None:
    alone = _record(students=[7])
    bulk = _record(students=range(1, 30))
    _record(students=[8])
    found = list(queries.search(student=7).values_list("seq", flat=True))
    assert found == [bulk.seq, alone.seq]


def test_it_resolves_a_student_sourced_id_to_the_roster_key() -> None:
    run = f.import_run()
    pupil = f.student(run, "Ann", "Avery")
    assert queries.student_pk(pupil.sourced_id) == pupil.pk
    assert queries.student_pk("no-such-student") is None
    assert queries.student_pk("") is None


def test_it_reads_release_fields_back_from_the_entry() -> None:
    entry = _record(
        Action.RELEASE,
        release=Release(
            releaser_name="Rita Reyes",
            releaser_position="records custodian",
            releaser_signature="sig",
            recipient_name="Dr. Lee",
            recipient_affiliation="County Hospital",
            emergency_threat="anaphylaxis on a field trip",
            emergency_parties=("EMS",),
        ),
    )
    release = queries.release_of(entry)
    assert release.is_release
    assert (release.recipient_name, release.recipient_affiliation) == ("Dr. Lee", "County Hospital")
    assert release.releaser_signed
    assert release.emergency_parties == ("EMS",)
    assert not queries.release_of(_record()).is_release
