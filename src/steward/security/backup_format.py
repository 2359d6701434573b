"""The encrypted backup file: a header, then AES-256-GCM chunks (R116, R117; #10 item 3).

Pure Python (no Django): `write()` streams a snapshot into the format, `open_backup()` reads and
checks the header, `decrypt()` streams the plaintext out and raises before the end of the
input has been accepted if anything is wrong. Layout:

    MAGIC (8) | header length (4, big-endian) | header (UTF-8 JSON)
    then chunks: ciphertext length (4, big-endian) | ciphertext (chunk + 16-byte GCM tag)

The header says the format version, the database kind, the creation time, the backup key's id,
the ledger head in the snapshot and a random salt; it is authenticated (its SHA-256 is the
associated data of every chunk), so editing it breaks the file. Each file has its own key,
HKDF-SHA256(backup key, salt), and chunk n's nonce is `prefix (7) | n (4) | last (1)`, the
STREAM construction (Hoang et al., 2015): chunks cannot be reordered, dropped or repeated, and a
file cut anywhere, even between two chunks, lacks the chunk marked last and is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from steward.security.keys import Key

MAGIC = b"STWBKP\x00\x01"
FORMAT = 1
CHUNK = 1 << 20
MAX_CHUNK = 64 << 20  # refuse to allocate more than this for one chunk of a hostile file
MAX_HEADER = 64 << 10
_LENGTH = struct.Struct(">I")
_NONCE = struct.Struct(">7sIB")
TAG = 16


class Readable(Protocol):
    def read(self, n: int = -1, /) -> bytes: ...


class Writable(Protocol):
    def write(self, data: bytes, /) -> int: ...


class BackupError(Exception):
    """A backup cannot be read or used; the message says why, for the operator."""


class NotABackupError(BackupError):
    pass


class WrongKeyError(BackupError):
    pass


class TamperedError(BackupError):
    pass


class TruncatedError(BackupError):
    pass


@dataclass(frozen=True)
class Header:
    """What the file says about itself, and the exact bytes that say it."""

    fields: dict[str, Any]
    raw: bytes

    @property
    def database(self) -> str:
        return str(self.fields.get("database", ""))

    @property
    def key_id(self) -> str:
        return str(self.fields.get("key_id", ""))


def _file_key(key: Key, salt: bytes) -> AESGCM:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"steward backup v1")
    return AESGCM(hkdf.derive(key.secret))


def write(read: Callable[[int], bytes], out: Writable, key: Key, fields: dict[str, Any]) -> Header:
    """Encrypt everything `read(n)` returns (until it returns b"") into `out`."""
    salt, prefix = os.urandom(32), os.urandom(7)
    header_fields = {
        **fields,
        "format": FORMAT,
        "key_id": key.hex_id,
        "salt": salt.hex(),
        "nonce_prefix": prefix.hex(),
        "chunk_size": CHUNK,
    }
    raw = json.dumps(header_fields, sort_keys=True, separators=(",", ":")).encode()
    out.write(MAGIC + _LENGTH.pack(len(raw)) + raw)
    aead, aad = _file_key(key, salt), hashlib.sha256(MAGIC + raw).digest()
    counter, pending = 0, _read_full(read, CHUNK)
    while True:
        following = _read_full(read, CHUNK) if len(pending) == CHUNK else b""
        last = not following
        sealed = aead.encrypt(_NONCE.pack(prefix, counter, last), pending, aad)
        out.write(_LENGTH.pack(len(sealed)) + sealed)
        if last:
            return Header(header_fields, raw)
        counter, pending = counter + 1, following


def _read_full(read: Callable[[int], bytes], size: int) -> bytes:
    """Exactly `size` bytes unless the source ends first (pipes return short reads)."""
    parts, got = [], 0
    while got < size:
        piece = read(size - got)
        if not piece:
            break
        parts.append(piece)
        got += len(piece)
    return b"".join(parts)


def open_backup(source: Readable) -> Header:
    """Read and parse the header; NotABackupError for anything that is not one we know."""
    magic = source.read(len(MAGIC))
    if magic != MAGIC:
        raise NotABackupError("not a Steward backup (wrong magic bytes)")
    size = _read_length(source, "header")
    if size > MAX_HEADER:
        raise NotABackupError("the header is implausibly large")
    raw = source.read(size)
    if len(raw) != size:
        raise TruncatedError("the file is truncated: it ends inside its header")
    try:
        fields = json.loads(raw)
    except ValueError as exc:
        raise TamperedError("the header is not valid JSON") from exc
    if not isinstance(fields, dict) or fields.get("format") != FORMAT:
        raise NotABackupError(f"unsupported backup format (this Steward reads format {FORMAT})")
    return Header(fields, raw)


def decrypt(source: Readable, header: Header, key: Key, out: Writable) -> int:
    """Authenticate and decrypt every chunk after the header into `out`; returns the bytes.

    WrongKeyError when the header names another key; TamperedError when a chunk or the header
    does not authenticate, or bytes follow the last chunk; TruncatedError when the file ends
    before its last chunk. Stop using `out` on any of these.
    """
    if header.key_id != key.hex_id:
        raise WrongKeyError(
            f"this backup was made with backup key id {header.key_id}; the configured "
            f"STEWARD_BACKUP_KEY has id {key.hex_id}"
        )
    try:
        salt = bytes.fromhex(str(header.fields["salt"]))
        prefix = bytes.fromhex(str(header.fields["nonce_prefix"]))
    except (KeyError, ValueError) as exc:
        raise TamperedError("the header lacks its salt or nonce") from exc
    if len(prefix) != 7:
        raise TamperedError("the header's nonce prefix is malformed")
    aead, aad = _file_key(key, salt), hashlib.sha256(MAGIC + header.raw).digest()
    counter = written = 0
    while True:
        size = _read_length(source, f"chunk {counter}")
        if not TAG <= size <= MAX_CHUNK + TAG:
            raise TamperedError(f"chunk {counter} has an impossible length")
        sealed = source.read(size)
        if len(sealed) != size:
            raise TruncatedError(f"the file is truncated: it ends inside chunk {counter}")
        plain, last = _open_chunk(aead, aad, prefix, counter, sealed)
        out.write(plain)
        written += len(plain)
        if last:
            if source.read(1):
                raise TamperedError("bytes follow the last chunk")
            return written
        counter += 1


def _open_chunk(
    aead: AESGCM, aad: bytes, prefix: bytes, counter: int, sealed: bytes
) -> tuple[bytes, bool]:
    for last in (False, True):
        try:
            return aead.decrypt(_NONCE.pack(prefix, counter, last), sealed, aad), last
        except InvalidTag:
            continue
    raise TamperedError(
        f"chunk {counter} does not authenticate: the file was changed (or the header edited)"
    )


def _read_length(source: Readable, what: str) -> int:
    data = source.read(_LENGTH.size)
    if len(data) != _LENGTH.size:
        raise TruncatedError(f"the file is truncated: it ends before {what}")
    return int(_LENGTH.unpack(data)[0])
