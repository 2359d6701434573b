"""Data migrations that encrypt the rows written before a column became encrypted (R116).

`encrypt_existing(app_label, [(model, field), ...])` is a `RunPython` operation to place after
the `AlterField`s that made the fields encrypted: forwards it seals every plaintext value with
the current key (values already sealed are left alone, so it is safe to run twice); backwards
it opens every sealed value back into plaintext, before the reversed `AlterField`s turn the
columns back into plain ones. Raw SQL in batches by primary key, on the migration's own
connection, inside the migration's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import migrations

from steward.security import crypto
from steward.security.crypto_columns import Column, read_batch, write_batch

BATCH = 2000


def encrypt_existing(app_label: str, fields: Sequence[tuple[str, str]]) -> migrations.RunPython:
    """The RunPython operation sealing (forwards) or opening (backwards) `fields`' values."""

    def columns(apps: Any) -> list[Column]:
        return [
            Column.of(apps.get_model(app_label, model)._meta.get_field(name))
            for model, name in fields
        ]

    def forwards(apps: Any, schema_editor: Any) -> None:
        ring = crypto.keyring()
        for col in columns(apps):
            _convert(col, schema_editor.connection, seal=True, ring=ring)

    def backwards(apps: Any, schema_editor: Any) -> None:
        ring = crypto.keyring()
        for col in columns(apps):
            _convert(col, schema_editor.connection, seal=False, ring=ring)

    return migrations.RunPython(forwards, backwards, elidable=False)


def _convert(col: Column, conn: Any, *, seal: bool, ring: crypto.Keyring) -> int:
    """Seal every plaintext value of `col` (or open every sealed one); returns rows changed."""
    changed = 0
    after: Any = None
    while rows := read_batch(col, after, BATCH, conn):
        changes = []
        for pk, stored in rows:
            sealed = col.key_id(stored, pk) is not None
            if seal and not sealed:
                changes.append((pk, stored, col.seal(ring, col.plain(stored))))
            elif not seal and sealed:
                changes.append((pk, stored, col.unsealed(col.open(ring, stored, pk))))
        changed += write_batch(col, changes, conn)
        after = rows[-1][0]
    return changed
