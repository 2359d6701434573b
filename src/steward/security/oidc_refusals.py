"""Why a single sign-on was refused, and what the login page tells the person (R33, R116(1)).

A refusal names the reason with a stable code (kept in the ledger entry) and carries what is
known of who tried: the e-mail address the provider asserted and its subject identifier. The
messages speak to the person at the login page; the e-mail address they already proved to the
provider, so naming why it is refused reveals nothing they do not know.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PROVIDER_ERROR = "provider_error"
STATE_MISMATCH = "state_mismatch"
PROVIDER_UNREACHABLE = "provider_unreachable"
TOKEN_INVALID = "token_invalid"  # noqa: S105 - a reason code, not a secret
NO_EMAIL = "no_email"
EMAIL_UNVERIFIED = "email_unverified"
DOMAIN_NOT_ALLOWED = "domain_not_allowed"
UNKNOWN_EMAIL = "unknown_email"
NOT_STAFF = "not_staff"
INACTIVE_STAFF = "inactive_staff"
AMBIGUOUS = "ambiguous"
NO_ROLE = "no_role"
ACCOUNT_DISABLED = "account_disabled"
USERNAME_TAKEN = "username_taken"

MESSAGES: dict[str, Promise] = {
    PROVIDER_ERROR: _(
        "Sign-in with %(provider)s was cancelled or did not succeed. Try again, or sign in "
        "with your Steward username and password."
    ),
    STATE_MISMATCH: _(
        "This sign-in link has expired or was already used. Start again from this page."
    ),
    PROVIDER_UNREACHABLE: _(
        "Steward could not reach %(provider)s. Try again in a few minutes, or sign in with "
        "your Steward username and password."
    ),
    TOKEN_INVALID: _(
        "Steward could not confirm who you are with %(provider)s. Start again from this page; "
        "if it keeps happening, tell district IT."
    ),
    NO_EMAIL: _(
        "Steward did not receive your e-mail address from %(provider)s, so you cannot sign in."
    ),
    EMAIL_UNVERIFIED: _(
        "Your e-mail address is not verified by %(provider)s, so Steward cannot sign you in "
        "with it."
    ),
    DOMAIN_NOT_ALLOWED: _(
        "Single sign-on accepts only district accounts (%(domains)s). Sign in with your "
        "district account."
    ),
    UNKNOWN_EMAIL: _(
        "No staff member with the e-mail address %(email)s is in the district roster. "
        "Ask the privacy office if you should have access."
    ),
    NOT_STAFF: _(
        "Single sign-on is for district staff. Families, students and outside providers sign "
        "in with their Steward username and password."
    ),
    INACTIVE_STAFF: _(
        "Your staff record is not active in the district roster, so Steward cannot sign you "
        "in. Ask the privacy office if this is a mistake."
    ),
    AMBIGUOUS: _(
        "More than one staff record or Steward login matches %(email)s. Ask the privacy "
        "office to correct it before you sign in."
    ),
    NO_ROLE: _(
        "Steward has no role for your position yet. Ask the privacy office to set up your account."
    ),
    ACCOUNT_DISABLED: _("Your Steward login is disabled. Ask the privacy office."),
    USERNAME_TAKEN: _(
        "A Steward login named %(email)s exists but belongs to no staff record of yours. Ask "
        "the privacy office to link it."
    ),
}


class SsoRefusal(Exception):
    """A single sign-on refused for the reason `code` (one of MESSAGES' keys).

    `email` is the address the provider asserted ("" when none was read yet); `subject` the
    provider's identifier for the person ("" when no ID token was verified); `detail` a short
    technical note for the ledger (never shown to the person).

    Deliberately not a SuspiciousOperation: mozilla-django-oidc swallows those.
    """

    def __init__(self, code: str, *, email: str = "", subject: str = "", detail: str = "") -> None:
        if code not in MESSAGES:
            raise ValueError(f"unknown SSO refusal {code!r}")
        super().__init__(code)
        self.code = code
        self.email = email
        self.subject = subject
        self.detail = detail

    def message(self, *, provider: str, domains: tuple[str, ...]) -> str:
        """The translated sentence for the login page."""
        return str(MESSAGES[self.code]) % {
            "provider": provider,
            "domains": ", ".join(domains),
            "email": self.email,
        }
