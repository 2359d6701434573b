"""Fast, portable bulk writes for the importer.

The ORM's bulk_create builds a model instance per row, which dominates a 4-million-row import.
These helpers send plain parameter tuples through `executemany` with the column names taken
from the model's own metadata, so the SQL stays portable across SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

BATCH = 5000


def _adapt(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return value


def _columns(model: type[Model], fields: Sequence[str]) -> list[str]:
    quote = connection.ops.quote_name
    return [quote(model._meta.get_field(name).column) for name in fields]  # type: ignore[union-attr,arg-type]


def insert(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """INSERT rows (tuples in `fields` order); returns the number written."""
    table = connection.ops.quote_name(model._meta.db_table)
    cols = _columns(model, fields)
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"  # noqa: S608 - names from model metadata, quoted
    return _execute(sql, rows)


def update(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """UPDATE by primary key; each row is the `fields` values followed by the pk."""
    table = connection.ops.quote_name(model._meta.db_table)
    sets = ", ".join(f"{col} = %s" for col in _columns(model, fields))
    pk = connection.ops.quote_name(model._meta.pk.column)
    return _execute(f"UPDATE {table} SET {sets} WHERE {pk} = %s", rows)  # noqa: S608


def delete(model: type[Model], pks: Iterable[int]) -> int:
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    return _execute(f"DELETE FROM {table} WHERE {pk} = %s", ((p,) for p in pks))  # noqa: S608


def _execute(sql: str, rows: Iterable[Sequence[Any]]) -> int:
    written = 0
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(tuple(_adapt(v) for v in row))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written
