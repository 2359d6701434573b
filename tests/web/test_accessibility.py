"""Accessibility: axe-core (npm, injected through Playwright) on every portal page, the login
page and each role's home page, in English and in Spanish, and the portal also in Brazilian
Portuguese and Haitian Creole (issue #5 acceptance).

The portal pages: /portal/, and for each child the record, the access log, the media release,
the directory choices and the consents to disclose; an event release request; the annual
notices; the activation page. Each is seen with content in its states (a release on file with
a use withdrawn, and none; an opt-out, and none; a consent, and none; a form answered with
errors; a notice acknowledged).

No page may have a violation of impact "serious" or "critical". Each page is first checked to
answer 200; the language is switched with the footer's language switcher, as a family would.
"""

from __future__ import annotations

import importlib
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from steward.accounts.models import Account
from steward.consents import actions as consents
from steward.consents.rules import school_year_of
from steward.media import actions as media
from steward.media import selectors as media_selectors
from steward.portal import notice_actions

from . import factories as f
from .axe import blocking, describe, run_axe
from .browser import mfa_device, pass_second_factor

pytestmark = [
    pytest.mark.browser,
    # The live server's WhiteNoise looks for STATIC_ROOT, which tests never collect; the
    # live server serves static files from the finders instead.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PASSWORD = "browser-test-passphrase"
LANGUAGES = ["en", "es"]
# The portal itself is checked in all four of the site's languages: a translation changes the
# accessible names (a button's visible words must stay part of its name, WCAG 2.5.3).
PORTAL_LANGUAGES = ["en", "es", "pt-br", "ht"]
WASH = "rgb(243, 245, 248)"  # the page background in site.css (--wash)
Role = Account.Role

# The staff roles with a home page of their own, and the district member each logs in as.
STAFF_HOMES = {
    Role.PRIVACY_OFFICER: None,
    Role.PRINCIPAL: "paula",
    Role.TEACHER: "tess",
    Role.SPECIAL_EDUCATION: "sam",
    Role.COUNSELOR: "carl",
    Role.NURSE: "nina",
}


def _seed_configuration() -> None:
    """Re-run the migrations that seed district configuration (the media uses, the directory
    categories): a live-server test's database is flushed between tests, rows and all."""
    for module in (
        "steward.media.migrations.0002_default_uses",
        "steward.consents.migrations.0002_default_directory_categories",
    ):
        importlib.import_module(module).seed(django_apps, None)


@pytest.fixture
def family(district: SimpleNamespace, transactional_db: None) -> SimpleNamespace:
    """Gail with a portal login, and content on every portal page in each of its states:
    Ann has a signed media release with one use withdrawn (so her log has entries) and a
    directory opt-out, Ben has neither; this year's notices are published."""
    _seed_configuration()
    gail = f.login("gail", Role.GUARDIAN, guardian=district.gail, password=PASSWORD)
    officer = f.login("officer", Role.PRIVACY_OFFICER, password=PASSWORD)
    now = timezone.now()
    year = media_selectors.school_year(now)
    uses = media_selectors.active_uses()
    assert uses, "the default media uses are seeded"
    answers = {use.key: index % 3 != 0 for index, use in enumerate(uses)}
    media.do_sign_media_release(
        district.ann, year, answers, "The media release text shown to Gail.", signer_user=gail
    )
    media.do_revoke_media_use(district.ann, next(k for k, v in answers.items() if v), gail)
    consents.do_publish_directory_notice(
        officer,
        school_year=school_year_of(timezone.localdate(now)),
        opt_out_ends_on=f.days(14),
        text="The district designates the following as directory information.",
    )
    consents.do_opt_out_directory(district.ann, gail, category_key="telephone")
    consents.do_give_disclosure_consent(
        district.ann,
        gail,
        scopes=["grades_transcript"],
        purpose="Application to a summer science program",
        recipient="Harbor Summer Science Program",
        expires_on=f.days(90),
        text="I consent to the disclosure of Ann's transcript to the program.",
    )
    notice_actions.publish_default_notices(year, by_user=officer)
    tess = f.login("tess", Role.TEACHER, staff=district.tess, password=PASSWORD)
    event = media.do_request_event_release(
        "Museum trip", f.days(10), ["field_trips"], tess, section=district.math
    )
    return SimpleNamespace(gail=gail, ann=district.ann, ben=district.ben, event=event)


def _portal_pages(child_pk: int) -> list[str]:
    """Every page of the family portal for one child (the event release page aside)."""
    return [
        reverse("portal-home"),
        f"/portal/children/{child_pk}/",
        f"/portal/children/{child_pk}/log/",
        f"/portal/children/{child_pk}/media/",
        f"/portal/children/{child_pk}/directory/",
        f"/portal/children/{child_pk}/consents/",
        "/portal/notices/",
    ]


def _switch_language(page: Any, language: str) -> None:
    """Choose `language` in the footer's language switcher, as a visitor would."""
    if page.locator("html").get_attribute("lang") == language:
        return
    switcher = page.locator("form.language-switcher")
    switcher.locator("select#language-select").select_option(language)
    with page.expect_navigation():
        switcher.locator("button[type=submit]").click()
    assert page.locator("html").get_attribute("lang") == language


def _sign_in(page: Any, username: str, language: str) -> None:
    page.goto(reverse("login"))
    _switch_language(page, language)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    mfa_device(username)
    with page.expect_navigation():
        page.locator("form.stacked button[type=submit]").click()
    pass_second_factor(page, username)
    assert urlsplit(page.url).path == "/", f"{username} did not reach the home page: {page.url}"


def _check(page: Any, url: str, language: str, found: dict[str, str]) -> None:
    """Open `url` (which must answer 200) and record its serious or critical violations."""
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, f"{url} answered {response.status}"
    assert page.locator("html").get_attribute("lang") == language, url
    # axe judges contrast from the computed styles: the stylesheet must have loaded.
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == WASH, url
    _record(page, url, found)


def _record(page: Any, label: str, found: dict[str, str]) -> None:
    serious = blocking(run_axe(page))
    if serious:
        found[label] = describe(serious)


def _report(found: dict[str, str]) -> str:
    return "axe-core found serious or critical violations:\n" + "\n".join(
        f"{url}\n{text}" for url, text in found.items()
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_login_and_activation_pages(
    page: Any, district: SimpleNamespace, transactional_db: None, language: str
) -> None:
    found: dict[str, str] = {}
    page.goto(reverse("login"))
    _switch_language(page, language)
    _check(page, reverse("login"), language, found)
    # With an error shown.
    page.locator("#id_username").fill("nobody")
    page.locator("#id_password").fill("not the password")
    with page.expect_navigation():
        page.locator("form.stacked button[type=submit]").click()
    assert page.locator("#login-errors").is_visible()
    _record(page, "login page with an error", found)

    _check(page, reverse("portal-activate"), language, found)
    page.locator("#id_code").fill("not-a-real-code")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password_again").fill("a different passphrase")
    with page.expect_navigation():
        page.locator("#activate-form button[type=submit]").click()
    assert page.locator("#activate-form .errorlist").count() > 0
    _record(page, "activation page with errors", found)
    assert not found, _report(found)


@pytest.mark.parametrize("language", PORTAL_LANGUAGES)
def test_every_portal_page(page: Any, family: SimpleNamespace, language: str) -> None:
    found: dict[str, str] = {}
    _sign_in(page, "gail", language)
    _check(page, "/", language, found)
    for child in (family.ann, family.ben):
        for url in _portal_pages(child.pk):
            _check(page, url, language, found)
    _check(page, f"/portal/children/{family.ann.pk}/events/{family.event.pk}/", language, found)

    # The pages as they answer a form: a release sent without answers (the errors), and a
    # notice acknowledged (the confirmation).
    _check(page, f"/portal/children/{family.ben.pk}/media/", language, found)
    with page.expect_navigation():
        page.locator("#sign-release").click()
    assert page.locator("#release-errors").is_visible()
    _record(page, "media release page with errors", found)
    _check(page, "/portal/notices/", language, found)
    with page.expect_navigation():
        page.locator("#ack-ferpa").click()
    assert page.locator("#ack-ferpa-done").is_visible()
    _record(page, "notices page after an acknowledgement", found)
    assert not found, _report(found)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", list(STAFF_HOMES), ids=str)
def test_each_staff_home_page(
    page: Any,
    district: SimpleNamespace,
    transactional_db: None,
    role: str,
    language: str,
) -> None:
    member = STAFF_HOMES[role]
    f.login(role, role, staff=getattr(district, member) if member else None, password=PASSWORD)
    found: dict[str, str] = {}
    _sign_in(page, role, language)
    _check(page, "/", language, found)
    assert not found, _report(found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_home_page_of_a_login_without_a_role(
    page: Any, district: SimpleNamespace, transactional_db: None, language: str
) -> None:
    f.login("no_role", password=PASSWORD)
    found: dict[str, str] = {}
    _sign_in(page, "no_role", language)
    _check(page, "/", language, found)
    assert not found, _report(found)
