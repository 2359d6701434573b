"""Destruction: blocked by each blocker in turn, then allowed; the certificate; the log
entries that go with the parts (R29, R60, R100–R105)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from steward.audit.ledger import record
from steward.audit.models import Action, Entry
from steward.records.models import CourseGrade, DailyAttendance, DisciplineIncident
from steward.retention import blockers, destroy
from steward.retention.actions import destruction, holds
from steward.retention.models import Certificate, Exit, ExitNotice, Item

from .conftest import TEMPORARY_DAY, TRANSCRIPT_DAY, deliver, exit_ana

DAY_BEFORE = TEMPORARY_DAY - dt.timedelta(days=1)


def _due(world: SimpleNamespace) -> int:
    return Item.objects.filter(student=world.ana, destroyed_at__isnull=True).count()


def test_nothing_is_destroyed_before_its_date(
    world: SimpleNamespace, users: SimpleNamespace
) -> None:
    deliver(exit_ana(world), users.officer)
    report = destruction.run(DAY_BEFORE)
    assert report.certificates == [] and report.blocked == {}
    assert DailyAttendance.objects.filter(student=world.ana).exists()


def test_destruction_is_blocked_by_each_blocker_in_turn_then_allowed(
    world: SimpleNamespace, users: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = exit_ana(world)
    ana = world.ana.pk
    # 1. No notice at all (an exit recorded before notices existed).
    notice = ExitNotice.objects.get(exit=made)
    ExitNotice.objects.filter(pk=notice.pk).delete()
    assert destruction.run(TEMPORARY_DAY).blocked == {ana: [blockers.NO_NOTICE]}
    # 2. A notice, sent but not delivered.
    notice.save(force_insert=True)
    from steward.retention.actions import notices

    notices.mark_sent(notice, "mail", user=users.officer)
    assert destruction.run(TEMPORARY_DAY).blocked == {ana: [blockers.NOTICE_UNDELIVERED]}
    notices.record_delivery(notice, "signed copy returned", user=users.officer)
    # 3. A legal hold.
    hold = holds.place_hold(world.ana, "litigation", "Smith v. District, 2032", user=users.officer)
    assert destruction.run(TEMPORARY_DAY).blocked == {ana: [blockers.LEGAL_HOLD]}
    holds.release_hold(hold, "case settled in May 2032", user=users.officer)
    # 4. An open access request (R29) and 5. an open hearing (R104), through their apps.
    monkeypatch.setattr(
        "steward.requests.selectors.students_with_open_requests", lambda at=None: {ana}
    )
    assert destruction.run(TEMPORARY_DAY).blocked == {ana: [blockers.OPEN_REQUEST]}
    monkeypatch.setattr(
        "steward.requests.selectors.students_with_open_requests", lambda at=None: set()
    )
    monkeypatch.setattr(
        "steward.amendments.selectors.students_with_open_hearings", lambda at=None: {ana}
    )
    assert destruction.run(TEMPORARY_DAY).blocked == {ana: [blockers.OPEN_HEARING]}
    monkeypatch.setattr(
        "steward.amendments.selectors.students_with_open_hearings", lambda at=None: set()
    )
    assert DailyAttendance.objects.filter(student=world.ana).exists()
    # Nothing blocks any more: the temporary record goes, the transcript stays.
    report = destruction.run(TEMPORARY_DAY)
    assert report.blocked == {} and len(report.certificates) == 1
    assert not DailyAttendance.objects.filter(student=world.ana).exists()
    assert CourseGrade.objects.filter(student=world.ana, final=True).exists()
    assert _due(world) == 6  # the transcript parts, due in 2085


def test_an_open_amendment_and_a_return_to_school_block_too(
    world: SimpleNamespace, users: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    deliver(exit_ana(world), users.officer)
    ana = world.ana.pk
    monkeypatch.setattr(
        "steward.amendments.selectors.students_with_open_amendments", lambda at=None: {ana}
    )
    from steward.roster.models import StudentSchool

    StudentSchool.objects.filter(student=world.ana).update(end_date=None)
    assert destruction.run(TEMPORARY_DAY).blocked == {
        ana: [blockers.OPEN_AMENDMENT, blockers.ENROLLED_AGAIN]
    }


def test_the_certificate_says_what_whose_when_which_rule_and_who(
    world: SimpleNamespace, users: SimpleNamespace
) -> None:
    deliver(exit_ana(world), users.officer)
    cert = destruction.destroy_student(world.ana.pk, today=TEMPORARY_DAY, user=users.officer)
    assert cert is not None
    assert cert.student_name == "Ana Avery" and cert.student_sourced_id == world.ana.sourced_id
    assert cert.operator_user == users.officer and cert.operator_name == "privacy"
    assert cert.rule == "603 CMR 23.06(3): temporary record, 7 years after withdrawal on 2025-06-20"
    lines = {(line["scope"], line["ma_part"]): line for line in cert.items}
    assert lines[("discipline", "temporary")]["removed"] == {"discipline incidents": 1}
    assert lines[("grades_transcript", "temporary")]["removed"] == {
        "progress grades": 1,
        "teachers' comments": 1,
    }
    assert "final grades" in lines[("grades_transcript", "temporary")]["kept"][0]
    assert ("grades_transcript", "transcript") not in lines
    assert "Rows deleted" in cert.method
    assert cert.backup_purge_by > TEMPORARY_DAY - dt.timedelta(days=3650)
    expected = hashlib.sha256(destruction.content(cert).encode()).hexdigest()
    assert cert.sha256 == expected
    assert json.loads(destruction.content(cert))["student_name"] == "Ana Avery"
    assert Item.objects.filter(certificate=cert).count() == len(cert.items)


def test_log_entries_go_only_with_parts_destroyed_whole(
    world: SimpleNamespace, users: SimpleNamespace
) -> None:
    deliver(exit_ana(world), users.officer)
    ana = world.ana.pk
    reads = {
        scope: record(action=Action.READ, students=[ana], scopes=[scope], purpose="view").seq
        for scope in ("discipline", "accommodations_summary", "grades_transcript")
    }
    shared = record(action=Action.EXPORT, students=[ana, world.cal.pk], scopes=["discipline"]).seq
    cert = destruction.destroy_student(ana, today=TEMPORARY_DAY)
    assert cert is not None and cert.operator_name == destruction.WORKER
    assert set(cert.ledger_seqs) == {reads["discipline"], reads["accommodations_summary"]}
    assert Entry.objects.get(seq=reads["grades_transcript"]).tombstone is False
    assert Entry.objects.get(seq=shared).tombstone is False
    deletion = Entry.objects.filter(action=Action.DELETE).get()
    assert f'"certificate":{cert.pk}' in deletion.detail
    # Sixty years on, the transcript goes, and the grades' log with it.
    later = destruction.destroy_student(ana, today=TRANSCRIPT_DAY)
    assert later is not None and reads["grades_transcript"] in later.ledger_seqs
    assert not CourseGrade.objects.filter(student=world.ana).exists()
    assert _due(world) == 0


def test_a_failure_half_way_leaves_everything_as_it_was(
    world: SimpleNamespace, users: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    deliver(exit_ana(world), users.officer)
    before = Entry.objects.count()

    def broken(student_id: int) -> destroy.Outcome:
        raise RuntimeError("disk full")

    monkeypatch.setitem(destroy.DESTROYERS, ("student_generated_content", "temporary"), broken)
    with pytest.raises(RuntimeError):
        destruction.destroy_student(world.ana.pk, today=TEMPORARY_DAY)
    assert DisciplineIncident.objects.filter(student=world.ana).exists()
    assert not Certificate.objects.exists()
    assert _due(world) == len(Item.objects.filter(student=world.ana))
    assert Entry.objects.count() == before


def test_destroying_a_blocked_student_directly_is_refused(
    world: SimpleNamespace, users: SimpleNamespace
) -> None:
    exit_ana(world)
    with pytest.raises(ValidationError, match="exit notice not delivered"):
        destruction.destroy_student(world.ana.pk, today=TEMPORARY_DAY)


def test_a_cancelled_exit_is_never_destroyed(
    world: SimpleNamespace, users: SimpleNamespace
) -> None:
    made = exit_ana(world)
    deliver(made, users.officer)
    Exit.objects.filter(pk=made.pk).update(cancelled_at=made.recorded_at)
    assert destruction.run(TRANSCRIPT_DAY).certificates == []
    assert DailyAttendance.objects.filter(student=world.ana).exists()


def test_the_destruction_run_is_idempotent(world: SimpleNamespace, users: SimpleNamespace) -> None:
    deliver(exit_ana(world), users.officer)
    assert len(destruction.run(TEMPORARY_DAY).certificates) == 1
    entries = Entry.objects.count()
    again = destruction.run(TEMPORARY_DAY)
    assert again.certificates == [] and again.blocked == {}
    assert Entry.objects.count() == entries and Certificate.objects.count() == 1


def test_the_certificate_and_the_notice_print_as_pdf(
    world: SimpleNamespace, users: SimpleNamespace
) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    from steward.retention import documents

    made = exit_ana(world)
    notice_text = PdfReader(BytesIO(documents.notice_pdf(made.notice))).pages[0].extract_text()
    assert "Gail Avery" in notice_text and "2032" in notice_text
    deliver(made, users.officer)
    cert = destruction.destroy_student(world.ana.pk, today=TEMPORARY_DAY, user=users.officer)
    assert cert is not None
    pdf = documents.certificate_pdf(cert, {"discipline": "Discipline"})
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    for expected in ("Ana Avery", "privacy", "603 CMR 23.06(3)", "Discipline (temporary)"):
        assert expected in text
