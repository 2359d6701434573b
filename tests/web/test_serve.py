"""`steward serve`: collectstatic, then waitress on the given address."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from steward.accounts import server


def test_it_collects_static_files_then_serves_with_waitress(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.STATIC_ROOT = tmp_path / "static"
    served: list[dict[str, Any]] = []

    def fake_serve(app: object, **kwargs: Any) -> None:
        assert (tmp_path / "static" / "steward" / "site.css").exists()  # collected first
        served.append({"app": app, **kwargs})

    monkeypatch.setattr("waitress.serve", fake_serve)
    out = StringIO()
    call_command("serve", "--host", "127.0.0.2", "--port", "8765", "--threads", "3", stdout=out)
    from steward.wsgi import application

    assert served == [
        {
            "app": application,
            "host": "127.0.0.2",
            "port": 8765,
            "threads": 3,
            "ident": "Steward",
            # steward.security.deploy.server_options: above the largest upload (#10).
            "max_request_body_size": 21 * 1024 * 1024,
        }
    ]
    assert "http://127.0.0.2:8765/" in out.getvalue()


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8000/"),
        ("0.0.0.0", "http://127.0.0.1:8000/"),  # noqa: S104
        ("::1", "http://[::1]:8000/"),
    ],
)
def test_it_prints_an_address_a_browser_can_open(host: str, url: str) -> None:
    assert server.display_url(host, 8000) == url


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return response.status, response.headers.get("Content-Type", ""), response.read().decode()


@pytest.mark.slow
def test_it_serves_the_login_page_and_fingerprinted_css_over_http(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "STEWARD_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env.pop("STEWARD_DEBUG", None)
    steward = Path(sys.executable).with_name("steward")
    proc = subprocess.Popen(
        [str(steward), "serve", "--port", str(port), "--threads", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                status, _type, html = _get(f"{base}/login/")
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(proc.stdout.read().decode() if proc.stdout else "exited")
                time.sleep(0.1)
        else:
            pytest.fail("steward serve did not answer")
        assert status == 200
        css = re.search(r'href="(/static/steward/site\.[0-9a-f]{12}\.css)"', html)
        assert css, "the stylesheet should have a fingerprinted name"
        status, content_type, body = _get(base + css.group(1))
        assert status == 200
        assert content_type.startswith("text/css")
        assert ".skip-link" in body
    finally:
        proc.terminate()
        proc.wait(timeout=10)
