"""Regression tests for the bugs the API fuzzer found (#10 item 5; R33, R116(1)).

1. An empty query parameter (`limit=`, `filter=`) was read as the default; the document
   declares each one `allowEmptyValue: false`, so it is now refused with 400 `invaliddata`.
2. On PostgreSQL a NUL character in a filter value, in a sourcedId in the path, or in the
   client credentials at the token endpoint was a 500 (PostgreSQL cannot compare text with
   NUL). Now: 400 for the filter, 404 for the id, 401 `invalid_client` for the credentials.
3. A path under the service that no operation serves (an id holding `/`) was answered with
   the site's HTML 404 page; now it is imsx JSON: 401 without a valid token, then 404.
"""

from __future__ import annotations

import base64
import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from steward.audit.models import Action, Entry
from tests.security.test_fuzz_world import BASE, build_fuzz_world


@pytest.fixture
def fuzz_world(db: None, client: Client, settings: Any) -> SimpleNamespace:
    return build_fuzz_world(client, settings)


def _get(http: Client, who: Any, path: str, **params: str) -> Any:
    return http.get(BASE + path, params, headers=who.headers)


def _minor(response: Any) -> str:
    body = json.loads(response.content)
    return str(body["imsx_CodeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"])


@pytest.mark.parametrize("name", ["filter", "sort", "orderBy", "fields", "limit", "offset"])
def test_an_empty_query_parameter_is_refused_not_read_as_the_default(
    fuzz_world: SimpleNamespace, client: Client, name: str
) -> None:
    response = _get(client, fuzz_world.acme, "/users", **{name: ""})
    assert response.status_code == 400
    assert _minor(response) == "invaliddata"
    assert name in json.loads(response.content)["imsx_description"]


def test_a_single_object_refuses_an_empty_fields_but_ignores_parameters_it_does_not_take(
    fuzz_world: SimpleNamespace, client: Client
) -> None:
    user = fuzz_world.acme.pools["users"][0]
    assert _get(client, fuzz_world.acme, f"/users/{user}", fields="").status_code == 400
    assert _get(client, fuzz_world.acme, f"/users/{user}", limit="").status_code == 200


@pytest.mark.parametrize("value", ["a\x00b", "\x00"])
def test_a_nul_in_a_filter_value_is_refused_with_400(
    fuzz_world: SimpleNamespace, client: Client, value: str
) -> None:
    for text in (f"givenName='{value}'", f"sourcedId='{value}'", f"classCode~'{value}'"):
        path = "/classes" if text.startswith("classCode") else "/users"
        response = _get(client, fuzz_world.acme, path, filter=text)
        assert response.status_code == 400, text
        assert _minor(response) == "invalid_filter_field"


@pytest.mark.parametrize(
    "path", ["/users/a%00b", "/classes/%00/students", "/schools/%00/classes/x%00/teachers"]
)
def test_a_nul_in_a_path_id_is_an_unknown_object(
    fuzz_world: SimpleNamespace, client: Client, path: str
) -> None:
    response = _get(client, fuzz_world.acme, path)
    assert response.status_code == 404
    assert _minor(response) == "unknownobject"


def _basic(user: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


@pytest.mark.parametrize(
    ("form", "authorization"),
    [
        ({"client_id": "a\x00b", "client_secret": "s"}, None),
        ({"client_id": "a", "client_secret": "s\x00"}, None),
        ({}, _basic("a\x00b", "s")),
        ({}, _basic("a%00b", "s")),  # RFC 6749 §2.3.1 form-decodes both parts
    ],
)
def test_a_nul_in_client_credentials_is_a_malformed_client_and_is_recorded(
    fuzz_world: SimpleNamespace, client: Client, form: dict[str, str], authorization: str | None
) -> None:
    before = Entry.objects.filter(action=Action.LOGIN_FAILED).count()
    headers = {"Authorization": authorization} if authorization else {}
    data = {"grant_type": "client_credentials", **form}
    response = client.post(BASE + "/token", data, headers=headers)
    assert response.status_code == 401
    assert response.json() == {
        "error": "invalid_client",
        "error_description": "Malformed client credentials.",
    }
    assert Entry.objects.filter(action=Action.LOGIN_FAILED).count() == before + 1


@pytest.mark.parametrize("path", ["/users/a%2Fb", "/classes/x/y/z", "/no-such-collection"])
def test_a_path_no_operation_serves_is_answered_in_imsx_json_after_authentication(
    fuzz_world: SimpleNamespace, client: Client, path: str
) -> None:
    anonymous = client.get(BASE + path)
    assert anonymous.status_code == 401
    assert anonymous["Content-Type"] == "application/json"
    assert anonymous["WWW-Authenticate"].startswith("Bearer")
    known = _get(client, fuzz_world.acme, path)
    assert known.status_code == 404
    assert known["Content-Type"] == "application/json"
    assert _minor(known) == "unknownobject"
