"""Single sign-on configuration, read once from the environment (R33, R116(1); design.md §4, §6).

SSO is off unless the district sets all four of `STEWARD_OIDC_ISSUER`, `STEWARD_OIDC_CLIENT_ID`,
`STEWARD_OIDC_CLIENT_SECRET` and `STEWARD_OIDC_EMAIL_DOMAINS`. Setting only some of them is a
configuration error that stops start-up with a message naming what is missing: a half-configured
SSO that silently stays off (or worse, half works) is harder for IT to diagnose than a refusal.

No Django models here: settings.py imports this module before the app registry exists.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

REQUIRED = (
    "STEWARD_OIDC_ISSUER",
    "STEWARD_OIDC_CLIENT_ID",
    "STEWARD_OIDC_CLIENT_SECRET",
    "STEWARD_OIDC_EMAIL_DOMAINS",
)
ENDPOINTS = (
    "STEWARD_OIDC_AUTHORIZATION_ENDPOINT",
    "STEWARD_OIDC_TOKEN_ENDPOINT",
    "STEWARD_OIDC_JWKS_URI",
)
# Which ID-token claim names the staff member: `email` (Google Workspace, and any provider that
# sends `email_verified`), or `preferred_username` (Microsoft Entra: the user principal name,
# whose domain the tenant must have verified; Entra's `email` claim is not verified).
EMAIL_CLAIMS = ("email", "preferred_username")
GOOGLE_ISSUER = "https://accounts.google.com"
# Entra's multi-tenant issuers would accept accounts of every organisation on Entra.
_ENTRA_SHARED_TENANTS = ("/common/", "/organizations/", "/consumers/")
DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class SsoConfig:
    """The district's OpenID provider and how Steward talks to it.

    `issuer` has no trailing slash. `email_domains` are lower-case, without "@". The three
    endpoints are either all set (explicit configuration) or all empty (discovery from
    `<issuer>/.well-known/openid-configuration`).
    """

    issuer: str
    client_id: str
    client_secret: str
    email_domains: tuple[str, ...]
    provider_name: str = ""
    email_claim: str = "email"
    authorization_endpoint: str = ""
    token_endpoint: str = ""
    jwks_uri: str = ""
    timeout: float = DEFAULT_TIMEOUT

    @property
    def discovers(self) -> bool:
        """Whether the endpoints come from the provider's discovery document."""
        return not self.authorization_endpoint

    @property
    def is_google(self) -> bool:
        return self.issuer == GOOGLE_ISSUER


def sso_from_environ(environ: Mapping[str, str]) -> SsoConfig | None:
    """The SSO configuration in `environ`, or None when the district has not set up SSO.

    Raises ImproperlyConfigured, naming the variables at fault, when the configuration is
    partial or unsafe: an issuer or endpoint over plain HTTP (allowed on loopback only, for
    tests and a provider on the same machine), an Entra multi-tenant issuer, an unknown e-mail
    claim, some but not all explicit endpoints, a timeout that is not a positive number.
    """
    values = {name: environ.get(name, "").strip() for name in (*REQUIRED, *ENDPOINTS)}
    given = [name for name in REQUIRED if values[name]]
    if not given:
        return None
    missing = [name for name in REQUIRED if not values[name]]
    if missing:
        raise ImproperlyConfigured(
            f"Single sign-on is half configured: {', '.join(given)} set, "
            f"{', '.join(missing)} missing. Set all four, or none to turn SSO off."
        )
    issuer = values["STEWARD_OIDC_ISSUER"].rstrip("/")
    _require_safe_url("STEWARD_OIDC_ISSUER", issuer)
    if any(shared in f"{issuer}/" for shared in _ENTRA_SHARED_TENANTS):
        raise ImproperlyConfigured(
            "STEWARD_OIDC_ISSUER names a shared Microsoft tenant (common, organizations or "
            "consumers), which would admit accounts of any organisation: use your tenant's "
            "issuer, https://login.microsoftonline.com/<tenant id>/v2.0."
        )
    endpoints = [values[name] for name in ENDPOINTS]
    if any(endpoints) and not all(endpoints):
        raise ImproperlyConfigured(
            f"Set all of {', '.join(ENDPOINTS)} or none of them (then Steward reads them from "
            "the issuer's discovery document)."
        )
    for name in ENDPOINTS:
        if values[name]:
            _require_safe_url(name, values[name])
    email_claim = environ.get("STEWARD_OIDC_EMAIL_CLAIM", "").strip() or "email"
    if email_claim not in EMAIL_CLAIMS:
        raise ImproperlyConfigured(
            f"STEWARD_OIDC_EMAIL_CLAIM must be one of {', '.join(EMAIL_CLAIMS)}, "
            f"not {email_claim!r}."
        )
    domains = tuple(
        sorted(
            {
                d.strip().lower().lstrip("@")
                for d in values["STEWARD_OIDC_EMAIL_DOMAINS"].split(",")
                if d.strip().lstrip("@")
            }
        )
    )
    if not domains:
        raise ImproperlyConfigured("STEWARD_OIDC_EMAIL_DOMAINS names no domain.")
    return SsoConfig(
        issuer=issuer,
        client_id=values["STEWARD_OIDC_CLIENT_ID"],
        client_secret=values["STEWARD_OIDC_CLIENT_SECRET"],
        email_domains=domains,
        provider_name=environ.get("STEWARD_OIDC_PROVIDER_NAME", "").strip(),
        email_claim=email_claim,
        authorization_endpoint=values["STEWARD_OIDC_AUTHORIZATION_ENDPOINT"],
        token_endpoint=values["STEWARD_OIDC_TOKEN_ENDPOINT"],
        jwks_uri=values["STEWARD_OIDC_JWKS_URI"],
        timeout=_timeout(environ.get("STEWARD_OIDC_TIMEOUT", "")),
    )


def is_safe_url(url: str) -> bool:
    """HTTPS, or plain HTTP to a loopback host (a test provider, or one on this machine)."""
    parts = urlsplit(url)
    if not parts.hostname:
        return False
    if parts.scheme == "https":
        return True
    if parts.scheme != "http":
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def _require_safe_url(name: str, url: str) -> None:
    # Tokens and the client secret travel over these URLs (R116(3): encryption in transit).
    if not is_safe_url(url):
        raise ImproperlyConfigured(
            f"{name} must be an https:// URL (plain http only to a loopback address): {url!r}"
        )


def _timeout(raw: str) -> float:
    if not raw.strip():
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise ImproperlyConfigured(
            f"STEWARD_OIDC_TIMEOUT must be a positive number of seconds: {raw!r}"
        )
    return value
