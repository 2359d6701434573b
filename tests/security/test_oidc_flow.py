"""Single sign-on for staff against a real OpenID provider on loopback (#10 item 1; R33,
R116(1)).

Each test walks the whole authorization-code flow over HTTP (see oidc_support): Steward's start
page, the provider's form, Steward's callback, and Steward's own calls to the provider's token
and JWKS endpoints. Nothing leaves 127.0.0.1; runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import httpx
import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from steward.accounts.models import Account
from steward.audit.models import Action, Entry
from steward.roster.models import StaffRole
from steward.security.oidc import BACKEND
from tests.web import factories as f

from . import oidc_support
from .oidc_support import DOMAIN, Provider, authorize, sign_in, staff_claims

oidc_provider = oidc_support.oidc_provider
sso_on = oidc_support.sso_on

pytestmark = pytest.mark.django_db

Role = Account.Role
Position = StaffRole.Position


@pytest.fixture
def roster(db: None) -> SimpleNamespace:
    """Tess teaches at Adams (no login yet); Paula is its principal with a login; Rita left;
    Gail is a guardian."""
    run = f.import_run()
    d = SimpleNamespace(run=run)
    d.school = f.org(run, "Adams Elementary")
    d.tess = f.staff(run, "Tess", "Turner")
    f.staff_role(run, d.tess, d.school, Position.TEACHER)
    d.paula = f.staff(run, "Paula", "Park")
    f.staff_role(run, d.paula, d.school, Position.PRINCIPAL)
    d.paula_login = f.login("paula", Role.PRINCIPAL, staff=d.paula)
    d.rita = f.staff(run, "Rita", "Reyes", active=False)
    f.staff_role(run, d.rita, d.school, Position.TEACHER)
    d.gail = f.guardian(run, "Gail", "Garcia")
    for person, email in (
        (d.tess, f"Tess.Turner@{DOMAIN}"),
        (d.paula, f"paula.park@{DOMAIN}"),
        (d.rita, f"rita.reyes@{DOMAIN}"),
        (d.gail, f"gail.garcia@{DOMAIN}"),
    ):
        person.email = email
        person.save(update_fields=["email"])
    return d


def signed_in_user(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def refusal_text(client: Client, response: object) -> str:
    """The login page's message after a refused sign-in (and that it went back there)."""
    assert getattr(response, "status_code", None) == 302
    assert response["Location"] == reverse("login")  # type: ignore[index]
    page = client.get(reverse("login"))
    assert page.status_code == 200
    texts = [str(m) for m in get_messages(page.wsgi_request)]
    html = page.content.decode()
    return " ".join(texts) or html


def detail_of(entry: Entry) -> dict[str, object]:
    detail: dict[str, object] = json.loads(entry.detail)
    return detail


def last_entry() -> Entry:
    entry = Entry.objects.order_by("-seq").first()
    assert entry is not None
    return entry


def test_it_signs_in_the_existing_login_of_a_known_staff_member(
    client: Client, sso_on: Provider, roster: SimpleNamespace
) -> None:
    sub = sso_on.person("paula-1", **staff_claims(f"Paula.Park@{DOMAIN}"))
    response = sign_in(client, sso_on, sub)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in_user(client) == roster.paula_login.pk
    assert client.session["_auth_user_backend"] == BACKEND
    login = last_entry()
    assert login.action == Action.LOGIN
    assert login.actor_user_id == roster.paula_login.pk
    assert login.actor_role == Role.PRINCIPAL


def test_it_creates_a_teacher_login_at_a_teachers_first_sign_in(
    client: Client, sso_on: Provider, roster: SimpleNamespace
) -> None:
    before = Entry.objects.count()
    sub = sso_on.person("tess-1", **staff_claims(f"tess.turner@{DOMAIN}"))
    response = sign_in(client, sso_on, sub)
    assert response.status_code == 302
    account = Account.objects.select_related("user").get(staff=roster.tess)
    assert account.role == Role.TEACHER
    user = account.user
    assert signed_in_user(client) == user.pk
    assert (user.username, user.email) == (f"tess.turner@{DOMAIN}", f"tess.turner@{DOMAIN}")
    assert (user.first_name, user.last_name) == ("Tess", "Turner")
    assert not user.has_usable_password()
    assert not user.is_staff and not user.is_superuser
    created, login = Entry.objects.order_by("seq")[before:]
    assert created.action == Action.CREATE
    assert detail_of(created)["role"] == Role.TEACHER
    assert detail_of(created)["staff"] == roster.tess.sourced_id
    assert detail_of(created)["provider"] == sso_on.issuer
    assert detail_of(created)["subject"] == sub
    assert login.action == Action.LOGIN and login.actor_user_id == user.pk
    # The second sign-in reuses the login.
    client.logout()
    sign_in(client, sso_on, sub)
    assert signed_in_user(client) == user.pk
    assert Account.objects.filter(staff=roster.tess).count() == 1


def test_it_returns_to_the_page_asked_for_before_sign_in(
    client: Client, sso_on: Provider, roster: SimpleNamespace
) -> None:
    sub = sso_on.person("paula-2", **staff_claims(f"paula.park@{DOMAIN}"))
    response = sign_in(client, sso_on, sub, next_url="/students/")
    assert response["Location"] == "/students/"
    elsewhere = sign_in(Client(), sso_on, sub, next_url="https://evil.example/")
    assert elsewhere["Location"] == reverse("home")


