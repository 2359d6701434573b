"""Re-authentication before sensitive actions: exports, break-glass and bulk downloads (R33,
issue #10 item 1).

`recent_authentication_required` lets a view run only when the user proved who they are within
`STEWARD_REAUTH_MINUTES`: their password (stamped at every sign-in, whatever the method) and,
when the session was verified with a second factor, a code too. Otherwise it sends them to the
re-authentication page, which brings them back (`next`). Put it inside the view's role check,
so that anonymous visitors still go to the login page and other roles still get 403.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from steward.security import mfa

PASSWORD_AT = "steward.auth.password"  # noqa: S105 - a session key, not a password
CODE_AT = "steward.auth.code"

View = Callable[..., HttpResponseBase]
ViewT = TypeVar("ViewT", bound=View)


def stamp_password(session: Any, now: float | None = None) -> None:
    """The first factor was just proved (sign-in or re-authentication)."""
    session[PASSWORD_AT] = int(time.time() if now is None else now)


def stamp_code(session: Any, now: float | None = None) -> None:
    """A second-factor code was just proved."""
    session[CODE_AT] = int(time.time() if now is None else now)


def clear_code(session: Any) -> None:
    session.pop(CODE_AT, None)


def _within(session: Any, key: str, now: float) -> bool:
    at = session.get(key)
    return isinstance(at, int) and 0 <= now - at <= settings.STEWARD_REAUTH_MINUTES * 60


def is_recent(request: HttpRequest, now: float | None = None) -> bool:
    """Whether the signed-in user authenticated recently enough for a sensitive action."""
    now = time.time() if now is None else now
    if not _within(request.session, PASSWORD_AT, now):
        return False
    if mfa.is_verified(request.user):
        return _within(request.session, CODE_AT, now)
    return True


def reauthenticate_url(next_url: str) -> str:
    return f"{reverse('security-reauthenticate')}?{urlencode({'next': next_url})}"


def recent_authentication_required(view: ViewT) -> ViewT:
    """Decorate a view so that it runs only after a recent authentication (see module doc).

    Anonymous → the login page; stale → the re-authentication page, with `next` set to this
    URL (a POST is not replayed: the user submits the form again).
    """

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_recent(request):
            return HttpResponseRedirect(reauthenticate_url(request.get_full_path()))
        return view(request, *args, **kwargs)

    # The view's own type: the redirects are HttpResponse too, so callers typed for that hold.
    return cast(ViewT, guarded)


def safe_next_url(request: HttpRequest, default: str = "home") -> str:
    """The `next` parameter of the request when it points back into this site, else the URL of
    `default` (an open redirect would let a phishing link borrow our sign-in pages)."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse(default)
