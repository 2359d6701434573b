"""SIGKILL of `steward export` at any point leaves no package without its disclosure entry
(#10 item 7; R55-R58 and R63: every disclosure recorded; design.md §3 rule 2).

The export is killed at each step it passes (stopped there by `faults_export_pause`, then
killed), and at random moments while the real command writes its package. After each kill:
no zip at the destination, or a complete one that an Export row describes; every Export row
has its disclosure entry and every export disclosure entry its row; the ledger verifies. A
rerun to the same destination succeeds and leaves no partial package behind.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from steward.sharing import staging

from .faults_env import ROOT, STEWARD, audit_verify, helper, steward, steward_ok, stopped
from .faults_export_pause import POINTS

RANDOM_KILLS = 4


def parts(target: Path) -> list[Path]:
    """Partial packages `do_export` left next to `target`."""
    return sorted(target.parent.glob(f".{target.name}.*.part"))


def export_facts(env: dict[str, str], target: Path) -> dict[str, Any]:
    """The database's exports, checked against their disclosure entries and `target`."""
    facts = helper(env, "faults_exports", "facts")
    if facts["vendor"] == "sqlite":
        assert facts["integrity_check"] == ["ok"]
        assert facts["foreign_key_check"] == []
    entry_of = {entry["export"]: entry["seq"] for entry in facts["entries"]}
    assert len(entry_of) == len(facts["entries"]), "two disclosure entries for one export"
    assert {e["pk"]: e["entry_seq"] for e in facts["exports"]} == entry_of
    if target.exists():
        with zipfile.ZipFile(target) as package:
            assert package.testzip() is None
        digest = hashlib.sha256(target.read_bytes()).hexdigest()
        assert digest in {e["sha256"] for e in facts["exports"] if e["path"] == str(target)}
    verified = audit_verify(env)
    assert verified.returncode == 0, verified.stderr
    return facts


def kill_at(env: dict[str, str], point: str, agreement: int, target: Path) -> None:
    """Run the export until it stops at `point`, then SIGKILL it."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.security.faults_export_pause", point,
         "export", "--agreement", str(agreement), "--out", str(target)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    while not stopped(child.pid):
        if child.poll() is not None or time.monotonic() > deadline:
            child.kill()
            _out, err = child.communicate()
            pytest.fail(f"the export never stopped at {point}: {err[-2000:]}")
        time.sleep(0.01)
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait(timeout=60) == -signal.SIGKILL


def run_export(env: dict[str, str], agreement: int, target: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [STEWARD, "export", "--agreement", str(agreement), "--out", str(target)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def wait_for_part(child: subprocess.Popen[str], target: Path) -> float | None:
    """When the package's temporary file appeared (monotonic), or None if the export ended."""
    while not list(target.parent.glob(f".{target.name}.{child.pid}.*.part")):
        if child.poll() is not None:
            return None
        time.sleep(0.002)
    return time.monotonic()


@pytest.mark.slow
def test_an_export_killed_at_each_step_leaves_no_package_without_its_disclosure(
    tmp_path: Path, scratch_env: dict[str, str]
) -> None:
    steward_ok(scratch_env, "demo", "--small", "--no-serve")
    agreement = helper(scratch_env, "faults_exports", "agreement")
    out = tmp_path / "out"
    out.mkdir()
    exports = len(export_facts(scratch_env, out / "none.zip")["exports"])
    for point in POINTS:
        target = out / f"{point}.zip"
        kill_at(scratch_env, point, agreement, target)
        assert not target.exists(), f"a package at {point}"
        assert parts(target), f"killed at {point} before the package was begun"
        facts = export_facts(scratch_env, target)
        # Only a kill after the commit leaves the export (and its entry) recorded.
        expected = exports + (1 if point == "committed" else 0)
        assert len(facts["exports"]) == expected, point
        exports = expected
    for point in POINTS:
        target = out / f"{point}.zip"
        steward_ok(scratch_env, "export", "--agreement", str(agreement), "--out", str(target))
        assert target.stat().st_mode & 0o077 == 0, "student data readable by other users"
        assert parts(target) == [], "the rerun left the killed export's partial package"
        export_facts(scratch_env, target)


@pytest.mark.slow
def test_an_export_killed_at_random_moments_leaves_no_package_without_its_disclosure(
    tmp_path: Path, scratch_env: dict[str, str]
) -> None:
    steward_ok(scratch_env, "demo", "--small", "--no-serve")
    agreement = helper(scratch_env, "faults_exports", "agreement")
    target = tmp_path / "package.zip"
    # One whole run, to learn how long the package takes from its temporary file to the end.
    child = run_export(scratch_env, agreement, target)
    began = wait_for_part(child, target)
    assert child.wait(timeout=600) == 0, child.communicate()[1]
    assert began is not None
    writing = time.monotonic() - began
    export_facts(scratch_env, target)
    target.unlink()

    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    print(f"kill moments from seed {seed}; the package takes {writing:.3f} s")
    for _round in range(RANDOM_KILLS):
        child = run_export(scratch_env, agreement, target)
        if wait_for_part(child, target) is not None:
            time.sleep(rng.uniform(0, writing))
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
        export_facts(scratch_env, target)  # none, or a complete package with its entry
        target.unlink(missing_ok=True)
    again = steward(scratch_env, "export", "--agreement", str(agreement), "--out", str(target))
    assert again.returncode == 0, again.stderr
    assert parts(target) == []
    export_facts(scratch_env, target)


def test_it_removes_only_the_partial_packages_no_export_is_writing(tmp_path: Path) -> None:
    target = tmp_path / "package.zip"
    left = tmp_path / f".package.zip.{os.getpid()}.0123abcd.part"  # by a killed export
    older = tmp_path / ".package.zip.4242.part"  # named as before staging.py
    elsewhere = tmp_path / ".other.zip.4242.0123abcd.part"
    unrelated = tmp_path / ".notes.part"
    for path in (left, older, elsewhere, unrelated):
        path.write_bytes(b"PK")
    writing = staging.stage(target)  # an export in progress, in this very process
    assert staging.remove_stale(target) == sorted([older, left])
    assert staging.remove_stale(target, whole_folder=True) == [elsewhere]
    assert sorted(tmp_path.iterdir()) == sorted([writing.path, unrelated])
    writing.move_to(target)
    assert sorted(tmp_path.iterdir()) == sorted([target, unrelated])


def test_a_package_is_staged_owner_only_under_a_name_no_other_export_shares(
    tmp_path: Path,
) -> None:
    target = tmp_path / "package.zip"
    first, second = staging.stage(target), staging.stage(target)
    assert first.path != second.path
    assert first.path.stat().st_mode & 0o777 == 0o600
    first.discard()
    second.discard()
    assert list(tmp_path.iterdir()) == []
