"""Issue #8 acceptance in headless Chromium against the live server: a guardian requests a copy,
the privacy officer makes, checks and releases it, and the guardian downloads the PDF and the
JSON. The JSON holds the child's disclosure log entries and nothing about any other student."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from steward.audit import ledger
from steward.audit.models import Action
from steward.requests.models import AccessRequest
from tests.web.browser import PASSWORD, browser, sign_in, wait_for_path

__all__ = ["browser"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def open_tab(browser: Any, live_server: Any) -> Iterator[Any]:
    """A tab in a browser context of its own per person (cookies are not shared)."""
    contexts: list[Any] = []

    def new_tab() -> Any:
        context = browser.new_context(base_url=live_server.url, accept_downloads=True)
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        return tab

    yield new_tab
    for context in contexts:
        context.close()


@pytest.fixture
def scene(
    district: SimpleNamespace, users: SimpleNamespace, transactional_db: None
) -> SimpleNamespace:
    for user in (users.gail, users.officer):
        user.set_password(PASSWORD)
        user.save()
    # A disclosure of the class list to a museum: Ana's log shows it, without the others.
    ledger.record(
        action=Action.RELEASE,
        students=[district.ana.pk, district.ben.pk, district.cal.pk],
        purpose="Field trip list for the Museum of Science",
        release=ledger.Release("Tess Turner", "teacher", "user:0", "Museum of Science"),
    )
    return SimpleNamespace(district=district, users=users)


def _download(tab: Any, selector: str) -> bytes:
    with tab.expect_download() as info:
        tab.click(selector)
    path = info.value.path()
    return Path(path).read_bytes()


def test_a_guardian_gets_the_copy_the_office_released(
    open_tab: Any, scene: SimpleNamespace
) -> None:
    d = scene.district
    gail = open_tab()
    sign_in(gail, "gail")
    gail.goto(reverse("requests-portal-new") + f"?student={d.ana.pk}")
    gail.get_by_label("A copy of the whole record").check()
    gail.click("#send-request")
    req = AccessRequest.objects.get()
    wait_for_path(gail, reverse("requests-portal-detail", args=[req.pk]))
    assert gail.locator("#status").inner_text() == "received"

    office = open_tab()
    sign_in(office, "olivia")
    office.goto(reverse("requests-detail", args=[req.pk]))
    office.click("#make-copy")
    wait_for_path(office, reverse("requests-preview", args=[req.pk]))
    assert "[another student]" in office.content()
    office.goto(reverse("requests-detail", args=[req.pk]))
    office.click("#fulfil")
    office.wait_for_selector("text=The request is fulfilled.")
    assert office.locator("#status").inner_text() == "fulfilled"

    gail.reload()
    pdf = _download(gail, "#download-pdf")
    assert pdf.startswith(b"%PDF-")
    archive = _download(gail, "#download-zip")
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        data = json.loads(zipped.read("copy.json"))
    log = next(t for t in data["access_log"] if t["key"] == "access_and_disclosure_log")["rows"]
    museum = [r for r in log if r["recipient_name"] == "Museum of Science"]
    assert museum and museum[0]["other_students"] == 2
    assert any(r["action"] == "create" and r["actor_name"] == "gail" for r in log)
    text = json.dumps(data, ensure_ascii=False)
    for other in (d.ben, d.cal, d.dee):
        for value in (other.given_name, other.family_name, other.sourced_id, other.identifier):
            assert not value or not re.search(rf"\b{re.escape(value)}\b", text), value
    assert req.steps.filter(step="downloaded", by__username="gail").count() == 2
