"""The user's own multi-factor pages, under /security/mfa/ (R33, R116(1)).

Any signed-in user may open them (anonymous visitors go to the login page). Setup and
verification are reachable before the second factor is passed (`auth_middleware`); the others
need a verified session when the user has enrolled. Writes go through `mfa_actions`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from steward.security import auth_middleware, mfa, mfa_actions, reauth
from steward.security.auth_forms import AppCodeForm, CodeForm


def _refused(form: CodeForm | AppCodeForm, result: mfa_actions.CodeCheck | None) -> None:
    if result is not None and result.retry_at is not None:
        wait = max(1, int((result.retry_at - timezone.now()).total_seconds()) + 1)
        form.add_error(
            "code",
            ngettext(
                "Too many wrong codes. Wait %(n)d second and try again.",
                "Too many wrong codes. Wait %(n)d seconds and try again.",
                wait,
            )
            % {"n": wait},
        )
    else:
        form.add_error("code", _("That code is not right. Check the app and try again."))


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


@login_required
@require_GET
def status(request: HttpRequest) -> HttpResponse:
    """Whether the user has a second factor, must have one, and how many recovery codes remain."""
    user = request.user
    context = {
        "enrolled": mfa.enrolled(user),
        "required": mfa.required_for(user),
        "codes_left": mfa.recovery_codes_left(user),
        "form": CodeForm(),
    }
    return render(request, "security/mfa_status.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponseBase:
    """Enrol an authenticator app: a QR code and the key as text, confirmed by a first code.

    Refused once the user has an app: replacing it takes a verified session (remove, then set
    up again), so a password alone can never swap in an attacker's app.
    """
    user = request.user
    if mfa.enrolled(user):
        if not mfa.is_verified(request.user):
            return redirect(_with_next("security-mfa-verify", reverse("security-mfa")))
        messages.info(request, _("Your authenticator app is already set up."))
        return redirect("security-mfa")
    key = request.session.get(mfa.PENDING_KEY)
    if not isinstance(key, str):
        key = request.session[mfa.PENDING_KEY] = mfa.new_key()
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = mfa.matching_step(key, form.cleaned_data["code"])
        if step is not None:
            device, codes = mfa_actions.do_enrol(request, key_hex=key, step=step)
            request.session.cycle_key()  # a new privilege level: a new session id
            otp_login(request, device)
            reauth.stamp_code(request.session)
            request.session[auth_middleware.ENROLLED] = True
            request.session.pop(mfa.PENDING_KEY, None)
            request.session[mfa.NEW_CODES] = codes
            request.session[mfa.AFTER_CODES] = reauth.safe_next_url(request)
            return redirect("security-mfa-recovery-codes")
        _refused(form, None)
    uri = mfa.provisioning_uri(user, key)
    context = {
        "form": form,
        "qr": mfa.qr_svg(uri, _("QR code to scan with your authenticator app")),
        "key_text": mfa.key_text(key),
        "required": mfa.required_for(user),
        "next": request.GET.get("next", ""),
    }
    return render(request, "security/mfa_setup.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponseBase:
    """The second step of signing in: a code from the app, or a recovery code (used up)."""
    user = request.user
    if mfa.is_verified(request.user):
        return redirect(reauth.safe_next_url(request))
    if not mfa.enrolled(user):
        if mfa.required_for(user):
            return redirect(_with_next("security-mfa-setup", reauth.safe_next_url(request)))
        request.session[auth_middleware.ENROLLED] = False
        return redirect(reauth.safe_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = mfa_actions.do_verify_code(
            request, token=form.cleaned_data["code"], reason="sign_in"
        )
        if result.ok:
            request.session.cycle_key()
            otp_login(request, result.device)
            reauth.stamp_code(request.session)
            if result.method == mfa_actions.RECOVERY_CODE:
                left = mfa.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code: %(n)d is left. Make new ones on your "
                        "sign-in security page.",
                        "You used a recovery code: %(n)d are left. Make new ones on your "
                        "sign-in security page if you are running low.",
                        left,
                    )
                    % {"n": left},
                )
            return redirect(reauth.safe_next_url(request))
        _refused(form, result)
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "security/mfa_verify.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponseBase:
    """New recovery codes, shown once (GET, straight after they are made); POST makes a new
    set, after a recent re-authentication, replacing the old."""
    user = request.user
    if not mfa.enrolled(user):
        return redirect("security-mfa-setup")
    if request.method == "POST":
        if not reauth.is_recent(request):
            return redirect(reauth.reauthenticate_url(reverse("security-mfa-recovery-codes")))
        request.session[mfa.NEW_CODES] = mfa_actions.do_regenerate_recovery_codes(request)
        return redirect("security-mfa-recovery-codes")
    codes = request.session.pop(mfa.NEW_CODES, None)
    after = request.session.pop(mfa.AFTER_CODES, None) or reverse("security-mfa")
    context = {"codes": codes or [], "after": after, "codes_left": mfa.recovery_codes_left(user)}
    response = render(request, "security/mfa_recovery_codes.html", context)
    response["Cache-Control"] = "no-store"  # the codes must not stay in a browser cache
    return response


@login_required
@require_POST
def remove(request: HttpRequest) -> HttpResponseBase:
    """Remove one's app and recovery codes, proved by a current code."""
    form = CodeForm(request.POST)
    if form.is_valid():
        result = mfa_actions.do_remove_mfa(request, token=form.cleaned_data["code"])
        if result.ok:
            request.session[auth_middleware.ENROLLED] = False
            reauth.clear_code(request.session)
            messages.success(request, _("Your authenticator app and recovery codes are removed."))
            return redirect("security-mfa")
        _refused(form, result)
    user = request.user
    context = {
        "enrolled": mfa.enrolled(user),
        "required": mfa.required_for(user),
        "codes_left": mfa.recovery_codes_left(user),
        "form": form,
    }
    return render(request, "security/mfa_status.html", context, status=400)
