"""The encrypted backup format (#10 item 3): what goes in comes out, and any change, cut,
reordering or wrong key is refused before a byte is accepted as good."""

from __future__ import annotations

import io
import os
import struct

import pytest

from steward.security import backup_format as fmt
from steward.security.keys import new_key, parse_key

KEY = parse_key(new_key(), source="test")
OTHER = parse_key(new_key(), source="test")


@pytest.fixture(autouse=True)
def backup_small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small chunks, so a few kilobytes make a many-chunk file."""
    monkeypatch.setattr(fmt, "CHUNK", 1024)


def _seal(data: bytes, key: object = KEY) -> bytes:
    out = io.BytesIO()
    fmt.write(io.BytesIO(data).read, out, key, {"database": "sqlite"})  # type: ignore[arg-type]
    return out.getvalue()


def _open(blob: bytes, key: object = KEY) -> bytes:
    source, out = io.BytesIO(blob), io.BytesIO()
    header = fmt.open_backup(source)
    fmt.decrypt(source, header, key, out)  # type: ignore[arg-type]
    return out.getvalue()


def _chunk_offsets(blob: bytes) -> list[int]:
    """Where each chunk (its length prefix) starts."""
    (header_len,) = struct.unpack(">I", blob[8:12])
    at, out = 12 + header_len, []
    while at < len(blob):
        out.append(at)
        (size,) = struct.unpack(">I", blob[at : at + 4])
        at += 4 + size
    return out


@pytest.mark.parametrize("size", [0, 1, 1023, 1024, 1025, 4096, 5000])
def test_what_goes_in_comes_out(size: int) -> None:
    data = os.urandom(size)
    blob = _seal(data)
    assert _open(blob) == data
    if size >= 64:  # (a byte or two may occur in any ciphertext by chance)
        assert data[:64] not in blob


def test_the_header_says_what_the_backup_is() -> None:
    header = fmt.open_backup(io.BytesIO(_seal(b"x" * 3000)))
    assert header.database == "sqlite"
    assert header.key_id == KEY.hex_id
    assert header.fields["format"] == fmt.FORMAT


def test_every_changed_byte_is_refused() -> None:
    blob = _seal(os.urandom(3000))
    for index in range(len(fmt.MAGIC), len(blob), 7):
        changed = bytearray(blob)
        changed[index] ^= 0x01
        with pytest.raises(fmt.BackupError):
            _open(bytes(changed))


def test_a_file_cut_anywhere_is_refused_as_truncated() -> None:
    blob = _seal(os.urandom(3000))
    cuts = {*_chunk_offsets(blob), *(o + 10 for o in _chunk_offsets(blob)), len(blob) - 1}
    for cut in sorted(cuts):
        with pytest.raises(fmt.TruncatedError):
            _open(blob[:cut])


def test_bytes_after_the_last_chunk_are_refused() -> None:
    with pytest.raises(fmt.TamperedError, match="follow the last chunk"):
        _open(_seal(b"data") + b"\x00")


def test_chunks_cannot_be_reordered_or_dropped() -> None:
    blob = _seal(os.urandom(3000))
    first, second, third, *_ = _chunk_offsets(blob)
    swapped = blob[:first] + blob[second:third] + blob[first:second] + blob[third:]
    with pytest.raises(fmt.TamperedError):
        _open(swapped)
    dropped = blob[:first] + blob[second:]
    with pytest.raises(fmt.TamperedError):
        _open(dropped)


def test_the_wrong_key_is_named_as_such() -> None:
    with pytest.raises(fmt.WrongKeyError, match=KEY.hex_id):
        _open(_seal(b"data"), OTHER)


def test_a_header_forged_to_name_another_key_does_not_decrypt() -> None:
    blob = _seal(b"data", OTHER).replace(OTHER.hex_id.encode(), KEY.hex_id.encode())
    with pytest.raises(fmt.TamperedError):
        _open(blob)


def test_something_else_is_not_a_backup() -> None:
    with pytest.raises(fmt.NotABackupError):
        _open(b"SQLite format 3\x00" + b"\x00" * 100)
