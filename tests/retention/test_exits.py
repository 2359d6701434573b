"""Exits: recorded by staff or detected from the roster, with their dates and notice (R100–R102)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from steward.audit.models import Action, Entry
from steward.retention.actions import exits
from steward.retention.models import Exit, ExitKind, ExitNotice, ExitSource, Item
from steward.roster.models import Student, StudentSchool

from .conftest import EXIT_DAY, TEMPORARY_DAY, TRANSCRIPT_DAY, exit_ana


def test_recording_an_exit_dates_every_part_and_generates_the_notice(
    world: SimpleNamespace, users: SimpleNamespace
) -> None:
    made = exit_ana(world, users.officer)
    items = {(i.scope, i.ma_part): i.destroy_on for i in Item.objects.filter(exit=made)}
    assert items[("discipline", "temporary")] == TEMPORARY_DAY
    assert items[("grades_transcript", "temporary")] == TEMPORARY_DAY
    assert items[("grades_transcript", "transcript")] == TRANSCRIPT_DAY
    assert ("discipline", "transcript") not in items
    notice = ExitNotice.objects.get(exit=made)
    assert notice.temporary_destroy_on == TEMPORARY_DAY
    assert [p["name"] for p in notice.addressed_to] == ["Gail Avery", "Ana Avery"]
    assert "June 20, 2032" in notice.text
    assert "right to receive the information in it, in whole or in part" in notice.text
    assert "603 CMR 23.10" in notice.text
    assert notice.sent_at is None and notice.delivered_at is None


def test_the_exit_is_in_the_ledger_with_its_dates(
    world: SimpleNamespace, users: SimpleNamespace
) -> None:
    made = exit_ana(world, users.officer)
    entry = Entry.objects.filter(action=Action.CREATE).order_by("-seq").first()
    assert entry is not None and entry.scopes == "retention"
    assert entry.actor_user_id == users.officer.pk
    assert f'"exit":{made.pk}' in entry.detail
    assert '"temporary_destroy_on":"2032-06-20"' in entry.detail


def test_an_exit_in_the_future_is_refused(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError, match="future"):
        exits.record_exit(
            world.ana, ExitKind.GRADUATION, EXIT_DAY, today=EXIT_DAY - dt.timedelta(1)
        )
    assert not Exit.objects.exists()


def test_a_new_exit_supersedes_the_open_one(world: SimpleNamespace) -> None:
    first = exit_ana(world)
    second = exits.record_exit(world.ana, ExitKind.TRANSFER, EXIT_DAY, today=EXIT_DAY)
    first.refresh_from_db()
    assert first.cancelled_at is not None and second.cancelled_at is None
    assert Exit.objects.filter(student=world.ana, cancelled_at__isnull=True).count() == 1


def test_an_exit_can_be_cancelled_with_a_reason_and_only_once(world: SimpleNamespace) -> None:
    made = exit_ana(world)
    with pytest.raises(ValidationError):
        exits.cancel_exit(made, "  ")
    exits.cancel_exit(made, "recorded for the wrong student")
    with pytest.raises(ValidationError, match="already cancelled"):
        exits.cancel_exit(made, "again")


def test_the_roster_shows_who_left_and_detection_is_idempotent(world: SimpleNamespace) -> None:
    today = dt.date(2025, 7, 1)
    recorded, cancelled = exits.detect_exits(today)
    made = Exit.objects.get(pk__in=recorded)
    assert made.student_id == world.ana.pk and made.exit_date == EXIT_DAY
    assert made.source == ExitSource.ROSTER and made.kind == ExitKind.WITHDRAWAL
    assert cancelled == []
    before = Entry.objects.count()
    assert exits.detect_exits(today) == ([], [])
    assert Entry.objects.count() == before


def test_an_inactive_twelfth_grader_graduates(world: SimpleNamespace) -> None:
    Student.objects.filter(pk=world.cal.pk).update(active=False, grade="12")
    recorded, _ = exits.detect_exits(dt.date(2025, 7, 1))
    kinds = dict(Exit.objects.filter(pk__in=recorded).values_list("student_id", "kind"))
    assert kinds[world.cal.pk] == ExitKind.GRADUATION


def test_a_student_who_comes_back_has_the_roster_exit_cancelled(world: SimpleNamespace) -> None:
    exits.detect_exits(dt.date(2025, 7, 1))
    StudentSchool.objects.filter(student=world.ana).update(end_date=None)
    recorded, cancelled = exits.detect_exits(dt.date(2025, 9, 1))
    assert recorded == [] and len(cancelled) == 1
    assert not Exit.objects.filter(student=world.ana, cancelled_at__isnull=True).exists()


def test_an_exit_the_office_cancelled_is_not_detected_again_for_the_same_departure(
    world: SimpleNamespace,
) -> None:
    recorded, _ = exits.detect_exits(dt.date(2025, 7, 1))
    exits.cancel_exit(Exit.objects.get(pk=recorded[0]), "the SIS is wrong; Ana is here")
    assert exits.detect_exits(dt.date(2025, 7, 2)) == ([], [])
    StudentSchool.objects.filter(student=world.ana).update(end_date=dt.date(2026, 6, 19))
    recorded, _ = exits.detect_exits(dt.date(2026, 7, 1))
    assert Exit.objects.get(pk=recorded[0]).exit_date == dt.date(2026, 6, 19)
