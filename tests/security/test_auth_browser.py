"""The sign-in security pages in headless Chromium against the live server (R33, R116(1)): a
teacher sets up an authenticator app from the page's key, keeps the recovery codes, signs in
again with one, re-authenticates before break-glass; a lockout page. axe-core finds no serious
or critical violation on any of them."""

from __future__ import annotations

import re
from base64 import b32decode
from binascii import hexlify
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.sessions.backends.db import SessionStore

from steward.accounts.models import Account
from tests.web import factories as f
from tests.web.axe import blocking, describe, run_axe
from tests.web.browser import browser

from .auth_support import PASSWORD, code_of

__all__ = ["browser"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def tab(browser: Any, live_server: Any, transactional_db: None) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def teacher(transactional_db: None, auth_fast_hasher: None) -> Any:
    run = f.import_run()
    return f.login(
        "tess", Account.Role.TEACHER, staff=f.staff(run, "Tess", "Turner"), password=PASSWORD
    )


def _path(page: Any) -> str:
    return urlsplit(page.url).path


def _submit(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def _password_sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    _submit(page, "form.stacked button[type=submit]")


def _axe(page: Any, found: dict[str, str]) -> None:
    serious = blocking(run_axe(page))
    if serious:
        found[page.url] = describe(serious)


def _age_session(page: Any, seconds: int) -> None:
    """Make the browser's last password and code `seconds` old, in the session store."""
    [cookie] = [c for c in page.context.cookies() if c["name"] == "sessionid"]
    session = SessionStore(cookie["value"])
    for key in ("steward.auth.password", "steward.auth.code"):
        session[key] = session[key] - seconds
    session.save()


def test_a_teacher_sets_up_mfa_signs_in_with_a_recovery_code_and_reauthenticates(
    tab: Any, teacher: Any
) -> None:
    found: dict[str, str] = {}
    _password_sign_in(tab, "tess")
    assert _path(tab) == "/security/mfa/setup/"
    _axe(tab, found)
    assert tab.locator("svg.mfa-qr").is_visible()
    key_text = tab.locator("#mfa-key").inner_text().replace(" ", "")
    key_hex = hexlify(b32decode(key_text + "=" * (-len(key_text) % 8))).decode()
    tab.locator("#id_code").fill(code_of(key_hex))
    _submit(tab, "#mfa-setup-form button[type=submit]")
    assert _path(tab) == "/security/mfa/recovery-codes/"
    _axe(tab, found)
    codes = tab.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    _submit(tab, "main a[href='/']")
    assert _path(tab) == "/"

    _submit(tab, "nav form button[type=submit]")  # sign out
    _password_sign_in(tab, "tess")
    assert _path(tab) == "/security/mfa/verify/"
    _axe(tab, found)
    tab.locator("#id_code").fill(codes[0])
    _submit(tab, "#mfa-verify-form button[type=submit]")
    assert _path(tab) == "/"
    assert "You used a recovery code: 9 are left." in tab.locator("main").inner_text()

    tab.goto("/security/mfa/")
    _axe(tab, found)
    _age_session(tab, 11 * 60)
    tab.goto("/students/break-glass/")
    assert _path(tab) == "/security/reauthenticate/"
    _axe(tab, found)
    tab.locator("#id_password").fill(PASSWORD)
    tab.locator("#id_code").fill(code_of(key_hex, steps_ahead=1))
    _submit(tab, "#reauth-form button[type=submit]")
    assert _path(tab) == "/students/break-glass/"
    assert not found, "\n".join(f"{url}\n{text}" for url, text in found.items())


def test_the_lockout_page_explains_the_pause(tab: Any, teacher: Any) -> None:
    for _ in range(5):
        _password_sign_in(tab, "tess", "not the password")
    assert re.search(r"paused for 30 minutes", tab.locator("main").inner_text())
    found: dict[str, str] = {}
    _axe(tab, found)
    assert not found, found
