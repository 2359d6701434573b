"""A roster change committed by one process is seen by the very next check in another
(issue #4: "in this process and in every other worker process of a multi-process server")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STEWARD = str(Path(sys.executable).parent / "steward")
PRELUDE = """
import os, sys, json, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")
django.setup()
"""
SETUP = (
    PRELUDE
    + """
from tests.web import factories as f
run = f.import_run()
school = f.org(run, "Adams Elementary")
term = f.term(run, "Fall")
math = f.section(run, school, "Math", [term])
tess = f.staff(run, "Tess", "Turner")
f.enroll(run, tess, math, f.days(-60))
ann = f.student(run, "Ann", "Avery")
f.attend(run, ann, school, f.days(-60))
enrollment = f.enroll(run, ann, math, f.days(-60))
f.login("officer", "privacy_officer")
print(json.dumps({"staff": tess.pk, "student": ann.pk, "enrollment": enrollment.pk}))
"""
)
# A long-lived worker: answers "staff student scope" lines with 1 or 0, one per line.
CHECKER = (
    PRELUDE
    + """
from django.db import connection
from steward.access import service
for line in sys.stdin:
    staff, student, scope = line.split()
    index = service.current_index()
    print(int(index.can_access(int(staff), int(student), scope, service._today(None))), flush=True)
"""
)
WITHDRAW = (
    PRELUDE
    + """
from steward.roster.models import Enrollment
from tests.web.factories import days
e = Enrollment.objects.get(pk=int(sys.argv[1]))
e.end_date = days(-40)
e.save()
"""
)
NO_DIRECTORY_FOR_TEACHERS = (
    PRELUDE
    + """
from django.contrib.auth.models import User
from steward.access import actions
from steward.access.policy import DEFAULT_POLICY, Policy, Rule
rules = [Rule(r.relation, r.scopes - {"directory"}, r.qualifier, r.grace_days, r.label)
         if r.relation == "section" else r for r in DEFAULT_POLICY.rules]
actions.do_set_policy(policy=Policy(rules), user=User.objects.get(username="officer"), note="x")
"""
)

pytestmark = pytest.mark.slow


def _run(script: str, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_change_in_one_process_is_seen_by_the_next_check_in_another(
    scratch_env: dict[str, str],
) -> None:
    assert subprocess.run([STEWARD, "migrate", "-v0"], env=scratch_env, check=False).returncode == 0
    ids = json.loads(_run(SETUP, scratch_env))
    checker = subprocess.Popen(
        [sys.executable, "-c", CHECKER],
        env=scratch_env,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert checker.stdin is not None and checker.stdout is not None

    def check(scope: str) -> bool:
        assert checker.stdin is not None and checker.stdout is not None
        checker.stdin.write(f"{ids['staff']} {ids['student']} {scope}\n")
        checker.stdin.flush()
        return checker.stdout.readline().strip() == "1"

    try:
        assert check("directory") and check("attendance")
        _run(NO_DIRECTORY_FOR_TEACHERS, scratch_env)
        assert not check("directory")
        assert check("attendance")
        _run(WITHDRAW, scratch_env, str(ids["enrollment"]))
        assert not check("attendance")
    finally:
        checker.stdin.close()
        checker.wait(timeout=60)
