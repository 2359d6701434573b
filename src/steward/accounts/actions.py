"""Writes to accounts (design.md §3 rule 2: every state change is a `do_<verb>_<noun>`)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from steward.accounts.models import Account
from steward.audit.ledger import Event, record, request_context
from steward.audit.models import Action
from steward.roster.models import Guardian, Staff, Student
from steward.vendors.models import VendorContact


@transaction.atomic
def do_provision_account(
    *,
    username: str,
    role: str,
    staff: Staff | None = None,
    guardian: Guardian | None = None,
    student: Student | None = None,
    vendor_contact: VendorContact | None = None,
    password: str | None = None,
) -> tuple[AbstractUser, bool]:
    """Create the login `username`, or bring an existing one to the given role and links.

    Idempotent: a second call with the same arguments changes nothing (the password is only
    re-hashed when it no longer matches). The names come from the roster row. Returns the
    user and whether it was created. Never grants staff or superuser status.

    Every real change writes a ledger entry (create or change) in the same transaction; the
    password itself never reaches the ledger, only the fact that it changed.
    """
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username)
    person = staff or guardian or student
    changed: list[str] = []
    if person is not None:
        # The auth user's name fields are shorter than the roster's.
        names = ((person.preferred_given_name or person.given_name)[:150], person.family_name[:150])
        if (user.first_name, user.last_name) != names:
            user.first_name, user.last_name = names
            changed += ["first_name", "last_name"]
    elif vendor_contact is not None:
        given, _space, family = vendor_contact.name.partition(" ")
        if (user.first_name, user.last_name) != (given[:150], family[:150]):
            user.first_name, user.last_name = given[:150], family[:150]
            changed += ["first_name", "last_name"]
        if vendor_contact.email and user.email != vendor_contact.email:
            user.email = vendor_contact.email
            changed.append("email")
    if password is not None and not user.check_password(password):
        user.set_password(password)
        changed.append("password")
    elif password is None and created:
        user.set_unusable_password()
        changed.append("password")
    if changed:
        user.save(update_fields=changed)
    account, account_created = Account.objects.get_or_create(
        user=user,
        defaults={
            "role": role,
            "staff": staff,
            "guardian": guardian,
            "student": student,
            "vendor_contact": vendor_contact,
        },
    )
    links = (staff, guardian, student, vendor_contact)
    wanted = (role, *(p.pk if p else None for p in links))
    have = (
        account.role,
        account.staff_id,
        account.guardian_id,
        account.student_id,
        account.vendor_contact_id,
    )
    if not account_created and have != wanted:
        account.role, account.staff, account.guardian = role, staff, guardian
        account.student, account.vendor_contact = student, vendor_contact
        account.save(update_fields=["role", "staff", "guardian", "student", "vendor_contact"])
        changed.append("account")
    if created or changed or account_created:
        record(
            Event(
                action=Action.CREATE if created else Action.CHANGE,
                actor_name="steward (account provisioning)",
                purpose="login account for a district user",
                detail={"username": username, "role": str(role), "changed": sorted(changed)},
            )
        )
    return user, created


class AccountConflict(Exception):
    """A login of the wanted username exists already and is not this person's."""


STAFF_ROLES = frozenset(
    {
        Account.Role.PRIVACY_OFFICER,
        Account.Role.PRINCIPAL,
        Account.Role.TEACHER,
        Account.Role.COUNSELOR,
        Account.Role.NURSE,
        Account.Role.SPECIAL_EDUCATION,
    }
)


@transaction.atomic
def do_provision_sso_account(
    *,
    staff: Staff,
    role: str,
    email: str,
    provider: str,
    subject: str,
    request: HttpRequest | None = None,
) -> AbstractUser:
    """Create the login of a staff member at their first single sign-on (R33, R116(1)).

    The username and e-mail are `email`, the address the identity provider `provider` verified
    for its subject `subject`; the password is unusable, since the district's provider
    authenticates the person. `role` must be a staff role. Raises AccountConflict when a login
    of that username exists already: it belongs to someone else (or to nobody known), and
    linking it would hand it over. Writes a CREATE ledger entry in the same transaction.
    """
    if role not in STAFF_ROLES:
        raise ValueError(f"single sign-on creates staff logins only, not {role!r}")
    username = email[:150]
    user_model = get_user_model()
    if user_model.objects.filter(username__iexact=username).exists():
        raise AccountConflict(username)
    names = ((staff.preferred_given_name or staff.given_name)[:150], staff.family_name[:150])
    try:
        with transaction.atomic():  # a concurrent first sign-in may have just taken the name
            user = user_model(
                username=username, email=email, first_name=names[0], last_name=names[1]
            )
            user.set_unusable_password()
            user.save()
    except IntegrityError as exc:
        raise AccountConflict(username) from exc
    Account.objects.create(user=user, role=role, staff=staff)
    record(
        Event(
            action=Action.CREATE,
            actor_name="steward (single sign-on)",
            purpose="login account for a district user at their first single sign-on",
            detail={
                "username": username,
                "role": str(role),
                "staff": staff.sourced_id,
                "provider": provider,
                "subject": subject,
            },
            **request_context(request),
        )
    )
    return user
