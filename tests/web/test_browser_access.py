"""The access pages in headless Chromium (Playwright, sync API) against the live server.

One journey: a teacher signs in with a password, opens "My students" and Ann's record with
its reasons, then opens emergency access to Ben's health record and lands on it under the
break-glass banner; the privacy officer signs in, opens the review queue, and finds the
request justified.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from steward.access.models import BreakGlassGrant
from steward.accounts.models import Account
from steward.audit.models import Action, Entry
from steward.security.mfa_actions import MFA_PURPOSE

from . import factories as f
from .browser import sign_in
from .browser import wait_for_path as _wait_for_path

pytestmark = [
    pytest.mark.browser,
    # The live server's WhiteNoise looks for STATIC_ROOT, which tests never collect; the
    # live server serves static files from the finders instead.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PASSWORD = "browser-test-passphrase"
BEN_NUMBER = "S-20417"
THREAT = "Ben collapsed in the gym and the nurse is away; we need his allergy information now."


@pytest.fixture
def logins(district: SimpleNamespace, transactional_db: None) -> SimpleNamespace:
    district.ben.identifier = BEN_NUMBER
    district.ben.save(update_fields=["identifier"])
    return SimpleNamespace(
        teacher=f.login("teacher", Account.Role.TEACHER, staff=district.tess, password=PASSWORD),
        officer=f.login("officer", Account.Role.PRIVACY_OFFICER, password=PASSWORD),
    )


def _sign_in(page: Any, username: str, password: str) -> None:
    sign_in(page, username, password)
    _wait_for_path(page, "/")


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    _wait_for_path(page, "/login/")


def test_a_teacher_opens_a_record_and_breaks_glass_and_the_officer_reviews_it(
    page: Any, logins: SimpleNamespace, district: SimpleNamespace
) -> None:
    ann_url = reverse("student-record", args=[district.ann.pk])
    ben_url = reverse("student-record", args=[district.ben.pk])

    # The teacher: My students, then Ann's record with the reasons for each part.
    _sign_in(page, "teacher", PASSWORD)
    page.locator("#my-students-link").click()
    _wait_for_path(page, reverse("my-students"))
    students = page.locator("#student-list")
    students.wait_for()
    assert students.get_by_role("link").all_inner_texts() == ["Ann Avery", "Cara Cole"]
    students.get_by_role("link", name="Ann Avery").click()
    _wait_for_path(page, ann_url)
    assert page.get_by_role("heading", level=1).inner_text() == "Ann Avery"
    grades = page.locator("#part-grades_transcript")
    grades.wait_for()
    assert "Via section Grade 3 Math" in grades.locator(".reasons").inner_text()
    assert page.locator("#part-health").count() == 0
    assert "Health" in page.locator("#withheld").inner_text()
    assert page.locator("#break-glass-banner").count() == 0

    # Emergency access to Ben's health record, whom she does not teach.
    page.goto(reverse("my-students"))
    page.get_by_role("link", name=re.compile("break-glass")).click()
    _wait_for_path(page, reverse("break-glass"))
    page.get_by_label("Student number").fill(BEN_NUMBER)
    page.get_by_label("The articulable and significant threat").fill(THREAT)
    page.get_by_label("Who needs the information").fill("Paramedics on the scene")
    page.get_by_label("Health", exact=True).check()
    page.get_by_label("Hours of access").fill("4")
    page.get_by_role("button", name="Open emergency access").click()
    _wait_for_path(page, ben_url)
    banner = page.locator("#break-glass-banner")
    banner.wait_for()
    assert "emergency access" in banner.inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "Ben Avery"
    assert page.locator("#part-health").is_visible()
    assert page.locator("#part-attendance").count() == 0
    _sign_out(page)

    # The privacy officer: the queue, the grant, the finding.
    _sign_in(page, "officer", PASSWORD)
    page.locator("#officer-break-glass-link").click()
    _wait_for_path(page, reverse("officer-break-glass"))
    pending = page.locator("#pending")
    pending.wait_for()
    assert "Tess Turner" in pending.inner_text()
    assert "Ben Avery" in pending.inner_text()
    grant = BreakGlassGrant.objects.get()
    pending.get_by_role("link").first.click()
    _wait_for_path(page, reverse("officer-break-glass-review", args=[grant.pk]))
    assert "Ben collapsed in the gym" in page.locator("#threat").inner_text()
    assert page.locator("#reads li").count() == 2  # directory and health, read once each
    page.get_by_label("Justified", exact=True).check()
    page.get_by_label("Note").fill("Allergic reaction; 911 was called.")
    page.get_by_role("button", name="Record the finding").click()
    _wait_for_path(page, reverse("officer-break-glass"))
    page.locator("#queue-empty").wait_for()
    assert "justified" in page.locator("#reviewed").inner_text()

    grant.refresh_from_db()
    assert grant.outcome == BreakGlassGrant.Outcome.JUSTIFIED
    assert grant.reviewed_by_id == logins.officer.pk
    assert grant.closed_at is None
    # opened, reviewed (besides the sign-ins' second factors, R33)
    security = Entry.objects.filter(action=Action.SECURITY).exclude(purpose=MFA_PURPOSE)
    assert security.count() == 2
