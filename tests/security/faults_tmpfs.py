"""A small filesystem to fill up, for the full-disk tests (#10 item 7).

`small_disk` gives a test a folder on a tmpfs: its own, mounted for it when the tests run as
root, else the one `.ci/run` provisioned (`STEWARD_FAULTS_TMPFS`), held under a lock since
filling it is only meaningful for one test at a time. Without either the test skips, unless
`STEWARD_REQUIRE_BROWSER` is set (CI), where it fails. `fill` then takes the free space.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ENV = "STEWARD_FAULTS_TMPFS"
SIZE = "64m"


@contextlib.contextmanager
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A folder on a tmpfs that only this test fills (module docstring)."""
    why = "not running as root, so no tmpfs can be mounted"
    if os.geteuid() == 0 and shutil.which("mount"):
        mount = tmp_path / "tmpfs"
        mount.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={SIZE},mode=0700", "tmpfs", str(mount)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode == 0:
            try:
                yield mount
            finally:
                subprocess.run(["umount", str(mount)], check=True)
            return
        why = f"mounting a tmpfs failed: {done.stderr.strip()}"
    provided = os.environ.get(ENV, "")
    if provided:
        with open(Path(provided) / ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            folder = Path(provided) / uuid.uuid4().hex
            folder.mkdir()
            try:
                yield folder
            finally:
                shutil.rmtree(folder)
        return
    message = f"no small filesystem to fill: {why}, and {ENV} is not set"
    if os.environ.get("STEWARD_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


def fill(folder: Path, leave: int = 0) -> Path:
    """Take all but `leave` bytes of the free space of `folder`'s filesystem with a ballast
    file (allocated, not sparse); delete it to free the space again."""
    ballast = folder / "ballast"
    size = shutil.disk_usage(folder).free - leave
    with open(ballast, "wb") as handle:
        os.posix_fallocate(handle.fileno(), 0, size)
    assert shutil.disk_usage(folder).free <= leave + 64 * 1024
    return ballast
