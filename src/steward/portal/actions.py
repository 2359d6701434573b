"""Writes of the family portal: invitations and activations (design.md §3 rule 2).

Each writes its ledger entry in the same transaction. The invitation e-mail is sent only once
the invitation is committed (`transaction.on_commit`), through Django's configured e-mail
backend (`STEWARD_EMAIL_BACKEND`, the console by default).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from steward.accounts.actions import do_provision_account
from steward.accounts.models import Account
from steward.audit.ledger import Event, actor_of, record, request_context
from steward.audit.models import Action
from steward.portal.models import Invitation
from steward.roster.models import Guardian, GuardianRelationship, Student

INVITATION_DAYS = 14


def code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().encode()).hexdigest()


@transaction.atomic
def do_invite_guardian(
    guardian: Guardian,
    *,
    by_user: Any = None,
    language: str = "en",
    request: HttpRequest | None = None,
) -> tuple[Invitation, str]:
    """Invite `guardian` to the portal: a one-time code by e-mail, valid `INVITATION_DAYS` days.

    Refuses (ValidationError, nothing written, nothing sent) a guardian without an e-mail
    address, without a current unrestricted link to a student, or who already has a login.
    Earlier unused invitations stop working. Returns the invitation and the code (shown once).
    """
    email = guardian.email.strip()
    if not email:
        raise ValidationError(_("The roster has no e-mail address for this guardian."))
    if not GuardianRelationship.objects.filter(
        guardian=guardian, active=True, access_restricted=False
    ).exists():
        raise ValidationError(_("This guardian has no child whose record they may see."))
    if Account.objects.filter(guardian=guardian).exists():
        raise ValidationError(_("This guardian already has a portal account."))
    return _issue(
        {"guardian": guardian},
        email,
        by_user=by_user,
        language=language,
        request=request,
        students=[],
        detail={"guardian": guardian.sourced_id},
    )


@transaction.atomic
def do_invite_student(
    student: Student,
    *,
    by_user: Any = None,
    language: str = "en",
    request: HttpRequest | None = None,
) -> tuple[Invitation, str]:
    """Invite a student to see their own record in the portal (R9, R10): only a student who
    holds the right to inspect it today (Massachusetts: from 14 or grade 9; FERPA: from 18),
    with an e-mail address on the roster and no login yet. Otherwise as `do_invite_guardian`.
    """
    from steward.rights.selectors import holders_for

    email = student.email.strip()
    if not email:
        raise ValidationError(_("The roster has no e-mail address for this student."))
    if not holders_for(student.pk).student_holds("inspect"):
        raise ValidationError(_("This student does not yet hold rights over their own record."))
    if Account.objects.filter(student=student).exists():
        raise ValidationError(_("This student already has a portal account."))
    return _issue(
        {"student": student},
        email,
        by_user=by_user,
        language=language,
        request=request,
        students=[student.pk],
        detail={"student": student.sourced_id},
    )


def _issue(
    invitee: dict[str, Guardian | Student],
    email: str,
    *,
    by_user: Any,
    language: str,
    request: HttpRequest | None,
    students: list[int],
    detail: dict[str, Any],
) -> tuple[Invitation, str]:
    """Retire the invitee's unused invitations, store a new one (the code's hash only), write
    its ledger entry and send the e-mail once committed. Returns the invitation and the code."""
    now = timezone.now()
    Invitation.objects.filter(**invitee, used_at__isnull=True).update(expires_at=now)
    code = secrets.token_urlsafe(18)
    invitation = Invitation.objects.create(
        **invitee,
        email=email,
        code_sha256=code_hash(code),
        created_at=now,
        expires_at=now + dt.timedelta(days=INVITATION_DAYS),
        created_by_id=getattr(by_user, "pk", None),
    )
    record(
        Event(
            action=Action.SECURITY,
            **actor_of(by_user),
            **request_context(request),
            students=students,
            purpose="family portal invitation",
            detail={"invitation": invitation.pk, **detail},
            at=now,
        )
    )
    transaction.on_commit(lambda: _send_invitation(invitation, code, language))
    return invitation, code


def _send_invitation(invitation: Invitation, code: str, language: str) -> None:
    person = invitation.guardian or invitation.student
    assert person is not None  # one of the two, by constraint
    with translation.override(language):
        context = {
            "name": person.display_name,
            "code": code,
            "link": f"{settings.STEWARD_PUBLIC_URL.rstrip('/')}/portal/activate/?code={code}",
            "days": INVITATION_DAYS,
        }
        subject = _("Your invitation to the Steward family portal")
        body = render_to_string("portal/invitation_email.txt", context)
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def do_activate_account(
    code: str, *, password: str, request: HttpRequest | None = None
) -> AbstractUser:
    """Turn a valid invitation code into a guardian login with `password`.

    Refuses (ValidationError, nothing written) an unknown, used or expired code and a password
    the validators reject. The login's username is the invited e-mail address.
    """
    now = timezone.now()
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("guardian", "student")
        .filter(code_sha256=code_hash(code))
        .first()
    )
    if invitation is None or not invitation.usable(now):
        raise ValidationError({"code": _("This code is not valid. Ask your school for a new one.")})
    username = invitation.email.lower()
    if get_user_model().objects.filter(username=username).exists():
        raise ValidationError(
            {"code": _("An account already uses this e-mail address. Sign in instead.")}
        )
    password_validation.validate_password(password)
    user, _created = do_provision_account(
        username=username,
        role=Account.Role.GUARDIAN if invitation.guardian_id else Account.Role.STUDENT,
        guardian=invitation.guardian,
        student=invitation.student,
        password=password,
    )
    invitation.used_at = now
    invitation.user_id = user.pk
    invitation.save(update_fields=["used_at", "user"])
    record(
        Event(
            action=Action.SECURITY,
            **actor_of(user),
            **request_context(request),
            purpose="family portal account activated",
            detail={"invitation": invitation.pk},
            at=now,
        )
    )
    return user
