"""Where the encryption keys come from (R116, #10 item 3): the environment in production, a key
kept owner-only in the data directory elsewhere, and a clear refusal when production has none."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from steward.security import keys
from steward.security.crypto import Keyring
from tests.security.crypto_support import KEY_A, KEY_B


@pytest.fixture
def crypto_no_key_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data directory and no key variables."""
    monkeypatch.setenv("STEWARD_DATA_DIR", str(tmp_path))
    for name in (keys.RECORD_KEYS_ENV, keys.BACKUP_KEY_ENV, "STEWARD_HTTPS"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_outside_production_a_key_is_generated_once_and_kept_owner_only(
    crypto_no_key_env: Path,
) -> None:
    first = keys.record_keys_text()
    assert keys.record_keys_text() == first
    kept = crypto_no_key_env / keys.RECORD_KEY_FILE
    assert kept.read_text().strip() == first
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    backup = keys.backup_key()
    assert backup.id != keys.parse_key(first, source="x").id
    assert stat.S_IMODE((crypto_no_key_env / keys.BACKUP_KEY_FILE).stat().st_mode) == 0o600


def test_the_environment_wins_and_lists_the_current_key_first(
    crypto_no_key_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(keys.RECORD_KEYS_ENV, f" {KEY_B} , {KEY_A} ")
    parsed = keys.parse_keys(keys.record_keys_text(), source="x")
    assert [k.id for k in parsed] == [keys.key_id(k.secret) for k in parsed]
    assert Keyring(parsed).primary.id == keys.parse_key(KEY_B, source="x").id
    assert not (crypto_no_key_env / keys.RECORD_KEY_FILE).exists()


def test_production_without_a_key_is_refused(
    crypto_no_key_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEWARD_HTTPS", "1")
    with pytest.raises(keys.KeyConfigError, match="STEWARD_ENCRYPTION_KEYS is not set"):
        keys.record_keys_text()
    with pytest.raises(keys.KeyConfigError, match="STEWARD_BACKUP_KEY is not set"):
        keys.backup_key()
    assert not (crypto_no_key_env / keys.RECORD_KEY_FILE).exists()


def test_steward_refuses_to_start_in_production_without_a_key(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "STEWARD_DATA_DIR": str(tmp_path),
        "STEWARD_HTTPS": "1",
        "STEWARD_SECRET_KEY": "x" * 60,
    }
    env.pop(keys.RECORD_KEYS_ENV, None)
    done = subprocess.run(
        [sys.executable, "-c", "import steward.settings"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "STEWARD_ENCRYPTION_KEYS is not set" in done.stderr
    assert not (tmp_path / keys.RECORD_KEY_FILE).exists()


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("not base64 at all!", "base64"),
        ("c2hvcnQ", "decodes to 5 bytes"),
        (f"{KEY_A},{KEY_A}", "same key twice"),
        (" , ", "empty"),
    ],
    ids=["not-base64", "too-short", "twice", "empty"],
)
def test_a_malformed_key_list_is_refused_naming_the_variable(value: str, reason: str) -> None:
    with pytest.raises(keys.KeyConfigError) as raised:
        keys.parse_keys(value, source=keys.RECORD_KEYS_ENV)
    assert keys.RECORD_KEYS_ENV in str(raised.value)
    assert reason in str(raised.value)


def test_new_key_prints_a_key_the_variables_accept() -> None:
    out = io.StringIO()
    call_command("new_key", stdout=out)
    key = keys.parse_key(out.getvalue(), source="printed")
    assert len(key.secret) == keys.KEY_BYTES
    again = io.StringIO()
    call_command("new_key", stdout=again)
    assert again.getvalue() != out.getvalue()
