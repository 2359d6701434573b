"""From a verified e-mail address to a staff member's login (R33, R116(1) "access restricted to
active users", R117 "terminated-employee access removal").

The roster, imported from the student information system, decides who is staff: single sign-on
signs in a login only for an active, enabled `Staff` row whose e-mail address matches
(case-insensitively), and never creates one for anybody else. A first sign-in creates the login
with the role of the staff member's current position, through
`steward.accounts.actions.do_provision_sso_account`.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser
from django.http import HttpRequest
from django.utils import timezone

from steward.accounts.actions import STAFF_ROLES, AccountConflict, do_provision_sso_account
from steward.accounts.models import Account
from steward.accounts.selectors import current
from steward.roster.models import Guardian, Staff, StaffRole, Student
from steward.security import oidc_refusals as r
from steward.vendors.models import VendorContact

Position = StaffRole.Position
Role = Account.Role

# The role a first sign-in gets, by the staff member's current positions, first match wins: the
# home page with the widest view first. Records custodians and district administrators get
# none: the privacy-office role is granted by the privacy office, never by a roster row alone.
ROLE_BY_POSITION: tuple[tuple[str, str], ...] = (
    (Position.PRINCIPAL, Role.PRINCIPAL),
    (Position.SPECIAL_EDUCATION, Role.SPECIAL_EDUCATION),
    (Position.COUNSELOR, Role.COUNSELOR),
    (Position.NURSE, Role.NURSE),
    (Position.TEACHER, Role.TEACHER),
)


def staff_login(
    email: str, *, provider: str, subject: str, request: HttpRequest | None = None
) -> AbstractUser:
    """The login of the staff member whose roster e-mail is `email`, created on first use.

    Raises SsoRefusal: NOT_STAFF (the address is a guardian's, student's or vendor contact's),
    UNKNOWN_EMAIL, INACTIVE_STAFF, AMBIGUOUS (two active staff rows, or two staff logins),
    ACCOUNT_DISABLED, NO_ROLE or USERNAME_TAKEN.
    """
    staff = _staff_for(email, subject)
    user = _existing_login(staff, email, subject)
    if user is not None:
        return user
    role = role_for(staff, timezone.localdate())
    if role is None:
        raise r.SsoRefusal(r.NO_ROLE, email=email, subject=subject, detail=staff.sourced_id)
    try:
        return do_provision_sso_account(
            staff=staff, role=role, email=email, provider=provider, subject=subject, request=request
        )
    except AccountConflict:
        # A concurrent first sign-in of the same person may have created it a moment ago.
        user = _existing_login(staff, email, subject)
        if user is not None:
            return user
        raise r.SsoRefusal(r.USERNAME_TAKEN, email=email, subject=subject) from None


def role_for(staff: Staff, at: datetime.date) -> str | None:
    """The staff role for `staff`'s positions current on `at` at an active organisation."""
    positions = set(
        StaffRole.objects.filter(current(at), staff=staff, org__active=True).values_list(
            "position", flat=True
        )
    )
    return next((role for position, role in ROLE_BY_POSITION if position in positions), None)


def _staff_for(email: str, subject: str) -> Staff:
    rows = list(Staff.objects.filter(email__iexact=email).order_by("pk")[:10])
    if not rows:
        code = r.NOT_STAFF if _is_someone_else(email) else r.UNKNOWN_EMAIL
        raise r.SsoRefusal(code, email=email, subject=subject)
    # A rehired member of staff can have an old, inactive row beside the current one.
    usable = [s for s in rows if s.active and s.enabled]
    if not usable:
        raise r.SsoRefusal(r.INACTIVE_STAFF, email=email, subject=subject)
    if len(usable) > 1:
        ids = ",".join(s.sourced_id for s in usable)
        raise r.SsoRefusal(r.AMBIGUOUS, email=email, subject=subject, detail=f"staff {ids}")
    return usable[0]


def _is_someone_else(email: str) -> bool:
    """Whether `email` is a guardian's, a student's or a vendor contact's roster address."""
    return (
        Guardian.objects.filter(email__iexact=email).exists()
        or Student.objects.filter(email__iexact=email).exists()
        or VendorContact.objects.filter(email__iexact=email).exists()
    )


def _existing_login(staff: Staff, email: str, subject: str) -> AbstractUser | None:
    accounts = list(
        Account.objects.select_related("user")
        .filter(staff=staff, role__in=STAFF_ROLES)
        .order_by("pk")[:2]
    )
    if not accounts:
        return None
    if len(accounts) > 1:
        raise r.SsoRefusal(r.AMBIGUOUS, email=email, subject=subject, detail="two staff logins")
    user = accounts[0].user
    if not user.is_active:
        raise r.SsoRefusal(r.ACCOUNT_DISABLED, email=email, subject=subject)
    return user
