"""A real OpenID provider on loopback for the single sign-on tests (oidc-provider-mock).

`oidc_provider` (one per test session) serves oidc-provider-mock's Flask app from a thread on
127.0.0.1 with a free port: discovery, the authorization form, the token endpoint and the JWKS,
all over real HTTP. Its authorization form takes the subject to sign in as (`sub`); the claims
of that subject (e-mail, `email_verified`, `hd`, …) are set beforehand with its
`PUT /users/<sub>` API, which `Provider.person` wraps.

`sso_on` turns Steward's SSO on against it; `sign_in` walks the whole authorization-code flow:
Steward's start page → the provider's form (submitted with httpx) → Steward's callback (Django
test client), where Steward's backend calls the provider's token and JWKS endpoints itself.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
import oidc_provider_mock
import pytest
import werkzeug.serving
from django.core.cache import cache
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse

from steward.security.oidc_config import SsoConfig

CLIENT_ID = "steward-tests"
CLIENT_SECRET = "not-a-real-secret"
DOMAIN = "district.example"
PROVIDER_NAME = "Test Workspace"

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass
class Provider:
    """The running provider: its issuer URL and the paths it has been asked for."""

    issuer: str
    hits: Counter[str] = field(default_factory=Counter)

    def person(self, sub: str, **claims: object) -> str:
        """Define (or redefine) the subject `sub` with `claims`; returns `sub`."""
        response = _http().put(f"{self.issuer}/users/{sub}", json=claims)
        assert response.status_code == 204, response.text
        return sub


def _http() -> httpx.Client:
    # trust_env=False: never route loopback traffic through a proxy from the environment.
    return httpx.Client(trust_env=False, timeout=10)


def _counting(app: WsgiApp, hits: Counter[str]) -> WsgiApp:
    def counted(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        hits[environ.get("PATH_INFO", "")] += 1
        return app(environ, start_response)

    return counted


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Provider]:
    """oidc-provider-mock on 127.0.0.1 (a free port), for the whole test session."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    hits: Counter[str] = Counter()
    app = oidc_provider_mock.app(require_nonce=True)
    server = werkzeug.serving.make_server("127.0.0.1", 0, _counting(app, hits), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield Provider(issuer=f"http://127.0.0.1:{server.server_port}", hits=hits)
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


def sso_config(provider: Provider, **changes: Any) -> SsoConfig:
    """Steward's configuration for the test provider; `changes` override fields."""
    fields: dict[str, Any] = {
        "issuer": provider.issuer,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "email_domains": (DOMAIN,),
        "provider_name": PROVIDER_NAME,
    }
    return SsoConfig(**{**fields, **changes})


@pytest.fixture
def sso_on(settings: Any, oidc_provider: Provider, monkeypatch: pytest.MonkeyPatch) -> Provider:
    """SSO on against the test provider, with nothing cached from an earlier test."""
    for name in ("no_proxy", "NO_PROXY"):  # `requests`, inside Steward, reads either
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    cache.clear()
    settings.STEWARD_OIDC = sso_config(oidc_provider)
    return oidc_provider


def authorize(client: Client, provider: Provider, sub: str, *, next_url: str = "") -> str:
    """Start Steward's SSO and submit the provider's form as `sub`; returns the callback path
    (with its query) that the provider redirects the browser to."""
    start = reverse("oidc_start") + (f"?next={next_url}" if next_url else "")
    response = client.get(start)
    assert response.status_code == 302, response
    authorize_url = response["Location"]
    assert authorize_url.startswith(f"{provider.issuer}/oauth2/authorize?")
    with _http() as http:
        form = http.get(authorize_url)
        assert form.status_code == 200, form.text
        answer = http.post(authorize_url, data={"sub": sub})
    assert answer.status_code == 302, answer.text
    callback = urlsplit(answer.headers["location"])
    assert callback.netloc == "testserver" and callback.path == reverse("oidc_callback")
    return f"{callback.path}?{callback.query}"


def sign_in(
    client: Client, provider: Provider, sub: str, *, next_url: str = ""
) -> HttpResponseBase:
    """The whole authorization-code flow as `sub`; returns Steward's callback response."""
    return client.get(authorize(client, provider, sub, next_url=next_url))


def staff_claims(email: str, **more: object) -> dict[str, object]:
    """What a provider like Google Workspace says about a verified district account."""
    return {"email": email, "email_verified": True, "name": "Staff Member", **more}
