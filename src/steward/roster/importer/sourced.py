"""Synchronise one table of sourced rows (rows that carry a OneRoster sourcedId).

Rows are offered one at a time; the table's current state is loaded once as
{sourcedId: (pk, row hash, active)}, so an unchanged row costs a dictionary lookup and a
repeated import writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import Model

from steward import sqlbulk


def row_hash(*parts: Any) -> int:
    """A signed 64-bit digest of a row's parsed values (fits a BigIntegerField)."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class SourcedSync:
    """Upsert rows of `model` by sourced_id; end the ones a bulk file leaves out."""

    common = ("sourced_id", "active", "date_last_modified", "row_hash", "metadata", "last_import")

    def __init__(
        self,
        model: type[Model],
        fields: Sequence[str],
        run_id: int,
        end: Callable[[list[int]], None] | None = None,
    ) -> None:
        self.model = model
        self.fields = list(fields)
        self.run_id = run_id
        self.end = end or self._deactivate
        self.existing: dict[str, tuple[int, int, bool]] = {
            sid: (pk, h, active)
            for sid, pk, h, active in model._default_manager.values_list(
                "sourced_id", "id", "row_hash", "active"
            ).iterator(chunk_size=20000)
        }
        self.inserts: list[tuple[Any, ...]] = []
        self.updates: list[tuple[Any, ...]] = []
        self.to_end: list[int] = []
        self.counts = {"created": 0, "updated": 0, "ended": 0, "unchanged": 0}

    def offer(
        self,
        sid: str,
        status: str,
        modified: dt.datetime | None,
        metadata: dict[str, str],
        values: Sequence[Any],
        digest: int,
    ) -> None:
        found = self.existing.pop(sid, None)
        deleted = status == "tobedeleted"
        if deleted and found is not None:
            if found[2]:
                self.to_end.append(found[0])
            else:
                self.counts["unchanged"] += 1
            return
        if found is None:
            # A record deleted before we ever saw it is still kept, ended, so that rows of
            # the same package that refer to it resolve and the history shows it.
            self.inserts.append(
                (sid, not deleted, modified, digest, metadata, self.run_id, *values)
            )
        elif found[1] != digest or not found[2]:
            self.updates.append((True, modified, digest, metadata, self.run_id, *values, found[0]))
        else:
            self.counts["unchanged"] += 1
            return
        if len(self.inserts) + len(self.updates) >= sqlbulk.BATCH:
            self.flush()

    def flush(self) -> None:
        self.counts["created"] += sqlbulk.insert(
            self.model, [*self.common, *self.fields], self.inserts
        )
        self.counts["updated"] += sqlbulk.update(
            self.model, [*self.common[1:], *self.fields], self.updates
        )
        self.inserts.clear()
        self.updates.clear()

    def finish(self, bulk: bool) -> dict[str, int]:
        """Write what is pending; for a bulk file, end every active row it did not list."""
        self.flush()
        if bulk:
            self.to_end.extend(pk for pk, _h, active in self.existing.values() if active)
        self.existing.clear()
        for start in range(0, len(self.to_end), 900):
            self.end(self.to_end[start : start + 900])
        self.counts["ended"] += len(self.to_end)
        self.to_end.clear()
        return self.counts

    def _deactivate(self, pks: list[int]) -> None:
        self.model._default_manager.filter(pk__in=pks).update(
            active=False, last_import_id=self.run_id
        )


def pk_map(model: type[Model]) -> dict[str, int]:
    """{sourced_id: pk} for every row of `model`."""
    return dict(model._default_manager.values_list("sourced_id", "id").iterator(chunk_size=20000))
