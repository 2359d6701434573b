"""PostgreSQL snapshots and restores with pg_dump and pg_restore (#10 item 3).

`snapshot()` exports a snapshot from a read-only REPEATABLE READ transaction, reads the ledger
head in it, and runs `pg_dump --format=custom --snapshot=…` inside that very snapshot: the dump
and the head recorded in the backup's header agree exactly, however busy the server is.
`restore()` runs `pg_restore --clean --if-exists --no-owner` in one transaction
(`--single-transaction --exit-on-error`): a restore that fails half-way leaves the database as
it was. The connection settings reach the tools as libpq environment variables, so the password
never appears on a command line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from steward.security.backup_format import BackupError

LEDGER_HEAD_SQL = "SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1"


def tool(name: str) -> str:
    """The path of `pg_dump` / `pg_restore`: in `STEWARD_PG_BIN` if set, else on PATH (Debian's
    wrapper), else the newest /usr/lib/postgresql/<version>/bin."""
    directory = os.environ.get("STEWARD_PG_BIN", "").strip()
    if directory:
        candidate = Path(directory) / name
        if candidate.is_file():
            return str(candidate)
        raise BackupError(f"STEWARD_PG_BIN={directory} holds no {name}")
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if versions:
        return str(versions[-1])
    raise BackupError(
        f"{name} not found: install the PostgreSQL client tools (Debian: postgresql-client) "
        "or set STEWARD_PG_BIN to their directory"
    )


def libpq_env(db: dict[str, Any]) -> dict[str, str]:
    """The environment for pg_dump/pg_restore to reach the configured database."""
    env = dict(os.environ)
    for variable, value in (
        ("PGHOST", db.get("HOST")),
        ("PGPORT", db.get("PORT")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGDATABASE", db.get("NAME")),
        ("PGSSLMODE", (db.get("OPTIONS") or {}).get("sslmode")),
    ):
        if value:
            env[variable] = str(value)
    return env


@contextmanager
def _exported_snapshot(connect: Callable[[], Any]) -> Iterator[tuple[str, dict[str, Any] | None]]:
    conn = connect()
    try:
        conn.autocommit = True
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot_id = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        head = None
        if conn.execute("SELECT to_regclass('audit_entry')").fetchone()[0] is not None:
            row = conn.execute(LEDGER_HEAD_SQL).fetchone()
            head = None if row is None else {"seq": int(row[0]), "hash": str(row[1])}
        yield str(snapshot_id), head
        conn.execute("ROLLBACK")
    finally:
        conn.close()


def snapshot(
    db: dict[str, Any],
    connect: Callable[[], Any],
    consume: Callable[[Callable[[int], bytes], dict[str, Any] | None], None],
) -> None:
    """Run pg_dump in an exported snapshot; `consume(read, ledger_head)` reads its output."""
    with (
        _exported_snapshot(connect) as (snapshot_id, head),
        tempfile.TemporaryFile() as errors,
    ):
        command = [tool("pg_dump"), "--format=custom", f"--snapshot={snapshot_id}", "-w"]
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=errors, env=libpq_env(db)
        ) as proc:
            assert proc.stdout is not None
            try:
                consume(proc.stdout.read, head)
            finally:
                proc.stdout.close()
                code = proc.wait()
        if code != 0:
            errors.seek(0)
            raise BackupError(f"pg_dump failed ({code}): {errors.read().decode(errors='replace')}")


def restore(db: dict[str, Any], dump_file: Path) -> None:
    """Replace the configured database's objects with the dump's, in one transaction."""
    command = [
        tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        "-w",
        f"--dbname={db['NAME']}",
        str(dump_file),
    ]
    done = subprocess.run(command, capture_output=True, env=libpq_env(db), check=False)
    if done.returncode != 0:
        raise BackupError(
            f"pg_restore failed ({done.returncode}); the database is unchanged: "
            + done.stderr.decode(errors="replace")
        )
