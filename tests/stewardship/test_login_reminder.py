"""The login reminder (R138): a staff member without a current training confirmation sees a
warning linking to /training/ on the page after signing in; under "block" it also says record
access is blocked. Nobody else is reminded."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.security.auth_support import pass_second_factor

from .conftest import attest

PASSWORD = "correct horse battery staple"
DUE = "Your annual privacy training confirmation is due."
BLOCKED = "Student record access is blocked until you confirm it."


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _log_in(client: Client, user: User) -> str:
    """Sign in through the login form and the second factor (R33), follow to the home page and
    return its HTML."""
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    response = client.post(
        reverse("login"), {"username": user.get_username(), "password": PASSWORD}
    )
    assert response["Location"] == reverse("home")
    response = pass_second_factor(client, user, reverse("home"))
    assert response.request["PATH_INFO"] == reverse("home")
    return response.content.decode()


@pytest.mark.parametrize("user", ["teacher", "principal", "counselor", "nurse", "officer"])
def test_it_reminds_an_overdue_staff_member_at_login(
    client: Client, users: SimpleNamespace, user: str
) -> None:
    html = _log_in(client, getattr(users, user))
    assert DUE in html
    assert f'href="{reverse("stewardship-training")}" id="training-reminder-link"' in html
    assert BLOCKED not in html


def test_it_reminds_an_overdue_teacher_at_login_only_once(
    client: Client, users: SimpleNamespace
) -> None:
    assert DUE in _log_in(client, users.teacher)
    assert DUE not in client.get(reverse("home")).content.decode()


def test_it_says_record_access_is_blocked_when_the_district_blocks(
    client: Client, users: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEWARD_TRAINING_ENFORCEMENT", "block")
    html = _log_in(client, users.teacher)
    assert DUE in html and BLOCKED in html


def test_it_does_not_remind_a_teacher_who_has_confirmed(
    client: Client, users: SimpleNamespace
) -> None:
    attest(users.teacher, timezone.now())
    assert DUE not in _log_in(client, users.teacher)


@pytest.mark.parametrize("user", ["guardian", "no_role", "root"])
def test_it_does_not_remind_logins_without_record_access(
    client: Client, users: SimpleNamespace, user: str
) -> None:
    assert DUE not in _log_in(client, getattr(users, user))


def test_the_reminder_link_opens_the_training_page(client: Client, users: SimpleNamespace) -> None:
    _log_in(client, users.teacher)
    assert client.get(reverse("stewardship-training")).status_code == 200
