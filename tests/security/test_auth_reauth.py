"""Re-authentication before sensitive actions (R33; #10 item 1): exports, break-glass and bulk
downloads ask for the password (and a code, when the session used one) again once the last is
older than STEWARD_REAUTH_MINUTES, then bring the user back. Every protected URL is tested
anonymous, wrong role, right role stale, right role fresh."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from steward.audit.models import Action

from .auth_support import PASSWORD, age_session, code_of, count, enrol, security_events

pytestmark = pytest.mark.django_db

STALE = 10 * 60 + 5
# (URL name, arguments, who may open it, someone who may not). Missing objects are fine: the
# check runs before the view looks anything up, and a fresh session then gets the view's 404.
PROTECTED = [
    ("sharing-exports", [999], "officer", "teacher"),
    ("sharing-download", [999], "officer", "teacher"),
    ("officer-audit-csv", [], "officer", "teacher"),
    ("sharing-recipients-csv", [], "officer", "guardian"),
    ("reports-release-csv", [999], "officer", "teacher"),
    ("reports-extract-csv", [999], "officer", "teacher"),
    ("stewardship-officer-training-csv", [], "officer", "teacher"),
    ("vendors-dashboard-registry-csv", [], "officer", "teacher"),
    ("vendors-dashboard-registry-json", [], "officer", "guardian"),
    ("requests-download", [999, "zip"], "officer", "teacher"),
    ("requests-portal-download", [999, "zip"], "guardian", "teacher"),
    ("break-glass", [], "teacher", "guardian"),
]
IDS = [name for name, *_ in PROTECTED]


def _reauth_location(url: str) -> str:
    return f"/security/reauthenticate/?next={quote(url, safe='')}"


@pytest.mark.parametrize(("name", "args", "allowed", "other"), PROTECTED, ids=IDS)
def test_a_protected_url_sends_anonymous_visitors_to_sign_in(
    client: Client, db: None, name: str, args: list[Any], allowed: str, other: str
) -> None:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize(("name", "args", "allowed", "other"), PROTECTED, ids=IDS)
def test_a_protected_url_refuses_another_role_even_when_stale(
    client: Client,
    auth_people: SimpleNamespace,
    name: str,
    args: list[Any],
    allowed: str,
    other: str,
) -> None:
    client.force_login(getattr(auth_people, other))
    age_session(client, password=STALE, code=STALE)
    assert client.get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize(("name", "args", "allowed", "other"), PROTECTED, ids=IDS)
def test_a_protected_url_asks_a_stale_session_to_reauthenticate(
    client: Client,
    auth_people: SimpleNamespace,
    name: str,
    args: list[Any],
    allowed: str,
    other: str,
) -> None:
    client.force_login(getattr(auth_people, allowed))
    age_session(client, password=STALE)
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == _reauth_location(url)


@pytest.mark.parametrize(("name", "args", "allowed", "other"), PROTECTED, ids=IDS)
def test_a_protected_url_opens_for_a_fresh_session(
    client: Client,
    auth_people: SimpleNamespace,
    name: str,
    args: list[Any],
    allowed: str,
    other: str,
) -> None:
    client.force_login(getattr(auth_people, allowed))
    response = client.get(reverse(name, args=args))
    assert not response.get("Location", "").startswith("/security/reauthenticate/")
    assert response.status_code in (200, 400, 404)  # the view's own answer


def test_a_stale_code_is_stale_even_with_a_fresh_password(
    client: Client, auth_people: SimpleNamespace
) -> None:
    client.force_login(auth_people.officer)  # verified with a device by the shortcut
    age_session(client, code=STALE)
    url = reverse("officer-audit-csv")
    assert client.get(url)["Location"] == _reauth_location(url)


def test_the_window_comes_from_the_settings(
    client: Client, auth_people: SimpleNamespace, settings: Any
) -> None:
    settings.STEWARD_REAUTH_MINUTES = 30
    client.force_login(auth_people.officer)
    age_session(client, password=20 * 60, code=20 * 60)
    assert client.get(reverse("officer-audit-csv")).status_code == 200


def test_reauthenticating_with_password_and_code_returns_to_the_page(
    client: Client, auth_people: SimpleNamespace
) -> None:
    client.force_login(auth_people.officer)
    device = auth_people.officer.totpdevice_set.get()
    age_session(client, password=STALE, code=STALE)
    url = reverse("officer-audit-csv")
    form = client.get(_reauth_location(url))
    assert form.status_code == 200
    html = form.content.decode()
    assert 'name="password"' in html and 'name="code"' in html
    response = client.post(
        "/security/reauthenticate/",
        {"password": PASSWORD, "code": code_of(device.key), "next": url},
    )
    assert response["Location"] == url
    assert client.get(url).status_code == 200
    [done] = security_events("reauthenticated")
    assert done["factors"] == ["password", "app"]
    assert done["_actor_user_id"] == auth_people.officer.pk


def test_a_wrong_password_is_refused_and_counts_as_a_failed_login(
    client: Client, auth_people: SimpleNamespace
) -> None:
    client.force_login(auth_people.teacher)
    device = auth_people.teacher.totpdevice_set.get()
    age_session(client, password=STALE)
    failed = count(Action.LOGIN_FAILED)
    response = client.post(
        "/security/reauthenticate/",
        {"password": "wrong", "code": code_of(device.key), "next": "/students/break-glass/"},
    )
    assert response.status_code == 400
    assert "That password is not right." in response.content.decode()
    assert count(Action.LOGIN_FAILED) == failed + 1
    still = client.get(reverse("break-glass"))
    assert still["Location"].startswith("/security/reauthenticate/")


def test_a_wrong_code_is_refused(
    client: Client, auth_people: SimpleNamespace, settings: Any
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client.force_login(auth_people.officer)
    age_session(client, password=STALE, code=STALE)
    response = client.post("/security/reauthenticate/", {"password": PASSWORD, "code": "000000"})
    assert response.status_code == 400
    assert "That code is not right." in response.content.decode()
    assert security_events("reauthenticated") == []
    assert security_events("mfa_failed")[0]["method"] == "app"


def test_repeated_wrong_passwords_lock_the_account_like_a_sign_in(
    client: Client, auth_people: SimpleNamespace
) -> None:
    client.force_login(auth_people.guardian)  # no second factor: a password alone
    statuses = [
        client.post("/security/reauthenticate/", {"password": "wrong"}).status_code
        for _ in range(5)
    ]
    assert statuses == [400, 400, 400, 400, 429]
    assert len(security_events("lockout")) == 1


def test_a_user_without_a_second_factor_gives_the_password_only(
    client: Client, auth_people: SimpleNamespace
) -> None:
    client.force_login(auth_people.guardian)
    html = client.get("/security/reauthenticate/").content.decode()
    assert 'name="password"' in html and 'name="code"' not in html
    response = client.post("/security/reauthenticate/", {"password": PASSWORD, "next": "/"})
    assert response["Location"] == "/"
    assert security_events("reauthenticated")[0]["factors"] == ["password"]


def test_it_never_sends_the_user_to_another_site(
    client: Client, auth_people: SimpleNamespace
) -> None:
    client.force_login(auth_people.guardian)
    for unsafe in ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]:
        response = client.post("/security/reauthenticate/", {"password": PASSWORD, "next": unsafe})
        assert response["Location"] == "/", unsafe


def test_a_single_sign_on_login_without_a_code_is_asked_to_sign_in_again(
    client: Client, auth_people: SimpleNamespace, settings: Any
) -> None:
    settings.STEWARD_MFA = "offered"
    auth_people.teacher.set_unusable_password()
    auth_people.teacher.save()
    client.force_login(auth_people.teacher)
    html = client.get("/security/reauthenticate/").content.decode()
    assert 'id="reauth-sso"' in html and 'name="password"' not in html


def test_an_enrolled_single_sign_on_login_gives_a_code_only(
    client: Client, auth_people: SimpleNamespace
) -> None:
    auth_people.teacher.set_unusable_password()
    auth_people.teacher.save()
    device = enrol(auth_people.teacher)
    client.force_login(auth_people.teacher)
    html = client.get("/security/reauthenticate/").content.decode()
    assert 'name="password"' not in html and 'name="code"' in html
    response = client.post("/security/reauthenticate/", {"code": code_of(device.key)})
    assert response["Location"] == "/"
    assert security_events("reauthenticated")[0]["factors"] == ["app"]


def test_the_reauthentication_page_sends_anonymous_visitors_to_sign_in(
    client: Client, db: None
) -> None:
    assert client.get("/security/reauthenticate/")["Location"].startswith("/login/")
