"""Tracking the exit notice (R102): sent, then delivered (acknowledged or evidenced).

The destruction job requires a delivered notice: acknowledged in the family portal by one of
the people it is addressed to, or delivery recorded by the office with its evidence (a
certified-mail receipt, a signed copy). E-mail is sent by the daily job for notices whose
every addressee has an address on file; the others are printed and posted by the office.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from steward.accounts.models import Account
from steward.audit import ledger
from steward.audit.models import Action
from steward.retention.actions import SCOPE
from steward.retention.models import ExitNotice, SendMethod
from steward.roster.models import Guardian, GuardianRelationship, Student

SENT_PURPOSE = "exit notice sent to the family (R102)"
DELIVERED_PURPOSE = "exit notice delivered to the family (R102)"
ACK_PURPOSE = "exit notice acknowledged by the family (R102)"


def _locked(notice: ExitNotice) -> ExitNotice:
    return ExitNotice.objects.select_for_update().get(pk=notice.pk)


def _entry(notice: ExitNotice, purpose: str, user: Any, request: Any, detail: dict) -> None:
    ledger.record(
        action=Action.CHANGE,
        **ledger.actor_of(user),
        **ledger.request_context(request),
        students=[notice.student_id],
        scopes=[SCOPE],
        purpose=purpose,
        detail={"notice": notice.pk, **detail},
    )


def mark_sent(
    notice: ExitNotice, method: str, *, user: Any = None, request: HttpRequest | None = None
) -> ExitNotice:
    """Record that the notice went out by `method` (mail, certified mail, e-mail, by hand)."""
    if method not in SendMethod.values or method == SendMethod.PORTAL:
        raise ValidationError(_("Choose how the notice was sent."), code="method")
    with transaction.atomic():
        current = _locked(notice)
        if current.sent_at is not None:
            raise ValidationError(
                _("This notice was already sent on %(day)s.")
                % {"day": timezone.localdate(current.sent_at).isoformat()},
                code="sent",
            )
        current.sent_at = timezone.now()
        current.sent_method = method
        current.sent_by = user if getattr(user, "is_authenticated", False) else None
        current.save(update_fields=["sent_at", "sent_method", "sent_by"])
        _entry(current, SENT_PURPOSE, user, request, {"method": method})
    return current


def record_delivery(
    notice: ExitNotice, evidence: str, *, user: Any, request: HttpRequest | None = None
) -> ExitNotice:
    """Record that the sent notice reached the family, with the evidence (required)."""
    evidence = evidence.strip()
    if not evidence:
        raise ValidationError(
            _("Say how you know the notice was delivered (a receipt, a signed copy)."),
            code="evidence",
        )
    with transaction.atomic():
        current = _locked(notice)
        if current.sent_at is None:
            raise ValidationError(_("Record how the notice was sent first."), code="unsent")
        if current.delivered_at is not None:
            raise ValidationError(_("Delivery of this notice is already recorded."), code="done")
        current.delivered_at = timezone.now()
        current.delivery_evidence = evidence[:255]
        current.delivery_recorded_by = user if getattr(user, "is_authenticated", False) else None
        current.save(update_fields=["delivered_at", "delivery_evidence", "delivery_recorded_by"])
        _entry(current, DELIVERED_PURPOSE, user, request, {"evidence": evidence[:255]})
    return current


def addressee(notice: ExitNotice, account: Account | None) -> bool:
    """Whether the account's guardian or student is one of the notice's addressees, and no
    court order bars that guardian from the student (R17): an order that arrives after the
    notice was addressed takes the notice away too, and with it the acknowledgement that lets
    the destruction go ahead. (A link the roster closed since the exit does not: the family
    of a student who left is who the notice is for.)"""
    if account is None:
        return False
    named = any(
        (person["kind"] == "guardian" and person["id"] == account.guardian_id)
        or (person["kind"] == "student" and person["id"] == account.student_id)
        for person in notice.addressed_to
    )
    barred = (
        account.guardian_id is not None
        and GuardianRelationship.objects.filter(
            guardian_id=account.guardian_id,
            student_id=notice.student_id,
            access_restricted=True,
        ).exists()
    )
    return named and not barred


def acknowledge(notice: ExitNotice, user: Any, *, request: HttpRequest | None = None) -> ExitNotice:
    """A family member the notice is addressed to says they received it: delivered. Anyone
    else is refused (PermissionDenied)."""
    account = (
        Account.objects.filter(user_id=user.pk).first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if not addressee(notice, account):
        raise PermissionDenied
    assert account is not None
    with transaction.atomic():
        current = _locked(notice)
        if current.delivered_at is not None:
            raise ValidationError(_("You have already acknowledged this notice."), code="done")
        now = timezone.now()
        fields = ["delivered_at", "delivery_evidence", "acknowledged_by"]
        if current.sent_at is None:
            current.sent_at, current.sent_method = now, SendMethod.PORTAL
            fields += ["sent_at", "sent_method"]
        current.delivered_at = now
        current.acknowledged_by = (
            Guardian.objects.get(pk=account.guardian_id) if account.guardian_id else None
        )
        name = user.get_full_name() or user.get_username()
        current.delivery_evidence = f"acknowledged in the family portal by {name}"[:255]
        current.save(update_fields=fields)
        _entry(current, ACK_PURPOSE, user, request, {"account": account.pk})
    return current


def _addresses(notice: ExitNotice) -> list[str] | None:
    """Every addressee's e-mail address, or None when one of them has none on file."""
    guardians = dict(
        Guardian.objects.filter(
            pk__in=[p["id"] for p in notice.addressed_to if p["kind"] == "guardian"]
        ).values_list("pk", "email")
    )
    out = []
    for person in notice.addressed_to:
        email: str | None = guardians.get(person["id"], "")
        if person["kind"] == "student":
            email = Student.objects.filter(pk=person["id"]).values_list("email", flat=True).first()
        if not email:
            return None
        out.append(email)
    return sorted(set(out)) or None


def email_unsent() -> tuple[list[int], list[int]]:
    """E-mail every generated, unsent notice whose addressees all have an address; mark it
    sent. Returns (e-mailed, left for the office to post). Idempotent: a sent notice is never
    sent again. A failed e-mail leaves the notice unsent for the next run."""
    mailed, left = [], []
    base = settings.STEWARD_PUBLIC_URL.rstrip("/")
    for notice in ExitNotice.objects.filter(sent_at__isnull=True).order_by("pk"):
        recipients = _addresses(notice)
        if recipients is None:
            left.append(notice.pk)
            continue
        link = base + reverse("retention-family-notice", args=[notice.pk])
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Notice of destruction of student records")
            body = (
                notice.text
                + "\n\n"
                + _("Read and acknowledge this notice: %(link)s") % {"link": link}
            )
        try:
            send_mail(subject, body, None, recipients)
        except OSError:
            left.append(notice.pk)
            continue
        mark_sent(notice, SendMethod.EMAIL)
        mailed.append(notice.pk)
    return mailed, left
