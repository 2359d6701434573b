"""Single sign-on configuration from the environment, and SSO off (#10 item 1; R33)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from steward.security.oidc_config import sso_from_environ

from . import oidc_support
from .oidc_support import PROVIDER_NAME, Provider

oidc_provider = oidc_support.oidc_provider
sso_on = oidc_support.sso_on

GOOGLE = {
    "STEWARD_OIDC_ISSUER": "https://accounts.google.com",
    "STEWARD_OIDC_CLIENT_ID": "1234.apps.googleusercontent.com",
    "STEWARD_OIDC_CLIENT_SECRET": "from-the-console",
    "STEWARD_OIDC_EMAIL_DOMAINS": "district.example",
}


def with_env(**changes: str) -> dict[str, str]:
    return {**GOOGLE, **changes}


def test_it_leaves_sso_off_when_nothing_is_set() -> None:
    assert sso_from_environ({}) is None
    assert sso_from_environ({"STEWARD_OIDC_PROVIDER_NAME": "Google Workspace"}) is None


def test_it_reads_a_google_workspace_configuration() -> None:
    config = sso_from_environ(
        with_env(
            STEWARD_OIDC_ISSUER="https://accounts.google.com/",
            STEWARD_OIDC_EMAIL_DOMAINS=" @District.Example, staff.district.example ,",
            STEWARD_OIDC_PROVIDER_NAME="Google Workspace",
        )
    )
    assert config is not None
    assert config.issuer == "https://accounts.google.com"
    assert config.is_google and config.discovers
    assert config.email_domains == ("district.example", "staff.district.example")
    assert (config.email_claim, config.provider_name) == ("email", "Google Workspace")
    assert config.timeout == 10.0


def test_it_reads_a_microsoft_entra_configuration() -> None:
    config = sso_from_environ(
        with_env(
            STEWARD_OIDC_ISSUER="https://login.microsoftonline.com/0b1c2d3e-tenant/v2.0",
            STEWARD_OIDC_EMAIL_CLAIM="preferred_username",
        )
    )
    assert config is not None
    assert config.email_claim == "preferred_username"
    assert not config.is_google


@pytest.mark.parametrize("missing", sorted(GOOGLE))
def test_it_refuses_to_start_half_configured(missing: str) -> None:
    env = dict(GOOGLE)
    del env[missing]
    with pytest.raises(ImproperlyConfigured, match=missing):
        sso_from_environ(env)


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        ({"STEWARD_OIDC_ISSUER": "http://sso.district.example"}, "https"),
        ({"STEWARD_OIDC_ISSUER": "ftp://127.0.0.1"}, "https"),
        (
            {"STEWARD_OIDC_ISSUER": "https://login.microsoftonline.com/common/v2.0"},
            "shared Microsoft tenant",
        ),
        (
            {"STEWARD_OIDC_ISSUER": "https://login.microsoftonline.com/organizations/v2.0"},
            "shared Microsoft tenant",
        ),
        ({"STEWARD_OIDC_TOKEN_ENDPOINT": "https://idp.example/token"}, "or none of them"),
        (
            {
                "STEWARD_OIDC_AUTHORIZATION_ENDPOINT": "https://idp.example/auth",
                "STEWARD_OIDC_TOKEN_ENDPOINT": "http://idp.example/token",
                "STEWARD_OIDC_JWKS_URI": "https://idp.example/jwks",
            },
            "STEWARD_OIDC_TOKEN_ENDPOINT must be an https",
        ),
        ({"STEWARD_OIDC_EMAIL_CLAIM": "upn"}, "STEWARD_OIDC_EMAIL_CLAIM"),
        ({"STEWARD_OIDC_EMAIL_DOMAINS": " , @"}, "names no domain"),
        ({"STEWARD_OIDC_TIMEOUT": "soon"}, "STEWARD_OIDC_TIMEOUT"),
        ({"STEWARD_OIDC_TIMEOUT": "0"}, "STEWARD_OIDC_TIMEOUT"),
    ],
)
def test_it_refuses_an_unsafe_or_invalid_configuration(
    changes: dict[str, str], complaint: str
) -> None:
    with pytest.raises(ImproperlyConfigured, match=complaint):
        sso_from_environ(with_env(**changes))


def test_it_allows_plain_http_only_to_a_loopback_provider() -> None:
    for issuer in ("http://127.0.0.1:9000", "http://localhost:9000", "http://[::1]:9000"):
        config = sso_from_environ(with_env(STEWARD_OIDC_ISSUER=issuer))
        assert config is not None and config.issuer == issuer


def test_it_takes_explicit_endpoints_instead_of_discovery() -> None:
    config = sso_from_environ(
        with_env(
            STEWARD_OIDC_AUTHORIZATION_ENDPOINT="https://idp.example/auth",
            STEWARD_OIDC_TOKEN_ENDPOINT="https://idp.example/token",
            STEWARD_OIDC_JWKS_URI="https://idp.example/jwks",
            STEWARD_OIDC_TIMEOUT="2.5",
        )
    )
    assert config is not None and not config.discovers
    assert config.token_endpoint == "https://idp.example/token"
    assert config.timeout == 2.5


@pytest.mark.django_db
def test_sso_pages_answer_404_and_the_login_page_has_no_button_while_sso_is_off(
    client: Client, settings: Any
) -> None:
    settings.STEWARD_OIDC = None
    assert client.get(reverse("oidc_start")).status_code == 404
    assert client.get(reverse("oidc_callback") + "?code=x&state=y").status_code == 404
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert 'id="sso-sign-in"' not in page.content.decode()


@pytest.mark.django_db
def test_the_login_page_offers_the_providers_button_while_sso_is_on(
    client: Client, sso_on: Provider
) -> None:
    page = client.get(reverse("login") + "?next=/students/")
    html = page.content.decode()
    assert 'id="sso-sign-in"' in html
    assert f"Sign in with {PROVIDER_NAME}" in html
    assert f'href="{reverse("oidc_start")}?next=/students/"' in html


@pytest.mark.django_db
def test_the_button_has_a_generic_label_without_a_provider_name(
    client: Client, sso_on: Provider, settings: Any
) -> None:
    settings.STEWARD_OIDC = oidc_support.sso_config(sso_on, provider_name="")
    html = client.get(reverse("login")).content.decode()
    assert "Sign in with your district account" in html
