"""Fuzzing the OneRoster token endpoint (OAuth 2 client credentials) with schemathesis (#10
item 5; R33 "identify and authenticate ... recipients", R116(1)).

1EdTech's document names no token endpoint of ours (its `tokenUrl` is imsglobal.org), so the
endpoint is described here as RFC 6749 §4.4 and §5 define it: a form POST answered with the
§5.1 token or a §5.2 error, and 429 (imsx) over the rate limit. Cases go out with Acme's real
Basic credentials, a wrong secret, credentials in the form, NUL in the client id, or none;
bodies are schemathesis' own or aimed at the grant (real and unknown grant types and scopes).
Every answer must be no 5xx, conform to the description, issue a token only to the right
secret, and name the Basic scheme on every 401.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok

from steward.audit.verify import verify_ledger
from steward.rostering import scopes as sc
from tests.security.test_fuzz_world import BASE, Loopback, build_fuzz_world, in_process

CASES = 240
_TEXT = {"type": "string"}
OAUTH_ERRORS = ("invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
                "unsupported_grant_type", "invalid_scope")  # fmt: skip
TOKEN = {
    "type": "object",
    "required": ["access_token", "token_type", "expires_in", "scope"],
    "properties": {
        "access_token": {"type": "string", "minLength": 20},
        "token_type": {"type": "string", "enum": ["Bearer"]},
        "expires_in": {"type": "integer", "minimum": 1},
        "scope": _TEXT,
    },
    "additionalProperties": False,
}
ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "string",
            "enum": list(OAUTH_ERRORS),
        },
        "error_description": _TEXT,
    },
    "additionalProperties": False,
}
IMSX = {"type": "object", "required": ["imsx_codeMajor", "imsx_severity"]}


def _answer(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Steward OneRoster token endpoint (RFC 6749 §4.4)", "version": "1.2"},
    "servers": [{"url": "http://localhost" + BASE}],
    "components": {"securitySchemes": {"client": {"type": "http", "scheme": "basic"}}},
    "paths": {
        "/token": {
            "post": {
                "operationId": "requestToken",
                "security": [{"client": []}, {}],  # Basic, or the credentials in the form
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "required": ["grant_type"],
                                "properties": {
                                    "grant_type": {
                                        "type": "string",
                                        "enum": ["client_credentials"],
                                    },
                                    "scope": _TEXT,
                                    "client_id": _TEXT,
                                    "client_secret": _TEXT,
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": _answer("RFC 6749 §5.1", TOKEN),
                    "400": _answer("RFC 6749 §5.2", ERROR),
                    "401": _answer("RFC 6749 §5.2, with WWW-Authenticate", ERROR),
                    "429": _answer("over the rate limit", IMSX),
                },
            }
        }
    },
}
# A well-formed body is still refused with 400 when it asks for a scope the client does not
# hold or authenticates twice, and with 401 for a wrong secret: `_expected` says which.
CONFIG = schemathesis.Config.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ["200", "400", "401"]}}}
)
SETTINGS = hypothesis_settings(
    max_examples=CASES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture
def fuzz_world(db: None, client: Client, settings: Any) -> SimpleNamespace:
    return build_fuzz_world(client, settings)


def _basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def _callers(world: SimpleNamespace) -> list[tuple[str, dict[str, str], dict[str, str]]]:
    """(name, headers, form fields) of each way of calling; only "Acme" may get a token."""
    client_id, secret = world.acme_client.client_id, world.acme_secret
    return [
        ("Acme", {"Authorization": _basic(client_id, secret)}, {}),
        ("Acme in the form", {}, {"client_id": client_id, "client_secret": secret}),
        ("wrong secret", {"Authorization": _basic(client_id, secret + "x")}, {}),
        ("NUL client id", {"Authorization": _basic(client_id + "\x00", secret)}, {}),
        ("both ways", {"Authorization": _basic(client_id, secret)}, {"client_id": client_id}),
        ("no credentials", {}, {}),
        ("Bearer", {"Authorization": "Bearer " + secret}, {}),
    ]


_GRANTS = {
    "grant_type": st.sampled_from(["client_credentials", "client_credentials", "password", ""]),
    "scope": st.sampled_from(["", sc.CORE, f"{sc.CORE} {sc.ROSTER}", "admin", "\x00"]),
}


def _expected(name: str, body: dict[str, Any]) -> set[int]:
    """The statuses RFC 6749 allows for this caller and body, in the endpoint's order: the
    credentials' form, then the grant type (no secret is checked for a grant we do not
    serve, so none can be guessed that way), then the secret, then the scope."""
    if name in ("NUL client id", "no credentials", "Bearer"):
        return {401}
    if name == "both ways" or body.get("grant_type") != "client_credentials":
        return {400}
    if name == "wrong secret":
        return {401}
    return {200, 400}  # 400 invalid_scope for a scope the client does not hold


@pytest.mark.slow
def test_the_token_endpoint_survives_fuzzing_and_issues_tokens_only_for_the_right_secret(
    fuzz_world: SimpleNamespace, record_property: Callable[[str, object], None]
) -> None:
    schema = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)
    (result,) = list(schema.get_all_operations())
    assert isinstance(result, Ok)
    operation = result.ok()
    app = Loopback()
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    bodies = st.one_of(
        operation.as_strategy(),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        st.fixed_dictionaries({}, optional=_GRANTS).flatmap(
            lambda form: operation.as_strategy(body=form)
        ),
    )

    @given(case=bodies, caller=st.sampled_from(_callers(fuzz_world)))
    @SETTINGS
    def run(case: Any, caller: tuple[str, dict[str, str], dict[str, str]]) -> None:
        name, headers, fields = caller
        body = case.body if isinstance(case.body, dict) else {}
        body = {k: v for k, v in body.items() if k not in ("client_id", "client_secret")}
        case.body = {**body, **fields}
        case.headers = {k: v for k, v in (case.headers or {}).items() if k != "Authorization"}
        case.headers.update(headers)
        response = case.call(app=app)
        statuses[response.status_code] += 1
        try:
            case.validate_response(response, transport_kwargs={"app": app})
        except FailureGroup as group:
            failures.append(f"{name}: {group}")
        if isinstance(case.body, dict) and response.status_code not in _expected(name, case.body):
            failures.append(f"{name}: {response.status_code} for {case.body!r}")
        if response.status_code == 401:
            challenge = response.headers.get("www-authenticate", [""])[0]
            if not challenge.startswith("Basic"):
                failures.append(f"{name}: a 401 without the Basic challenge")
        if response.status_code == 200 and "access_token" not in json.loads(response.content):
            failures.append(f"{name}: 200 without a token")

    with in_process():
        run()
    record_property(
        "figures: OneRoster token endpoint fuzz",
        f"{sum(statuses.values())} cases, by status "
        + ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items())),
    )
    assert not failures, f"{len(failures)} failures, the first:\n" + "\n".join(failures[:5])
    assert sum(statuses.values()) >= CASES * 0.9
    assert statuses[200] > 0 and statuses[401] > 0, "tokens issued and refused both"
    assert verify_ledger().ok
