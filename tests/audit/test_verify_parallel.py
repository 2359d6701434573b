"""`steward audit verify` on a large SQLite ledger: slices verified in parallel processes agree
with the single-process reference, and damage in any slice is still found and named (#3)."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

# Runs in a child process with its own SQLite file: the parallel path forks, and forked
# children must open the same database file, which an in-memory test database is not.
SCRIPT = """
import os, sys, json, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")
django.setup()
from django.core.management import call_command
from django.db import connection
from steward.audit import verify
from steward.audit.ledger import Event, record_many
call_command("migrate", verbosity=0)
record_many([Event(action="read", actor_name="T", students=[i % 50 + 1]) for i in range(900)])
tamper = sys.argv[1]
with connection.cursor() as cursor:
    if tamper == "edit":
        cursor.execute("UPDATE audit_entry SET purpose = 'changed' WHERE seq = 700")
    elif tamper == "delete":
        cursor.execute("DELETE FROM audit_entry WHERE seq = 301")
    elif tamper == "swap":
        cursor.execute("UPDATE audit_entry SET seq = -1 WHERE seq = 600")
        cursor.execute("UPDATE audit_entry SET seq = 600 WHERE seq = 601")
        cursor.execute("UPDATE audit_entry SET seq = 601 WHERE seq = -1")
connection.close()
verify.MIN_PER_WORKER = 300  # three slices of 300
slices = verify._slices(1, 900, 3)
joined = []
real_joined = verify._joined
def spy(reports, jobs, parts):
    joined.append(len(reports))
    return real_joined(reports, jobs, parts)
verify._joined = spy
report = verify.verify_ledger(workers=3)
damage = report.damage
print(json.dumps({
    "slices": slices, "joined": joined, "ok": report.ok, "checked": report.checked,
    "last_seq": report.last_seq,
    "damage": None if damage is None else [damage.seq, damage.kind],
    "reference": verify.verify_ledger(workers=1).last_hash if report.ok else None,
    "last_hash": report.last_hash,
}))
"""


def run(tamper: str, env: dict[str, str]) -> dict[str, object]:
    import json

    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, tamper], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.fixture
def sqlite_env(scratch_env: dict[str, str]) -> dict[str, str]:
    if "DATABASE_URL" in scratch_env:
        pytest.skip("the parallel path is SQLite's")
    return scratch_env


def test_parallel_slices_verify_an_intact_ledger_like_one_process(
    sqlite_env: dict[str, str],
) -> None:
    result = run("none", sqlite_env)
    assert result["slices"] == [[1, 300], [301, 600], [601, 900]]
    assert result["joined"] == [3]  # three child processes' reports were joined
    assert result["ok"] is True
    assert result["checked"] == 900 and result["last_seq"] == 900
    assert result["last_hash"] == result["reference"]


@pytest.mark.parametrize(
    ("tamper", "seq", "kind"),
    [("edit", 700, "edit"), ("delete", 301, "deletion"), ("swap", 600, "reordering")],
)
def test_damage_in_any_slice_is_found_and_named_by_the_reference_path(
    sqlite_env: dict[str, str], tamper: str, seq: int, kind: str
) -> None:
    result = run(tamper, sqlite_env)
    assert result["joined"] == [3]
    assert result["ok"] is False
    assert result["damage"] == [seq, kind]
