"""The token endpoint: OAuth 2 client credentials grant (RFC 6749 §4.4, §2.3.1, §5).

`POST /ims/oneroster/rostering/v1p2/token` with `grant_type=client_credentials` and an
optional space-separated `scope`; the client authenticates with HTTP Basic (preferred) or
with `client_id` and `client_secret` in the form, never both. Answers are RFC 6749 §5.1 / §5.2
JSON with `Cache-Control: no-store`; a client over the rate limit gets 429 with Retry-After
and an imsx body, like the rest of the service.
"""

from __future__ import annotations

import base64
import binascii
import json
from urllib.parse import unquote_plus

from django.contrib.auth.hashers import check_password, make_password
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from steward.rostering import actions, errors, ratelimit
from steward.rostering import scopes as sc
from steward.rostering.auth import agreement_refusal
from steward.rostering.models import ApiClient

# Checked against when the client id is unknown, so that an unknown id and a wrong secret
# take the same time (no client-id oracle).
_DUMMY_HASH = make_password("steward-no-such-client")


class OAuthError(Exception):
    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


def _json(data: dict[str, object], status: int = 200) -> HttpResponse:
    response = HttpResponse(json.dumps(data), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


def _credentials(request: HttpRequest) -> tuple[str, str, bool]:
    """(client_id, client_secret, came by Basic) from the request; OAuthError if malformed."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    in_form = "client_id" in request.POST or "client_secret" in request.POST
    if header:
        scheme, _space, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            raise OAuthError("invalid_client", "Use HTTP Basic client authentication.", 401)
        if in_form:
            raise OAuthError("invalid_request", "Authenticate the client in one way only.")
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise OAuthError("invalid_client", "Malformed Basic credentials.", 401) from None
        client_id, colon, secret = decoded.partition(":")
        if not colon:
            raise OAuthError("invalid_client", "Malformed Basic credentials.", 401)
        # RFC 6749 §2.3.1: both parts are form-urlencoded before Basic encoding.
        return _without_nul(unquote_plus(client_id), unquote_plus(secret), True)
    client_id = request.POST.get("client_id", "")
    secret = request.POST.get("client_secret", "")
    if not client_id or not secret:
        raise OAuthError("invalid_client", "Client authentication is required.", 401)
    return _without_nul(client_id, secret, False)


def _without_nul(client_id: str, secret: str, basic: bool) -> tuple[str, str, bool]:
    # No client id holds NUL, PostgreSQL refuses to look one up, and the refusal is written to
    # the ledger with the id: malformed, before either happens (found by the API fuzzer, #10).
    if "\x00" in client_id or "\x00" in secret:
        raise OAuthError("invalid_client", "Malformed client credentials.", 401)
    return client_id, secret, basic


def _authenticated_client(client_id: str, secret: str) -> ApiClient:
    client = (
        ApiClient.objects.select_related("agreement__vendor").filter(client_id=client_id).first()
    )
    if client is None:
        check_password(secret, _DUMMY_HASH)
        raise OAuthError("invalid_client", "Unknown client or wrong secret.", 401)
    if not check_password(secret, client.secret_hash):
        raise OAuthError("invalid_client", "Unknown client or wrong secret.", 401)
    if not client.active:
        raise OAuthError("invalid_client", "This client has been deactivated.", 401)
    refusal = agreement_refusal(client.agreement, timezone.localdate())
    if refusal:
        raise OAuthError("invalid_client", refusal, 401)
    return client


def _granted(client: ApiClient, requested: str | None) -> list[str]:
    wanted = sc.parse(requested or "")
    if not wanted:
        return list(client.scopes)
    refused = [scope for scope in wanted if scope not in client.scopes]
    if refused:
        raise OAuthError("invalid_scope", f"Scope not granted to this client: {refused[0]}")
    return wanted


@csrf_exempt  # a machine-to-machine endpoint: no cookies, no session, client authentication
@require_POST
def token(request: HttpRequest) -> HttpResponse:
    """Issue a bearer token (RFC 6749 §4.4.3) or answer an RFC 6749 §5.2 error."""
    try:
        ratelimit.check_token_request(request)
    except errors.ApiError as error:
        return errors.response(error)
    client_id = ""
    try:
        client_id, secret, _basic = _credentials(request)
        if request.POST.get("grant_type") != "client_credentials":
            raise OAuthError(
                "unsupported_grant_type", "Only grant_type=client_credentials is supported."
            )
        client = _authenticated_client(client_id, secret)
        granted = _granted(client, request.POST.get("scope"))
    except OAuthError as error:
        if error.status == 401:
            actions.do_record_refused_token_request(
                client_id=client_id, error=error.description, request=request
            )
        response = _json(
            {"error": error.error, "error_description": error.description}, error.status
        )
        if error.status == 401:  # RFC 6749 §5.2: name the scheme the client should use
            response["WWW-Authenticate"] = 'Basic realm="oneroster"'
        return response
    access_token, _issued = actions.do_issue_access_token(
        client=client, scopes=granted, request=request
    )
    return _json(
        {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": actions.TOKEN_SECONDS,
            "scope": " ".join(granted),
        }
    )
