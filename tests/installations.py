"""Throwaway Steward installations for tests that run `steward` in child processes."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def installation(data_dir: Path, prefix: str) -> Iterator[dict[str, str]]:
    """Environment for `steward` child processes with a database of their own: an SQLite file
    in `data_dir`, or a scratch PostgreSQL database named `<prefix>_<random>` when
    DATABASE_URL points at PostgreSQL (dropped afterwards). Migrate it before use."""
    env = {**os.environ, "STEWARD_DATA_DIR": str(data_dir)}
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        env.pop("DATABASE_URL", None)
        yield env
        return
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    base = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = f"{base}/{name}"
    try:
        yield env
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
