"""Running the real `steward` command against a scratch database, for the backup tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.installations import installation

ROOT = Path(__file__).resolve().parents[2]
STEWARD = Path(sys.executable).parent / "steward"

# Adds one health note (text in NOTE) and one ledger entry naming it, as an action would.
WRITE = """
import datetime as dt, os
from django.db import transaction
from steward.audit.ledger import record
from steward.records.models import HealthNote
from steward.roster.models import Student
from tests.web import factories as f
with transaction.atomic():
    pupil = Student.objects.first() or f.student(f.import_run(), "Ana", "Avery")
    HealthNote.objects.create(student=pupil, date=dt.date(2026, 1, 5), text=os.environ["NOTE"])
    record(action="create", actor_name="backup test", detail={"note": os.environ["NOTE"]})
"""
# Writes notes, each with its ledger entry in the same transaction, until the file STOP exists.
WRITE_MANY = """
import datetime as dt, os
from django.db import transaction
from steward.audit.ledger import record
from steward.records.models import HealthNote
from steward.roster.models import Student
pupil, n = Student.objects.first(), 0
while not os.path.exists(os.environ["STOP"]):
    with transaction.atomic():
        HealthNote.objects.create(student=pupil, date=dt.date(2026, 1, 5), text=f"visit {n}")
        record(action="create", actor_name="backup test", detail={"note": f"visit {n}"})
    n += 1
"""
# Counts notes and the ledger entries that name a note: equal in any consistent snapshot.
COUNT = """
from steward.audit.models import Entry
from steward.records.models import HealthNote
named = Entry.objects.filter(actor_name="backup test").count()
print(HealthNote.objects.count(), named)
"""
# Prints the notes (decrypted), the raw stored values and the last ledger entry.
READ = """
import json
from django.db import connection
from steward.audit.models import Entry
from steward.records.models import HealthNote
with connection.cursor() as cursor:
    cursor.execute("SELECT text FROM records_healthnote ORDER BY id")
    stored = [row[0] for row in cursor.fetchall()]
last = Entry.objects.order_by("-seq").first()
print(json.dumps({
    "notes": list(HealthNote.objects.order_by("pk").values_list("text", flat=True)),
    "stored": stored,
    "head": last.seq if last else 0,
    "last": json.loads(last.detail or "{}") if last else {},
}))
"""


class Steward:
    """`steward …` in a child process with the scratch environment."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = {**env, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")])}

    def run(
        self, *args: Any, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(STEWARD), *map(str, args)],
            env={**self.env, **(env or {})},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )

    def ok(self, *args: Any, env: dict[str, str] | None = None) -> str:
        done = self.run(*args, env=env)
        assert done.returncode == 0, f"steward {args}: {done.stdout}\n{done.stderr}"
        return done.stdout

    def fails(self, *args: Any, env: dict[str, str] | None = None) -> str:
        """Run a command that must fail; returns its stderr."""
        done = self.run(*args, env=env)
        assert done.returncode != 0, f"steward {args} succeeded: {done.stdout}"
        return done.stderr

    def write_note(self, text: str) -> None:
        self.ok("shell", "-v0", "-c", WRITE, env={"NOTE": text})

    def spawn(self, code: str, env: dict[str, str]) -> subprocess.Popen[str]:
        """Start `steward shell -c code` in the background."""
        return subprocess.Popen(
            [str(STEWARD), "shell", "-v0", "-c", code],
            env={**self.env, **env},
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def counts(self) -> tuple[int, int]:
        notes, named = self.ok("shell", "-v0", "-c", COUNT).split()[-2:]
        return int(notes), int(named)

    def read(self) -> dict[str, Any]:
        return dict(json.loads(self.ok("shell", "-v0", "-c", READ).strip().splitlines()[-1]))


@pytest.fixture
def backup_new_machine(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A second, empty installation: its own data directory and (on PostgreSQL) its own empty
    database, as `scratch_env` makes the first one."""
    with installation(tmp_path / "new-machine", "steward_restore") as env:
        yield env
