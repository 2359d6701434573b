"""Lockout and throttling of failed sign-ins, on django-axes' records (R116(1): "lockout after
multiple failed attempts").

Two rules, both counted on axes' `AccessAttempt` rows in the database (so every server process
sees the same counts, and an unlock is one delete):

* one username from one address: `AXES_FAILURE_LIMIT` failures lock that pair out for
  `AXES_COOLOFF_TIME` (axes itself refuses them, before the password is checked);
* one address, any usernames: `STEWARD_LOGIN_ADDRESS_LIMIT` failures within the same window
  refuse every sign-in from it (`address_throttled`), against password spraying. The limit is
  high because a school's staff share one public address.

Reads and the lockout page here; the writes (ledger entries, unlock) are in `auth_actions`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

ACCOUNT = "account"
ADDRESS = "address"


@dataclass(frozen=True)
class Lockout:
    """A username locked out from one address, until `until`."""

    username: str
    ip_address: str
    failures: int
    last_attempt: dt.datetime
    until: dt.datetime


def window() -> dt.timedelta:
    """How long failures count and a lockout lasts (`AXES_COOLOFF_TIME`)."""
    cool_off = settings.AXES_COOLOFF_TIME
    if isinstance(cool_off, dt.timedelta):
        return cool_off
    return dt.timedelta(hours=float(cool_off))


def minutes(delta: dt.timedelta) -> int:
    """Whole minutes, rounded up, for the pages."""
    return max(1, -(-int(delta.total_seconds()) // 60))


def client_address(request: HttpRequest) -> str:
    """The client address as axes sees it (`AXES_IPWARE_*` settings; REMOTE_ADDR by default)."""
    return str(get_client_ip_address(request) or "")


def address_failures(ip_address: str, *, now: dt.datetime | None = None) -> int:
    """Failed sign-ins from `ip_address`, any username, within the window. One query."""
    since = (now or timezone.now()) - window()
    total = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return int(total or 0)


def address_throttled(request: HttpRequest) -> bool:
    """Whether sign-ins from this request's address are refused for now (password spraying)."""
    address = client_address(request)
    return bool(address) and address_failures(address) >= settings.STEWARD_LOGIN_ADDRESS_LIMIT


def current_lockouts(*, now: dt.datetime | None = None) -> list[Lockout]:
    """Every username and address locked out now, most recent first. One query."""
    now = now or timezone.now()
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=now - window())
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last", "username")
    )
    return [
        Lockout(
            username=row["username"] or "",
            ip_address=row["ip_address"] or "",
            failures=int(row["failures"]),
            last_attempt=row["last"],
            until=row["last"] + window(),
        )
        for row in rows
    ]


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """The page axes shows a locked-out sign-in (`AXES_LOCKOUT_CALLABLE`), status 429."""
    return locked_out_page(request, ACCOUNT)


def locked_out_page(request: HttpRequest, reason: str) -> HttpResponse:
    """The translated lockout page: `reason` is ACCOUNT (username + address) or ADDRESS."""
    context = {"reason": reason, "minutes": minutes(window())}
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(int(window().total_seconds()))
    return response
