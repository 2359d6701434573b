"""The checkpoint signing key, kept in the data directory, and the stored checkpoints."""

from __future__ import annotations

from pathlib import Path

from steward import config
from steward.audit import checkpoint as cp
from steward.audit.models import Checkpoint

KEY_FILE = "audit_ed25519.pem"


def key_path() -> Path:
    path = config.data_dir() / KEY_FILE
    cp.generate_key(path)
    return path


def public_key() -> bytes:
    return cp.public_key_pem(key_path())


def latest_checkpoint() -> cp.Checkpoint | None:
    row = Checkpoint.objects.order_by("-seq", "-id").first()
    if row is None:
        return None
    return cp.Checkpoint(seq=row.seq, hash=row.hash, at=row.at_text, signature=row.signature)
