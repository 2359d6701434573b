"""Sign-in configuration read from the environment (R33, R116(1); design.md §4).

Pure helpers with no Django imports, so `steward.settings` can call them while it loads. A
value that is set but not valid is a configuration error (ValueError naming the variable):
a typo in a security setting must stop the server, not quietly fall back to a default.
"""

from __future__ import annotations

import getpass
import os

# Re-exported for callers that read sign-in numbers from here; the reader lives in config.
from steward.config import env_int as env_int

MFA_REQUIRED = "required"
MFA_OFFERED = "offered"
MFA_MODES = (MFA_REQUIRED, MFA_OFFERED)


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
