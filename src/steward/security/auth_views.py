"""Sign-in and re-authentication pages (R33, R116(1)).

* `SignInView` (/login/): Django's login, refusing addresses that fail too often (spraying).
* `reauthenticate` (/security/reauthenticate/): the password again, and a code when the
  session used one, before a sensitive action; then back to `next`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from steward.security import auth_actions, lockout, mfa, reauth
from steward.security.auth_forms import ReauthForm


class SignInView(LoginView):
    """Django's login view; a POST from an address over its failure limit gets the 429 page."""

    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if lockout.address_throttled(request):
            username = str(request.POST.get("username", ""))
            auth_actions.do_record_throttled_sign_in(request, username=username)
            return lockout.locked_out_page(request, lockout.ADDRESS)
        response: HttpResponse = super().post(request, *args, **kwargs)
        return response


@login_required
@require_http_methods(["GET", "POST"])
def reauthenticate(request: HttpRequest) -> HttpResponseBase:
    """Prove it is still you: the password, and a code if this session was verified with one."""
    user = request.user
    has_password = isinstance(user, AbstractBaseUser) and user.has_usable_password()
    needs_code = mfa.is_verified(user)
    next_url = reauth.safe_next_url(request)
    if not has_password and not needs_code:
        # A single sign-on login without a second factor here: only signing in again proves it.
        return render(request, "registration/reauthenticate.html", {"sso_only": True})
    form = ReauthForm(request.POST or None, password=has_password, code=needs_code)
    if request.method == "POST" and form.is_valid():
        outcome = auth_actions.do_reauthenticate(
            request,
            password=form.cleaned_data.get("password", ""),
            code=form.cleaned_data.get("code", ""),
        )
        if outcome.ok:
            reauth.stamp_password(request.session)
            if needs_code:
                reauth.stamp_code(request.session)
            return redirect(next_url)
        if outcome.failed == "password":
            form.add_error("password", _("That password is not right."))
        elif outcome.retry_at is not None:
            form.add_error("code", _("Too many wrong codes. Wait a moment and try again."))
        else:
            form.add_error("code", _("That code is not right. Check the app and try again."))
    context = {"form": form, "next": next_url}
    status = 400 if form.errors else 200
    return render(request, "registration/reauthenticate.html", context, status=status)
