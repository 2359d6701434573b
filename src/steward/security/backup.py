"""`steward backup` and `steward restore`: whole-database snapshots, encrypted (R116, R117; #10).

A backup is a consistent snapshot (SQLite's online backup API, or pg_dump in an exported
snapshot: `backup_sqlite`, `backup_pg`) streamed through `backup_format` under the backup key
(`STEWARD_BACKUP_KEY`), written to a temporary name beside the target, owner-only (0600),
flushed to disk and only then renamed into place: a crash never leaves a half-written file
under the name a restore would pick.

A restore checks everything before it touches the database: the file must be a backup of this
database kind, made with the configured backup key, with the record key it was written under
still configured, and it is decrypted and authenticated to its last byte into a private
temporary directory first. A tampered, truncated or foreign file is refused with the reason.

Plaintext touches the disk only inside a private (0700) temporary directory in the data
directory, beside the live database it copies, and is deleted when the command ends.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from steward import config
from steward.security import backup_format, backup_pg, backup_sqlite, crypto, keys
from steward.security.backup_actions import do_record_backup, do_record_restore, ledger_head
from steward.security.backup_format import BackupError, Header


@dataclass(frozen=True)
class Outcome:
    """What a backup wrote or a restore read, and the ledger entry that records it."""

    path: Path
    size: int
    sha256: str
    header: dict[str, Any]
    entry_seq: int


def database_kind() -> str:
    if connection.vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {connection.vendor}")
    return str(connection.vendor)


def make_backup(out: Path) -> Outcome:
    """Write an encrypted snapshot of the database to `out` (which must not exist yet)."""
    key = _backup_key()
    kind = database_kind()
    out = out.expanduser().resolve()
    if out.exists():
        raise BackupError(f"{out} exists already: choose a new name (backups are never replaced)")
    if not out.parent.is_dir():
        raise BackupError(f"{out.parent} is not a directory")
    partial = out.parent / f".{out.name}.{secrets.token_hex(4)}.partial"
    fields: dict[str, Any] = {
        "database": kind,
        "created": timezone.now().isoformat(timespec="seconds"),
        "data_key_id": crypto.keyring().primary.hex_id,
        "steward": _version(),
    }
    try:
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as f:
            sink = _Hashing(f)
            header = _snapshot_into(sink, key, kind, fields)
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, out)
        _fsync_directory(out.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    detail = _describe(out, sink.size, sink.hexdigest(), header.fields)
    return Outcome(out, sink.size, sink.hexdigest(), header.fields, do_record_backup(detail).seq)


def _snapshot_into(sink: _Hashing, key: keys.Key, kind: str, fields: dict[str, Any]) -> Header:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(dir=config.data_dir(), prefix=".backup-") as private:
            plain = Path(private) / "snapshot.sqlite3"
            fields["ledger_head"] = backup_sqlite.snapshot(_sqlite_path(), plain)
            with plain.open("rb") as source:
                return backup_format.write(source.read, sink, key, fields)
    written: list[Header] = []

    def consume(read: Any, head: dict[str, Any] | None) -> None:
        written.append(backup_format.write(read, sink, key, {**fields, "ledger_head": head}))

    backup_pg.snapshot(_pg_settings(), _pg_connect, consume)
    return written[0]


def check_backup(path: Path, plain: BinaryIO | None = None) -> tuple[Header, int, str]:
    """Check that `path` can be restored here, decrypting it to its end (into `plain` if
    given); returns its header, size and SHA-256. BackupError with the reason otherwise."""
    key = _backup_key()
    kind = database_kind()
    with path.open("rb") as raw:
        source = _Hashing(raw)
        header = backup_format.open_backup(source)
        if header.database != kind:
            raise BackupError(
                f"it is a backup of a {header.database or 'unknown'} database; this "
                f"Steward runs on {kind}"
            )
        _require_record_key(header)
        backup_format.decrypt(source, header, key, plain or _Discard())
    return header, source.size, source.hexdigest()


def restore_backup(path: Path) -> Outcome:
    """Replace the database with the snapshot in `path`, after checking all of it."""
    path = path.expanduser().resolve()
    with tempfile.TemporaryDirectory(dir=config.data_dir(), prefix=".restore-") as private:
        plain_path = Path(private) / "snapshot"
        with os.fdopen(os.open(plain_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as f:
            header, size, sha256 = check_backup(path, f)
        if header.database == "sqlite":
            backup_sqlite.create_private(_sqlite_path())  # before Django opens it
        replaced = _current_head()
        connection.close()
        if header.database == "sqlite":
            backup_sqlite.restore(plain_path, _sqlite_path())
        else:
            backup_pg.restore(_pg_settings(), plain_path)
    connection.close()
    detail = {**_describe(path, size, sha256, header.fields), "replaced_ledger_head": replaced}
    return Outcome(path, size, sha256, header.fields, do_record_restore(detail).seq)


def _describe(path: Path, size: int, sha256: str, header: dict[str, Any]) -> dict[str, Any]:
    return {
        "file": str(path),
        "bytes": size,
        "sha256": sha256,
        "database": header.get("database"),
        "created": header.get("created"),
        "ledger_head": header.get("ledger_head"),
        "backup_key_id": header.get("key_id"),
        "data_key_id": header.get("data_key_id"),
    }


def _require_record_key(header: Header) -> None:
    data_key = str(header.fields.get("data_key_id", ""))
    try:
        known = crypto.keyring().knows(bytes.fromhex(data_key))
    except ValueError:
        known = False
    if not known:
        raise BackupError(
            f"the backup's records are encrypted with key id {data_key or '?'}, which is not "
            "among STEWARD_ENCRYPTION_KEYS: configure that key before restoring"
        )


def _backup_key() -> keys.Key:
    try:
        return keys.backup_key()
    except keys.KeyConfigError as exc:
        raise BackupError(str(exc)) from exc


def _current_head() -> dict[str, Any] | None:
    try:
        return ledger_head()
    except DatabaseError:  # an empty, unmigrated database: nothing is being replaced
        return None


def _sqlite_path() -> Path:
    return Path(str(settings.DATABASES["default"]["NAME"]))


def _pg_settings() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def _pg_connect() -> Any:
    return connection.get_new_connection(connection.get_connection_params())


def _version() -> str:
    try:
        return metadata.version("steward")
    except metadata.PackageNotFoundError:
        return "unknown"


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _Hashing:
    """A file wrapper that counts and hashes what passes through it (either direction)."""

    def __init__(self, inner: BinaryIO) -> None:
        self._inner = inner
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self._hash.update(data)
        self.size += len(data)
        return self._inner.write(data)

    def read(self, n: int = -1) -> bytes:
        data = self._inner.read(n)
        self._hash.update(data)
        self.size += len(data)
        return data

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


class _Discard:
    def write(self, data: bytes) -> int:
        return len(data)
