"""The Content Security Policy (#10 item 2; design.md §6, R116): on every response, nothing inline,
nothing from elsewhere; the templates hold no inline script, style or event handler for it to
break; a weakened policy fails the system checks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from steward.accounts.models import Account
from steward.security import csp, deploy
from tests.web import factories as f

SRC = Path(__file__).resolve().parents[2] / "src" / "steward"
EXPECTED = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}
# What a strict policy refuses to run or apply, as it appears in a template.
INLINE = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc\s*=)", re.IGNORECASE),
    "<style> element": re.compile(r"<style\b", re.IGNORECASE),
    "style= attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "event handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def directives(header: str) -> dict[str, set[str]]:
    parsed: dict[str, set[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = set(values)
    return parsed


def templates() -> list[Path]:
    found = sorted(SRC.glob("templates/**/*.html")) + sorted(SRC.glob("*/templates/**/*.html"))
    assert len(found) > 100  # the scan sees the whole site, not an empty glob
    return found


def test_no_template_holds_inline_script_style_or_event_handlers() -> None:
    problems = []
    for path in templates():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for what, pattern in INLINE.items():
                if pattern.search(line):
                    problems.append(f"{path.relative_to(SRC)}:{number}: {what}: {line.strip()}")
    assert not problems, "\n".join(problems)


def test_the_scan_would_catch_each_kind_of_inline_code() -> None:
    samples = {
        "inline <script>": '<script>alert(1)</script> <script src="/static/x.js"></script>',
        "<style> element": "<style>p{}</style>",
        "style= attribute": '<div class="x" style="color: red">',
        "event handler attribute": '<img src="x" onerror="alert(1)">',
        "javascript: URL": '<a href="javascript:void(0)">',
    }
    for what, sample in samples.items():
        assert INLINE[what].search(sample), what
    assert not INLINE["inline <script>"].search('<script src="/static/x.js"></script>')


@pytest.mark.parametrize(
    "path", ["/login/", "/privacy/apps/", "/no-such-page/"], ids=["login", "public", "404"]
)
def test_anonymous_pages_carry_the_policy(client: Client, db: None, path: str) -> None:
    response = client.get(path)
    assert response.status_code in {200, 404}
    assert directives(response["Content-Security-Policy"]) == EXPECTED


@pytest.mark.parametrize(
    ("role", "url_name"),
    [
        (Account.Role.TEACHER, "home"),
        (Account.Role.PRIVACY_OFFICER, "home"),
        (Account.Role.PRIVACY_OFFICER, "vendors-dashboard"),
        (Account.Role.PRIVACY_OFFICER, "rostering-clients"),
    ],
    ids=["teacher home", "officer home", "vendor dashboard", "api clients"],
)
def test_signed_in_pages_carry_the_policy(
    client: Client, db: None, role: str, url_name: str
) -> None:
    f.import_run()
    client.force_login(f.login(f"csp-{role}", role))
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == EXPECTED
    assert " style=" not in response.content.decode()


def test_the_api_and_redirects_carry_it_too(client: Client, db: None) -> None:
    token = client.post("/ims/oneroster/rostering/v1p2/token", {"grant_type": "password"})
    assert directives(token["Content-Security-Policy"]) == EXPECTED
    redirect = client.get(reverse("vendors-dashboard"))
    assert redirect.status_code == 302
    assert directives(redirect["Content-Security-Policy"]) == EXPECTED


def test_single_sign_on_and_a_report_collector_extend_only_their_directives() -> None:
    built = csp.policy(
        form_targets=["https://login.example.org/tenant/v2.0", "https://login.example.org/a", ""],
        report_uri="https://csp.example.org/report",
    )["DIRECTIVES"]
    assert built["form-action"] == ["'self'", "https://login.example.org"]
    assert built["report-uri"] == ["https://csp.example.org/report"]
    assert built["script-src"] == ["'self'"] and built["style-src"] == ["'self'"]
    assert csp.origin("not a url") == "" and csp.origin("ftp://x.example/") == ""


def test_the_policy_passes_its_system_check() -> None:
    assert deploy.check_content_security_policy() == []


@pytest.mark.parametrize(
    ("directive", "values", "complaint"),
    [
        ("style-src", ["'self'", "'unsafe-inline'"], "style-src allows 'unsafe-inline'"),
        ("script-src", ["'self'", "'unsafe-eval'"], "script-src allows 'unsafe-eval'"),
        ("default-src", ["*"], "default-src allows *"),
        ("object-src", ["'self'"], "object-src must be 'none'"),
        ("frame-ancestors", [], "frame-ancestors must be 'none'"),
    ],
)
def test_a_weakened_policy_fails_the_system_check(
    settings: Any, directive: str, values: list[str], complaint: str
) -> None:
    policy = {"DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], directive: values}}
    settings.CONTENT_SECURITY_POLICY = policy
    errors = deploy.check_content_security_policy()
    assert [e.id for e in errors] == ["steward.controls.E001"]
    assert complaint in errors[0].msg


def test_a_missing_middleware_fails_the_system_check(settings: Any) -> None:
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != deploy.CSP_MIDDLEWARE]
    errors = deploy.check_content_security_policy()
    assert [e.id for e in errors] == ["steward.controls.E001"]
    assert "not in MIDDLEWARE" in errors[0].msg
