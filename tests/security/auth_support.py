"""Fixtures and helpers of the sign-in security tests (tests/security/test_auth_*.py, #10).

Logins named for their role (Healthchecks style), TOTP codes computed from a device's key as an
authenticator app would, the ledger's security entries, and clocks moved by editing the
session's timestamps rather than by sleeping.
"""

from __future__ import annotations

import json
import time
from binascii import unhexlify
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from steward.accounts.models import Account
from steward.audit.models import Action, Entry
from tests.web import factories as f

PASSWORD = "a long enough test passphrase"
Role = Account.Role


@pytest.fixture
def auth_fast_hasher(settings: Any) -> None:
    """MD5 instead of Argon2: the tests sign in dozens of times (test_login checks Argon2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def auth_people(db: None, auth_fast_hasher: None) -> SimpleNamespace:
    """One login per kind of user, each with the password PASSWORD."""
    run = f.import_run()
    tess = f.staff(run, "Tess", "Turner")
    gail = f.guardian(run, "Gail", "Avery")
    return SimpleNamespace(
        officer=f.login("officer", Role.PRIVACY_OFFICER, password=PASSWORD),
        teacher=f.login("teacher", Role.TEACHER, staff=tess, password=PASSWORD),
        guardian=f.login("guardian", Role.GUARDIAN, guardian=gail, password=PASSWORD),
        root=f.login("root", is_staff=True, is_superuser=True, password=PASSWORD),
        no_role=f.login("no_role", password=PASSWORD),
    )


def code_of(key_hex: str, *, steps_ahead: int = 0) -> str:
    """The six-digit code an authenticator app shows for `key_hex` now (or `steps_ahead` steps
    of 30 s later: the device accepts one step either side, and never a step twice).

    A code for now is made at least 5 s before its step ends, so the server checks it in the
    same step: checked in the next step, it would shift the device's drift back by one and put
    the following step's code (`steps_ahead=1`) out of reach, which made tests flaky."""
    if steps_ahead == 0:
        left = 30 - time.time() % 30
        if left < 5:
            time.sleep(left + 0.05)
    totp = TOTP(unhexlify(key_hex), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def enrol(user: User, *, codes: tuple[str, ...] = ()) -> TOTPDevice:
    """Give `user` a confirmed app (and recovery `codes`), as if they had enrolled earlier."""
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    if codes:
        recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
        for code in codes:
            StaticToken.objects.create(device=recovery, token=code)
    return device


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    """POST the login form (the real path: axes, the throttle, the ledger hooks)."""
    data = {"username": username, "password": password}
    return client.post("/login/", data, **extra)


def security_events(event: str) -> list[dict[str, Any]]:
    """The detail of every "security" ledger entry whose event is `event`, oldest first, with
    the entry's actor and address added."""
    found = []
    for entry in Entry.objects.filter(action=Action.SECURITY).order_by("seq"):
        detail = json.loads(entry.detail or "{}")
        if detail.get("event") == event:
            found.append(
                {
                    **detail,
                    "_actor_name": entry.actor_name,
                    "_actor_user_id": entry.actor_user_id,
                    "_client_ip": entry.client_ip,
                }
            )
    return found


def count(action: str) -> int:
    return Entry.objects.filter(action=action).count()


def age_session(client: Client, **seconds_ago: int) -> None:
    """Move the session's clocks back: keys are the session keys' last parts, e.g.
    `age_session(client, password=601)` makes the last password 601 seconds old."""
    keys = {
        "at": "steward.auth.at",
        "seen": "steward.auth.seen",
        "password": "steward.auth.password",
        "code": "steward.auth.code",
    }
    session = client.session
    now = int(time.time())
    for name, ago in seconds_ago.items():
        session[keys[name]] = now - ago
    session.save()


def pass_second_factor(client: Client, user: User, next_url: str = "/") -> Any:
    """After a password sign-in through the form, give the code the user's app shows (making
    them an app first when policy requires one and they have none), then follow to `next_url`.

    For tests elsewhere that sign in through the real login form. Returns the final response.
    """
    from steward.security import mfa

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and mfa.required_for(user):
        device = enrol(user)
    if device is None:
        return client.get(next_url, follow=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # a second sign-in in one step
    data = {"code": code_of(device.key), "next": next_url}
    return client.post("/security/mfa/verify/", data, follow=True)
