"""The data migrations that encrypt the rows written before encryption (R116, #10 item 3):
forwards every plaintext value is sealed, backwards every value is opened again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from steward.security import crypto
from steward.security.crypto_migration import encrypt_existing
from tests.security.crypto_support import (
    crypto_keys,
    crypto_rows,
    encrypted_cells,
    put_raw,
    raw,
)

__all__ = ["crypto_keys", "crypto_rows"]

ROOT = Path(__file__).resolve().parents[2]
STEWARD = Path(sys.executable).parent / "steward"
OPERATIONS = [
    encrypt_existing(
        "records",
        [
            ("healthnote", "text"),
            ("healthalert", "text"),
            ("educationplan", "summary"),
            ("accommodation", "text"),
        ],
    ),
    encrypt_existing("requests", [("requestcopy", "pdf"), ("requestcopy", "archive")]),
]


def _sealed(stored: Any) -> bool:
    if isinstance(stored, str):
        return stored.startswith(crypto.TEXT_PREFIX)
    return bytes(stored).startswith(crypto.MAGIC)


def test_it_encrypts_existing_plaintext_and_decrypts_it_again_backwards(
    crypto_rows: SimpleNamespace,
) -> None:
    cells = encrypted_cells(crypto_rows)
    for model, column, pk, plain in cells:
        put_raw(model, column, pk, plain)
    editor: Any = SimpleNamespace(connection=connection)
    registry: Any = apps
    for operation in OPERATIONS:
        operation.code(registry, editor)
    sealed = {cell[:3]: raw(*cell[:3]) for cell in cells}
    assert all(_sealed(value) for value in sealed.values())
    for operation in OPERATIONS:  # twice: values already sealed are left alone
        operation.code(registry, editor)
    assert sealed == {cell[:3]: raw(*cell[:3]) for cell in cells}
    for model, column, pk, plain in cells:
        value = model._default_manager.values_list(column, flat=True).get(pk=pk)
        assert (bytes(value) if isinstance(plain, bytes) else value) == plain
    for operation in reversed(OPERATIONS):
        assert operation.reverse_code is not None
        operation.reverse_code(registry, editor)
    for model, column, pk, plain in cells:
        stored = raw(model, column, pk)
        assert (bytes(stored) if isinstance(plain, bytes) else stored) == plain


_WRITE = """
import datetime as dt
from steward.records.models import HealthAlert
from tests.web import factories as f
ana = f.student(f.import_run(), "Ana", "Avery")
HealthAlert.objects.create(student=ana, kind="allergy", text="Latex", severity="severe")
"""
_RAW = """
import json
from django.db import connection
with connection.cursor() as c:
    c.execute("SELECT text FROM records_healthalert")
    print(json.dumps([r[0] for r in c.fetchall()]))
"""


@pytest.mark.slow
def test_the_real_migrations_run_both_ways(scratch_env: dict[str, str]) -> None:
    env = {**scratch_env, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")])}

    def steward(*args: str) -> str:
        done = subprocess.run(
            [str(STEWARD), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    steward("migrate", "-v0")
    steward("shell", "-v0", "-c", _WRITE)
    [stored] = json.loads(steward("shell", "-v0", "-c", _RAW))
    assert stored.startswith(crypto.TEXT_PREFIX)
    steward("migrate", "records", "0001", "-v0")
    assert json.loads(steward("shell", "-v0", "-c", _RAW)) == ["Latex"]
    steward("migrate", "-v0")
    [again] = json.loads(steward("shell", "-v0", "-c", _RAW))
    assert again.startswith(crypto.TEXT_PREFIX) and "Latex" not in again
