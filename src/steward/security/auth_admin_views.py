"""Sign-in security pages for the privacy office and district IT (R116(1), R116(4)).

* /security/lockouts/ — the privacy office (and superusers) see who is locked out now and
  unlock a username; `steward unlock <username>` does the same from the console.
* /security/mfa/reset/ — superusers (district IT) remove another user's second factor (a lost
  phone), after re-authenticating; `steward mfa-reset <username>` from the console.

Anonymous visitors go to the login page; other roles get 403. Both writes are in the ledger.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.officer.views import privacy_office_only
from steward.security import auth_actions, lockout, mfa_actions
from steward.security.auth_forms import ResetForm, UsernameForm
from steward.security.reauth import recent_authentication_required

View = Callable[..., HttpResponseBase]


def superuser_only(view: View) -> View:
    """Let in active superusers (district IT); anonymous → login page, others → 403."""

    @login_required
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not getattr(request.user, "is_superuser", False):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


@privacy_office_only
@require_GET
def lockouts(request: HttpRequest) -> HttpResponse:
    """Usernames locked out now, with the address, failures and when the lock ends."""
    context = {
        "lockouts": lockout.current_lockouts(),
        "minutes": lockout.minutes(lockout.window()),
        "form": UsernameForm(),
    }
    return render(request, "security/lockouts.html", context)


@privacy_office_only
@require_POST
def unlock(request: HttpRequest) -> HttpResponseBase:
    """Clear a username's failed sign-ins (every address), ending its lockout."""
    form = UsernameForm(request.POST)
    if not form.is_valid():
        context = {
            "lockouts": lockout.current_lockouts(),
            "minutes": lockout.minutes(lockout.window()),
            "form": form,
        }
        return render(request, "security/lockouts.html", context, status=400)
    username = form.cleaned_data["username"]
    auth_actions.do_unlock_sign_in(username, by=request.user, request=request)
    messages.success(request, _("%(username)s can sign in again.") % {"username": username})
    return redirect("security-lockouts")


@superuser_only
@recent_authentication_required
@require_http_methods(["GET", "POST"])
def mfa_reset(request: HttpRequest) -> HttpResponseBase:
    """Remove a user's authenticator app and recovery codes; they set up again at sign-in."""
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        target = get_user_model().objects.filter(username=username).first()
        if target is None:
            form.add_error("username", _("There is no user with this username."))
        else:
            removed = mfa_actions.do_reset_mfa(
                target, by=request.user, reason=form.cleaned_data["reason"], request=request
            )
            if removed:
                messages.success(
                    request,
                    _(
                        "The second factor of %(username)s is removed: they set it up again at "
                        "their next sign-in."
                    )
                    % {"username": username},
                )
            else:
                messages.info(
                    request, _("%(username)s had no second factor.") % {"username": username}
                )
            return redirect("security-mfa-reset")
    status = 400 if form.errors else 200
    return render(request, "security/mfa_reset.html", {"form": form}, status=status)
