"""Raw access to encrypted columns, batch by batch, for the data migrations and key rotation.

These read and write the stored envelopes themselves (not through the fields' decryption), by
primary key in ascending order, so that a pass over a table of millions of rows holds one
batch in memory and can resume after the last key it finished.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection as default_connection
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

from steward.security import crypto


@dataclass(frozen=True)
class Column:
    """One encrypted column: where it is, what its values are bound to, text or binary."""

    table: str
    pk: str
    column: str
    context: str
    binary: bool

    @classmethod
    def of(cls, field: Any) -> Column:
        """The column of an encrypted field (of a live or a historical model)."""
        meta = field.model._meta
        return cls(
            table=meta.db_table,
            pk=meta.pk.column,
            column=field.column,
            context=field.context,
            binary=isinstance(field, models.BinaryField),
        )

    @property
    def label(self) -> str:
        return f"{self.table}.{self.column}"

    def where(self, pk: Any) -> str:
        return f"table {self.table}, row {pk}, column {self.column}"

    def key_id(self, stored: Any, pk: Any = None) -> bytes | None:
        """The key id of a stored value; None when it is plaintext."""
        if self.binary:
            return crypto.envelope_key_id(bytes(stored))
        if not crypto.is_sealed_text(stored):
            return None
        where = self.label if pk is None else self.where(pk)
        return crypto.envelope_key_id(crypto.text_envelope(stored, where))

    def open(self, ring: crypto.Keyring, stored: Any, pk: Any) -> bytes:
        """The plaintext bytes of a stored value; CryptoError naming table, row and column."""
        where = self.where(pk)
        envelope = bytes(stored) if self.binary else crypto.text_envelope(stored, where)
        return ring.open(envelope, self.context, where)

    def seal(self, ring: crypto.Keyring, plain: bytes) -> Any:
        """The stored form of `plain` under the primary key."""
        if self.binary:
            return ring.seal(plain, self.context)
        return ring.seal_text(plain.decode("utf-8"), self.context)

    def plain(self, stored: Any) -> bytes:
        """A plaintext stored value as bytes (text is UTF-8)."""
        return bytes(stored) if self.binary else str(stored).encode("utf-8")

    def unsealed(self, plain: bytes) -> Any:
        """`plain` in the column's plaintext form (for a reversed migration)."""
        return plain if self.binary else plain.decode("utf-8")


def read_batch(
    col: Column, after: Any, limit: int, conn: BaseDatabaseWrapper | None = None
) -> list[tuple[Any, Any]]:
    """Up to `limit` (pk, stored value) pairs with pk > `after` (None: from the start),
    skipping NULLs, in pk order."""
    conn = conn or default_connection
    quote = conn.ops.quote_name
    table, pk, column = quote(col.table), quote(col.pk), quote(col.column)
    where = f"{column} IS NOT NULL" + ("" if after is None else f" AND {pk} > %s")
    sql = f"SELECT {pk}, {column} FROM {table} WHERE {where} ORDER BY {pk} LIMIT {int(limit)}"  # noqa: S608 - names from model metadata, quoted
    with conn.cursor() as cursor:
        cursor.execute(sql, [] if after is None else [after])
        return [(row[0], row[1]) for row in cursor.fetchall()]


def write_batch(
    col: Column,
    changes: Sequence[tuple[Any, Any, Any]],
    conn: BaseDatabaseWrapper | None = None,
) -> int:
    """Replace stored values: each change is (pk, old stored value, new stored value).

    Compare-and-set: a row changed since it was read (a nurse edited the note meanwhile) is
    left as it now is, already sealed by its writer. Returns the rows replaced.
    """
    if not changes:
        return 0
    conn = conn or default_connection
    quote = conn.ops.quote_name
    table, pk, column = quote(col.table), quote(col.pk), quote(col.column)
    sql = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s"  # noqa: S608
    replaced = 0
    with conn.cursor() as cursor:
        for key, old, new in changes:
            cursor.execute(sql, [new, key, old])
            replaced += max(cursor.rowcount, 0)
    return replaced
