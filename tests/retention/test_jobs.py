"""Every periodic job is idempotent: run twice for a day, the second run changes nothing."""

from __future__ import annotations

import datetime as dt
import importlib.util
from types import SimpleNamespace

import pytest
from django.db.models import Model

from steward.audit.models import Entry
from steward.retention import jobs
from steward.retention.models import Certificate, Exit, ExitNotice, Item
from steward.roster.models import Guardian

from .conftest import TEMPORARY_DAY


def _state() -> tuple[int, ...]:
    models: list[type[Model]] = [Entry, Exit, Item, ExitNotice, Certificate]
    counts = tuple(model.objects.count() for model in models)  # type: ignore[attr-defined]
    sent = ExitNotice.objects.filter(sent_at__isnull=False).count()
    destroyed = Item.objects.filter(destroyed_at__isnull=False).count()
    return (*counts, sent, destroyed)


def test_the_retention_job_detects_mails_and_destroys_once(world: SimpleNamespace) -> None:
    Guardian.objects.filter(pk=world.gail.pk).update(email="gail@example.org")
    lines = jobs.retention(dt.date(2025, 7, 1))
    assert "  exits detected from the roster: 1" in lines
    assert "  exit notices e-mailed: 1" in lines
    state = _state()
    assert jobs.retention(dt.date(2025, 7, 1))[1] == "  exits detected from the roster: 0"
    assert _state() == state
    ExitNotice.objects.update(delivered_at=ExitNotice.objects.get().sent_at)
    lines = jobs.retention(TEMPORARY_DAY)
    assert "  students whose due parts were destroyed: 1" in lines
    state = _state()
    jobs.retention(TEMPORARY_DAY)
    assert _state() == state


def test_the_vendors_sweep_job_is_idempotent(db: None) -> None:
    from tests.vendors.factories_agreements import active, build_world

    agreement = active(build_world())
    assert agreement.end_date is not None
    first = jobs.vendors(agreement.end_date)
    assert first[0] == f"Agreement sweep for {agreement.end_date.isoformat()}:"
    assert "  expired: 1" in first
    agreement.refresh_from_db()
    status, entries = agreement.status, Entry.objects.count()
    assert "  expired: 0" in jobs.vendors(agreement.end_date)
    agreement.refresh_from_db()
    assert (agreement.status, Entry.objects.count()) == (status, entries)


@pytest.mark.parametrize("app", ["requests", "amendments"])
def test_the_requests_and_amendments_sweeps_are_idempotent(
    world: SimpleNamespace, app: str
) -> None:
    if importlib.util.find_spec(f"steward.{app}.sweep") is None:
        pytest.skip(f"steward.{app}.sweep has not landed yet")
    job = getattr(jobs, app)
    job(dt.date(2025, 7, 1))
    entries = Entry.objects.count()
    job(dt.date(2025, 7, 1))
    assert Entry.objects.count() == entries
