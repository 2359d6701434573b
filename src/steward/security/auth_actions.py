"""Sign-in security writes: lockout and throttle entries, unlocking, re-authentication (R33,
R116(1), R116(4) monitoring). Each runs in one transaction with its ledger entry.

Failed sign-ins themselves are recorded by `steward.audit.hooks` (Django's user_login_failed
signal, sent for a locked-out attempt too); these entries add what that one cannot know.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest

from steward.audit.ledger import Event, actor_of, record, request_context
from steward.audit.models import Action
from steward.security import lockout, mfa, mfa_actions

SIGN_IN_PURPOSE = "sign-in security"


@dataclass(frozen=True)
class Reauth:
    """The outcome of a re-authentication: which factor `failed` ("password", "code",
    "no_factor"), or the `factors` that passed."""

    ok: bool
    failed: str = ""
    factors: tuple[str, ...] = ()
    retry_at: dt.datetime | None = None


def _security_event(
    request: HttpRequest | None, user: Any, *, attempted: str = "", **detail: Any
) -> Event:
    """A sign-in security entry; `attempted` names the username tried when nobody is signed in
    (as the failed-login entries do)."""
    actor = actor_of(user)
    if user is None and attempted:
        actor["actor_name"] = attempted[:150]
    return Event(
        action=Action.SECURITY,
        **actor,
        **request_context(request),
        purpose=SIGN_IN_PURPOSE,
        detail=detail,
    )


@transaction.atomic
def do_record_lockout(request: HttpRequest | None, *, username: str, ip_address: str) -> None:
    """Record that `username` is now locked out from `ip_address` (R116(1), R116(4))."""
    record(
        _security_event(
            request,
            None,
            attempted=username,
            event="lockout",
            username=username[:150],
            ip_address=ip_address[:64],
            minutes=lockout.minutes(lockout.window()),
        )
    )


@transaction.atomic
def do_record_throttled_sign_in(request: HttpRequest, *, username: str) -> None:
    """Record a sign-in refused because its address has failed too often (password spraying).

    The attempt never reaches the password check, so no failed-login entry is written for it.
    """
    record(
        _security_event(
            request,
            None,
            attempted=username,
            event="sign_in_throttled",
            username=username[:150],
            ip_address=lockout.client_address(request)[:64],
        )
    )


@transaction.atomic
def do_unlock_sign_in(
    username: str,
    *,
    by: Any = None,
    request: HttpRequest | None = None,
    via: str = "page",
    operator: str = "",
) -> int:
    """Clear every failed sign-in recorded for `username` (all addresses), ending its lockout.

    `by` is the officer doing it; from the console it is None, with `via="command"` and the
    system account running it as `operator`. Returns how many
    attempt records were cleared; the ledger entry is written even when there were none, so
    the request itself is on record.
    """
    cleared, _by_model = AccessAttempt.objects.filter(username=username).delete()
    record(
        _security_event(
            request,
            by,
            event="unlock",
            username=username[:150],
            cleared=cleared,
            via=via,
            operator=operator[:150],
        )
    )
    return cleared


def do_reauthenticate(request: HttpRequest, *, password: str, code: str) -> Reauth:
    """Check the signed-in user again before a sensitive action: the password (when they have
    one) through the lockout like any sign-in, then a code when the session was verified with a
    second factor. On success write one "reauthenticated" entry naming the factors.

    Not one transaction overall: a wrong password must leave its failure counted (axes) and
    recorded (the failed-login entry), and a wrong code its throttle and "mfa_failed" entry.
    """
    user = request.user
    if not isinstance(user, AbstractBaseUser):  # anonymous: nothing to re-authenticate
        return Reauth(ok=False, failed="no_factor")
    factors: list[str] = []
    if user.has_usable_password():
        checked = authenticate(request, username=user.get_username(), password=password)
        if checked is None or checked.pk != user.pk:
            return Reauth(ok=False, failed="password")
        factors.append("password")
    if mfa.is_verified(user):
        result = mfa_actions.do_verify_code(request, token=code, reason="reauthentication")
        if not result.ok:
            return Reauth(ok=False, failed="code", retry_at=result.retry_at)
        factors.append(result.method)
    if not factors:
        return Reauth(ok=False, failed="no_factor")
    with transaction.atomic():
        record(_security_event(request, user, event="reauthenticated", factors=factors))
    return Reauth(ok=True, factors=tuple(factors))
