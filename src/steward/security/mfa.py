"""Multi-factor sign-in policy and TOTP helpers (R33, R116(1); design.md §6).

Who must use a second factor: with `STEWARD_MFA` = "required" (the default), staff with access
to student records, the privacy office and superusers. Guardians, students and vendor contacts
may enrol; once they have, they are asked for a code at every sign-in too. With "offered" (the
demo), nobody must and anyone may.

The second factor is an authenticator app (django-otp's TOTP device) plus ten single-use
recovery codes (its static device). Reads only here; writes are in `mfa_actions`.
"""

from __future__ import annotations

import time
from base64 import b32encode
from binascii import unhexlify
from typing import Any

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from steward.accounts.models import RECORD_ACCESS_ROLES
from steward.accounts.selectors import account_of, signed_in
from steward.security.auth_config import MFA_MODES, MFA_REQUIRED

# A stolen password alone must not open a student's record.
ROLES_REQUIRING_MFA = RECORD_ACCESS_ROLES
RECOVERY_CODE_COUNT = 10
TOTP_DIGITS = 6
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"

# Session keys: the key being enrolled (never in the database until confirmed), and recovery
# codes waiting to be shown once.
PENDING_KEY = "steward.mfa.pending_key"
NEW_CODES = "steward.mfa.new_codes"
AFTER_CODES = "steward.mfa.after_codes"  # where to go once the new codes are written down


def mode() -> str:
    """The configured `STEWARD_MFA` mode, read at each call (tests and the demo override it)."""
    value = getattr(settings, "STEWARD_MFA", MFA_REQUIRED)
    if value not in MFA_MODES:
        raise ImproperlyConfigured(f"STEWARD_MFA must be one of {MFA_MODES}, not {value!r}")
    return str(value)


def required_by_role(user: Any) -> bool:
    """Whether `user`'s role needs a second factor, whatever the mode: superusers, the privacy
    office and staff with record access. Uses the cached `user.account` relation."""
    if signed_in(user) is None:
        return False
    if getattr(user, "is_superuser", False):
        return True
    account = account_of(user)
    return account is not None and account.role in ROLES_REQUIRING_MFA


def required_for(user: Any) -> bool:
    """Whether policy makes `user` use a second factor: their role needs one and the mode is
    "required". (Having enrolled makes it needed too: see `enrolled`.)"""
    return mode() == MFA_REQUIRED and required_by_role(user)


def is_verified(user: Any) -> bool:
    """Whether the session's user passed a second factor (set by django-otp's OTPMiddleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def app_device(user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator-app device, or None. One query."""
    if signed_in(user) is None:
        return None
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()


def enrolled(user: Any) -> bool:
    """Whether the user has a confirmed authenticator app. One query."""
    return signed_in(user) is not None and (
        TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
    )


def recovery_device(user: Any) -> StaticDevice | None:
    """The user's recovery-code device, or None. One query."""
    if signed_in(user) is None:
        return None
    return StaticDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()


def recovery_codes_left(user: Any) -> int:
    """How many unused recovery codes the user has. One query."""
    return StaticToken.objects.filter(device__user_id=user.pk, device__confirmed=True).count()


def new_key() -> str:
    """A fresh TOTP secret: 20 random bytes, hex (django-otp's format)."""
    return str(random_hex(20))


def key_text(key_hex: str) -> str:
    """The secret as an app expects it typed: base32, in groups of four."""
    text = b32encode(unhexlify(key_hex)).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def provisioning_uri(user: Any, key_hex: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code (issuer: OTP_TOTP_ISSUER).

    Built by an unsaved device, so nothing is written before the user confirms a first code.
    """
    return str(TOTPDevice(user=user, key=key_hex, digits=TOTP_DIGITS).config_url)


def qr_svg(uri: str, title: str) -> str:
    """The QR code of `uri` as inline SVG (segno; no external service, no style attributes)."""
    code = segno.make(uri, error="m")
    return str(code.svg_inline(scale=4, border=4, title=title, svgclass="mfa-qr"))


def matching_step(key_hex: str, token: str, *, at: float | None = None) -> int | None:
    """The time step at which `token` is the code of `key_hex` (±1 step), or None.

    For confirming a key that is not yet saved; saved devices verify through django-otp,
    which also throttles guesses and refuses a code already used.
    """
    token = normalize_code(token)
    if len(token) != TOTP_DIGITS or not token.isdigit():
        return None
    totp = TOTP(unhexlify(key_hex), step=30, t0=0, digits=TOTP_DIGITS, drift=0)
    totp.time = time.time() if at is None else at
    if totp.verify(int(token), tolerance=1):
        return int(totp.t())
    return None


def normalize_code(token: str) -> str:
    """A typed code without spaces or hyphens, lower-cased (recovery codes are lower-case)."""
    return "".join(ch for ch in str(token) if ch not in " -\t").lower()


def looks_like_app_code(token: str) -> bool:
    """Six digits: a code from the app; anything else is tried as a recovery code."""
    token = normalize_code(token)
    return len(token) == TOTP_DIGITS and token.isdigit()


def new_recovery_codes() -> list[str]:
    """Ten fresh recovery codes, distinct (django-otp's 40-bit base32 tokens)."""
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(str(StaticToken.random_token()))
    return list(codes)
