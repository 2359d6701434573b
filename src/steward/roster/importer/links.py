"""Synchronise derived link tables (school memberships, staff roles, guardian links, caseloads).

Links have no sourcedId of their own: they are keyed by what they join. A link the package no
longer states is ended (end date or inactive), never deleted, because history is evidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Hashable, Mapping
from typing import Any

from django.db.models import Model

from steward import sqlbulk

Key = tuple[Hashable, ...]


def sync_links(
    model: type[Model],
    keys: tuple[str, ...],
    values: tuple[str, ...],
    desired: Mapping[Any, tuple[Any, ...]],
    *,
    run_id: int,
    owners: Collection[Hashable] | None,
    ended: Collection[Key] = (),
    end: Callable[[list[int]], None],
    is_ended: Callable[[tuple[Any, ...]], bool],
) -> dict[str, int]:
    """Make `model` match `desired` ({key tuple: value tuple}).

    Links not desired are ended when `owners` is None (a bulk snapshot), when their first key
    part is in `owners` (the package restated that owner's links), or when listed in `ended`.
    """
    existing: dict[Key, tuple[int, tuple[Any, ...]]] = {}
    for row in model._default_manager.values_list("id", *keys, *values).iterator(chunk_size=20000):
        existing[tuple(row[1 : 1 + len(keys)])] = (row[0], tuple(row[1 + len(keys) :]))
    inserts, updates, to_end = [], [], []
    unchanged = 0
    for key, wanted in desired.items():
        found = existing.pop(key, None)
        if found is None:
            inserts.append((*key, *wanted, run_id))
        elif found[1] != wanted:
            updates.append((*wanted, run_id, found[0]))
        else:
            unchanged += 1
    ended_set = set(ended)
    for key, (pk, current) in existing.items():
        if is_ended(current):
            continue
        if owners is None or key[0] in owners or key in ended_set:
            to_end.append(pk)
    sqlbulk.insert(model, [*_fk(keys), *values, "last_import"], inserts)
    sqlbulk.update(model, [*values, "last_import"], updates)
    for start in range(0, len(to_end), 900):
        end(to_end[start : start + 900])
    return {
        "created": len(inserts),
        "updated": len(updates),
        "ended": len(to_end),
        "unchanged": unchanged,
    }


def _fk(keys: tuple[str, ...]) -> list[str]:
    return [k.removesuffix("_id") for k in keys]


def end_dated(model: type[Model], today: dt.date, run_id: int) -> Callable[[list[int]], None]:
    """Ending by date: the link stops today unless it already stopped earlier."""

    def end(pks: list[int]) -> None:
        manager = model._default_manager
        manager.filter(pk__in=pks, end_date__isnull=True).update(
            end_date=today, last_import_id=run_id
        )
        manager.filter(pk__in=pks, end_date__gt=today).update(end_date=today, last_import_id=run_id)

    return end


def date_ended(today: dt.date, position: int) -> Callable[[tuple[Any, ...]], bool]:
    def is_ended(current: tuple[Any, ...]) -> bool:
        end_date = current[position]
        return end_date is not None and end_date <= today

    return is_ended
