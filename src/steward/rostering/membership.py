""" "Is this row in the plan?" as SQL, for id sets of any size.

A sharing plan names its rows as sets of primary keys, up to hundreds of thousands (a
district-wide agreement at tier L covers 325,000 students). `IdSet.q(column)` turns such a set
into a condition the database can apply before filtering, sorting, counting and paging:

- a small set: `column IN (...)`;
- a set that is nearly the whole table: `column NOT IN (the few left out)`;
- anything else: the ids as ONE parameter (a JSON array read by SQLite's `json_each`, an
  array for PostgreSQL's `= ANY`), so no query ever exceeds the database's parameter limit.

The SQL text is fixed here; only ids (integers from the plan) are ever passed, as parameters.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from typing import Any, cast

from django.db.models import BooleanField, Expression, F, Q
from django.db.models.sql.compiler import SQLCompiler

# Above this many ids an IN list is replaced (SQLite allows 32,766 parameters in a query).
SMALL = 2000


class InIds(Expression):
    """`column IN ids`, with the ids passed as a single parameter."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str | Any, ids: frozenset[int]) -> None:
        super().__init__(output_field=BooleanField())
        self.column = F(column) if isinstance(column, str) else column
        self.ids = ids

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.column,) = exprs

    def as_sql(self, compiler: SQLCompiler, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        column_sql, params = compiler.compile(cast(Any, self.column))
        if connection.vendor == "postgresql":
            return f"{column_sql} = ANY(%s)", [*params, sorted(self.ids)]
        return (
            # The column's SQL comes from the compiler; the ids go as one parameter.
            f"{column_sql} IN (SELECT value FROM json_each(%s))",  # noqa: S608
            [*params, json.dumps(sorted(self.ids))],
        )


class IdSet:
    """The plan's ids of one kind of row, with the rest of the table computed on demand."""

    def __init__(self, ids: frozenset[int], universe: Callable[[], frozenset[int]]) -> None:
        self.ids = ids
        self._universe = universe
        self._complement: frozenset[int] | None = None
        self._sorted: list[int] | None = None
        self._lock = threading.Lock()

    def __contains__(self, pk: object) -> bool:
        return pk in self.ids

    def __len__(self) -> int:
        return len(self.ids)

    def sorted(self) -> list[int]:
        """The ids in ascending order (computed once)."""
        if self._sorted is None:
            with self._lock:
                if self._sorted is None:
                    self._sorted = sorted(self.ids)
        return self._sorted

    def complement(self) -> frozenset[int]:
        """The table's ids that are not in the set (one query, once)."""
        if self._complement is None:
            with self._lock:
                if self._complement is None:
                    self._complement = self._universe() - self.ids
        return self._complement

    def q(self, column: str = "pk") -> Q:
        """A condition true exactly for rows whose `column` is in the set (false for NULL)."""
        if len(self.ids) <= SMALL:
            return Q(**{f"{column}__in": sorted(self.ids)})
        left_out = self.complement()
        if len(left_out) <= SMALL:
            return Q(**{f"{column}__isnull": False}) & ~Q(**{f"{column}__in": sorted(left_out)})
        return Q(InIds(column, self.ids))
