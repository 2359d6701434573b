"""Writes to the student records (design.md §3 rule 2: every change is a `do_<verb>_<noun>`)."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from steward.audit.ledger import Event, record
from steward.audit.models import Action
from steward.records import synth
from steward.records.synth_roster import default_through, load_roster

_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('steward.records.generate'))"


def existing_counts() -> dict[str, int]:
    """Rows held per record table (the keys of `synth.TABLES`). One query per table."""
    return {name: model._default_manager.count() for name, (model, _) in synth.TABLES.items()}


def records_exist() -> bool:
    """Whether any record part holds a row. At most one query per table."""
    return any(model._default_manager.exists() for model, _ in synth.TABLES.values())


def do_generate_records(
    *,
    seed: int = synth.DEFAULT_SEED,
    through: dt.date | None = None,
    replace: bool = False,
    on_student: Callable[[], None] | None = None,
) -> dict[str, int] | None:
    """Fill every student's record parts with synthetic rows, generated from the roster.

    When records exist already, nothing happens and None is returned, unless `replace`: then
    every existing record row is deleted first (Steward has no other source for these parts
    yet, so every row is a generated one). `through` (default: today, kept inside the roster's
    school year and no earlier than its sixth week, see `synth_roster.default_through`) is the
    last date any row may carry. Returns the rows written per table.

    One transaction: the deletion, every insert and one ledger entry (create, with the seed,
    the date and the counts) commit together, or (on any error) nothing changes.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(_LOCK_SQL)
        replaced: dict[str, int] = {}
        if records_exist():
            if not replace:
                return None
            replaced = existing_counts()
            for model, _ in reversed(synth.TABLES.values()):
                _delete_all(model)
        roster = load_roster()
        until = through or default_through(roster, timezone.localdate())
        counts = synth.fill(seed, until, roster, on_student)
        record(
            Event(
                action=Action.CREATE,
                actor_name=f"steward generate_records ({_operator()})",
                actor_role="district IT",
                purpose="synthetic student records for a demonstration or test district",
                detail={
                    "seed": seed,
                    "through": until.isoformat(),
                    "students": len(roster.students),
                    "counts": counts,
                    "replaced": replaced,
                },
            )
        )
    return counts


def _delete_all(model: type[Model]) -> None:
    model._default_manager.all().delete()


def _operator() -> str:
    """Who ran the command, as the operating system knows them."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
