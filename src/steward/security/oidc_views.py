"""The two single sign-on pages: start (redirect to the provider) and callback (R33).

Both answer 404 while SSO is off (settings.STEWARD_OIDC is None). A refusal sends the person
back to the login page with a message saying why, and writes one ledger entry. A sign-in goes
through `django.contrib.auth.login` like a password sign-in, so everything that follows a
sign-in (the ledger entry, the staff MFA requirement) follows this one too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from steward.security import oidc_refusals as r
from steward.security.oidc import BACKEND, StaffOIDCBackend, oidc_setting, sso_config
from steward.security.oidc_actions import do_record_sso_refusal
from steward.security.oidc_config import SsoConfig
from steward.security.oidc_discovery import ProviderError, endpoints


def enabled_config() -> SsoConfig:
    """The SSO configuration; Http404 while SSO is off."""
    config = sso_config()
    if config is None:
        raise Http404
    return config


def provider_label(config: SsoConfig) -> str:
    """The provider's name for messages (STEWARD_OIDC_PROVIDER_NAME, else a generic one)."""
    return config.provider_name or _("the district's sign-in service")


class SsoStartView(OIDCAuthenticationRequestView):
    """GET /oidc/authenticate/[?next=…]: remember state, nonce and PKCE verifier in the
    session, then redirect to the provider's authorization endpoint."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, **kwargs: Any) -> None:
        # mozilla-django-oidc reads the endpoint from settings here; it is resolved in get().
        View.__init__(self, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        config = enabled_config()
        try:
            self.OIDC_OP_AUTH_ENDPOINT = endpoints(config).authorization
        except ProviderError:
            refusal = r.SsoRefusal(r.PROVIDER_UNREACHABLE)
            messages.error(request, refusal.message(provider=provider_label(config), domains=()))
            return redirect("login")
        self.OIDC_RP_CLIENT_ID = config.client_id
        response: HttpResponse = super().get(request)
        return response

    def get_extra_params(self, request: HttpRequest) -> dict[str, str]:
        # Let a person on a shared school computer choose the account rather than reuse the
        # last one signed in to the provider.
        params = {"prompt": "select_account"}
        config = enabled_config()
        if config.is_google and len(config.email_domains) == 1:
            params["hd"] = config.email_domains[0]  # Google's account chooser shows only these
        return params


class SsoCallbackView(OIDCAuthenticationCallbackView):
    """GET /oidc/callback/?code=…&state=…: the provider's answer.

    The state must be one this session started (each is used once, refused or not); the
    backend then exchanges the code and maps the ID token to a staff login.
    """

    get_settings = staticmethod(oidc_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        config = enabled_config()
        pending = self._take_state(request)
        if request.GET.get("error"):
            error = str(request.GET["error"])[:100]
            return self._refuse(config, r.SsoRefusal(r.PROVIDER_ERROR, detail=error))
        if pending is None or not request.GET.get("code"):
            return self._refuse(config, r.SsoRefusal(r.STATE_MISMATCH))
        backend = StaffOIDCBackend()
        user = backend.authenticate(
            request,
            nonce=str(pending.get("nonce") or ""),
            code_verifier=pending.get("code_verifier"),
        )
        if user is None or not user.is_active:
            return self._refuse(config, backend.refusal or r.SsoRefusal(r.ACCOUNT_DISABLED))
        user.backend = BACKEND  # type: ignore[attr-defined]  # what auth.login records
        self.user = user
        response: HttpResponse = self.login_success()
        return response

    @staticmethod
    def _take_state(request: HttpRequest) -> dict[str, Any] | None:
        """The session's pending sign-in for the `state` in the query, removed so that it
        cannot be replayed; None when there is none."""
        states = request.session.get("oidc_states")
        state = request.GET.get("state", "")
        if not isinstance(states, dict) or not state or state not in states:
            return None
        pending = states.pop(state)
        request.session["oidc_states"] = states
        return pending if isinstance(pending, dict) else None

    def _refuse(self, config: SsoConfig, refusal: r.SsoRefusal) -> HttpResponse:
        do_record_sso_refusal(self.request, refusal, provider=config.issuer)
        text = refusal.message(provider=provider_label(config), domains=config.email_domains)
        messages.error(self.request, text)
        return redirect("login")
