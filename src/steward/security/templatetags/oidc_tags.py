"""`{% oidc_sign_in as sso %}`: what the login page needs to offer single sign-on (R33)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from steward.security.oidc import sso_config

register = template.Library()


@register.simple_tag
def oidc_sign_in() -> dict[str, str] | None:
    """The start URL and provider name, or None while SSO is off (then no button shows)."""
    config = sso_config()
    if config is None:
        return None
    return {"url": reverse("oidc_start"), "provider_name": config.provider_name}
