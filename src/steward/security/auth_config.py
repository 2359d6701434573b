"""Sign-in configuration read from the environment (R33, R116(1); design.md §4).

Pure helpers with no Django imports, so `steward.settings` can call them while it loads. A
value that is set but not valid is a configuration error (ValueError naming the variable):
a typo in a security setting must stop the server, not quietly fall back to a default.
"""

from __future__ import annotations

import getpass
import os

MFA_REQUIRED = "required"
MFA_OFFERED = "offered"
MFA_MODES = (MFA_REQUIRED, MFA_OFFERED)


def env_int(name: str, default: int, *, minimum: int = 1) -> int:
    """The whole number in environment variable `name`, or `default` when unset or empty.

    Raises ValueError when it is not a whole number or is below `minimum`.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {value}")
    return value


def mfa_mode() -> str:
    """`STEWARD_MFA`: "required" (the default) or "offered".

    "required": staff with record access, the privacy office and superusers must verify a
    second factor at every sign-in. "offered": nobody must, anyone may enrol (the demo).
    Either way a user who has enrolled is asked for a code at every sign-in.
    """
    value = os.environ.get("STEWARD_MFA", "").strip().lower() or MFA_REQUIRED
    if value not in MFA_MODES:
        raise ValueError(f"STEWARD_MFA must be 'required' or 'offered', not {value!r}")
    return value


def console_operator() -> str:
    """The system account running a console command, for the ledger ("" when it has no name)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        return ""
