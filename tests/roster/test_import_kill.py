"""A tier-M import killed with SIGKILL part-way leaves the previous roster intact (issue #2).

Runs the real `steward` command in child processes against a scratch database of its own (an
SQLite file, or a scratch PostgreSQL database when DATABASE_URL points at PostgreSQL), kills the
import while it is writing enrollments, and checks that the database is byte-for-byte what it was
and that the next import succeeds.
"""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
from pathlib import Path

import pytest

STEWARD = str(Path(sys.executable).parent / "steward")

pytestmark = pytest.mark.slow


def steward(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [STEWARD, *args], env=env, capture_output=True, text=True, timeout=600, check=False
    )


def database_digest(env: dict[str, str]) -> str:
    """sha256 of every roster and accounts row, in primary-key order (Django's dumpdata)."""
    dump = steward(env, "dumpdata", "roster", "accounts", "--indent", "0")
    assert dump.returncode == 0, dump.stderr
    return hashlib.sha256(dump.stdout.encode()).hexdigest()


def test_it_keeps_the_previous_roster_when_an_import_is_killed_mid_write(
    tmp_path: Path, scratch_env: dict[str, str]
) -> None:
    small, medium = tmp_path / "tier-s", tmp_path / "tier-m"
    for out, students, seed in ((small, 1000, 3), (medium, 7000, 7)):
        made = steward(scratch_env, "generate", "--students", str(students), "--seed", str(seed),
                       "--out", str(out))  # fmt: skip
        assert made.returncode == 0, made.stderr
    assert steward(scratch_env, "migrate", "-v0").returncode == 0
    first = steward(scratch_env, "import", str(small))
    assert first.returncode == 0, first.stderr
    before = database_digest(scratch_env)

    child = subprocess.Popen(
        [STEWARD, "import", "-v2", str(medium)],
        env=scratch_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert child.stderr is not None
    seen = []
    for line in child.stderr:
        seen.append(line.strip())
        if line.startswith("phase: apply enrollments.csv"):
            break
    else:
        pytest.fail(f"the import never reached its enrollments: {seen[-5:]}")
    # Let it write a good part of the enrollments, inside its open transaction, then kill it.
    try:
        child.wait(timeout=0.5)
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=60) == -signal.SIGKILL, "the import finished before it was killed"

    assert database_digest(scratch_env) == before

    again = steward(scratch_env, "import", str(medium))
    assert again.returncode == 0, again.stderr
    with (medium / "demographics.csv").open() as handle:
        students_in_package = sum(1 for _ in handle) - 1  # one demographics row per student
    count = steward(
        scratch_env, "shell", "--no-imports", "-c",
        "from steward.roster.models import Student; "
        "print(Student.objects.filter(active=True).count())",
    )  # fmt: skip
    assert int(count.stdout.strip()) == students_in_package
