"""Multi-factor sign-in writes (R33, R116(1)): enrol, verify a code, regenerate recovery codes,
remove one's own devices, reset another user's. Each runs in one transaction with its ledger
entry (action "security", detail["event"] naming what happened).

Code checks go through django-otp's devices, which throttle guesses (a growing wait after
each wrong code) and refuse an app code already used once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from steward.audit.ledger import Event, actor_of, record, request_context
from steward.audit.models import Action
from steward.security import mfa

MFA_PURPOSE = "multi-factor sign-in"
APP = "app"
RECOVERY_CODE = "recovery_code"


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of checking one code: `device` is the one that accepted it (None: refused);
    `method` is APP or RECOVERY_CODE; `retry_at` is set when guesses are throttled."""

    device: Device | None
    method: str
    retry_at: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.device is not None


def _entry(request: HttpRequest | None, actor: Any, **detail: Any) -> None:
    record(
        Event(
            action=Action.SECURITY,
            **actor_of(actor),
            **request_context(request),
            purpose=MFA_PURPOSE,
            detail=detail,
        )
    )


def check_code(user: Any, token: str) -> CodeCheck:
    """Check `token` against the user's app (six digits) or recovery codes (anything else).

    Call inside a transaction: the device rows are locked, and a wrong code's throttle count,
    a used app code's step and a consumed recovery code are written to them. No ledger entry.
    """
    method = APP if mfa.looks_like_app_code(token) else RECOVERY_CODE
    model: type[Device] = TOTPDevice if method == APP else StaticDevice
    devices = model.objects.filter(user_id=user.pk, confirmed=True).select_for_update()
    code = mfa.normalize_code(token)
    for device in devices.order_by("pk"):
        allowed, why = device.verify_is_allowed()
        if not allowed:
            return CodeCheck(None, method, (why or {}).get("locked_until"))
        if device.verify_token(code):
            return CodeCheck(device, method)
    return CodeCheck(None, method)


@transaction.atomic
def do_verify_code(request: HttpRequest, *, token: str, reason: str) -> CodeCheck:
    """Check a code from the signed-in user and record the outcome (`reason`: "sign_in" or
    "reauthentication"). A refused code is recorded too: repeated failures are what
    monitoring looks for (R116(4))."""
    user = request.user
    result = check_code(user, token)
    if result.ok:
        _entry(request, user, event="mfa_verified", method=result.method, reason=reason)
    else:
        throttled = result.retry_at is not None
        _entry(request, user, event="mfa_failed", method=result.method, throttled=throttled)
    return result


def _recovery_tokens(device: StaticDevice) -> list[str]:
    codes = mfa.new_recovery_codes()
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def do_enrol(request: HttpRequest, *, key_hex: str, step: int) -> tuple[TOTPDevice, list[str]]:
    """Enrol the signed-in user's authenticator app with `key_hex`, whose code at time step
    `step` they have just typed, and give them ten recovery codes (returned, shown once).

    The confirming code counts as used (`last_t`): it cannot be replayed to sign in. Any
    earlier devices of the user are replaced.
    """
    user = request.user
    TOTPDevice.objects.filter(user_id=user.pk).delete()
    StaticDevice.objects.filter(user_id=user.pk).delete()
    now = timezone.now()
    device = TOTPDevice.objects.create(
        user=user,
        name=mfa.APP_DEVICE_NAME,
        key=key_hex,
        digits=mfa.TOTP_DIGITS,
        confirmed=True,
        last_t=step,
        created_at=now,
        last_used_at=now,
    )
    recovery = StaticDevice.objects.create(user=user, name=mfa.RECOVERY_DEVICE_NAME, confirmed=True)
    codes = _recovery_tokens(recovery)
    _entry(request, user, event="mfa_enrolled", recovery_codes=len(codes))
    return device, codes


@transaction.atomic
def do_regenerate_recovery_codes(request: HttpRequest) -> list[str]:
    """Replace the signed-in user's recovery codes with ten new ones (returned, shown once);
    the old ones stop working at once."""
    user = request.user
    device = StaticDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(
            user=user, name=mfa.RECOVERY_DEVICE_NAME, confirmed=True
        )
    else:
        device.token_set.all().delete()
    codes = _recovery_tokens(device)
    _entry(request, user, event="mfa_recovery_codes_regenerated", recovery_codes=len(codes))
    return codes


def _remove_devices(user: Any) -> int:
    """Delete the user's devices (recovery codes go with theirs); the number of devices."""
    _total, apps = TOTPDevice.objects.filter(user_id=user.pk).delete()
    _total, recovery = StaticDevice.objects.filter(user_id=user.pk).delete()
    return apps.get(TOTPDevice._meta.label, 0) + recovery.get(StaticDevice._meta.label, 0)


@transaction.atomic
def do_remove_mfa(request: HttpRequest, *, token: str) -> CodeCheck:
    """Remove the signed-in user's app and recovery codes, if `token` is a valid code of theirs
    (proof they hold the factor, not just the session). A refused code removes nothing."""
    user = request.user
    result = check_code(user, token)
    if not result.ok:
        _entry(request, user, event="mfa_failed", method=result.method, reason="removal")
        return result
    removed = _remove_devices(user)
    _entry(request, user, event="mfa_removed", method=result.method, devices=removed)
    return result


@transaction.atomic
def do_reset_mfa(
    target: Any,
    *,
    by: Any,
    reason: str,
    request: HttpRequest | None = None,
    via: str = "page",
    operator: str = "",
) -> int:
    """Remove another user's second factor (a lost phone), by district IT (`by`: a superuser;
    from the console None, with `via="command"` and the system account as `operator`). They
    enrol again at their next sign-in. Returns the number of devices removed; recorded even
    when there were none."""
    removed = _remove_devices(target)
    _entry(
        request,
        by,
        event="mfa_reset",
        user_id=target.pk,
        username=target.get_username(),
        reason=reason[:500],
        devices=removed,
        via=via,
        operator=operator[:150],
    )
    return removed
