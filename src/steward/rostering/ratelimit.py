"""Rate limits for the rostering API (design.md §6 "rate limits on ... the vendor API", R116(1)).

Counted by `steward.security.ratelimits` (django-ratelimit): per API client on the data
endpoints, per client address on the token endpoint (where the client is not yet known, and
where guessing secrets would happen). Past the limit the answer is 429 with Retry-After and an
imsx body; the first refusal of each window is written to the ledger as a security event (one
entry per window, not one per refused request, so a flood cannot flood the ledger).

The limits are policy, not literals (design.md §3 rule 3): `(requests, seconds)` in the
settings `STEWARD_ROSTERING_CLIENT_RATE` (default 1200 a minute) and
`STEWARD_ROSTERING_TOKEN_RATE` (default 30 a minute), read from the environment variables of
the same names (`30/m` syntax; the reasons for the defaults are beside them in settings.py).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from steward.rostering.actions import do_record_rate_limited
from steward.rostering.errors import ApiError
from steward.rostering.models import ApiClient
from steward.security import ratelimits


def client_rate() -> tuple[int, int]:
    """(requests, seconds) per API client on the data endpoints."""
    limit, seconds = settings.STEWARD_ROSTERING_CLIENT_RATE
    return int(limit), int(seconds)


def token_rate() -> tuple[int, int]:
    """(requests, seconds) per client address on the token endpoint."""
    limit, seconds = settings.STEWARD_ROSTERING_TOKEN_RATE
    return int(limit), int(seconds)


def check_token_request(request: HttpRequest) -> None:
    """Count a token request by its address; a 429 `ApiError` past `token_rate()`."""
    try:
        ratelimits.hit(request, "oneroster-token", token_rate())
    except ratelimits.RateLimited as limited:
        raise _refused(limited, request, endpoint="token") from None


def check_client_request(request: HttpRequest, client: ApiClient) -> None:
    """Count a data request by its API client; a 429 `ApiError` past `client_rate()`."""
    try:
        ratelimits.hit(request, "oneroster-api", client_rate(), key=f"client:{client.pk}")
    except ratelimits.RateLimited as limited:
        raise _refused(limited, request, endpoint="api", client=client) from None


def _refused(
    limited: ratelimits.RateLimited,
    request: HttpRequest,
    *,
    endpoint: str,
    client: ApiClient | None = None,
) -> ApiError:
    usage = limited.usage
    if usage.first_refusal:
        do_record_rate_limited(
            endpoint=endpoint,
            limit=usage.limit,
            seconds=usage.seconds,
            client=client,
            request=request,
        )
    return ApiError("server_busy", str(limited), headers={"Retry-After": str(usage.retry_after)})
