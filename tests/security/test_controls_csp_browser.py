"""The strict Content Security Policy in a real browser (#10 item 2, R116): Chromium reports no
violation on the sign-in pages, the second-factor enrolment page with its QR code, and the
officer's pages, and the charts keep their size with their styles in the stylesheet."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from steward.accounts.models import Account
from tests.web import factories as f
from tests.web.browser import PASSWORD, browser, page, sign_in
from tests.web.conftest import district

__all__ = ["browser", "district", "page"]
pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]
# Recorded in the page before any of its own content runs (an init script is injected by the
# DevTools protocol, which the page's policy does not govern).
WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


def _watch(page: Any) -> list[str]:
    messages: list[str] = []
    page.context.add_init_script(WATCH)
    page.on(
        "console",
        lambda message: (
            messages.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return messages


def _violations(page: Any) -> list[str]:
    found = page.evaluate("() => window.__cspViolations")
    assert found is not None, "the watch script did not run"
    return list(found)


def test_the_sign_in_and_enrolment_pages_run_without_a_violation(
    page: Any, district: SimpleNamespace, transactional_db: None
) -> None:
    messages = _watch(page)
    f.login("tess", Account.Role.TEACHER, staff=district.tess, password=PASSWORD)
    page.goto("/login/")
    assert _violations(page) == []
    page.get_by_label("Username").fill("tess")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    # A teacher owes a second factor and has none yet: the enrolment page, with its QR code.
    assert page.url.split("?")[0].endswith("/security/mfa/setup/")
    qr = page.locator("svg.mfa-qr").bounding_box()
    assert qr is not None and qr["width"] > 50
    assert _violations(page) == []
    assert messages == []


def test_the_officers_pages_and_charts_run_without_a_violation(
    page: Any, district: SimpleNamespace, transactional_db: None
) -> None:
    messages = _watch(page)
    f.login("olivia", Account.Role.PRIVACY_OFFICER, password=PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "olivia")
    assert _violations(page) == []
    page.goto("/officer/vendors/dashboard/")
    assert _violations(page) == []
    # The stylesheet loaded (the page background is site.css's) and drew the chart at its
    # natural width, with the height its viewBox gives.
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(243, 245, 248)"
    chart = page.locator("svg.fluid-chart").first
    box = chart.bounding_box()
    assert box is not None
    width = float(chart.get_attribute("width") or 0)
    view = [float(n) for n in (chart.get_attribute("viewBox") or "").split()]
    assert box["width"] == pytest.approx(width, abs=1)
    assert box["height"] == pytest.approx(width * view[3] / view[2], abs=2)
    # On a phone it shrinks to the page instead of overflowing it.
    page.set_viewport_size({"width": 360, "height": 800})
    narrow = chart.bounding_box()
    assert narrow is not None and narrow["width"] < 360 and narrow["height"] < box["height"]
    assert _violations(page) == []
    assert messages == []
