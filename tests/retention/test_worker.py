"""`steward worker`: the schedule enqueues each job once a day, the worker runs what is due
once, and `--once` exits when the queue is empty (docs/tasks.md)."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from steward.retention import jobs, schedule
from steward.retention.models import Exit, JobRun

pytestmark = pytest.mark.django_db(transaction=True)
EASTERN = zoneinfo.ZoneInfo("America/New_York")


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("worker", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_worker_processes_due_jobs_once(world: SimpleNamespace) -> None:
    out = _run("--once", "--today", "2025-07-01")
    names = [job.name for job in schedule.JOBS]
    assert [f"enqueued {name}" for name in names] == [
        line for line in out.splitlines() if line.startswith("enqueued")
    ]
    results = DBTaskResult.objects.all()
    assert results.count() == len(names)
    assert {r.status for r in results} == {"SUCCESSFUL"}
    assert "steward.retention.tasks.retention_daily: successful" in out
    assert "    exits detected from the roster: 1" in out
    assert Exit.objects.filter(student=world.ana).count() == 1
    again = _run("--once", "--today", "2025-07-01")
    assert "enqueued" not in again
    assert DBTaskResult.objects.count() == len(names)
    assert Exit.objects.count() == 1


def test_a_failed_job_makes_the_worker_exit_non_zero(
    world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(today: dt.date) -> list[str]:
        raise RuntimeError("mail server down")

    monkeypatch.setattr(jobs, "vendors", broken)
    with pytest.raises(CommandError, match="1 task"):
        _run("--once", "--today", "2025-07-01")
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1


def test_jobs_are_due_from_their_hour_and_enqueued_once_a_day(world: SimpleNamespace) -> None:
    night = dt.datetime(2025, 7, 1, 0, 30, tzinfo=EASTERN)
    assert schedule.enqueue_due(night) == []
    assert schedule.enqueue_due(night.replace(hour=1, minute=20)) == [
        "vendors-sweep",
        "requests-sweep",
    ]
    assert schedule.enqueue_due(night.replace(hour=3)) == ["amendments-sweep", "retention"]
    assert schedule.enqueue_due(night.replace(hour=23)) == []
    assert JobRun.objects.count() == 4
    assert schedule.enqueue_due(night + dt.timedelta(days=1, hours=3)) == [
        job.name for job in schedule.JOBS
    ]


def test_today_needs_once() -> None:
    with pytest.raises(CommandError, match="--once"):
        _run("--today", "2025-07-01")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("--once", "--today", "July")
