"""How the role × URL matrix asks a URL and judges the answer (#10 item 4): build the URL from a
row and a role's object, send it with the role's credentials (a session, or for the API's
clients a bearer token), and check the status, where a redirect leads, and what a list shows.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.http import HttpResponseBase
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from .url_matrix_spec import ADMIN_LOGIN, API_CLIENTS, LOGIN, Args, Expected, Place, Spec
from .url_matrix_world import World


def url_of(spec: Spec, w: World, kwargs: dict[str, Any]) -> str:
    """The row's URL for these arguments, with its query string."""
    base = spec.url(kwargs) if spec.url is not None else reverse(spec.key, kwargs=kwargs)
    return base + (spec.query(w) if callable(spec.query) else spec.query)


def headers_of(spec: Spec, w: World, role: str, right: bool) -> dict[str, str]:
    """An API client's credentials (its bearer token, or what the row sends instead); none
    for a signed-in role, whose session cookie the client carries."""
    if role not in API_CLIENTS:
        return {}
    if spec.headers is not None:
        return spec.headers(w, role, right)
    token = w.api_token if role == "api_client" else w.api_core_token
    return {"Authorization": f"Bearer {token}"}


def _ask(
    client: Client, spec: Spec, w: World, role: str, url: str, headers: dict[str, str]
) -> HttpResponseBase:
    if spec.post:
        return client.post(url, spec.data(w, role), headers=headers)
    return client.get(url, headers=headers)


def check(
    response: HttpResponseBase,
    expected: Expected,
    spec: Spec,
    w: World,
    role: str,
    kwargs: dict[str, Any],
    what: str,
    place: Place | None = None,
) -> None:
    """Assert `response` is exactly `expected`: a status, or a sign-in redirect whose `next`
    is the URL asked; a redirect leads to `place` when given, and never to a sign-in page
    when not (a 302 that is really "sign in first" must not pass for success)."""
    method = "POST" if spec.post else "GET"
    where = f"{what}: {method} {response.wsgi_request.get_full_path()} as {role}"  # type: ignore[attr-defined]
    if expected in (LOGIN, ADMIN_LOGIN):
        assert response.status_code == 302, f"{where}: {response.status_code}, not a sign-in"
        sent = urlsplit(response["Location"])
        login = resolve_url(settings.LOGIN_URL) if expected == LOGIN else reverse("admin:login")
        assert sent.path == login, f"{where}: sent to {response['Location']}, not {login}"
        asked = response.wsgi_request.get_full_path()  # type: ignore[attr-defined]
        assert parse_qs(sent.query).get("next") == [asked], f"{where}: {response['Location']}"
        return
    assert response.status_code == expected, (
        f"{where}: {response.status_code}, expected {expected}"
        + (f" (to {response['Location']})" if response.has_header("Location") else "")
    )
    if response.status_code in (301, 302):
        path = urlsplit(response["Location"]).path
        if place is not None:
            assert path == place(w, role, kwargs), f"{where}: sent to {path}"
        else:  # whatever else a redirect does, it is not a sign-in page in disguise
            assert path not in (resolve_url(settings.LOGIN_URL), reverse("admin:login")), where


def ask_and_check(
    client: Client,
    spec: Spec,
    w: World,
    role: str,
    expected: Expected,
    what: str,
    *,
    right: bool = True,
    place: Place | None = None,
    args: Args | None = None,
) -> None:
    """Ask the URL once, as `role`, about its right or wrong object, and check the answer."""
    kwargs = (args or spec.args)(w, role, right)
    answer = _ask(client, spec, w, role, url_of(spec, w, kwargs), headers_of(spec, w, role, right))
    check(answer, expected, spec, w, role, kwargs, what, place)
    marks = spec.lists(w, role) if spec.lists is not None and right else None
    if marks is not None and answer.status_code == 200:
        shown, hidden = marks
        body = _body(answer)
        where = f"{spec.key} as {role}"
        assert shown in body, f"{where}: the list does not show {shown!r}"
        assert hidden not in body, f"{where}: the list shows {hidden!r}, the wrong object's"


def _body(response: HttpResponseBase) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    else:
        content = response.content  # type: ignore[attr-defined]
    return bytes(content).decode("utf-8", "replace")
