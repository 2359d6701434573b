"""`steward backup` and `steward restore` round trips on the configured database kind (SQLite,
or PostgreSQL when DATABASE_URL says so), through the real commands in child processes (#10)."""

from __future__ import annotations

import stat
import time
from pathlib import Path

import pytest

from steward.security.crypto import TEXT_PREFIX
from steward.security.keys import new_key
from tests.security.backup_support import WRITE_MANY, Steward, backup_new_machine

pytestmark = pytest.mark.slow
__all__ = ["backup_new_machine"]


@pytest.fixture
def steward(scratch_env: dict[str, str]) -> Steward:
    """A migrated scratch database holding one note written before any backup."""
    runner = Steward(scratch_env)
    runner.ok("migrate", "-v0")
    runner.write_note("Before the backup: asthma attack.")
    return runner


def test_a_restore_brings_back_the_backup_and_drops_later_writes(
    steward: Steward, tmp_path: Path
) -> None:
    backup = tmp_path / "nightly.bak"
    said = steward.ok("backup", "--out", backup)
    assert "Backup written" in said and "Audit ledger intact" in said
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []
    assert b"asthma" not in backup.read_bytes()
    steward.write_note("After the backup: nosebleed.")
    before = steward.read()

    refusal = steward.fails("restore", backup)
    assert "--yes" in refusal
    assert steward.read()["notes"] == before["notes"]

    said = steward.ok("restore", backup, "--yes")
    assert "Restored" in said and "Audit ledger intact" in said
    assert "steward migrate" not in said
    after = steward.read()
    assert after["notes"] == ["Before the backup: asthma attack."]
    assert all(value.startswith(TEXT_PREFIX) for value in after["stored"])
    assert after["last"]["event"] == "restore"
    assert after["last"]["replaced_ledger_head"]["seq"] == before["head"]
    assert after["head"] == after["last"]["ledger_head"]["seq"] + 1
    assert "Ledger intact" in steward.ok("audit", "verify")


def test_restore_refuses_a_changed_cut_or_foreign_file_and_changes_nothing(
    steward: Steward, tmp_path: Path
) -> None:
    backup = tmp_path / "nightly.bak"
    steward.ok("backup", "--out", backup)
    steward.write_note("Written after the backup.")
    before = steward.read()
    blob = backup.read_bytes()

    tampered = tmp_path / "tampered.bak"
    changed = bytearray(blob)
    changed[len(blob) // 2] ^= 0x20
    tampered.write_bytes(bytes(changed))
    assert "does not authenticate" in steward.fails("restore", tampered, "--yes")

    truncated = tmp_path / "truncated.bak"
    truncated.write_bytes(blob[: len(blob) - 1000])
    assert "truncated" in steward.fails("restore", truncated, "--yes")

    other_key = {"STEWARD_BACKUP_KEY": new_key()}
    assert "backup key id" in steward.fails("restore", backup, "--yes", env=other_key)

    notes = tmp_path / "notes.txt"
    notes.write_text("not a backup")
    assert "not a Steward backup" in steward.fails("restore", notes, "--yes")

    assert "exists already" in steward.fails("backup", "--out", backup)
    assert steward.read() == before
    assert "Ledger intact" in steward.ok("audit", "verify")


def test_a_backup_taken_while_another_process_writes_is_consistent(
    steward: Steward, tmp_path: Path
) -> None:
    """Each note is written with its ledger entry in one transaction: a consistent snapshot
    holds as many of one as of the other, and its ledger verifies."""
    stop = tmp_path / "stop"
    writer = steward.spawn(WRITE_MANY, {"STOP": str(stop)})
    try:
        deadline = time.monotonic() + 300
        while steward.counts()[0] < 20:
            assert writer.poll() is None and time.monotonic() < deadline, "the writer stopped"
        backup = tmp_path / "busy.bak"
        steward.ok("backup", "--out", backup)
        assert writer.poll() is None, "the writer stopped before the backup ended"
    finally:
        stop.touch()
        _, errors = writer.communicate(timeout=600)
    assert writer.returncode == 0, errors
    final, named = steward.counts()
    assert final == named
    steward.ok("restore", backup, "--yes")
    notes, named = steward.counts()
    assert notes == named
    assert 20 <= notes < final
    assert "Ledger intact" in steward.ok("audit", "verify")


def test_a_new_machine_restores_with_the_two_keys_alone(
    steward: Steward,
    scratch_env: dict[str, str],
    backup_new_machine: dict[str, str],
    tmp_path: Path,
) -> None:
    """Disaster recovery: an empty installation, given the backup file and the district's two
    keys (never the old machine's data directory), gets the records back, readable."""
    backup = tmp_path / "offsite.bak"
    steward.ok("backup", "--out", backup)
    old = Path(scratch_env["STEWARD_DATA_DIR"])
    record_key = (old / "encryption_key").read_text().strip()
    backup_key = (old / "backup_key").read_text().strip()
    fresh = Steward(backup_new_machine)

    refusal = fresh.fails("restore", backup, "--yes", env={"STEWARD_BACKUP_KEY": backup_key})
    assert "not among STEWARD_ENCRYPTION_KEYS" in refusal

    keys = {"STEWARD_BACKUP_KEY": backup_key, "STEWARD_ENCRYPTION_KEYS": record_key}
    assert "Restored" in fresh.ok("restore", backup, "--yes", env=keys)
    fresh.env.update(keys)
    assert fresh.read()["notes"] == ["Before the backup: asthma attack."]
    assert "Ledger intact" in fresh.ok("audit", "verify")
    database = Path(backup_new_machine["STEWARD_DATA_DIR"]) / "steward.sqlite3"
    if "DATABASE_URL" not in backup_new_machine:
        assert stat.S_IMODE(database.stat().st_mode) == 0o600
