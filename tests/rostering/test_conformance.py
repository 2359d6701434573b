"""A OneRoster 1.2 client against a running Steward over HTTP (issue #7 acceptance):
`steward serve` on a free loopback port with a scratch database, then the token request,
teachers filtered on e-mail, a teacher's classes filtered on status, a class's students, and
paging with limit/offset and X-Total-Count; every body validates against the 1EdTech schema."""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.rostering import schema

STEWARD = Path(sys.executable).with_name("steward")
SEED = Path(__file__).with_name("seed_conformance.py")
API = "/ims/oneroster/rostering/v1p2"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _call(url: str, *, data: bytes | None = None, headers: dict[str, str]) -> tuple[int, Any, Any]:
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read())


@pytest.fixture
def server(scratch_env: dict[str, str]) -> Iterator[tuple[str, dict[str, str]]]:
    env = {**scratch_env}
    env.pop("STEWARD_DEBUG", None)
    subprocess.run([str(STEWARD), "migrate", "-v0"], env=env, check=True)
    seeded = subprocess.run(
        [sys.executable, str(SEED)], env=env, check=True, capture_output=True, text=True
    )
    facts = json.loads(seeded.stdout.strip().splitlines()[-1])
    port = _free_port()
    proc = subprocess.Popen(
        [str(STEWARD), "serve", "--port", str(port), "--threads", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/login/", timeout=2).close()  # noqa: S310
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(proc.stdout.read().decode() if proc.stdout else "exited")
                time.sleep(0.1)
        else:
            pytest.fail("steward serve did not answer")
        yield base, facts
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.slow
def test_a_oneroster_client_syncs_over_http(server: tuple[str, dict[str, str]]) -> None:
    base, facts = server
    credentials = base64.b64encode(f"{facts['client_id']}:{facts['secret']}".encode()).decode()
    status, headers, token = _call(
        base + API + "/token",
        data=urllib.parse.urlencode({"grant_type": "client_credentials"}).encode(),
        headers={
            "Authorization": f"Basic {credentials}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert status == 200, token
    assert token["token_type"] == "Bearer"
    bearer = {"Authorization": f"Bearer {token['access_token']}", "Accept": "application/json"}

    def get(path: str, **params: str) -> tuple[int, Any, Any]:
        query = "?" + urllib.parse.urlencode(params) if params else ""
        return _call(base + API + path + query, headers=bearer)

    status, headers, body = get("/teachers", filter=f"email='{facts['teacher_email']}'")
    assert status == 200
    schema.validate(body, "UserSetDType")
    assert [u["sourcedId"] for u in body["users"]] == [facts["teacher"]]
    assert headers["X-Total-Count"] == "1"

    status, _headers, body = get(f"/teachers/{facts['teacher']}/classes", filter="status='active'")
    assert status == 200
    schema.validate(body, "ClassSetDType")
    assert [c["sourcedId"] for c in body["classes"]] == [facts["homeroom"]]

    status, _headers, body = get(f"/classes/{facts['homeroom']}/students")
    assert status == 200
    schema.validate(body, "UserSetDType")
    assert sorted(u["givenName"] for u in body["users"]) == ["Ana", "Ben"]

    seen: list[str] = []
    offset, total = 0, None
    while total is None or offset < total:
        status, headers, body = get("/users", limit="3", offset=str(offset))
        assert status == 200
        schema.validate(body, "UserSetDType")
        total = int(headers["X-Total-Count"])
        assert 'rel="next"' in headers["Link"] or offset + 3 >= total
        seen += [u["sourcedId"] for u in body["users"]]
        offset += 3
    assert total == 9 and len(seen) == len(set(seen)) == total

    status, _headers, body = get("/users/not-a-user")
    assert status == 404
    schema.validate(body, "imsx_StatusInfoDType")
