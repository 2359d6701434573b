"""Who must use a second factor (R33, R116(1); design.md §6): per role, in "required" and
"offered" mode, voluntary enrolment, the middleware's allow-list, the deploy check, the demo."""

from __future__ import annotations

import os
import subprocess
import sys
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import checks
from django.test import Client

from steward import cli
from steward.accounts.management.commands.demo import mfa_banner
from steward.accounts.models import Account
from steward.security import auth_config, mfa
from steward.security import checks as auth_checks

from .auth_support import enrol

Role = Account.Role
REQUIRED_ROLES = [
    Role.PRIVACY_OFFICER,
    Role.PRINCIPAL,
    Role.TEACHER,
    Role.COUNSELOR,
    Role.NURSE,
    Role.SPECIAL_EDUCATION,
]
OPTIONAL_ROLES = [Role.GUARDIAN, Role.STUDENT, Role.VENDOR]


def _user(role: str | None = None, *, superuser: bool = False) -> User:
    """An unsaved login with an unsaved account: the policy reads only the role."""
    user = User(username="someone", is_superuser=superuser)
    if role is not None:
        Account(user=user, role=role)  # caches user.account too
    return user


@pytest.mark.parametrize("role", REQUIRED_ROLES)
def test_staff_with_record_access_and_the_privacy_office_must_use_mfa(
    role: str, settings: Any
) -> None:
    settings.STEWARD_MFA = "required"
    assert mfa.required_for(_user(role))


@pytest.mark.parametrize("role", OPTIONAL_ROLES)
def test_families_students_and_vendors_may_but_need_not_use_mfa(role: str, settings: Any) -> None:
    settings.STEWARD_MFA = "required"
    assert not mfa.required_for(_user(role))


def test_superusers_must_use_mfa_and_roleless_logins_need_not(settings: Any) -> None:
    settings.STEWARD_MFA = "required"
    assert mfa.required_for(_user(superuser=True))
    assert not mfa.required_for(_user())


@pytest.mark.parametrize("role", REQUIRED_ROLES)
def test_nobody_must_use_mfa_when_it_is_offered(role: str, settings: Any) -> None:
    settings.STEWARD_MFA = "offered"
    assert not mfa.required_for(_user(role))
    assert mfa.required_by_role(_user(role))


@pytest.mark.django_db
def test_a_guardian_without_an_app_goes_straight_in(
    client: Client, auth_people: SimpleNamespace, mfa_real_flow: None
) -> None:
    client.force_login(auth_people.guardian)
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_guardian_who_enrolled_is_asked_for_a_code_too(
    client: Client, auth_people: SimpleNamespace, mfa_real_flow: None
) -> None:
    enrol(auth_people.guardian)
    client.force_login(auth_people.guardian)
    assert client.get("/")["Location"] == "/security/mfa/verify/?next=%2F"


@pytest.mark.django_db
def test_a_superuser_is_held_before_the_admin(
    client: Client, auth_people: SimpleNamespace, mfa_real_flow: None
) -> None:
    client.force_login(auth_people.root)
    assert client.get("/admin/")["Location"] == "/security/mfa/setup/?next=%2Fadmin%2F"


@pytest.mark.django_db
def test_offered_mode_lets_a_teacher_in_without_an_app(
    client: Client, auth_people: SimpleNamespace, mfa_real_flow: None, settings: Any
) -> None:
    settings.STEWARD_MFA = "offered"
    client.force_login(auth_people.teacher)
    assert client.get("/").status_code == 200
    enrol(auth_people.officer)  # but one who enrolled is asked for a code
    client.force_login(auth_people.officer)
    assert client.get("/")["Location"].startswith("/security/mfa/verify/")


@pytest.mark.django_db
def test_an_unverified_user_may_reach_only_the_allowed_pages(
    client: Client, auth_people: SimpleNamespace, mfa_real_flow: None
) -> None:
    client.force_login(auth_people.teacher)
    held = [
        "/",
        "/students/",
        "/officer/audit/",
        "/security/mfa/",
        "/security/mfa/recovery-codes/",
        "/security/reauthenticate/",
        "/admin/",
    ]
    for url in held:
        assert client.get(url)["Location"].startswith("/security/mfa/setup/"), url
    assert client.post("/security/mfa/remove/", {"code": "1"})["Location"] == (
        "/security/mfa/setup/?next=%2F"  # a POST is not replayed: back to the home page
    )
    assert client.get("/security/mfa/setup/").status_code == 200
    language = client.post("/i18n/setlang/", {"language": "es", "next": "/login/"})
    assert language["Location"] == "/login/"
    assert client.get("/static/steward/site.css").status_code in (200, 404)
    assert not client.get("/static/steward/site.css").get("Location", "").startswith("/security")
    signed_out = client.post("/logout/")
    assert signed_out["Location"] == "/login/"
    assert "_auth_user_id" not in client.session


