"""Holding a signed-in user on the MFA pages until they pass their second factor (R33, R116(1)).

A user owes a second factor when policy requires one of their role (`mfa.required_for`,
checked on every request, so a change of role or of `STEWARD_MFA` applies at once) or when
they enrolled voluntarily (`ENROLLED`, noted in the session at sign-in and kept current by the
MFA pages: no query per request for families). Until the session is verified they may only
use the MFA pages, sign out, fetch static files and switch language; everything else sends
them to verification, or to enrolment if they have no app yet.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from steward.security import mfa

ENROLLED = "steward.mfa.enrolled"
# URL names an unverified user may still reach.
ALLOWED_URL_NAMES = frozenset(
    {
        "security-mfa-setup",
        "security-mfa-verify",
        "logout",
        "set_language",
    }
)


def owes_second_factor(request: HttpRequest) -> bool:
    """Whether the signed-in, unverified user of `request` must pass a second factor."""
    user = request.user
    if mfa.required_for(user):
        return True
    known = request.session.get(ENROLLED)
    if known is None:  # a session from before this control: look once, remember
        known = request.session[ENROLLED] = mfa.enrolled(user)
    return bool(known)


def is_allowed_unverified(request: HttpRequest) -> bool:
    static = (
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
    )
    if request.path_info.startswith(static):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.url_name in ALLOWED_URL_NAMES


class MFARequiredMiddleware:
    """Send a signed-in user who owes a second factor to verification or enrolment."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or user.is_verified()
            or is_allowed_unverified(request)
            or not owes_second_factor(request)
        ):
            return self.get_response(request)
        target = "security-mfa-verify" if mfa.enrolled(user) else "security-mfa-setup"
        back = request.get_full_path() if request.method == "GET" else "/"
        return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': back})}")
