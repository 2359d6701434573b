"""The provider's endpoints and signing keys: fetched when first needed, then cached (R33).

Discovery follows OpenID Connect Discovery 1.0: `<issuer>/.well-known/openid-configuration`,
whose `issuer` must equal the configured one exactly (§4.3) — which also catches an Entra
multi-tenant document, whose issuer is a `{tenantid}` template. Keys come from the JWKS; an ID
token names its key by `kid` (Google, Entra), or may omit it when the set holds one key (OIDC
Core §10.1). A `kid` the cached set lacks means the provider rotated its keys: the set is
fetched again once.

Both are kept in Django's cache for an hour, so a sign-in normally costs no discovery or JWKS
request; with a shared cache every worker process benefits.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

import jwt
from django.core.cache import cache

import requests
from steward.security.oidc_config import SsoConfig, is_safe_url

logger = logging.getLogger(__name__)

CACHE_SECONDS = 3600
ALGORITHM = "RS256"  # Google and Entra sign ID tokens with RS256; nothing weaker is accepted.


class ProviderError(Exception):
    """The provider could not be reached, or answered something Steward cannot use."""


@dataclass(frozen=True)
class Endpoints:
    authorization: str
    token: str
    jwks_uri: str


def endpoints(config: SsoConfig) -> Endpoints:
    """The provider's endpoints: the explicit ones, else from discovery (cached).

    Raises ProviderError when the discovery document cannot be fetched, names another issuer,
    lacks an endpoint, points at an unsafe URL, or does not offer RS256.
    """
    if not config.discovers:
        return Endpoints(config.authorization_endpoint, config.token_endpoint, config.jwks_uri)
    key = _cache_key("discovery", config.issuer)
    cached = cache.get(key)
    if isinstance(cached, dict):
        return Endpoints(**cached)
    doc = _get_json(f"{config.issuer}/.well-known/openid-configuration", config.timeout)
    if doc.get("issuer") != config.issuer:
        raise ProviderError(
            f"the discovery document names issuer {doc.get('issuer')!r}, not {config.issuer!r}"
        )
    found = {}
    for field, name in (
        ("authorization", "authorization_endpoint"),
        ("token", "token_endpoint"),
        ("jwks_uri", "jwks_uri"),
    ):
        url = doc.get(name)
        if not isinstance(url, str) or not is_safe_url(url):
            raise ProviderError(f"the discovery document's {name} is missing or unsafe: {url!r}")
        found[field] = url
    algorithms = doc.get("id_token_signing_alg_values_supported", [ALGORITHM])
    if not isinstance(algorithms, list) or ALGORITHM not in algorithms:
        raise ProviderError(f"the provider does not sign ID tokens with {ALGORITHM}")
    cache.set(key, found, CACHE_SECONDS)
    return Endpoints(**found)


def signing_key(config: SsoConfig, jwks_uri: str, token: str, *, fresh: bool = False) -> jwt.PyJWK:
    """The provider's RSA key that signed `token` (by its header's `kid`).

    Uses the cached key set unless `fresh`; a `kid` missing from a cached set fetches the set
    again once. Raises ProviderError when no key matches (or the set cannot be fetched), and
    jwt.PyJWTError when the token header is unreadable.
    """
    header = jwt.get_unverified_header(token)
    kid = header.get("kid")
    keys = _key_set(config, jwks_uri, fresh=fresh)
    match = _pick(keys, kid)
    if match is None and not fresh:
        keys = _key_set(config, jwks_uri, fresh=True)
        match = _pick(keys, kid)
    if match is None:
        raise ProviderError(f"no RS256 signing key {kid!r} in the provider's key set")
    return jwt.PyJWK(match, algorithm=ALGORITHM)


def _pick(keys: list[dict[str, Any]], kid: object) -> dict[str, Any] | None:
    usable = [
        k
        for k in keys
        if k.get("kty") == "RSA"
        and k.get("use", "sig") == "sig"
        and k.get("alg", ALGORITHM) == ALGORITHM
    ]
    if kid is None:
        # Without a kid the key is unambiguous only when the set holds one (OIDC Core §10.1).
        return usable[0] if len(usable) == 1 else None
    return next((k for k in usable if k.get("kid") == kid), None)


def _key_set(config: SsoConfig, jwks_uri: str, *, fresh: bool) -> list[dict[str, Any]]:
    key = _cache_key("jwks", jwks_uri)
    if not fresh:
        cached = cache.get(key)
        if isinstance(cached, list):
            return cached
    doc = _get_json(jwks_uri, config.timeout)
    keys = doc.get("keys")
    if not isinstance(keys, list) or not all(isinstance(k, dict) for k in keys):
        raise ProviderError("the provider's key set has no list of keys")
    cache.set(key, keys, CACHE_SECONDS)
    return keys


def _get_json(url: str, timeout: float) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=timeout)
        response.raise_for_status()
        doc = response.json()
    except (requests.RequestException, ValueError) as exc:
        logger.warning("single sign-on: cannot read %s: %s", url, exc)
        raise ProviderError(f"cannot read {url}: {exc}") from exc
    if not isinstance(doc, dict):
        raise ProviderError(f"{url} did not answer a JSON object")
    return doc


def _cache_key(kind: str, url: str) -> str:
    # Hashed: cache backends such as memcached refuse long keys and some characters.
    return f"steward.oidc.{kind}.{hashlib.sha256(url.encode()).hexdigest()[:32]}"
