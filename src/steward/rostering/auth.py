"""Bearer-token authentication of every rostering request (RFC 6750 §2.1).

Each request finds its token by SHA-256 (one indexed query, joined to the client, the
agreement and the vendor) and re-checks, every time, that the token is live, the client
active, and the agreement still allows sharing today: an agreement that expires or is
terminated stops its tokens at the next request (issue #7 item 5), with no sweep to wait for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone

from steward.rostering import errors, ratelimit
from steward.rostering.actions import token_digest
from steward.rostering.models import AccessToken, ApiClient
from steward.vendors.models import Agreement


@dataclass(frozen=True)
class Grant:
    """Who is asking, under which agreement, with which scopes."""

    client: ApiClient
    token: AccessToken
    scopes: frozenset[str]

    @property
    def agreement(self) -> Agreement:
        return self.client.agreement


def agreement_refusal(agreement: Agreement, today: dt.date) -> str:
    """Why `agreement` lets no data out today, or "" when it does (R71, issue #7 item 5).

    Stricter than the status alone: an agreement past its end date refuses even before the
    daily sweep marks it expired, and one not yet started refuses too.
    """
    if not agreement.allows_sharing:
        return f"The agreement is {agreement.get_status_display()}: no data may be shared."
    # It expires on its end date, as the sharing engine reads it (steward.sharing.engine).
    if agreement.end_date is not None and agreement.end_date <= today:
        return "The agreement has ended: no data may be shared."
    if agreement.start_date is not None and agreement.start_date > today:
        return "The agreement has not started yet: no data may be shared."
    return ""


def authenticate(request: HttpRequest) -> Grant:
    """The request's grant; raises a 401 `ApiError` for a missing, unknown, expired or revoked
    token, a deactivated client or an agreement that no longer allows sharing, and a 429 one
    when the client is over its rate limit."""
    scheme, _space, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise errors.unauthorised("A bearer access token is required (RFC 6750).")
    found = (
        AccessToken.objects.select_related("client__agreement__vendor")
        .filter(token_sha256=token_digest(token))
        .first()
    )
    if found is None:
        raise errors.unauthorised("Unknown access token.")
    if found.revoked:
        raise errors.unauthorised("The access token has been revoked.")
    now = timezone.now()
    if found.expires_at <= now:
        raise errors.unauthorised("The access token has expired.")
    client = found.client
    if not client.active:
        raise errors.unauthorised("The client has been deactivated.")
    refusal = agreement_refusal(client.agreement, timezone.localdate(now))
    if refusal:
        raise errors.unauthorised(refusal)
    ratelimit.check_client_request(request, client)
    return Grant(client=client, token=found, scopes=frozenset(found.scopes))


def require_scope(grant: Grant, accepted: frozenset[str]) -> None:
    """403 unless the token holds one of the `accepted` scopes (the operation's security)."""
    if not grant.scopes & accepted:
        raise errors.ApiError(
            "forbidden",
            "The access token lacks the scope this endpoint requires: one of "
            + ", ".join(sorted(accepted))
            + ".",
        )
