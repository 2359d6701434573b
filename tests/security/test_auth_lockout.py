"""Lockout and throttling of failed sign-ins (R116(1) "lockout after multiple failed attempts",
R116(4) monitoring; #10 item 1): django-axes per username and address, our throttle per
address, the ledger entries, and unlocking from the console and the privacy office's page."""

from __future__ import annotations

from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client

from steward.audit.models import Action

from .auth_support import count, security_events, sign_in

pytestmark = pytest.mark.django_db

WRONG = "not the password"


def _fail(client: Client, username: str, times: int, **extra: Any) -> list[int]:
    return [sign_in(client, username, WRONG, **extra).status_code for _ in range(times)]


def test_it_does_not_lock_out_after_four_failed_logins(
    client: Client, auth_people: SimpleNamespace
) -> None:
    assert _fail(client, "teacher", 4) == [200, 200, 200, 200]
    response = sign_in(client, "teacher")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_locks_out_after_five_failed_logins(
    client: Client, auth_people: SimpleNamespace
) -> None:
    assert _fail(client, "teacher", 5) == [200, 200, 200, 200, 429]
    refused = sign_in(client, "teacher")  # the right password, too late
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    page = refused.content.decode()
    assert "Signing in is paused" in page
    assert "paused for 30 minutes" in page
    assert refused["Retry-After"] == "1800"


def test_the_lockout_page_is_translated(client: Client, auth_people: SimpleNamespace) -> None:
    client.cookies["django_language"] = "es"
    _fail(client, "teacher", 4)
    response = sign_in(client, "teacher", WRONG)
    assert response.status_code == 429
    page = response.content.decode()
    assert '<html lang="es"' in page
    assert "Saltar al contenido principal" in page  # rendered in the visitor's language


def test_it_locks_the_username_from_that_address_only(
    client: Client, auth_people: SimpleNamespace
) -> None:
    _fail(client, "teacher", 5)
    elsewhere = sign_in(Client(), "teacher", REMOTE_ADDR="10.1.2.3")
    assert elsewhere.status_code == 302
    other_user = sign_in(Client(), "officer")
    assert other_user.status_code == 302


def test_it_honours_the_configured_limit(
    client: Client, auth_people: SimpleNamespace, settings: Any
) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    assert _fail(client, "teacher", 2) == [200, 429]


def test_a_success_clears_earlier_failures(client: Client, auth_people: SimpleNamespace) -> None:
    _fail(client, "teacher", 4)
    assert sign_in(Client(), "teacher").status_code == 302
    assert _fail(Client(), "teacher", 4) == [200, 200, 200, 200]


def test_it_records_each_failed_login_and_one_lockout_entry(
    client: Client, auth_people: SimpleNamespace
) -> None:
    before = count(Action.LOGIN_FAILED)
    _fail(client, "teacher", 6)
    assert count(Action.LOGIN_FAILED) == before + 6  # steward.audit.hooks: one per attempt
    [locked] = security_events("lockout")  # when it began, not again at the sixth
    assert locked["username"] == "teacher"
    assert locked["ip_address"] == "127.0.0.1"
    assert locked["minutes"] == 30
    assert locked["_actor_name"] == "teacher"


def test_it_throttles_an_address_spraying_many_usernames(
    client: Client, auth_people: SimpleNamespace, settings: Any
) -> None:
    settings.STEWARD_LOGIN_ADDRESS_LIMIT = 3
    for username in ("alice", "bob", "carol"):  # one try each: no username reaches its limit
        assert sign_in(client, username, WRONG).status_code == 200
    refused = sign_in(client, "teacher")  # even the right password, from this address
    assert refused.status_code == 429
    assert "from your network" in refused.content.decode()
    [throttled] = security_events("sign_in_throttled")
    assert throttled["username"] == "teacher"
    assert throttled["ip_address"] == "127.0.0.1"
    assert sign_in(Client(), "teacher", REMOTE_ADDR="10.9.9.9").status_code == 302


def test_the_address_throttle_counts_failures_only_within_the_window(
    client: Client, auth_people: SimpleNamespace, settings: Any
) -> None:
    import datetime as dt

    settings.STEWARD_LOGIN_ADDRESS_LIMIT = 3
    for username in ("alice", "bob", "carol"):
        sign_in(client, username, WRONG)
    old = AccessAttempt.objects.all()
    old.update(attempt_time=old.first().attempt_time - dt.timedelta(minutes=31))  # type: ignore[union-attr]
    assert sign_in(client, "teacher").status_code == 302


def test_steward_unlock_ends_a_lockout_and_is_recorded(
    client: Client, auth_people: SimpleNamespace
) -> None:
    _fail(client, "teacher", 5)
    out = StringIO()
    call_command("unlock", "teacher", stdout=out)
    assert "teacher can sign in again (1 failed sign-in records cleared)." in out.getvalue()
    assert not AccessAttempt.objects.filter(username="teacher").exists()
    assert sign_in(client, "teacher").status_code == 302
    [unlocked] = security_events("unlock")
    assert unlocked["username"] == "teacher"
    assert unlocked["via"] == "command"
    assert unlocked["cleared"] == 1
    assert unlocked["_actor_user_id"] is None


def test_steward_unlock_of_a_username_without_failures_says_so(db: None) -> None:
    out = StringIO()
    call_command("unlock", "nobody", stdout=out)
    assert "nobody had no failed sign-ins on record." in out.getvalue()
    assert security_events("unlock")[0]["cleared"] == 0


def test_the_lockouts_page_sends_anonymous_visitors_to_sign_in(
    client: Client, auth_people: SimpleNamespace
) -> None:
    response = client.get("/security/lockouts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert client.post("/security/lockouts/unlock/", {"username": "x"}).status_code == 302


@pytest.mark.parametrize("who", ["teacher", "guardian", "no_role"])
def test_the_lockouts_page_refuses_other_roles(
    client: Client, auth_people: SimpleNamespace, who: str
) -> None:
    client.force_login(getattr(auth_people, who))
    assert client.get("/security/lockouts/").status_code == 403
    assert client.post("/security/lockouts/unlock/", {"username": "x"}).status_code == 403


@pytest.mark.parametrize("who", ["officer", "root"])
def test_the_privacy_office_sees_and_unlocks_a_lockout(
    client: Client, auth_people: SimpleNamespace, who: str
) -> None:
    attacker = Client(REMOTE_ADDR="10.6.6.6")
    _fail(attacker, "teacher", 5)
    client.force_login(getattr(auth_people, who))
    page = client.get("/security/lockouts/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "teacher" in html and "10.6.6.6" in html
    response = client.post("/security/lockouts/unlock/", {"username": "teacher"})
    assert response.status_code == 302
    assert "Nobody is locked out." in client.get("/security/lockouts/").content.decode()
    [unlocked] = security_events("unlock")
    assert unlocked["_actor_user_id"] == getattr(auth_people, who).pk
    assert unlocked["via"] == "page"
    assert sign_in(attacker, "teacher").status_code == 302


def test_the_unlock_form_needs_a_username(client: Client, auth_people: SimpleNamespace) -> None:
    client.force_login(auth_people.officer)
    assert client.post("/security/lockouts/unlock/", {"username": ""}).status_code == 400
    assert security_events("unlock") == []


def test_the_officer_home_page_links_the_lockouts(
    client: Client, auth_people: SimpleNamespace
) -> None:
    client.force_login(auth_people.officer)
    html = client.get("/").content.decode()
    assert 'href="/security/lockouts/" id="officer-lockouts-link"' in html
