"""SQLite snapshots and restores through SQLite's online backup API (#10 item 3).

The backup API copies the database page by page inside one read transaction, so the copy is
consistent even while `steward serve` writes (WAL mode: writers are not blocked by the reader).
Restoring runs the same API the other way, into the live database file, under SQLite's own
locks, so there is never a moment with a half-copied file in place.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Any

LEDGER_HEAD_SQL = "SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1"
BUSY_TIMEOUT_S = 30.0


def snapshot(database: Path, target: Path) -> dict[str, Any] | None:
    """Copy `database` into the new file `target` as one self-contained file (no WAL), and
    return the ledger head it holds ({"seq", "hash"}, or None for an empty ledger)."""
    source = sqlite3.connect(database, timeout=BUSY_TIMEOUT_S)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            return ledger_head(copy)
        finally:
            copy.close()
    finally:
        source.close()


def restore(snapshot_file: Path, database: Path) -> None:
    """Replace the content of `database` (created owner-only if missing) with
    `snapshot_file`'s."""
    create_private(database)
    source = sqlite3.connect(snapshot_file)
    try:
        check = source.execute("PRAGMA quick_check").fetchone()
        if not check or check[0] != "ok":
            raise sqlite3.DatabaseError(f"the snapshot fails SQLite's quick_check: {check}")
        target = sqlite3.connect(database, timeout=BUSY_TIMEOUT_S)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def create_private(database: Path) -> None:
    """Create an empty, owner-only database file unless one exists (a restore onto a new
    machine: the records are not for the machine's other users)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def ledger_head(db: sqlite3.Connection) -> dict[str, Any] | None:
    try:
        row = db.execute(LEDGER_HEAD_SQL).fetchone()
    except sqlite3.OperationalError:  # no ledger table: an unmigrated database
        return None
    return None if row is None else {"seq": int(row[0]), "hash": str(row[1])}