def test_it_still_requires_the_staff_second_factor_after_single_sign_on(
    client: Client, sso_on: Provider, roster: SimpleNamespace, settings: object
) -> None:
    settings.STEWARD_MFA = "required"  # type: ignore[attr-defined]
    sub = sso_on.person("paula-3", **staff_claims(f"paula.park@{DOMAIN}"))
    sign_in(client, sso_on, sub)
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("security-mfa-setup"))
    assert "otp_device_id" not in client.session


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        (staff_claims(f"nobody@{DOMAIN}"), "unknown_email"),
        (staff_claims(f"tess.turner@{DOMAIN}", email_verified=False), "email_unverified"),
        ({"email": f"tess.turner@{DOMAIN}"}, "email_unverified"),
        (staff_claims("tess.turner@elsewhere.example"), "domain_not_allowed"),
        (staff_claims(f"tess.turner@{DOMAIN}", hd="elsewhere.example"), "domain_not_allowed"),
        (staff_claims(f"gail.garcia@{DOMAIN}"), "not_staff"),
        (staff_claims(f"rita.reyes@{DOMAIN}"), "inactive_staff"),
        ({"name": "No Address"}, "no_email"),
    ],
    ids=[
        "unknown",
        "unverified",
        "verification-missing",
        "other-domain",
        "other-workspace",
        "guardian",
        "inactive-staff",
        "no-email",
    ],
)
def test_it_refuses_and_records_a_sign_in_it_must_not_accept(
    client: Client,
    sso_on: Provider,
    roster: SimpleNamespace,
    claims: dict[str, object],
    reason: str,
) -> None:
    logins = User.objects.count()
    sub = sso_on.person(f"refused-{reason}", **claims)
    response = sign_in(client, sso_on, sub)
    assert signed_in_user(client) is None
    assert User.objects.count() == logins
    entry = last_entry()
    assert entry.action == Action.LOGIN_FAILED
    assert detail_of(entry)["method"] == "oidc"
    assert detail_of(entry)["reason"] == reason
    assert detail_of(entry)["subject"] == sub
    assert detail_of(entry)["provider"] == sso_on.issuer
    assert entry.request_id
    message = refusal_text(client, response)
    assert message and "Server Error" not in message
    if reason == "not_staff":
        assert "Single sign-on is for district staff" in message
    if reason == "unknown_email":
        assert f"nobody@{DOMAIN}" in message
        assert entry.actor_name == f"nobody@{DOMAIN}"


def test_it_refuses_a_guardian_who_also_has_a_steward_login(
    client: Client, sso_on: Provider, roster: SimpleNamespace
) -> None:
    f.login("gail", Role.GUARDIAN, guardian=roster.gail)
    sub = sso_on.person("gail-1", **staff_claims(f"gail.garcia@{DOMAIN}"))
    sign_in(client, sso_on, sub)
    assert signed_in_user(client) is None
    assert detail_of(last_entry())["reason"] == "not_staff"


def test_it_refuses_a_disabled_login(
    client: Client, sso_on: Provider, roster: SimpleNamespace
) -> None:
    roster.paula_login.is_active = False
    roster.paula_login.save(update_fields=["is_active"])
    sub = sso_on.person("paula-4", **staff_claims(f"paula.park@{DOMAIN}"))
    sign_in(client, sso_on, sub)
    assert signed_in_user(client) is None
    assert detail_of(last_entry())["reason"] == "account_disabled"


def test_it_refuses_a_callback_whose_state_this_session_did_not_start(
    client: Client, sso_on: Provider, roster: SimpleNamespace
) -> None:
    sub = sso_on.person("paula-5", **staff_claims(f"paula.park@{DOMAIN}"))
    callback = authorize(client, sso_on, sub)
    tampered = callback.replace("state=", "state=x")
    response = client.get(tampered)
    assert signed_in_user(client) is None
    assert detail_of(last_entry())["reason"] == "state_mismatch"
    assert "expired or was already used" in refusal_text(client, response)
    # Another browser (no session of its own) cannot use the genuine callback either.
    stranger = Client()
    stranger.get(callback)
    assert signed_in_user(stranger) is None
    assert detail_of(last_entry())["reason"] == "state_mismatch"


def test_it_refuses_a_replayed_callback(
    client: Client, sso_on: Provider, roster: SimpleNamespace
) -> None:
    sub = sso_on.person("paula-6", **staff_claims(f"paula.park@{DOMAIN}"))
    callback = authorize(client, sso_on, sub)
    client.get(callback)
    assert signed_in_user(client) == roster.paula_login.pk
    client.logout()
    client.get(callback)
    assert signed_in_user(client) is None
    assert detail_of(last_entry())["reason"] == "state_mismatch"


def test_it_refuses_when_the_person_denies_at_the_provider(
    client: Client, sso_on: Provider, roster: SimpleNamespace
) -> None:
    start = client.get(reverse("oidc_start"))
    with httpx.Client(trust_env=False) as http:
        denied = http.post(start["Location"], data={"action": "deny"})
    assert denied.status_code == 302
    response = client.get(denied.headers["location"].removeprefix("http://testserver"))
    assert signed_in_user(client) is None
    entry = last_entry()
    assert (detail_of(entry)["reason"], detail_of(entry)["note"]) == (
        "provider_error",
        "access_denied",
    )
    assert "Test Workspace" in refusal_text(client, response)
