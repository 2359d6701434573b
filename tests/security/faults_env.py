"""Child processes for the fault tests (#10 item 7): the `steward` command, helper scripts run
in the child's database, and `steward serve` on a free loopback port, killed with SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
STEWARD = str(Path(sys.executable).parent / "steward")


def steward(
    env: dict[str, str], *args: str, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run `steward ARGS` to the end in the child environment."""
    return subprocess.run(
        [STEWARD, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def steward_ok(env: dict[str, str], *args: str) -> str:
    """`steward ARGS`, which must succeed; its standard output."""
    done = steward(env, *args)
    assert done.returncode == 0, f"steward {' '.join(args)}: {done.stderr[-3000:]}"
    return done.stdout


def helper(env: dict[str, str], module: str, *args: str, stdin: str = "") -> Any:
    """Run `python -m tests.security.MODULE ARGS` in the child's database; its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-m", f"tests.security.{module}", *args],
        env=env, cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"{module} {' '.join(args)}: {done.stderr[-3000:]}"
    return json.loads(done.stdout)


def audit_verify(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return steward(env, "audit", "verify", "--workers", "1")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """`steward serve` on 127.0.0.1 in its own process, for killing."""

    def __init__(self, env: dict[str, str], log: Path, threads: int = 6) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("a") as out:
            self.process = subprocess.Popen(
                [STEWARD, "serve", "--port", str(self.port), "--threads", str(threads)],
                env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self._wait_ready()

    def _wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"steward serve exited: {self.log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/login/", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.kill()
        raise AssertionError(f"steward serve never answered: {self.log.read_text()[-3000:]}")

    def log_tail(self, characters: int = 4000) -> str:
        """The end of the server's output: the traceback behind a 500, if any."""
        return self.log.read_text(errors="replace")[-characters:]

    def kill(self) -> None:
        """SIGKILL: no handler runs, no transaction is finished, no file is flushed."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=60)


def stopped(pid: int) -> bool:
    """Whether process `pid` is stopped (SIGSTOP), per /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] in {"T", "t"}
