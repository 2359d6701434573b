"""Fixtures for the rostering API tests (issue #7 items 3, 5).

The district is the sharing tests' "Model District" (`tests.sharing.factories`: Adams
Elementary with Ana, Ben and Cal, Lincoln Middle with Dee; teachers Tess, Omar and Lena;
Ana's parents Gail and Rex, Cal's guardian Gus; vendors Acme and Beta). Here: agreements made
active with the ORM, API clients made with the actions, and helpers to get a token and call
the API through Django's test client.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from steward.rostering import actions, plans
from steward.rostering import scopes as sc
from steward.rostering.models import ApiClient
from steward.vendors.models import Agreement
from tests.sharing.factories import ROSTER_ELEMENTS, agreement, build_district, logins

BASE = "/ims/oneroster/rostering/v1p2"
TOKEN_URL = BASE + "/token"
GUARDIAN_ELEMENTS = [
    ["Parent/Guardian Name", "First and/or last"],
    ["Parent/Guardian ID", "Parent ID number"],
]
DEMOGRAPHIC_ELEMENTS = [
    ["Demographics", "Date of birth"],
    ["Demographics", "Gender"],
    ["Special Indicator", "English language learner information"],
]
FULL = [*ROSTER_ELEMENTS, *GUARDIAN_ELEMENTS, *DEMOGRAPHIC_ELEMENTS,
        ["Student Contact Information", "Email"]]  # fmt: skip


@pytest.fixture(autouse=True)
def _fresh_api_state(settings: Any) -> Iterator[None]:
    """Rate-limit counters live in the cache and plans in a per-process cache: each test
    starts with neither (primary keys repeat across tests on SQLite). Secrets are hashed
    with a fast hasher here (Argon2 costs ~0.5 s a hash); one test checks Argon2 itself."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]
    cache.clear()
    plans.reset()
    yield
    cache.clear()
    plans.reset()


def make_client(
    deal: Agreement, scopes: Iterable[str] = (sc.CORE, sc.ROSTER), name: str = "Sync"
) -> tuple[ApiClient, str]:
    return actions.do_create_api_client(agreement=deal, name=name, scopes=scopes, by=None)


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def token_for(http: Client, api_client: ApiClient, secret: str, scope: str = "") -> str:
    data = {"grant_type": "client_credentials"}
    if scope:
        data["scope"] = scope
    response = http.post(TOKEN_URL, data, HTTP_AUTHORIZATION=basic(api_client.client_id, secret))
    assert response.status_code == 200, response.content
    return str(response.json()["access_token"])


class Api:
    """Calls the API with a bearer token through Django's test client."""

    def __init__(self, http: Client, token: str) -> None:
        self.http = http
        self.token = token

    def get(self, path: str, **params: Any) -> Any:
        return self.http.get(BASE + path, params, HTTP_AUTHORIZATION=f"Bearer {self.token}")


@pytest.fixture
def world(db: None) -> SimpleNamespace:
    d = build_district()
    d.logins = logins(d)
    d.deal = agreement(d.acme, elements=FULL)
    return d


@pytest.fixture
def api(world: SimpleNamespace, client: Client) -> Api:
    """Acme's client with every scope, under an agreement sending roster, guardians and some
    demographics."""
    made, secret = make_client(world.deal, sc.ALL)
    world.api_client, world.secret = made, secret
    return Api(client, token_for(client, made, secret))
