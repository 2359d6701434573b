"""What `steward restore` checks before it touches the database (#10 item 3): the database
kind, the backup key, and that the records' key is configured. In-process: no database rows."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.db import connection

from steward.security import backup_format as fmt
from steward.security import crypto
from steward.security.backup import check_backup
from steward.security.keys import new_key, parse_key


@pytest.fixture
def backup_key(monkeypatch: pytest.MonkeyPatch) -> str:
    key = new_key()
    monkeypatch.setenv("STEWARD_BACKUP_KEY", key)
    return key


def _file(tmp_path: Path, key: str, **fields: str) -> Path:
    path = tmp_path / "made.bak"
    with path.open("wb") as out:
        fmt.write(io.BytesIO(b"snapshot bytes").read, out, parse_key(key, source="t"), fields)
    return path


def test_a_good_file_checks_and_reports_its_header(tmp_path: Path, backup_key: str) -> None:
    path = _file(
        tmp_path,
        backup_key,
        database=connection.vendor,
        data_key_id=crypto.keyring().primary.hex_id,
    )
    header, size, sha256 = check_backup(path)
    assert header.database == connection.vendor
    assert size == path.stat().st_size and len(sha256) == 64


def test_a_backup_of_another_database_kind_is_refused(tmp_path: Path, backup_key: str) -> None:
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    path = _file(tmp_path, backup_key, database=other, data_key_id=crypto.keyring().primary.hex_id)
    with pytest.raises(fmt.BackupError, match=f"backup of a {other} database"):
        check_backup(path)


def test_a_backup_whose_record_key_is_not_configured_is_refused(
    tmp_path: Path, backup_key: str
) -> None:
    stranger = parse_key(new_key(), source="t").hex_id
    path = _file(tmp_path, backup_key, database=connection.vendor, data_key_id=stranger)
    with pytest.raises(fmt.BackupError, match=f"key id {stranger}, which is not among"):
        check_backup(path)


def test_a_backup_made_with_another_backup_key_is_refused(tmp_path: Path, backup_key: str) -> None:
    path = _file(
        tmp_path, new_key(), database=connection.vendor, data_key_id=crypto.keyring().primary.hex_id
    )
    with pytest.raises(fmt.WrongKeyError):
        check_backup(path)
