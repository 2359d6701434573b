"""Where the encryption keys come from (R116, R117; issue #10 item 3).

No Django imports: `steward.settings` reads the record keys through this module before Django
is set up, as it reads the secret key through `steward.config`.

A key is 32 random bytes written as URL-safe base64 (43 characters, padding optional), the
form `new_key()` prints. Two kinds:

- record keys, `STEWARD_ENCRYPTION_KEYS`: comma-separated; the first encrypts, all decrypt, so
  a rotation puts the new key first, runs `steward rotate-keys`, then drops the old key;
- the backup key, `STEWARD_BACKUP_KEY`: one key for `steward backup` and `steward restore`.

In production (`STEWARD_HTTPS` set) a missing key is a configuration error, never silently
generated: a key generated on the server would sit beside the data it protects, and would be
lost with the machine. Outside production (the demo, tests) each key is generated once and
kept owner-only (0600) in the data directory, like `config.secret_key()`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from dataclasses import dataclass

from steward import config

KEY_BYTES = 32
KEY_ID_BYTES = 8
RECORD_KEYS_ENV = "STEWARD_ENCRYPTION_KEYS"
BACKUP_KEY_ENV = "STEWARD_BACKUP_KEY"
RECORD_KEY_FILE = "encryption_key"
BACKUP_KEY_FILE = "backup_key"


class KeyConfigError(ValueError):
    """A key is missing or malformed; the message says which variable and what to do."""


@dataclass(frozen=True)
class Key:
    """A 256-bit key and its id (the first 8 bytes of a SHA-256 of it, safe to print)."""

    secret: bytes
    id: bytes

    @property
    def hex_id(self) -> str:
        return self.id.hex()


def new_key() -> str:
    """A fresh random key in the form the variables take."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode().rstrip("=")


def key_id(secret: bytes) -> bytes:
    """The id stored beside every value encrypted with `secret`. Domain-separated, so the id
    reveals nothing usable about the key."""
    return hashlib.sha256(b"steward key id\x00" + secret).digest()[:KEY_ID_BYTES]


def parse_key(text: str, *, source: str) -> Key:
    """Decode one key; KeyConfigError naming `source` unless it is 32 bytes of base64."""
    cleaned = text.strip()
    try:
        secret = base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError) as exc:
        raise KeyConfigError(f"{source}: not URL-safe base64 ({exc})") from exc
    if len(secret) != KEY_BYTES:
        raise KeyConfigError(
            f"{source}: a key is {KEY_BYTES} bytes of URL-safe base64 (43 characters); "
            f"this one decodes to {len(secret)} bytes. Make one with `steward new-key`."
        )
    return Key(secret=secret, id=key_id(secret))


def parse_keys(text: str, *, source: str) -> list[Key]:
    """Decode a comma-separated key list (first = current); refuses an empty list and
    a key listed twice."""
    parts = [part for part in (p.strip() for p in text.split(",")) if part]
    if not parts:
        raise KeyConfigError(f"{source} is empty.")
    parsed = [parse_key(part, source=f"{source} (key {n})") for n, part in enumerate(parts, 1)]
    if len({key.id for key in parsed}) != len(parsed):
        raise KeyConfigError(f"{source} lists the same key twice.")
    return parsed


def record_keys_text() -> str:
    """`STEWARD_ENCRYPTION_KEYS`, or outside production the key kept in the data directory.

    KeyConfigError in production when the variable is unset, or when any key is malformed.
    """
    return _configured(RECORD_KEYS_ENV, RECORD_KEY_FILE, many=True)


def backup_key() -> Key:
    """The backup key (`STEWARD_BACKUP_KEY`, or outside production the kept key file)."""
    return parse_key(
        _configured(BACKUP_KEY_ENV, BACKUP_KEY_FILE, many=False), source=BACKUP_KEY_ENV
    )


def _configured(variable: str, file_name: str, *, many: bool) -> str:
    try:
        text = config.secret(variable, file_name, nbytes=KEY_BYTES)
    except config.MissingSecret as exc:
        raise KeyConfigError(
            f"{variable} is not set. Steward refuses to run in production (STEWARD_HTTPS) "
            f"without it: generate a key with `steward new-key` on a trusted machine, keep a "
            f"copy where the district keeps its other secrets, and set {variable} to it."
        ) from exc
    if many:
        parse_keys(text, source=variable)
    else:
        parse_key(text, source=variable)
    return text
