"""Rate limits on django-ratelimit's counters (issue #10 item 2; design.md §6, R116(1)).

`hit()` counts one request against a limit and raises `RateLimited` past it. The counting is
django-ratelimit's (`django_ratelimit.core.get_usage`): a fixed window per key in Django's
`default` cache, its edge staggered per key so that every client's window does not reset at
the same second, and IPv6 addresses counted per /64 (one subscriber's whole network), so an
attacker cannot dodge a per-address limit by rotating addresses inside it.

The cache (`STEWARD_CACHE_URL`, `steward.security.control_env`) must be shared by everything
that serves requests: the process's memory is, for `steward serve` (one waitress process,
many threads; its counter is locked); several processes need the database cache. Should the
cache fail, the request is refused (fail closed), never let through uncounted.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django_ratelimit.core import get_usage

BY_ADDRESS = "ip"  # django-ratelimit's key: the client's address (REMOTE_ADDR, IPv6 per /64)


@dataclass(frozen=True)
class Usage:
    """The state of one window after this request."""

    count: int
    limit: int
    seconds: int
    retry_after: int  # seconds until the window resets

    @property
    def first_refusal(self) -> bool:
        """Whether this request is the first one past the limit in its window: the moment to
        write one ledger entry, however many more requests the window then refuses."""
        return self.count == self.limit + 1


class RateLimited(Exception):
    """Over the limit; `usage.retry_after` is the Retry-After to answer with."""

    def __init__(self, usage: Usage) -> None:
        super().__init__(
            f"Too many requests: at most {usage.limit} every {usage.seconds} seconds. "
            f"Try again in {usage.retry_after} seconds."
        )
        self.usage = usage


def hit(request: HttpRequest, group: str, rate: tuple[int, int], *, key: str = BY_ADDRESS) -> Usage:
    """Count this request in `group` under `key` (`BY_ADDRESS`, or a string naming who asks,
    e.g. "client:42"); raise RateLimited when it is over `rate` = (requests, seconds).

    With rate limiting switched off (`RATELIMIT_ENABLE = False`) nothing is counted.
    """
    limit, seconds = rate
    if key == BY_ADDRESS and not request.META.get("REMOTE_ADDR"):
        # A request without an address (never from waitress, which always sets it) is counted
        # under one shared key rather than failing: all such callers share one window.
        key = "address:unknown"
    by = key if key == BY_ADDRESS else (lambda _group, _request: key)
    usage = get_usage(request, group=group, key=by, rate=(limit, seconds), increment=True)
    if usage is None:  # switched off
        return Usage(count=0, limit=limit, seconds=seconds, retry_after=0)
    # A failed cache answers time_left -1: refuse for the whole window.
    retry = max(1, usage["time_left"]) if usage["time_left"] >= 0 else seconds
    found = Usage(count=usage["count"], limit=limit, seconds=seconds, retry_after=retry)
    if usage["should_limit"]:
        raise RateLimited(found)
    return found
