"""`python -m tests.security.faults_snapshot`: the child's whole database in brief, as JSON
(#10 item 7): each table's row count and a digest of its rows, the ledger head, the active
students, and SQLite's integrity checks. Two equal snapshots mean an unchanged database."""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")


def integrity() -> dict[str, list[Any]]:
    """SQLite's own checks of the database file and its foreign keys (nothing on PostgreSQL,
    whose constraints are checked as rows are written)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return {}
    with connection.cursor() as cursor:
        return {
            "integrity_check": [r[0] for r in cursor.execute("PRAGMA integrity_check")],
            "foreign_key_check": [list(r) for r in cursor.execute("PRAGMA foreign_key_check")],
        }


def snapshot() -> dict[str, Any]:
    from django.db import connection

    from steward.audit.models import Entry
    from steward.roster.models import Student

    tables: dict[str, list[Any]] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(repr(row) for row in cursor.fetchall())
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            tables[table] = [len(rows), digest]
    head = Entry.objects.order_by("-seq").values_list("seq", "hash").first()
    out: dict[str, Any] = {
        "tables": tables,
        "head": list(head) if head else None,
        "students": Student.objects.filter(active=True).count(),
    }
    out.update(integrity())
    return out


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(snapshot()))
