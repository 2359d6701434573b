"""`do_generate_records` and `steward generate_records`: one transaction, one ledger entry."""

from __future__ import annotations

import itertools
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from steward import sqlbulk
from steward.audit.models import Entry
from steward.records.actions import do_generate_records, existing_counts, records_exist

from .conftest import YEAR_END, records_snapshot

pytestmark = pytest.mark.usefixtures("district")


def _ledger() -> list[Entry]:
    return list(Entry.objects.order_by("seq"))


def test_it_writes_every_part_and_exactly_one_ledger_entry() -> None:
    before = _ledger()
    counts = do_generate_records(seed=1, through=YEAR_END)
    assert counts is not None and all(counts.values()), counts
    assert counts == existing_counts()
    added = _ledger()[len(before) :]
    assert len(added) == 1
    entry = added[0]
    assert entry.action == "create"
    assert entry.actor_name.startswith("steward generate_records (")
    detail = json.loads(entry.detail)
    assert detail["counts"] == counts
    assert detail["seed"] == 1
    assert detail["through"] == YEAR_END.isoformat()
    assert detail["replaced"] == {}


def test_a_second_run_changes_nothing_unless_asked_to_replace() -> None:
    first = do_generate_records(seed=1, through=YEAR_END)
    rows = records_snapshot()
    entries = len(_ledger())
    assert do_generate_records(seed=2, through=YEAR_END) is None
    assert records_snapshot() == rows
    assert len(_ledger()) == entries
    again = do_generate_records(seed=1, through=YEAR_END, replace=True)
    assert again == first
    assert records_snapshot() == rows
    assert json.loads(_ledger()[-1].detail)["replaced"] == first
    assert len(_ledger()) == entries + 1


@pytest.mark.parametrize("replace", [False, True])
def test_a_failure_half_way_leaves_the_database_as_it_was(
    monkeypatch: pytest.MonkeyPatch, replace: bool
) -> None:
    if replace:
        do_generate_records(seed=1, through=YEAR_END)
    rows, entries = records_snapshot(), len(_ledger())
    real_insert = sqlbulk.insert
    calls = itertools.count()

    def failing_insert(*args: Any, **kwargs: Any) -> int:
        if next(calls) == 3:
            raise RuntimeError("disk full")
        return real_insert(*args, **kwargs)

    monkeypatch.setattr(sqlbulk, "insert", failing_insert)
    with pytest.raises(RuntimeError, match="disk full"):
        do_generate_records(seed=9, through=YEAR_END, replace=True)
    assert next(calls) == 4  # it failed on the fourth table, after writing three
    assert records_snapshot() == rows
    assert records_exist() is replace
    assert len(_ledger()) == entries


def test_the_command_prints_the_rows_written_per_part_then_refuses_to_repeat() -> None:
    out = StringIO()
    call_command("generate_records", "--seed", "3", "--through", YEAR_END.isoformat(), stdout=out)
    printed = out.getvalue()
    counts = existing_counts()
    assert f"course grades: {counts['grades']:,}" in printed
    assert f"IEP and 504 plans: {counts['plans']:,}" in printed
    assert "(seed 3)" in printed
    again = StringIO()
    call_command("generate_records", stdout=again)
    assert "exist already" in again.getvalue()
    assert existing_counts() == counts
    replaced = StringIO()
    call_command(
        "generate_records", "--replace", "--seed", "3", "--through", YEAR_END.isoformat(),
        stdout=replaced,
    )  # fmt: skip
    assert existing_counts() == counts


def test_the_command_rejects_a_date_it_cannot_read() -> None:
    with pytest.raises(CommandError, match="not a date"):
        call_command("generate_records", "--through", "next tuesday", stdout=StringIO())
