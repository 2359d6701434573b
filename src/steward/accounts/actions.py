"""Writes to accounts (design.md §3 rule 2: every state change is a `do_<verb>_<noun>`)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from steward.accounts.models import Account
from steward.audit.ledger import Event, record
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
