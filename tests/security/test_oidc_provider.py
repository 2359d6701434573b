"""Single sign-on's dealings with the provider: discovery and its cache, explicit endpoints,
ID-token checks, Microsoft Entra's claim, an unreachable provider (#10 item 1; R33, R116(3)).

Against oidc-provider-mock on loopback, as in test_oidc_flow.
"""

from __future__ import annotations

import json
import socket
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from steward.accounts.models import Account
from steward.audit.models import Action, Entry
from steward.roster.models import StaffRole
from tests.web import factories as f

from . import oidc_support
from .oidc_support import DOMAIN, Provider, authorize, sign_in, sso_config, staff_claims

oidc_provider = oidc_support.oidc_provider
sso_on = oidc_support.sso_on

pytestmark = pytest.mark.django_db
DISCOVERY = "/.well-known/openid-configuration"


@pytest.fixture
def paula(db: None) -> SimpleNamespace:
    """Paula, principal of Adams, with a login; her roster address is paula.park@<DOMAIN>."""
    run = f.import_run()
    school = f.org(run, "Adams Elementary")
    staff = f.staff(run, "Paula", "Park")
    f.staff_role(run, staff, school, StaffRole.Position.PRINCIPAL)
    staff.email = f"paula.park@{DOMAIN}"
    staff.save(update_fields=["email"])
    login = f.login("paula", Account.Role.PRINCIPAL, staff=staff)
    return SimpleNamespace(staff=staff, login=login)


