"""Session expiry, enforced on the server (R116(1): access restricted to active users; design.md
§6 secure sessions).

A session ends after `STEWARD_SESSION_IDLE_MINUTES` without a request, and
`STEWARD_SESSION_MAX_HOURS` after sign-in however busy it is. The times live in the session
itself (epoch seconds, stamped at sign-in by `auth_signals`); a signed-in session without them
predates this control and is ended too — failing closed costs one sign-in.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _

SIGNED_IN_AT = "steward.auth.at"
SEEN_AT = "steward.auth.seen"
IDLE = "idle"
ABSOLUTE = "absolute"
MISSING = "missing"
# Refresh the last-seen time at most this often: saving the session on every request would
# cost a write per page view for a precision nobody needs.
SEEN_RESOLUTION_SECONDS = 60


def stamp_sign_in(session: Any, now: float | None = None) -> None:
    """Start the clocks of a session that has just signed in."""
    now = time.time() if now is None else now
    session[SIGNED_IN_AT] = int(now)
    session[SEEN_AT] = int(now)


def expiry(session: Any, now: float) -> str | None:
    """Why a signed-in session has ended (IDLE, ABSOLUTE, MISSING), or None if it is alive."""
    signed_in_at, seen_at = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if not isinstance(signed_in_at, int) or not isinstance(seen_at, int):
        return MISSING
    if now - signed_in_at > settings.STEWARD_SESSION_MAX_HOURS * 3600:
        return ABSOLUTE
    if now - seen_at > settings.STEWARD_SESSION_IDLE_MINUTES * 60:
        return IDLE
    return None


MESSAGES = {
    IDLE: lambda: _("You were signed out after a period without activity. Please sign in again."),
    ABSOLUTE: lambda: _("Your session reached its time limit. Please sign in again."),
    MISSING: lambda: _("Your session has ended. Please sign in again."),
}


class SessionExpiryMiddleware:
    """Sign out an expired session (a "logout" ledger entry, as any sign-out) and send the
    browser to the login page with a message and a way back (`next`, GET requests only)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            reason = expiry(request.session, now)
            if reason is not None:
                logout(request)
                messages.info(request, MESSAGES[reason]())
                back = request.get_full_path() if request.method == "GET" else "/"
                return redirect_to_login(back)
            if now - request.session[SEEN_AT] >= SEEN_RESOLUTION_SECONDS:
                request.session[SEEN_AT] = int(now)
        return self.get_response(request)
