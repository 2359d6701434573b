"""System checks of sign-in security (`steward check`, `steward check --deploy`).

Ids are "steward.auth.*": Django's own deploy checks already use "security.*".
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from steward.security.auth_config import MFA_MODES, MFA_REQUIRED

OTP_MIDDLEWARE = "django_otp.middleware.OTPMiddleware"
OUR_MIDDLEWARE = (
    "steward.security.sessions.SessionExpiryMiddleware",
    "steward.security.auth_middleware.MFARequiredMiddleware",
)


@register(Tags.security, deploy=True)
def check_mfa_required(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Production requires a second factor of staff with record access (design.md §6)."""
    mode = getattr(settings, "STEWARD_MFA", MFA_REQUIRED)
    if mode == MFA_REQUIRED:
        return []
    return [
        Warning(
            f"STEWARD_MFA is {mode!r}: staff with access to student records and the privacy "
            "office can sign in with a password alone.",
            hint="Unset STEWARD_MFA or set it to 'required' outside the demo.",
            id="steward.auth.W001",
        )
    ]


@register(Tags.security)
def check_sign_in_controls(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """The MFA mode is valid, and session expiry and MFA enforcement are installed after
    django-otp's middleware (they read `request.user.is_verified()`)."""
    errors: list[Error] = []
    mode = getattr(settings, "STEWARD_MFA", MFA_REQUIRED)
    if mode not in MFA_MODES:
        errors.append(
            Error(
                f"STEWARD_MFA must be one of {', '.join(MFA_MODES)}, not {mode!r}.",
                id="steward.auth.E001",
            )
        )
    middleware = list(settings.MIDDLEWARE)
    for name in OUR_MIDDLEWARE:
        if name not in middleware:
            errors.append(Error(f"{name} is missing from MIDDLEWARE.", id="steward.auth.E002"))
        elif OTP_MIDDLEWARE not in middleware or (
            middleware.index(name) < middleware.index(OTP_MIDDLEWARE)
        ):
            errors.append(
                Error(f"{name} must come after {OTP_MIDDLEWARE}.", id="steward.auth.E003")
            )
    return errors
