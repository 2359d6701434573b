"""OAuth 2 client credentials and per-request checks (issue #7 items 3 and 5; RFC 6749 §4.4,
RFC 6750; design.md §6: credentials stored hashed, rate limits on the vendor API)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.test import Client
from django.utils import timezone

from steward.audit.models import Action, Entry
from steward.rostering import actions
from steward.rostering import scopes as sc
from steward.rostering.models import AccessToken
from steward.vendors.models import AgreementStatus
from tests.rostering.factories import TOKEN_URL, Api, basic, make_client, token_for


def _imsx(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["imsx_codeMajor"] == "failure"
    assert body["imsx_severity"] == "error"
    assert body["imsx_description"]
    assert body["imsx_CodeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == code


def test_it_issues_a_bearer_token_to_a_client_authenticated_with_basic(
    world: SimpleNamespace, client: Client
) -> None:
    made, secret = make_client(world.deal)
    response = client.post(
        TOKEN_URL,
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic(made.client_id, secret),
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == actions.TOKEN_SECONDS
    assert body["scope"].split() == [sc.CORE, sc.ROSTER]
    assert response["Cache-Control"] == "no-store"
    stored = AccessToken.objects.get(client=made)
    assert stored.token_sha256 == actions.token_digest(body["access_token"])
    assert body["access_token"] not in stored.token_sha256
    assert Entry.objects.filter(action=Action.SECURITY, agreement_id=str(world.deal.pk)).exists()


def test_it_accepts_the_credentials_in_the_form_and_narrows_to_the_scope_asked(
    world: SimpleNamespace, client: Client
) -> None:
    made, secret = make_client(world.deal)
    response = client.post(
        TOKEN_URL,
        {"grant_type": "client_credentials", "client_id": made.client_id, "client_secret": secret,
         "scope": sc.CORE},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json()["scope"] == sc.CORE


def test_it_never_stores_the_secret_itself(world: SimpleNamespace, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    made, secret = make_client(world.deal)
    assert secret not in made.secret_hash
    assert made.secret_hash.startswith("argon2")


def test_a_wrong_secret_is_an_invalid_client_and_is_logged(
    world: SimpleNamespace, client: Client
) -> None:
    made, _secret = make_client(world.deal)
    response = client.post(
        TOKEN_URL,
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic(made.client_id, "nope"),
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response["WWW-Authenticate"].startswith("Basic")
    assert Entry.objects.filter(action=Action.LOGIN_FAILED).count() == 1
    assert not AccessToken.objects.exists()


def test_an_unknown_client_gets_the_same_answer_as_a_wrong_secret(
    world: SimpleNamespace, client: Client
) -> None:
    response = client.post(
        TOKEN_URL, {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=basic("or-nobody", "x")
    )
    assert response.status_code == 401
    assert response.json()["error_description"] == "Unknown client or wrong secret."


def test_it_refuses_any_grant_but_client_credentials(
    world: SimpleNamespace, client: Client
) -> None:
    made, secret = make_client(world.deal)
    response = client.post(
        TOKEN_URL, {"grant_type": "password"}, HTTP_AUTHORIZATION=basic(made.client_id, secret)
    )
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_it_refuses_a_scope_the_client_was_not_granted(
    world: SimpleNamespace, client: Client
) -> None:
    made, secret = make_client(world.deal, [sc.CORE])
    response = client.post(
        TOKEN_URL,
        {"grant_type": "client_credentials", "scope": sc.DEMOGRAPHICS},
        HTTP_AUTHORIZATION=basic(made.client_id, secret),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_it_refuses_two_ways_of_client_authentication_at_once(
    world: SimpleNamespace, client: Client
) -> None:
    made, secret = make_client(world.deal)
    response = client.post(
        TOKEN_URL,
        {"grant_type": "client_credentials", "client_id": made.client_id, "client_secret": secret},
        HTTP_AUTHORIZATION=basic(made.client_id, secret),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_a_request_without_a_token_is_unauthorised(world: SimpleNamespace, client: Client) -> None:
    response = client.get("/ims/oneroster/rostering/v1p2/users")
    _imsx(response, 401, "unauthorisedrequest")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_is_unauthorised(world: SimpleNamespace, client: Client) -> None:
    _imsx(Api(client, "not-a-token").get("/users"), 401, "unauthorisedrequest")


def test_an_expired_token_is_unauthorised(api: Api) -> None:
    AccessToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    _imsx(api.get("/users"), 401, "unauthorisedrequest")


def test_rotating_the_secret_revokes_the_tokens_issued_before(
    api: Api, world: SimpleNamespace, client: Client
) -> None:
    assert api.get("/orgs").status_code == 200
    new_secret = actions.do_rotate_api_client_secret(client=world.api_client, by=None)
    _imsx(api.get("/orgs"), 401, "unauthorisedrequest")
    world.api_client.refresh_from_db()
    assert (
        Api(client, token_for(client, world.api_client, new_secret)).get("/orgs").status_code == 200
    )
    bad = client.post(
        TOKEN_URL,
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic(world.api_client.client_id, world.secret),
    )
    assert bad.status_code == 401


def test_a_deactivated_client_loses_its_tokens_and_gets_no_new_one(
    api: Api, world: SimpleNamespace, client: Client
) -> None:
    actions.do_deactivate_api_client(client=world.api_client, reason="vendor replaced", by=None)
    _imsx(api.get("/orgs"), 401, "unauthorisedrequest")
    response = client.post(
        TOKEN_URL,
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic(world.api_client.client_id, world.secret),
    )
    assert response.status_code == 401


def test_terminating_the_agreement_stops_its_tokens_at_once(
    api: Api, world: SimpleNamespace
) -> None:
    assert api.get("/users").status_code == 200
    world.deal.status = AgreementStatus.TERMINATED
    world.deal.save(update_fields=["status"])
    response = api.get("/users")
    _imsx(response, 401, "unauthorisedrequest")
    assert "terminated" in response.json()["imsx_description"]


def test_an_agreement_past_its_end_date_refuses_before_the_sweep_marks_it(
    api: Api, world: SimpleNamespace, client: Client
) -> None:
    world.deal.end_date = timezone.localdate() - dt.timedelta(days=1)
    world.deal.save(update_fields=["end_date"])
    _imsx(api.get("/users"), 401, "unauthorisedrequest")
    response = client.post(
        TOKEN_URL,
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic(world.api_client.client_id, world.secret),
    )
    assert response.status_code == 401


def test_an_expired_agreement_gets_no_token(world: SimpleNamespace, client: Client) -> None:
    made, secret = make_client(world.deal)
    world.deal.status = AgreementStatus.EXPIRED
    world.deal.save(update_fields=["status"])
    response = client.post(
        TOKEN_URL,
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic(made.client_id, secret),
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_demographics_need_the_demographics_scope(world: SimpleNamespace, client: Client) -> None:
    made, secret = make_client(world.deal, [sc.CORE, sc.ROSTER])
    api = Api(client, token_for(client, made, secret))
    _imsx(api.get("/demographics"), 403, "forbidden")
    assert api.get("/users").status_code == 200


def test_nested_paths_need_roster_readonly_not_just_core(
    world: SimpleNamespace, client: Client
) -> None:
    made, secret = make_client(world.deal, [sc.CORE])
    api = Api(client, token_for(client, made, secret))
    assert api.get(f"/classes/{world.homeroom.sourced_id}").status_code == 200
    _imsx(api.get(f"/classes/{world.homeroom.sourced_id}/students"), 403, "forbidden")


def test_a_client_over_its_rate_limit_gets_429_with_retry_after(api: Api, settings: Any) -> None:
    settings.STEWARD_ROSTERING_CLIENT_RATE = (2, 60)
    assert api.get("/orgs").status_code == 200
    assert api.get("/orgs").status_code == 200
    response = api.get("/orgs")
    _imsx(response, 429, "server_busy")
    assert 1 <= int(response["Retry-After"]) <= 60


def test_the_token_endpoint_is_rate_limited_per_address(
    world: SimpleNamespace, client: Client, settings: Any
) -> None:
    settings.STEWARD_ROSTERING_TOKEN_RATE = (3, 60)
    for _ in range(3):
        client.post(
            TOKEN_URL, {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=basic("x", "y")
        )
    response = client.post(
        TOKEN_URL, {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=basic("x", "y")
    )
    _imsx(response, 429, "server_busy")
    assert response["Retry-After"]
