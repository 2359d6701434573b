"""Child processes for the load test (#10 item 6): the `steward` command, the district script
in the child's database, and `steward serve` on a free loopback port."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
STEWARD = str(Path(sys.executable).parent / "steward")


def steward(env: dict[str, str], *args: str, timeout: float = 900) -> str:
    """`steward ARGS` in the child environment, which must succeed; its standard output."""
    done = subprocess.run(
        [STEWARD, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, (
        f"steward {' '.join(args)}: {done.stdout[-2000:]}{done.stderr[-3000:]}"
    )
    return done.stdout


def district(env: dict[str, str], *args: str, stdin: str = "") -> Any:
    """`python -m tests.security.load_district ARGS` in the child's database; its JSON."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.security.load_district", *args],
        env=env, cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"load_district {' '.join(args)}: {done.stderr[-3000:]}"
    return json.loads(done.stdout)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """`steward serve` on 127.0.0.1 with `threads` worker threads, its output in `log`."""

    def __init__(self, env: dict[str, str], log: Path, threads: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [STEWARD, "serve", "--port", str(self.port), "--threads", str(threads)],
                env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"steward serve exited: {self.tail()}")
            try:
                if httpx.get(f"{self.url}/login/", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        raise AssertionError(f"steward serve never answered: {self.tail()}")

    def tail(self, characters: int = 4000) -> str:
        """The end of the server's output: the traceback behind a 500, if any."""
        return self.log.read_text(errors="replace")[-characters:]

    def stop(self) -> None:
        """SIGTERM, as a service manager stops it; waitress finishes what it is answering."""
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=60)
