"""Matrix rows: sign-in security (R33, R116(1)): re-authentication, the second factor's pages,
lockouts, and single sign-on.

Every signed-in user has their own MFA pages. Superusers, the privacy office and staff with
record access must use a second factor: in these tests their sessions are verified with an
authenticator app (`tests/conftest.py`), so enrolling again sends them to their status page;
families, vendor contacts and a login without a role have none, so their recovery-code page
sends them to set one up. Lockouts are the privacy office's; resetting someone else's
second factor is district IT's (superusers) alone. Single sign-on answers 404 while it is
not configured, as in these tests (its own tests run it against a real provider).
"""

from __future__ import annotations

from typing import Any

from .url_matrix_spec import EVERYONE, OFFICE, SIGNED_IN, STAFF, Spec, to

WITH_APP = STAFF | OFFICE  # they must use a second factor, and have one here
APP_PAGE: dict[str, Any] = dict.fromkeys(WITH_APP, 302)
NO_APP: dict[str, Any] = dict.fromkeys(SIGNED_IN - WITH_APP, 302)


SPECS = [
    Spec("security-reauthenticate", SIGNED_IN),
    Spec("security-mfa", SIGNED_IN),
    # Already enrolled and verified: nothing to set up, back to the status page.
    Spec("security-mfa-setup", SIGNED_IN, ok_for=APP_PAGE, goes_to=to("security-mfa")),
    # Verified already, or owing no second factor: straight on (to `next`, else home).
    Spec("security-mfa-verify", SIGNED_IN, ok=302, goes_to=to("home")),
    Spec("security-mfa-recovery-codes", SIGNED_IN, ok_for=NO_APP,
         goes_to=to("security-mfa-setup")),
    # Without the current code the page comes back with the form's error.
    Spec("security-mfa-remove", SIGNED_IN, post=True, ok=400),
    Spec("security-mfa-reset", frozenset({"superuser"})),
    Spec("security-lockouts", OFFICE),
    Spec("security-lockouts-unlock", OFFICE, post=True, ok=400),
    Spec("oidc_start", EVERYONE, ok=404),
    Spec("oidc_callback", EVERYONE, ok=404),
]  # fmt: skip
