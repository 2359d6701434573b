"""Journeys in headless Chromium (Playwright, sync API) against pytest-django's live server."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from steward.accounts.models import Account

from . import factories as f
from .browser import sign_in as _sign_in
from .browser import wait_for_path as _wait_for_path

pytestmark = [
    pytest.mark.browser,
    # The live server's WhiteNoise looks for STATIC_ROOT, which tests never collect; the
    # live server serves static files from the finders instead.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PASSWORD = "browser-test-passphrase"


@pytest.fixture
def logins(district: SimpleNamespace, transactional_db: None) -> SimpleNamespace:
    return SimpleNamespace(
        teacher=f.login("teacher", Account.Role.TEACHER, staff=district.tess, password=PASSWORD),
        guardian=f.login(
            "guardian", Account.Role.GUARDIAN, guardian=district.gail, password=PASSWORD
        ),
    )


def test_a_teacher_signs_in_and_sees_their_sections(page: Any, logins: SimpleNamespace) -> None:
    _sign_in(page, "teacher", PASSWORD)
    _wait_for_path(page, "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your sections"
    table = page.get_by_role("table")
    assert table.get_by_role("rowheader", name="Grade 3 Math").is_visible()
    assert "Fall term" in table.inner_text()
    assert "Grade 3 Reading" not in page.content()
    assert page.locator("html").get_attribute("lang") == "en"


def test_a_guardian_signs_in_and_sees_their_children(page: Any, logins: SimpleNamespace) -> None:
    _sign_in(page, "guardian", PASSWORD)
    _wait_for_path(page, "/")
    children = page.get_by_role("heading", level=2).all_inner_texts()
    assert children == ["Ann Avery", "Ben Avery"]
    assert "Science 7" in page.inner_text("main")
    assert "Dan" not in page.inner_text("main")


def test_a_wrong_password_shows_an_error(page: Any, logins: SimpleNamespace) -> None:
    _sign_in(page, "teacher", "not the password")
    alert = page.get_by_role("alert")
    assert "correct username and password" in alert.inner_text()
    assert page.url.endswith("/login/")


def test_the_skip_link_moves_focus_to_the_main_content(page: Any, logins: SimpleNamespace) -> None:
    # On the home page: the login page autofocuses the username field instead.
    _sign_in(page, "teacher", PASSWORD)
    _wait_for_path(page, "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def test_signing_out_returns_to_the_login_page(page: Any, logins: SimpleNamespace) -> None:
    _sign_in(page, "teacher", PASSWORD)
    page.get_by_role("button", name="Sign out").click()
    _wait_for_path(page, "/login/")
    page.goto("/")
    assert "/login/" in page.url
