"""`steward audit query` and `steward audit export` + offline verification (issue #3)."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from steward import cli
from steward.audit.ledger import Event, Release, record
from steward.audit.models import Action
from tests.web import factories as f

pytestmark = pytest.mark.django_db


def audit(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = 0
    try:
        cli.main(["steward", "audit", *args])
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_query_lists_a_students_entries_as_csv(capsys: pytest.CaptureFixture[str]) -> None:
    run = f.import_run()
    ana, ben = f.student(run, "Ana", "Lopez"), f.student(run, "Ben", "Ortiz")
    record(
        Event(
            action=Action.READ,
            actor_name="T. Teacher",
            actor_role="teacher",
            students=[ana.pk],
            scopes=["grades"],
        )
    )
    record(Event(action=Action.READ, actor_name="T. Teacher", students=[ben.pk]))
    record(
        Event(
            action=Action.EXPORT,
            actor_name="Export job",
            students=[ana.pk, ben.pk],
            basis="A1",
            agreement_id="DSA-1",
        )
    )
    code, out, _err = audit(capsys, "query", "--student", ana.sourced_id)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 2
    assert {r["action"] for r in rows} == {"read", "export"}


def test_query_for_a_family_hides_staff_reads_but_shows_disclosures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run = f.import_run()
    ana = f.student(run, "Ana", "Lopez")
    record(
        Event(
            action=Action.READ,
            actor_name="T. Teacher",
            actor_role="teacher",
            students=[ana.pk],
            scopes=["grades"],
        )
    )
    record(
        Event(
            action=Action.RELEASE,
            actor_name="Custodian",
            actor_role="privacy_officer",
            students=[ana.pk],
            basis="A9",
            release=Release("Pat", "custodian", "sig", "County court", "clerk", "Superior Court"),
        )
    )
    code, out, _err = audit(capsys, "query", "--student", ana.sourced_id, "--family")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["action"] for r in rows] == ["release"]


def test_query_refuses_an_unknown_student(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = audit(capsys, "query", "--student", "stu-nobody")
    assert code != 0 and "stu-nobody" in err


def test_an_export_and_checkpoint_verify_offline_with_only_the_public_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for i in range(5):
        record(Event(action=Action.READ, actor_name=f"reader {i}", students=[i]))
    assert audit(capsys, "checkpoint")[0] == 0
    ledger, checkpoint, key = tmp_path / "l.jsonl", tmp_path / "cp.json", tmp_path / "k.pem"
    assert audit(capsys, "public-key", "--out", str(key))[0] == 0
    code, _out, _err = audit(
        capsys, "export", "--out", str(ledger), "--checkpoint-out", str(checkpoint)
    )
    assert code == 0
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    args = [
        sys.executable,
        "-m",
        "steward.audit.export",
        "verify",
        str(ledger),
        "--public-key",
        str(key),
        "--checkpoint",
        str(checkpoint),
    ]
    ok = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    lines = ledger.read_text().splitlines()
    ledger.write_text("\n".join(lines[:3]) + "\n")  # truncated before the checkpoint
    bad = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    assert bad.returncode == 1 and "truncation" in bad.stdout + bad.stderr
