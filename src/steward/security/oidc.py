"""OpenID Connect single sign-on for staff, on mozilla-django-oidc (R33, R116(1); design.md §6).

`StaffOIDCBackend` exchanges the authorization code at the provider's token endpoint (the
client secret in the request body, PKCE verifier included), verifies the ID token itself —
RS256 signature against the provider's JWKS, issuer, audience (and `azp` when there are several
audiences), expiry, issued-at, nonce — and maps the e-mail address it vouches for to a roster
staff member's login (`oidc_claims`, `oidc_roster`). mozilla-django-oidc checks neither issuer
nor audience, hence `verify_token` here.

The backend is listed in AUTHENTICATION_BACKENDS so that sessions it starts stay valid, but its
`authenticate` takes only the callback's `nonce` and `code_verifier`: Django skips it for
password sign-ins, whose credentials do not bind to that signature. The callback view
(`oidc_views`) calls it directly, so a refusal is recorded once, with its reason.
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

import requests
from steward.security import oidc_refusals as r
from steward.security.oidc_claims import asserted_email
from steward.security.oidc_config import SsoConfig
from steward.security.oidc_discovery import ALGORITHM, ProviderError, endpoints, signing_key
from steward.security.oidc_roster import staff_login

logger = logging.getLogger(__name__)

BACKEND = "steward.security.oidc.StaffOIDCBackend"
CALLBACK_URL_NAME = "oidc_callback"
SCOPES = "openid email profile"
# Clock skew allowed between Steward and the provider when checking exp and iat.
LEEWAY_SECONDS = 60

# mozilla-django-oidc reads its options through `get_settings`; Steward fixes them here rather
# than in settings.py, so that the environment (STEWARD_OIDC_*) is the only configuration.
_FIXED: dict[str, Any] = {
    "OIDC_RP_SCOPES": SCOPES,
    "OIDC_RP_SIGN_ALGO": ALGORITHM,
    "OIDC_AUTHENTICATION_CALLBACK_URL": CALLBACK_URL_NAME,
    "OIDC_USE_NONCE": True,
    "OIDC_USE_PKCE": True,
    "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
    "OIDC_PKCE_CODE_VERIFIER_SIZE": 64,
    "OIDC_STATE_SIZE": 32,
    "OIDC_NONCE_SIZE": 32,
    "OIDC_MAX_STATES": 50,
    "OIDC_REDIRECT_FIELD_NAME": "next",
    "OIDC_VERIFY_SSL": True,
    "OIDC_PROXY": None,
    "OIDC_TOKEN_USE_BASIC_AUTH": False,
    "OIDC_ALLOW_UNSECURED_JWT": False,
    # Steward keeps no provider tokens: it needs the identity once, not API access.
    "OIDC_STORE_ACCESS_TOKEN": False,
    "OIDC_STORE_ID_TOKEN": False,
    "OIDC_CREATE_USER": False,
    "LOGIN_REDIRECT_URL_FAILURE": "login",
}


def sso_config() -> SsoConfig | None:
    """The configured provider (settings.STEWARD_OIDC), or None when SSO is off."""
    config: SsoConfig | None = getattr(settings, "STEWARD_OIDC", None)
    return config


def oidc_setting(attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's `get_settings`, answered from Steward's fixed choices and config."""
    if attr in _FIXED:
        return _FIXED[attr]
    config = sso_config()
    if attr == "OIDC_TIMEOUT":
        return config.timeout if config else None
    if attr in ("OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET") and config is not None:
        return config.client_id if attr == "OIDC_RP_CLIENT_ID" else config.client_secret
    return getattr(settings, attr, *default)


class StaffOIDCBackend(OIDCAuthenticationBackend):
    """Signs in roster staff through the district's OpenID provider; see the module docstring.

    After `authenticate` returns None, `refusal` says why (an SsoRefusal).
    """

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # mozilla-django-oidc reads the endpoints here; Steward resolves them only when a sign-in
        # needs them (Django instantiates every backend for every password sign-in too).
        self.UserModel = get_user_model()
        self.refusal: r.SsoRefusal | None = None

    def authenticate(
        self, request: HttpRequest | None, *, nonce: str, code_verifier: str | None = None
    ) -> AbstractBaseUser | None:
        """The staff login for the callback `request` (code and state in its query), or None
        with `self.refusal` set. The state must already be checked against the session."""
        self.refusal = None
        config = sso_config()
        if request is None or config is None:
            return None
        self.config = config
        try:
            self.endpoints = endpoints(config)
            self.OIDC_OP_TOKEN_ENDPOINT = self.endpoints.token
            self.OIDC_RP_CLIENT_ID = config.client_id
            self.OIDC_RP_CLIENT_SECRET = config.client_secret
            self.OIDC_RP_SIGN_ALGO = ALGORITHM
            user: AbstractBaseUser | None = super().authenticate(
                request, nonce=nonce, code_verifier=code_verifier
            )
        except r.SsoRefusal as refusal:
            self.refusal = refusal
            return None
        except requests.HTTPError as exc:  # the token endpoint refused the code or the secret
            logger.warning("single sign-on: token request refused: %s", exc)
            self.refusal = r.SsoRefusal(r.TOKEN_INVALID, detail=str(exc)[:500])
            return None
        except (ProviderError, requests.RequestException) as exc:
            logger.warning("single sign-on: provider failure: %s", exc)
            self.refusal = r.SsoRefusal(r.PROVIDER_UNREACHABLE, detail=str(exc)[:500])
            return None
        except (jwt.PyJWTError, SuspiciousOperation, ValueError, KeyError) as exc:
            logger.warning("single sign-on: token refused: %s", exc)
            self.refusal = r.SsoRefusal(r.TOKEN_INVALID, detail=str(exc)[:500])
            return None
        if user is None and self.refusal is None:
            self.refusal = r.SsoRefusal(r.TOKEN_INVALID, detail="no code or no ID token")
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The ID token's claims, once its signature, issuer, audience, times and nonce hold.

        Raises jwt.PyJWTError or SuspiciousOperation otherwise; ProviderError when no key of
        the provider matches.
        """
        if not isinstance(token, str):
            raise SuspiciousOperation("the token response holds no ID token")
        claims = self._decode(token, fresh=False)
        nonce = kwargs.get("nonce")
        if not nonce or claims.get("nonce") != nonce:
            raise SuspiciousOperation("the ID token's nonce does not match this sign-in")
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.config.client_id:
            raise SuspiciousOperation("the ID token names several audiences but not us as azp")
        return claims

    def _decode(self, token: str, *, fresh: bool) -> dict[str, Any]:
        key = signing_key(self.config, self.endpoints.jwks_uri, token, fresh=fresh)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=self.config.client_id,
                issuer=self.config.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.InvalidSignatureError:
            if fresh:
                raise
            # A key set cached before the provider rotated a key it names without a kid.
            return self._decode(token, fresh=True)
        return claims

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        # The signed ID token carries every claim Steward reads (see oidc_claims).
        return payload

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> AbstractBaseUser:
        """The staff login the ID token vouches for; raises SsoRefusal otherwise."""
        email = asserted_email(payload, self.config)
        return staff_login(
            email, provider=self.config.issuer, subject=str(payload["sub"]), request=self.request
        )

    def get_user(self, user_id: Any) -> AbstractBaseUser | None:
        # Django's rule, not mozilla-django-oidc's: a deactivated login's sessions end.
        return ModelBackend.get_user(self, user_id)
