"""Rate limits for the rostering API (design.md §6 "rate limits on ... the vendor API").

A fixed window counted in Django's cache: per API client on the data endpoints, per client
address on the token endpoint (where the client is not yet known, and where guessing secrets
would happen). With the default in-process cache each server process counts on its own; a
district running several processes configures a shared cache (Redis, Memcached, database).

The limits are policy, not literals (design.md §3 rule 3): `(requests, seconds)` in the
settings `STEWARD_ROSTERING_CLIENT_RATE` and `STEWARD_ROSTERING_TOKEN_RATE`, defaulting to
`CLIENT_RATE` and `TOKEN_RATE` below.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache

from steward.rostering.errors import ApiError

# A full nightly sync of a big district pages through about a million users 1,000 at a time:
# 1,200 requests a minute lets it finish in well under an hour without letting one client
# crowd out the others.
CLIENT_RATE = (1200, 60)
# Token requests: a well-behaved client asks once an hour; 30 a minute is ample and stops
# secret guessing cold.
TOKEN_RATE = (30, 60)


def client_rate() -> tuple[int, int]:
    return tuple(getattr(settings, "STEWARD_ROSTERING_CLIENT_RATE", CLIENT_RATE))


def token_rate() -> tuple[int, int]:
    return tuple(getattr(settings, "STEWARD_ROSTERING_TOKEN_RATE", TOKEN_RATE))


def hit(bucket: str, rate: tuple[int, int], *, now: float | None = None) -> None:
    """Count one request in `bucket`; raise a 429 `ApiError` with Retry-After past the limit."""
    limit, seconds = rate
    now = time.time() if now is None else now
    window = int(now // seconds)
    key = f"steward:rostering:rate:{bucket}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this request opens the next window
        cache.add(key, 1, timeout=seconds + 1)
        count = 1
    if count > limit:
        retry = max(1, math.ceil((window + 1) * seconds - now))
        raise ApiError(
            "server_busy",
            f"Too many requests: at most {limit} every {seconds} seconds. "
            f"Try again in {retry} seconds.",
            headers={"Retry-After": str(retry)},
        )
