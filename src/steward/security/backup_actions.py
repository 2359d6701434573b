"""Ledger entries for backups and restores (R116, R117; design.md §3 rule 2).

Neither writes a model of its own: a backup reads, a restore replaces the whole database. Each
is recorded as a `security` entry: the backup after its file is complete (the snapshot holds
the ledger up to the head named in its header, not the entry about itself); the restore after
the data is back, so that its entry is the first one after the restored head and names the
ledger head it replaced, i.e. which entries the restore took away.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from steward.audit.ledger import Event, record
from steward.audit.models import Action, Entry
from steward.security.crypto_actions import operator


def ledger_head() -> dict[str, Any] | None:
    """The current ledger head ({"seq", "hash"}), or None for an empty ledger."""
    row = Entry.objects.order_by("-seq").values_list("seq", "hash").first()
    return None if row is None else {"seq": row[0], "hash": row[1]}


def do_record_backup(detail: dict[str, Any]) -> Entry:
    """Record a finished backup (file, size, SHA-256, database kind, ledger head, key ids)."""
    with transaction.atomic():
        return record(
            Event(
                action=Action.SECURITY,
                actor_name=f"steward backup ({operator()})",
                actor_role="district IT",
                purpose="encrypted backup of the whole database",
                detail={"event": "backup", **detail},
            )
        )


def do_record_restore(detail: dict[str, Any]) -> Entry:
    """Record a finished restore (file, its creation time and ledger head, the head replaced)."""
    with transaction.atomic():
        return record(
            Event(
                action=Action.SECURITY,
                actor_name=f"steward restore ({operator()})",
                actor_role="district IT",
                purpose="restore of the whole database from an encrypted backup",
                detail={"event": "restore", **detail},
            )
        )
