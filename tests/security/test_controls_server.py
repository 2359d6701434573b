"""`steward serve` as deployed (#10 item 2; R116): behind a named reverse proxy it counts each
client by its forwarded address, the database cache shares the counters with other processes,
and a request body above the largest upload is refused before it reaches Steward."""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

STEWARD = Path(sys.executable).with_name("steward")
TOKEN = "/ims/oneroster/rostering/v1p2/token"
# Run in another process on the same database: one more token request from the guesser's
# address, counted in the shared cache.
OTHER_PROCESS = """
import django, json
django.setup()
from django.test import RequestFactory
from steward.security import ratelimits
request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.5")
try:
    ratelimits.hit(request, "oneroster-token", (2, 60))
    print(json.dumps("allowed"))
except ratelimits.RateLimited:
    print(json.dumps("limited"))
"""
LEDGER_ADDRESSES = """
import django, json
django.setup()
from steward.audit.models import Action, Entry
rows = Entry.objects.filter(action=Action.LOGIN_FAILED).order_by("seq")
print(json.dumps([e.client_ip for e in rows]))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _declare_oversized_body(base: str, path: str, length: int) -> int:
    """Send only the headers of a POST declaring a `length`-byte body; return the status.

    The server answers from the declared length alone. Sending the body as well would race:
    the server closes after its 413, and a client still writing gets a broken pipe, or a reset
    that discards the answer, depending on timing."""
    host, port = base.removeprefix("http://").split(":")
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: text/plain\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head.encode("ascii"))
        answer = b""
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    return int(answer.split(b" ", 2)[1])


def _token_request(base: str, forwarded_for: str) -> int:
    auth = base64.b64encode(b"no-such-client:wrong").decode()
    return _post(
        base + TOKEN,
        b"grant_type=client_credentials",
        {
            "Authorization": f"Basic {auth}",
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-For": forwarded_for,
            "X-Forwarded-Proto": "http",
        },
    )


def _python(code: str, env: dict[str, str]) -> object:
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_behind_its_proxy_each_client_is_counted_in_a_cache_shared_by_processes(
    scratch_env: dict[str, str],
) -> None:
    env = {
        **scratch_env,
        "DJANGO_SETTINGS_MODULE": "steward.settings",
        "STEWARD_CACHE_URL": "db://",
        "STEWARD_TRUSTED_PROXY": "127.0.0.1",
        "STEWARD_ROSTERING_TOKEN_RATE": "2/m",
        "STEWARD_UPLOAD_MAX_MB": "1",
        "STEWARD_REGISTRY_UPLOAD_MAX_MB": "1",
    }
    migrated = subprocess.run(
        [str(STEWARD), "migrate", "-v0"], env=env, capture_output=True, text=True, timeout=600
    )
    assert migrated.returncode == 0, migrated.stderr
    port = _free_port()
    server = subprocess.Popen(
        [str(STEWARD), "serve", "--port", str(port), "--threads", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                first = _token_request(base, "203.0.113.5")
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(server.stdout.read().decode() if server.stdout else "exited")
                time.sleep(0.1)
        else:
            pytest.fail("steward serve did not answer")
        assert first == 401
        assert _token_request(base, "203.0.113.5") == 401
        assert _token_request(base, "203.0.113.5") == 429
        # Another client behind the same proxy has its own count.
        assert _token_request(base, "203.0.113.6") == 401
        # The ledger names the clients, not the proxy.
        assert _python(LEDGER_ADDRESSES, env) == ["203.0.113.5", "203.0.113.5", "203.0.113.6"]
        # Another process sees the server's count: the guesser is still over the limit there.
        assert _python(OTHER_PROCESS, env) == "limited"
        # A body above the largest upload (1 MB here, plus 1 MB for the form) never reaches
        # Steward.
        big = _declare_oversized_body(base, "/login/", 3 * 1024 * 1024)
        assert big == 413
    finally:
        server.terminate()
        server.wait(timeout=10)