def test_the_deploy_check_warns_when_mfa_is_only_offered(settings: Any) -> None:
    settings.STEWARD_MFA = "offered"
    found = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
    assert "steward.auth.W001" in {message.id for message in found}
    settings.STEWARD_MFA = "required"
    assert auth_checks.check_mfa_required() == []
    found = checks.run_checks(include_deployment_checks=False, tags=[checks.Tags.security])
    assert "steward.auth.W001" not in {message.id for message in found}


def test_the_checks_refuse_an_unknown_mode_and_missing_middleware(settings: Any) -> None:
    settings.STEWARD_MFA = "sometimes"
    assert [e.id for e in auth_checks.check_sign_in_controls()] == ["steward.auth.E001"]
    settings.STEWARD_MFA = "required"
    settings.MIDDLEWARE = [
        m
        for m in settings.MIDDLEWARE
        if m != "steward.security.auth_middleware.MFARequiredMiddleware"
    ]
    assert [e.id for e in auth_checks.check_sign_in_controls()] == ["steward.auth.E002"]
    moved = [m for m in settings.MIDDLEWARE if m != "django_otp.middleware.OTPMiddleware"]
    settings.MIDDLEWARE = [*moved, "django_otp.middleware.OTPMiddleware"]
    assert {e.id for e in auth_checks.check_sign_in_controls()} == {
        "steward.auth.E002",
        "steward.auth.E003",
    }


def test_the_mode_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STEWARD_MFA", raising=False)
    assert auth_config.mfa_mode() == "required"
    monkeypatch.setenv("STEWARD_MFA", " Offered ")
    assert auth_config.mfa_mode() == "offered"
    monkeypatch.setenv("STEWARD_MFA", "off")
    with pytest.raises(ValueError, match="STEWARD_MFA must be 'required' or 'offered'"):
        auth_config.mfa_mode()


def test_numbers_from_the_environment_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEWARD_LOCKOUT_MINUTES", "")
    assert auth_config.env_int("STEWARD_LOCKOUT_MINUTES", 30) == 30
    monkeypatch.setenv("STEWARD_LOCKOUT_MINUTES", "45")
    assert auth_config.env_int("STEWARD_LOCKOUT_MINUTES", 30) == 45
    monkeypatch.setenv("STEWARD_LOCKOUT_MINUTES", "half an hour")
    with pytest.raises(ValueError, match="must be a whole number"):
        auth_config.env_int("STEWARD_LOCKOUT_MINUTES", 30)
    monkeypatch.setenv("STEWARD_LOCKOUT_MINUTES", "0")
    with pytest.raises(ValueError, match="at least 1"):
        auth_config.env_int("STEWARD_LOCKOUT_MINUTES", 30)


def test_the_settings_read_the_sign_in_variables() -> None:
    env = {
        **os.environ,
        "STEWARD_MFA": "offered",
        "STEWARD_LOGIN_FAILURE_LIMIT": "7",
        "STEWARD_SESSION_MAX_HOURS": "8",
        "DJANGO_SETTINGS_MODULE": "steward.settings",
    }
    code = (
        "from django.conf import settings as s; "
        "print(s.STEWARD_MFA, s.AXES_FAILURE_LIMIT, s.SESSION_COOKIE_AGE, s.STEWARD_REAUTH_MINUTES)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["offered", "7", "28800", "10"]


def test_steward_demo_offers_mfa_unless_the_environment_says_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[str | None] = []

    def run(args: list[str]) -> None:
        seen.append(os.environ.get("STEWARD_MFA"))

    monkeypatch.setattr("django.core.management.execute_from_command_line", run)
    environ = {k: v for k, v in os.environ.items() if k != "STEWARD_MFA"}
    monkeypatch.setattr(os, "environ", environ)  # the command's changes stay in this test
    cli.main(["steward", "demo", "--no-serve"])
    environ.pop("STEWARD_MFA")
    cli.main(["steward", "serve"])
    environ["STEWARD_MFA"] = "required"
    cli.main(["steward", "demo"])
    assert seen == ["offered", None, "required"]


def test_the_demo_banner_says_whether_mfa_is_required(settings: Any) -> None:
    settings.STEWARD_MFA = "offered"
    assert "offered, not required, in the demo" in mfa_banner()
    settings.STEWARD_MFA = "required"
    assert "required for staff" in mfa_banner()
