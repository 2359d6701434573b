"""Reading millions of rows fast and portably (SQLite and PostgreSQL alike).

The ORM's per-value converters (dates and booleans on SQLite) cost more than the rest of an
export on millions of rows, so the big reads go through `raw`, with dates as text
(`text_dates`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import connections
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast

CHUNK = 20000


def text_dates(queryset: QuerySet[Any, Any]) -> QuerySet[Any, Any]:
    """`queryset` with its `begin_date` and `end_date` also as ISO text, `begin` and `end`
    (the same on SQLite and PostgreSQL; comparable as text)."""
    return queryset.annotate(
        begin=Cast("begin_date", CharField()), end=Cast("end_date", CharField())
    )


def raw(queryset: QuerySet[Any, Any]) -> Iterator[tuple[Any, ...]]:
    """The rows of a `values_list` queryset as the database driver returns them.

    Dates arrive as `date` (SQLite's driver still parses declared date columns) unless read
    as text through `text_dates`; booleans as 0/1 or bool (truthiness holds); datetimes as
    the driver gives them. PostgreSQL streams through a server-side cursor.
    """
    connection = connections[queryset.db]
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(CHUNK):
            yield from batch
