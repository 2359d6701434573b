"""Which e-mail address a verified ID token vouches for (R33: authenticate before disclosing).

Only the signed ID token is read, never the userinfo endpoint: Google's and Entra's ID tokens
carry every claim needed here, and a signed claim cannot be altered in transit.

Provider rules, by the configured claim (`STEWARD_OIDC_EMAIL_CLAIM`):

* `email` (Google Workspace, and most providers): `email_verified` must be true. With Google as
  the issuer the `hd` (hosted domain) claim must also name an allowed domain, because a
  consumer Google account can carry a verified address at any domain — `hd` is what proves the
  account belongs to the district's Workspace.
* `preferred_username` (Microsoft Entra): the user principal name. Entra sends no
  `email_verified`, and its `email` claim can be edited by users in some tenants, so it is not
  used; a UPN's domain must be one the tenant has verified, and the tenant-specific issuer
  (checked on every token) keeps other tenants out. An explicit `email_verified: false` still
  refuses.

In both cases the address's domain must be one of `STEWARD_OIDC_EMAIL_DOMAINS` (exact match;
subdomains are separate entries).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from steward.security import oidc_refusals as r
from steward.security.oidc_config import SsoConfig


def asserted_email(claims: Mapping[str, Any], config: SsoConfig) -> str:
    """The lower-cased e-mail address `claims` vouch for, under the rules above.

    Raises SsoRefusal (NO_EMAIL, EMAIL_UNVERIFIED or DOMAIN_NOT_ALLOWED) otherwise.
    """
    subject = str(claims.get("sub", ""))
    raw = claims.get(config.email_claim)
    if not isinstance(raw, str) or raw.count("@") != 1 or not raw.strip().partition("@")[0]:
        raise r.SsoRefusal(r.NO_EMAIL, subject=subject, detail=f"no usable {config.email_claim}")
    email = raw.strip().lower()
    verified = claims.get("email_verified")
    if config.email_claim == "email" and not _is_true(verified):
        raise r.SsoRefusal(r.EMAIL_UNVERIFIED, email=email, subject=subject)
    if verified is not None and not _is_true(verified):
        raise r.SsoRefusal(r.EMAIL_UNVERIFIED, email=email, subject=subject)
    domain = email.rpartition("@")[2]
    if domain not in config.email_domains:
        raise r.SsoRefusal(r.DOMAIN_NOT_ALLOWED, email=email, subject=subject, detail=domain)
    hosted = claims.get("hd")
    if (hosted is not None or config.is_google) and str(hosted).lower() not in config.email_domains:
        raise r.SsoRefusal(
            r.DOMAIN_NOT_ALLOWED, email=email, subject=subject, detail=f"hosted domain {hosted!r}"
        )
    return email


def _is_true(value: object) -> bool:
    # Some providers send the boolean as a string.
    return value is True or (isinstance(value, str) and value.lower() == "true")
