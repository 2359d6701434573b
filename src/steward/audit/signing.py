"""Signed checkpoints of the ledger head, with the Ed25519 key kept in the data directory."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils import timezone

from steward import config
from steward.audit import checkpoint as cp
from steward.audit.ledger import Event, record
from steward.audit.models import Action, Checkpoint, Entry

KEY_FILE = "audit_ed25519.pem"


def key_path() -> Path:
    path = config.data_dir() / KEY_FILE
    cp.generate_key(path)
    return path


def public_key() -> bytes:
    return cp.public_key_pem(key_path())


def do_create_checkpoint() -> cp.Checkpoint | None:
    """Sign (seq, hash) of the current head, store it, and record that in the ledger."""
    with transaction.atomic():
        head = Entry.objects.order_by("-seq").values_list("seq", "hash").first()
        if head is None:
            return None
        signed = cp.sign_checkpoint(key_path(), head[0], head[1], timezone.now())
        Checkpoint.objects.create(
            seq=signed.seq,
            hash=signed.hash,
            at_text=signed.at,
            signature=signed.signature,
            public_key=public_key().decode(),
        )
        record(
            Event(
                action=Action.CHECKPOINT,
                actor_name="steward audit checkpoint",
                detail={"seq": signed.seq, "hash": signed.hash, "at": signed.at},
            )
        )
    return signed


def latest_checkpoint() -> cp.Checkpoint | None:
    row = Checkpoint.objects.order_by("-seq", "-id").first()
    if row is None:
        return None
    return cp.Checkpoint(seq=row.seq, hash=row.hash, at=row.at_text, signature=row.signature)
