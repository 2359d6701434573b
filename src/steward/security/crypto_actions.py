"""Key rotation as an action with its ledger entry (R116, R117; design.md §3 rule 2).

Rotation is the one write that cannot be a single transaction: re-encrypting every health note
of a large district in one transaction would hold the database's write lock for minutes. It
commits batch by batch (`crypto_rotate.rotate`), and the ledger entry that follows records the
counts, whether the run completed, and (when it stopped) why, naming the row but never a value.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable

from django.db import transaction

from steward.audit.ledger import Event, record
from steward.audit.models import Action
from steward.security import crypto, crypto_rotate
from steward.security.crypto_rotate import ColumnRotation

ROTATION_PURPOSE = "re-encrypt the encrypted record parts under the current key (key rotation)"


def operator() -> str:
    """Who ran the command, as the operating system knows them."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def do_rotate_keys(
    *,
    batch_size: int = crypto_rotate.DEFAULT_BATCH,
    on_batch: Callable[[str, int], None] | None = None,
) -> dict[str, ColumnRotation]:
    """Re-encrypt every encrypted value under the first STEWARD_ENCRYPTION_KEYS key and record
    one `security` ledger entry with the counts per column (no values, no keys: key ids only).

    A value that cannot be opened (a key no longer configured, a tampered value) stops the run
    with CryptoError naming its table, row and column; the batches before it stay committed, the
    entry says the run stopped and why, and running again after fixing the cause carries on.
    """
    ring = crypto.keyring()
    counts: dict[str, ColumnRotation] = {}
    try:
        crypto_rotate.rotate(ring, batch_size, counts, on_batch)
    except crypto.CryptoError as exc:
        _record_rotation(ring, counts, error=str(exc))
        raise
    _record_rotation(ring, counts, error="")
    return counts


def _record_rotation(ring: crypto.Keyring, counts: dict[str, ColumnRotation], error: str) -> None:
    with transaction.atomic():
        record(
            Event(
                action=Action.SECURITY,
                actor_name=f"steward rotate-keys ({operator()})",
                actor_role="district IT",
                purpose=ROTATION_PURPOSE,
                detail={
                    "event": "key_rotation",
                    "completed": not error,
                    "error": error,
                    "key_id": ring.primary.hex_id,
                    "keys_configured": len(ring.key_ids),
                    "reencrypted": sum(c.reencrypted for c in counts.values()),
                    "columns": {label: c.as_dict() for label, c in counts.items()},
                },
            )
        )
