"""Signal receivers of sign-in security, connected in `SecurityConfig.ready`.

* Every sign-in (password, single sign-on, the test client's shortcut) starts the session
  clocks and counts as a fresh authentication; a second factor is still owed.
* A lockout by django-axes writes one ledger entry when it begins — not one per refused
  attempt: those are failed-login entries already (`steward.audit.hooks`).
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from steward.security import auth_actions, auth_middleware, mfa, reauth, sessions


@receiver(user_logged_in, dispatch_uid="steward.security.session_clocks")
def on_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    sessions.stamp_sign_in(request.session)
    reauth.stamp_password(request.session)
    reauth.clear_code(request.session)
    # Whether a voluntary enrolment makes this session owe a code (one query, here only).
    request.session[auth_middleware.ENROLLED] = mfa.enrolled(user)


@receiver(user_locked_out, dispatch_uid="steward.security.lockout_entry")
def on_locked_out(
    sender: Any, request: HttpRequest | None, username: str | None, ip_address: str, **kwargs: Any
) -> None:
    # Axes signals again at each failure during the lockout (each restarts the wait); the
    # failure that reached the limit is the one that began it.
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is not None and failures != settings.AXES_FAILURE_LIMIT:
        return
    auth_actions.do_record_lockout(request, username=username or "", ip_address=ip_address or "")
