"""Session expiry enforced on the server (R116(1); design.md §6): an idle limit and an absolute
lifetime, both configurable. Time is moved by editing the session's timestamps, not by sleeping."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from steward.audit.models import Action
from steward.security import sessions

from .auth_support import age_session, count, sign_in

pytestmark = pytest.mark.django_db


def _signed_out_to_login(response: Any, path: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={path}"


def test_a_sign_in_starts_the_session_clocks(client: Client, auth_people: SimpleNamespace) -> None:
    before = int(time.time())
    sign_in(client, "guardian")
    session = client.session
    assert before <= session[sessions.SIGNED_IN_AT] <= int(time.time())
    assert session[sessions.SEEN_AT] == session[sessions.SIGNED_IN_AT]
    assert client.get("/").status_code == 200


def test_it_signs_out_a_session_idle_for_longer_than_the_limit(
    client: Client, auth_people: SimpleNamespace
) -> None:
    client.force_login(auth_people.teacher)
    age_session(client, seen=30 * 60 + 5)
    logouts = count(Action.LOGOUT)
    response = client.get("/students/")
    _signed_out_to_login(response, "/students/")
    assert "_auth_user_id" not in client.session
    assert count(Action.LOGOUT) == logouts + 1  # signed out like any sign-out, in the ledger
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after a period without activity." in page


def test_it_keeps_a_session_idle_for_less_than_the_limit(
    client: Client, auth_people: SimpleNamespace
) -> None:
    client.force_login(auth_people.teacher)
    age_session(client, seen=29 * 60)
    assert client.get("/").status_code == 200
    assert client.session[sessions.SEEN_AT] >= int(time.time()) - 2  # activity moves it on


def test_the_idle_limit_comes_from_the_settings(
    client: Client, auth_people: SimpleNamespace, settings: Any
) -> None:
    settings.STEWARD_SESSION_IDLE_MINUTES = 5
    client.force_login(auth_people.guardian)
    age_session(client, seen=5 * 60 + 5)
    _signed_out_to_login(client.get("/"), "/")


def test_it_signs_out_a_busy_session_after_its_lifetime(
    client: Client, auth_people: SimpleNamespace
) -> None:
    client.force_login(auth_people.officer)
    age_session(client, at=12 * 3600 + 5, seen=10)
    response = client.get("/officer/audit/")
    _signed_out_to_login(response, "/officer/audit/")
    assert "reached its time limit" in client.get(response["Location"]).content.decode()


def test_the_lifetime_comes_from_the_settings(
    client: Client, auth_people: SimpleNamespace, settings: Any
) -> None:
    settings.STEWARD_SESSION_MAX_HOURS = 1
    client.force_login(auth_people.guardian)
    age_session(client, at=3600 - 60)
    assert client.get("/").status_code == 200
    age_session(client, at=3600 + 5)
    _signed_out_to_login(client.get("/"), "/")


def test_a_signed_in_session_without_clocks_is_ended(
    client: Client, auth_people: SimpleNamespace
) -> None:
    client.force_login(auth_people.guardian)
    session = client.session
    del session[sessions.SIGNED_IN_AT]
    session.save()
    response = client.get("/")
    _signed_out_to_login(response, "/")
    assert "Your session has ended." in client.get(response["Location"]).content.decode()


def test_an_expired_post_goes_to_the_login_page_without_replaying(
    client: Client, auth_people: SimpleNamespace
) -> None:
    client.force_login(auth_people.officer)
    age_session(client, seen=3600)
    response = client.post("/security/lockouts/unlock/", {"username": "x"})
    _signed_out_to_login(response, "/")


def test_the_last_seen_time_is_saved_at_most_once_a_minute(
    client: Client, auth_people: SimpleNamespace
) -> None:
    client.force_login(auth_people.guardian)
    age_session(client, seen=20)
    seen = client.session[sessions.SEEN_AT]
    client.get("/")
    assert client.session[sessions.SEEN_AT] == seen


def test_anonymous_visitors_are_untouched(client: Client, db: None) -> None:
    assert client.get("/login/").status_code == 200
    assert sessions.SIGNED_IN_AT not in client.session


def test_the_session_cookie_lives_no_longer_than_the_session(settings: Any) -> None:
    assert settings.SESSION_COOKIE_AGE == settings.STEWARD_SESSION_MAX_HOURS * 3600
