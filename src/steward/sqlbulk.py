"""Fast, portable bulk writes (roster import, audit ledger appends).

The ORM's bulk_create builds a model instance per row, which dominates a 4-million-row import.
These helpers send plain parameter tuples through `executemany` with the column names taken
from the model's own metadata, so the SQL stays portable across SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import DateTimeField, JSONField, Model

from steward.security.fields import EncryptedField

BATCH = 5000


def _adapters(model: type[Model], fields: Sequence[str]) -> list[tuple[int, Callable[[Any], Any]]]:
    """Per-column conversions the database driver cannot do by itself.

    Dates, numbers, text and booleans pass through (Django registers SQLite adapters for
    dates; psycopg handles them natively). DateTimes go through the backend's own adapter so
    they are stored exactly as the ORM would store them; JSON is serialised. Encrypted columns
    (R116) are sealed by their field, exactly as an ORM write would: no raw writer may store
    plaintext there.
    """
    out: list[tuple[int, Callable[[Any], Any]]] = []
    for index, name in enumerate(fields):
        field = model._meta.get_field(name)
        if isinstance(field, EncryptedField):
            out.append((index, field.get_prep_value))
        elif isinstance(field, DateTimeField):
            out.append((index, connection.ops.adapt_datetimefield_value))
        elif isinstance(field, JSONField):
            out.append((index, _json))
    return out


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True) if value else "{}"


def _columns(model: type[Model], fields: Sequence[str]) -> list[str]:
    quote = connection.ops.quote_name
    return [quote(model._meta.get_field(name).column) for name in fields]  # type: ignore[union-attr,arg-type]


def insert(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """INSERT rows (tuples in `fields` order); returns the number written."""
    table = connection.ops.quote_name(model._meta.db_table)
    cols = _columns(model, fields)
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"  # noqa: S608 - names from model metadata, quoted
    return _execute(sql, rows, _adapters(model, fields))


def update(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """UPDATE by primary key; each row is the `fields` values followed by the pk."""
    table = connection.ops.quote_name(model._meta.db_table)
    sets = ", ".join(f"{col} = %s" for col in _columns(model, fields))
    pk = connection.ops.quote_name(model._meta.pk.column)
    sql = f"UPDATE {table} SET {sets} WHERE {pk} = %s"  # noqa: S608
    return _execute(sql, rows, _adapters(model, fields))


def delete(model: type[Model], pks: Iterable[int]) -> int:
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    return _execute(f"DELETE FROM {table} WHERE {pk} = %s", ((p,) for p in pks), [])  # noqa: S608


def _execute(
    sql: str, rows: Iterable[Sequence[Any]], adapters: list[tuple[int, Callable[[Any], Any]]]
) -> int:
    written = 0
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            if adapters:
                row = list(row)
                for index, adapt in adapters:
                    if row[index] is not None:
                        row[index] = adapt(row[index])
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written
