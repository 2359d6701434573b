"""Headless Chromium for the browser tests (Playwright's sync API, Debian's `/usr/bin/chromium`).

Import the fixtures into a test module (`from .browser import browser, page`) to use them.
Without Chromium the tests skip, unless `STEWARD_REQUIRE_BROWSER` is set (CI): then they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "browser-test-passphrase"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per test module."""
    if not CHROMIUM.exists():
        if os.environ.get("STEWARD_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing and STEWARD_REQUIRE_BROWSER is set")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread for as long as the
    # browser lives; Django would otherwise refuse every ORM call made meanwhile (fixtures,
    # database flushes), though nothing here is actually async.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A tab in a fresh browser context on the live server."""
    context = browser.new_context(base_url=live_server.url)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def wait_for_path(page: Any, path: str) -> None:
    page.wait_for_url(lambda url: urlsplit(url).path == path)


def sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
    """Sign in through the form, then pass the second factor when the user owes one."""
    mfa_device(username)
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    pass_second_factor(page, username)


def mfa_device(username: str) -> Any:
    """The confirmed TOTP device of `username`, made now if they owe a second factor and have
    none (as if they had enrolled before the test); None for a user who needs none."""
    from django.contrib.auth.models import User
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from steward.security import mfa

    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and mfa.required_for(user):
        device = TOTPDevice.objects.create(user=user, name="browser test", confirmed=True)
    return device


def current_code(device: Any) -> str:
    """The code `device`'s app shows now. Its last used step is forgotten first, so a test may
    sign the same user in twice within one 30-second step."""
    from django_otp.oath import totp

    type(device).objects.filter(pk=device.pk).update(last_t=-1)
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"


def pass_second_factor(page: Any, username: str) -> None:
    """On the verification page, type the current code of `username`'s device (else nothing)."""
    if urlsplit(page.url).path != "/security/mfa/verify/":
        return
    device = mfa_device(username)
    assert device is not None, f"{username} is asked for a code but has no device"
    page.locator("#id_code").fill(current_code(device))
    with page.expect_navigation():
        page.locator("#mfa-verify-form button[type=submit]").click()
