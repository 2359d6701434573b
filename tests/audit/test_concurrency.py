"""Concurrent appends from 4 processes, each with 2 threads, give one valid chain (issue #3)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

STEWARD = str(Path(sys.executable).parent / "steward")
PROCESSES, THREADS, EACH, BATCH = 4, 2, 40, 25

WRITER = f"""
import os, threading, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")
django.setup()
from django.db import connection
from steward.audit.ledger import Event, record, record_many

def single(name):
    for i in range({EACH}):
        record(Event(action="read", actor_name=name, students=[i % 7], scopes=["grades"]))
    connection.close()

def batch(name):
    record_many([Event(action="read", actor_name=name, students=[i]) for i in range({BATCH})])
    connection.close()

me = str(os.getpid())
threads = [threading.Thread(target=single, args=(me + "-" + str(t),)) for t in range({THREADS})]
threads.append(threading.Thread(target=batch, args=(me + "-batch",)))
for t in threads: t.start()
for t in threads: t.join()
"""

pytestmark = pytest.mark.slow


def test_four_processes_appending_at_once_never_fork_the_chain(
    scratch_env: dict[str, str],
) -> None:
    assert subprocess.run([STEWARD, "migrate", "-v0"], env=scratch_env, check=False).returncode == 0
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER], env=scratch_env, stderr=subprocess.PIPE, text=True
        )
        for _ in range(PROCESSES)
    ]
    for writer in writers:
        _out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    verify = subprocess.run(
        [STEWARD, "audit", "verify"], env=scratch_env, capture_output=True, text=True, check=False
    )
    total = PROCESSES * (THREADS * EACH + BATCH)
    assert verify.returncode == 0, verify.stderr
    assert f"Ledger intact: {total} entries checked, last seq {total}," in verify.stdout