def signed_in_user(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def last_refusal() -> tuple[str, str]:
    """The reason and technical note of the last ledger entry, a refused sign-in."""
    entry = Entry.objects.order_by("-seq").first()
    assert entry is not None and entry.action == Action.LOGIN_FAILED
    detail = json.loads(entry.detail)
    return detail["reason"], detail["note"]


def test_it_reads_discovery_once_and_then_from_the_cache(
    client: Client, sso_on: Provider, paula: SimpleNamespace
) -> None:
    before = sso_on.hits[DISCOVERY]
    sub = sso_on.person("cache-1", **staff_claims(f"paula.park@{DOMAIN}"))
    sign_in(client, sso_on, sub)
    sign_in(Client(), sso_on, sub)
    assert sso_on.hits[DISCOVERY] == before + 1
    cache.clear()
    sign_in(Client(), sso_on, sub)
    assert sso_on.hits[DISCOVERY] == before + 2


def test_it_uses_explicit_endpoints_without_discovery(
    client: Client, sso_on: Provider, paula: SimpleNamespace, settings: Any
) -> None:
    settings.STEWARD_OIDC = sso_config(
        sso_on,
        authorization_endpoint=f"{sso_on.issuer}/oauth2/authorize",
        token_endpoint=f"{sso_on.issuer}/oauth2/token",
        jwks_uri=f"{sso_on.issuer}/jwks",
    )
    before = sso_on.hits[DISCOVERY]
    sub = sso_on.person("explicit-1", **staff_claims(f"paula.park@{DOMAIN}"))
    sign_in(client, sso_on, sub)
    assert signed_in_user(client) == paula.login.pk
    assert sso_on.hits[DISCOVERY] == before


def test_it_refuses_an_id_token_from_another_issuer(
    client: Client, sso_on: Provider, paula: SimpleNamespace, settings: Any
) -> None:
    settings.STEWARD_OIDC = sso_config(
        sso_on,
        issuer=f"{sso_on.issuer}/another-tenant",
        authorization_endpoint=f"{sso_on.issuer}/oauth2/authorize",
        token_endpoint=f"{sso_on.issuer}/oauth2/token",
        jwks_uri=f"{sso_on.issuer}/jwks",
    )
    sub = sso_on.person("issuer-1", **staff_claims(f"paula.park@{DOMAIN}"))
    sign_in(client, sso_on, sub)
    assert signed_in_user(client) is None
    reason, note = last_refusal()
    assert reason == "token_invalid"
    assert "Invalid issuer" in note


def test_it_refuses_an_id_token_minted_for_another_sign_in(
    client: Client, sso_on: Provider, paula: SimpleNamespace
) -> None:
    sub = sso_on.person("nonce-1", **staff_claims(f"paula.park@{DOMAIN}"))
    callback = authorize(client, sso_on, sub)
    session = client.session
    for pending in session["oidc_states"].values():
        pending["nonce"] = "a-nonce-of-another-sign-in"
    session.save()
    client.get(callback)
    assert signed_in_user(client) is None
    reason, note = last_refusal()
    assert reason == "token_invalid"
    assert "nonce" in note


def test_it_refuses_a_code_issued_to_another_client(
    client: Client, sso_on: Provider, paula: SimpleNamespace, settings: Any
) -> None:
    settings.STEWARD_OIDC = sso_config(sso_on, client_id="another-application")
    sub = sso_on.person("client-1", **staff_claims(f"paula.park@{DOMAIN}"))
    callback = authorize(client, sso_on, sub)
    settings.STEWARD_OIDC = sso_config(sso_on)
    client.get(callback)
    assert signed_in_user(client) is None
    reason, note = last_refusal()
    assert reason == "token_invalid"
    assert "invalid_grant" in note


def test_it_signs_in_an_entra_user_by_user_principal_name(
    client: Client, sso_on: Provider, paula: SimpleNamespace, settings: Any
) -> None:
    settings.STEWARD_OIDC = sso_config(sso_on, email_claim="preferred_username")
    # Entra sends no email_verified; its `email` claim is ignored in this mode.
    sub = sso_on.person(
        "entra-1", preferred_username=f"Paula.Park@{DOMAIN}", email="someone@else.example"
    )
    sign_in(client, sso_on, sub)
    assert signed_in_user(client) == paula.login.pk


def test_it_refuses_an_entra_guest_whose_principal_name_is_outside_the_district(
    client: Client, sso_on: Provider, paula: SimpleNamespace, settings: Any
) -> None:
    settings.STEWARD_OIDC = sso_config(sso_on, email_claim="preferred_username")
    guest = "paula.park_gmail.com#EXT#@district.onmicrosoft.com"
    sub = sso_on.person("entra-2", preferred_username=guest, email=f"paula.park@{DOMAIN}")
    sign_in(client, sso_on, sub)
    assert signed_in_user(client) is None
    assert last_refusal()[0] == "domain_not_allowed"


def test_it_sends_the_person_back_with_a_message_when_the_provider_is_unreachable(
    client: Client, sso_on: Provider, paula: SimpleNamespace, settings: Any
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings.STEWARD_OIDC = sso_config(sso_on, issuer=f"http://127.0.0.1:{closed}", timeout=2)
    entries = Entry.objects.count()
    response = client.get(reverse("oidc_start"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("could not reach Test Workspace" in m for m in messages)
    assert Entry.objects.count() == entries  # nobody tried to sign in yet


def test_it_refuses_to_use_a_discovery_document_it_cannot_read(
    client: Client, sso_on: Provider, settings: Any
) -> None:
    settings.STEWARD_OIDC = sso_config(sso_on, issuer=f"{sso_on.issuer}/no-such-tenant")
    response = client.get(reverse("oidc_start"))
    assert response["Location"] == reverse("login")


def test_a_deactivated_login_loses_its_single_sign_on_session(
    client: Client, sso_on: Provider, paula: SimpleNamespace
) -> None:
    sub = sso_on.person("session-1", **staff_claims(f"paula.park@{DOMAIN}"))
    sign_in(client, sso_on, sub)
    assert signed_in_user(client) == paula.login.pk
    User.objects.filter(pk=paula.login.pk).update(is_active=False)
    page = client.get(reverse("login"))
    assert not page.wsgi_request.user.is_authenticated
