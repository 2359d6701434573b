"""Re-encrypting every encrypted value under the current key, and checking that all decrypt.

`rotate()` walks each encrypted column (`steward.security.fields.encrypted_fields`) by primary
key in batches, each batch in its own transaction: a value already under the current key is
left alone, any other is opened with the key it names and sealed again with the current key.
An interrupted run loses at most the batch in flight and a second run carries on where it
stopped, because finished rows now count as current. Writes are compare-and-set, so a row that
the application changed meanwhile keeps its new value. Call it through
`steward.security.crypto_actions.do_rotate_keys`, which records the run in the ledger.

`check()` opens every value and counts them per key, writing nothing: run it before dropping
an old key from STEWARD_ENCRYPTION_KEYS.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from steward.security import crypto
from steward.security.crypto_columns import Column, read_batch, write_batch
from steward.security.fields import encrypted_fields

DEFAULT_BATCH = 1000
# Buckets of `check()` beside the key ids.
PLAINTEXT = "plaintext"
UNKNOWN = "unknown key"
TAMPERED = "does not authenticate"
FAILURES = (PLAINTEXT, UNKNOWN, TAMPERED)


@dataclass
class ColumnRotation:
    """What a rotation did to one column. `sealed_plaintext` counts values that were stored
    in the clear (written around the field) and are now encrypted."""

    reencrypted: int = 0
    current: int = 0
    sealed_plaintext: int = 0
    changed_meanwhile: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class ColumnCheck:
    """Values of one column per key id (hex) or failure bucket, and the first failures."""

    by_key: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def columns() -> list[Column]:
    return [Column.of(f) for f in encrypted_fields()]


def rotate(
    ring: crypto.Keyring,
    batch_size: int = DEFAULT_BATCH,
    done: dict[str, ColumnRotation] | None = None,
    on_batch: Callable[[str, int], None] | None = None,
) -> dict[str, ColumnRotation]:
    """Re-encrypt every column; returns counts per column (`table.column`).

    `done` receives the counts as they grow, so a caller still has them when a value fails
    (CryptoError naming its table, row and column; the batches before it stay committed).
    """
    out = done if done is not None else {}
    for col in columns():
        counts = out.setdefault(col.label, ColumnRotation())
        after: Any = None
        while True:
            with transaction.atomic():
                rows = read_batch(col, after, batch_size)
                if not rows:
                    break
                changes = [change for row in rows if (change := _reseal(col, ring, row, counts))]
                written = write_batch(col, changes)
            counts.reencrypted += written
            counts.changed_meanwhile += len(changes) - written
            after = rows[-1][0]
            if on_batch is not None:
                on_batch(col.label, len(rows))
    return out


def _reseal(
    col: Column, ring: crypto.Keyring, row: tuple[Any, Any], counts: ColumnRotation
) -> tuple[Any, Any, Any] | None:
    pk, stored = row
    key_id = col.key_id(stored, pk)
    if key_id == ring.primary.id:
        counts.current += 1
        return None
    if key_id is None:
        counts.sealed_plaintext += 1
        plain = col.plain(stored)
    else:
        plain = col.open(ring, stored, pk)
    return pk, stored, col.seal(ring, plain)


def check(
    ring: crypto.Keyring, batch_size: int = DEFAULT_BATCH, limit: int = 20
) -> dict[str, ColumnCheck]:
    """Open every value; counts per key and up to `limit` failing rows per column."""
    out: dict[str, ColumnCheck] = {}
    for col in columns():
        result = out.setdefault(col.label, ColumnCheck())
        after: Any = None
        while rows := read_batch(col, after, batch_size):
            for pk, stored in rows:
                _check_one(col, ring, pk, stored, result, limit)
            after = rows[-1][0]
    return out


def _check_one(
    col: Column, ring: crypto.Keyring, pk: Any, stored: Any, result: ColumnCheck, limit: int
) -> None:
    try:
        key_id = col.key_id(stored, pk)
        if key_id is None:
            raise crypto.NotEncryptedError(f"{col.where(pk)}: the value is not encrypted")
        col.open(ring, stored, pk)
    except crypto.CryptoError as exc:
        result.by_key[_failure_kind(exc)] += 1
        if len(result.failures) < limit:
            result.failures.append(str(exc))
        return
    result.by_key[key_id.hex()] += 1


def _failure_kind(exc: crypto.CryptoError) -> str:
    if isinstance(exc, crypto.UnknownKeyError):
        return UNKNOWN
    if isinstance(exc, crypto.NotEncryptedError):
        return PLAINTEXT
    return TAMPERED
