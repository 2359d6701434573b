"""An import onto a full disk fails cleanly (#10 item 7; R116: the district's data stays
whole when the machine misbehaves; design.md §4: errors exit non-zero with a message).

The SQLite database and the data directory live on a small tmpfs, filled but for a megabyte,
and `steward import` of a roster far bigger than that must fail with a clear message, no
traceback, and the database exactly as before (every table's rows, the ledger head, the
integrity checks, `steward audit verify`); once space is freed, the same import succeeds.

On PostgreSQL the database is elsewhere and the importer writes no temporary files, so the
full-disk import runs on SQLite only; what the importer does write to the data directory, its
conformance log, is written after the commit, and the second test checks, on both databases,
that a full disk there neither hides nor undoes an import that was applied.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .faults_env import audit_verify, helper, steward, steward_ok
from .faults_tmpfs import fill, small_disk

pytestmark = pytest.mark.slow

MEGABYTE = 1 << 20


def generate(env: dict[str, str], out: Path, students: int, seed: int) -> Path:
    steward_ok(env, "generate", "--students", str(students), "--seed", str(seed),
               "--out", str(out))  # fmt: skip
    return out


def assert_verified(env: dict[str, str]) -> None:
    verified = audit_verify(env)
    assert verified.returncode == 0, verified.stderr


def test_an_import_onto_a_full_disk_fails_cleanly_and_changes_nothing(
    tmp_path: Path, scratch_env: dict[str, str]
) -> None:
    if scratch_env.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("on PostgreSQL the database is not on the tmpfs (module docstring)")
    small = generate(scratch_env, tmp_path / "small", 300, 3)
    big = generate(scratch_env, tmp_path / "big", 3000, 7)
    with small_disk(tmp_path) as disk:
        env = {**scratch_env, "STEWARD_DATA_DIR": str(disk / "data")}
        steward_ok(env, "migrate", "-v0")
        steward_ok(env, "import", str(small))
        before = helper(env, "faults_snapshot")
        assert before["integrity_check"] == ["ok"] and before["students"] == 300
        ballast = fill(disk, leave=MEGABYTE)

        failed = steward(env, "import", str(big))
        assert failed.returncode != 0
        assert "Traceback" not in failed.stderr, failed.stderr
        assert "the disk is full" in failed.stderr
        assert "the roster is as it was" in failed.stderr
        assert helper(env, "faults_snapshot") == before
        assert_verified(env)

        ballast.unlink()
        steward_ok(env, "import", str(big))
        after = helper(env, "faults_snapshot")
        assert after["students"] == 3000
        assert after["integrity_check"] == ["ok"] and after["foreign_key_check"] == []
        assert after["head"][0] > before["head"][0]
        assert_verified(env)


def test_an_import_whose_log_finds_the_disk_full_is_applied_and_says_so(
    tmp_path: Path, scratch_env: dict[str, str]
) -> None:
    package = generate(scratch_env, tmp_path / "package", 200, 5)
    steward_ok(scratch_env, "migrate", "-v0")
    with small_disk(tmp_path) as disk:
        log = disk / "import-log.csv"
        fill(disk)
        done = steward(scratch_env, "import", str(package), "--error-log", str(log))
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr, done.stderr
        assert f"the import log could not be written ({log}: " in done.stderr
        assert "Imported" in done.stdout
        assert not log.exists()
    # Applied: the same package again changes nothing.
    again = steward_ok(scratch_env, "import", str(package), "--error-log", os.devnull)
    assert "No changes" in again
    assert_verified(scratch_env)
