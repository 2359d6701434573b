"""Encryption at rest for the most sensitive record parts (R116, R117, R118; issue #10 item 3).

Cipher: AES-256-GCM (`cryptography`'s AESGCM) in a small envelope of our own, rather than
MultiFernet, because:

- each value names the key that sealed it (an 8-byte key id), so decryption goes straight to
  that key instead of trying every key in turn, `steward rotate-keys` can tell a value that
  is already under the current key from one to re-encrypt (which makes it restartable at no
  cost), and a value under a key nobody configured is reported as exactly that;
- the ciphertext is bound to the column it belongs to (the field's `context` is the GCM
  associated data), so a database writer without the key cannot move a health note into a
  column teachers see: it would fail to decrypt rather than display;
- AES-256 instead of Fernet's AES-128-CBC + HMAC, and 36 bytes of overhead instead of ~57 plus
  base64 for the binary copies.

Envelope: `MAGIC (4) | key id (8) | nonce (12, random) | ciphertext + tag (16)`. A text column
holds `TEXT_PREFIX` + the envelope in unpadded URL-safe base64. Random 96-bit nonces are safe
for far more values per key than a district will ever write (NIST SP 800-38D's 2^32 bound),
and rotation gives each re-encrypted value a fresh one.

Under R118 (M.G.L. c.93H), acquisition of data encrypted this way without the key is not a
"breach of security"; the key therefore lives outside the database (`steward.security.keys`).
"""

from __future__ import annotations

import base64
import binascii
import functools
import os
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from steward.security.keys import KEY_ID_BYTES, Key, KeyConfigError, parse_keys

MAGIC = b"stw\x01"
TEXT_PREFIX = "$stw1$"
NONCE_BYTES = 12
TAG_BYTES = 16
_HEAD = len(MAGIC) + KEY_ID_BYTES + NONCE_BYTES
OVERHEAD = _HEAD + TAG_BYTES


class CryptoError(Exception):
    """A stored value cannot be decrypted; the message says why (never the value)."""


class UnknownKeyError(CryptoError):
    """The value was sealed with a key that is not configured."""

    def __init__(self, key_id: bytes, where: str = "") -> None:
        self.key_id = key_id
        self.where = where
        place = f"{where}: " if where else ""
        super().__init__(
            f"{place}encrypted with key id {key_id.hex()}, which is not among "
            "STEWARD_ENCRYPTION_KEYS (add the old key back after the new one, then run "
            "`steward rotate-keys`)"
        )


class TamperedError(CryptoError):
    """The value does not authenticate: changed, truncated or moved from another column."""


class NotEncryptedError(CryptoError):
    """An encrypted column holds something that is not an envelope (plaintext written around
    the encrypting field, e.g. by raw SQL)."""


class Keyring:
    """The configured keys: `primary` seals, every key opens what it sealed."""

    def __init__(self, keys: Sequence[Key]) -> None:
        if not keys:
            raise KeyConfigError("no encryption key configured")
        self.primary = keys[0]
        self._aead = {key.id: AESGCM(key.secret) for key in keys}

    @property
    def key_ids(self) -> list[bytes]:
        return list(self._aead)

    def knows(self, key_id: bytes) -> bool:
        return key_id in self._aead

    def seal(self, plain: bytes, context: str) -> bytes:
        """The envelope of `plain` under the primary key, bound to `context`."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead[self.primary.id].encrypt(nonce, plain, context.encode())
        return b"".join((MAGIC, self.primary.id, nonce, sealed))

    def open(self, envelope: bytes, context: str, where: str = "") -> bytes:
        """The plaintext of an envelope made for `context`; CryptoError otherwise."""
        key_id = envelope_key_id(envelope)
        if key_id is None or len(envelope) < OVERHEAD:
            raise NotEncryptedError(f"{where or context}: the value is not encrypted")
        aead = self._aead.get(key_id)
        if aead is None:
            raise UnknownKeyError(key_id, where or context)
        nonce = envelope[_HEAD - NONCE_BYTES : _HEAD]
        try:
            return aead.decrypt(nonce, envelope[_HEAD:], context.encode())
        except InvalidTag as exc:
            raise TamperedError(
                f"{where or context}: the encrypted value does not authenticate (changed, "
                "truncated, or copied from another column)"
            ) from exc

    def seal_text(self, plain: str, context: str) -> str:
        envelope = self.seal(plain.encode("utf-8"), context)
        return TEXT_PREFIX + base64.urlsafe_b64encode(envelope).decode("ascii").rstrip("=")

    def open_text(self, stored: str, context: str, where: str = "") -> str:
        return self.open(text_envelope(stored, where or context), context, where).decode("utf-8")


def envelope_key_id(envelope: bytes) -> bytes | None:
    """The key id of a binary envelope; None when `envelope` is not one."""
    if not envelope.startswith(MAGIC) or len(envelope) < _HEAD:
        return None
    return envelope[len(MAGIC) : len(MAGIC) + KEY_ID_BYTES]


def is_sealed_text(stored: str) -> bool:
    return stored.startswith(TEXT_PREFIX)


def text_envelope(stored: str, where: str) -> bytes:
    """The binary envelope inside a text column's value; NotEncryptedError for plaintext."""
    if not stored.startswith(TEXT_PREFIX):
        raise NotEncryptedError(f"{where}: the value is not encrypted")
    body = stored[len(TEXT_PREFIX) :]
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as exc:
        raise TamperedError(f"{where}: the encrypted value is not valid base64") from exc


def keyring() -> Keyring:
    """The keyring of `settings.STEWARD_ENCRYPTION_KEYS` (rebuilt when the setting changes)."""
    from django.conf import settings

    return _keyring(tuple(settings.STEWARD_ENCRYPTION_KEYS))


@functools.lru_cache(maxsize=4)
def _keyring(texts: tuple[str, ...]) -> Keyring:
    return Keyring(parse_keys(",".join(texts), source="STEWARD_ENCRYPTION_KEYS"))
