"""Ed25519-signed checkpoints of the audit ledger's head (pure Python, no Django).

A checkpoint says "the chain's hash at seq N was H at time T", signed with the district's
private key. Anyone holding the public key can check it, and a chain that no longer reaches H at
seq N was changed after the checkpoint was taken (`chain.verify(checkpoints=...)`).

The signature is over the bytes `steward-audit-checkpoint\\n{seq}\\n{hash}\\n{at}\\n`, where `at`
is the ISO 8601 UTC time exactly as stored in the checkpoint.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from steward.config import write_once

_HASH = re.compile(r"[0-9a-f]{64}")


def generate_key(path: Path) -> None:
    """Write a new Ed25519 private key (PEM, PKCS #8) to `path`, owner-only; no-op if it exists.

    Created with O_EXCL, so concurrent first runs keep one key; a failed write leaves no file.
    """
    if path.exists():
        return
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    write_once(path, pem)


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """The Ed25519 private key at `path`; ValueError if the file holds anything else."""
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return key


def public_key_pem(private_key_path: Path) -> bytes:
    """The public half of the key at `private_key_path`, as a SubjectPublicKeyInfo PEM."""
    return (
        load_private_key(private_key_path)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """The Ed25519 public key in `pem`; ValueError if it is not one."""
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def checkpoint_message(seq: int, hash: str, at: str) -> bytes:
    """The exact bytes a checkpoint's signature covers."""
    return f"steward-audit-checkpoint\n{seq}\n{hash}\n{at}\n".encode()


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str  # ISO 8601 UTC, e.g. 2026-05-09T14:03:07.123456Z
    signature: str  # base64 Ed25519 signature over checkpoint_message(seq, hash, at)

    def to_json(self) -> str:
        return json.dumps(
            {"seq": self.seq, "hash": self.hash, "at": self.at, "signature": self.signature},
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        """Parse `to_json` output; ValueError names what is missing or malformed."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"a checkpoint is a JSON object: {exc}") from exc
        if not isinstance(data, dict):
            raise ValueError("a checkpoint is a JSON object")
        seq = data.get("seq")
        if type(seq) is not int or seq < 0:
            raise ValueError("checkpoint seq must be a whole number")
        for name in ("hash", "at", "signature"):
            if not isinstance(data.get(name), str):
                raise ValueError(f"checkpoint {name} must be a string")
        return cls(seq=seq, hash=data["hash"], at=data["at"], signature=data["signature"])


def sign_checkpoint(private_key_path: Path, seq: int, hash: str, at: datetime) -> Checkpoint:
    """Sign (seq, hash) at time `at` (timezone-aware) with the key at `private_key_path`."""
    if type(seq) is not int or seq < 0:
        raise ValueError(f"checkpoint seq must be a whole number, not {seq!r}")
    if not _HASH.fullmatch(hash):
        raise ValueError(f"checkpoint hash must be 64 lowercase hex digits, not {hash!r}")
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("checkpoint time must be timezone-aware")
    at_text = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    signature = load_private_key(private_key_path).sign(checkpoint_message(seq, hash, at_text))
    return Checkpoint(
        seq=seq, hash=hash, at=at_text, signature=base64.b64encode(signature).decode("ascii")
    )


def verify_checkpoint(public_key_pem: bytes, checkpoint: Checkpoint) -> bool:
    """True only if `checkpoint` was signed by the private half of `public_key_pem`.

    Never raises for bad input: a malformed key, signature or field is simply not a valid
    checkpoint.
    """
    try:
        key = load_public_key(public_key_pem)
        signature = base64.b64decode(checkpoint.signature, validate=True)
        message = checkpoint_message(checkpoint.seq, checkpoint.hash, checkpoint.at)
        key.verify(signature, message)
    except (InvalidSignature, ValueError, TypeError, binascii.Error, UnicodeError):
        return False
    return True
