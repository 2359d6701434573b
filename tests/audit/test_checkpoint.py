"""Ed25519-signed ledger checkpoints (steward.audit.checkpoint): pure, no database."""

from __future__ import annotations

import base64
import dataclasses
import stat
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from steward.audit.checkpoint import (
    Checkpoint,
    generate_key,
    load_private_key,
    public_key_pem,
    sign_checkpoint,
    verify_checkpoint,
)

HASH = "3b" * 32
WHEN = datetime(2026, 5, 9, 14, 3, 7, 123456, tzinfo=UTC)


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "audit.pem"
    generate_key(path)
    return path


@pytest.fixture(scope="module")
def other_key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "other.pem"
    generate_key(path)
    return path


@pytest.fixture
def signed(key: Path) -> Checkpoint:
    return sign_checkpoint(key, 40, HASH, WHEN)


def test_a_signed_checkpoint_verifies_with_its_public_key(key: Path, signed: Checkpoint) -> None:
    assert (signed.seq, signed.hash, signed.at) == (40, HASH, "2026-05-09T14:03:07.123456Z")
    assert verify_checkpoint(public_key_pem(key), signed)


def test_the_signature_covers_the_documented_bytes(key: Path, signed: Checkpoint) -> None:
    public = serialization.load_pem_public_key(public_key_pem(key))
    assert isinstance(public, Ed25519PublicKey)
    message = f"steward-audit-checkpoint\n40\n{HASH}\n{signed.at}\n".encode()
    public.verify(base64.b64decode(signed.signature), message)  # raises if not


@pytest.mark.parametrize(
    "change",
    [
        {"seq": 41},
        {"hash": "3c" + "3b" * 31},
        {"at": "2026-05-09T14:03:08.123456Z"},
        {"signature": base64.b64encode(b"\0" * 64).decode()},
        {"signature": "not base64!"},
    ],
    ids=["seq", "hash", "time", "signature", "garbled-signature"],
)
def test_a_changed_checkpoint_fails(key: Path, signed: Checkpoint, change: dict) -> None:
    assert not verify_checkpoint(public_key_pem(key), dataclasses.replace(signed, **change))


def test_a_checkpoint_signed_by_another_key_fails(other_key: Path, signed: Checkpoint) -> None:
    assert not verify_checkpoint(public_key_pem(other_key), signed)


def test_a_malformed_public_key_fails_rather_than_raising(signed: Checkpoint) -> None:
    assert not verify_checkpoint(b"-----BEGIN PUBLIC KEY-----\nnope\n", signed)


def test_the_time_is_stored_in_utc(key: Path) -> None:
    boston = timezone(timedelta(hours=-4))
    signed = sign_checkpoint(key, 1, HASH, datetime(2026, 5, 9, 10, 3, 7, tzinfo=boston))
    assert signed.at == "2026-05-09T14:03:07.000000Z"


def test_it_refuses_a_naive_time(key: Path) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        sign_checkpoint(key, 1, HASH, datetime(2026, 5, 9, 14, 3, 7))


@pytest.mark.parametrize("seq, hash_", [(-1, HASH), (1, "3B" * 32), (1, "3b" * 31)])
def test_it_refuses_a_malformed_seq_or_hash(key: Path, seq: int, hash_: str) -> None:
    with pytest.raises(ValueError):
        sign_checkpoint(key, seq, hash_, WHEN)


def test_a_checkpoint_survives_a_json_round_trip(key: Path, signed: Checkpoint) -> None:
    again = Checkpoint.from_json(signed.to_json())
    assert again == signed
    assert verify_checkpoint(public_key_pem(key), again)


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"hash": "x", "at": "y", "signature": "z"}',
        '{"seq": true, "hash": "x", "at": "y", "signature": "z"}',
        '{"seq": 1, "hash": 5, "at": "y", "signature": "z"}',
    ],
    ids=["not-json", "not-object", "no-seq", "seq-not-int", "hash-not-text"],
)
def test_malformed_checkpoint_json_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Checkpoint.from_json(text)


def test_generate_key_writes_an_owner_only_key_once(tmp_path: Path) -> None:
    path = tmp_path / "audit.pem"
    generate_key(path)
    first = path.read_bytes()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.startswith(b"-----BEGIN PRIVATE KEY-----")
    generate_key(path)
    assert path.read_bytes() == first
    load_private_key(path)


def test_load_private_key_refuses_another_kind_of_key(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    path = tmp_path / "ec.pem"
    path.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(ValueError, match="Ed25519"):
        load_private_key(path)
