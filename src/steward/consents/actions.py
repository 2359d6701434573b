"""Writes for directory information and consent to disclose (design.md §3 rule 2).

Each action adds one row and one ledger entry (action "consent") in the same transaction, so
neither exists without the other. Rows are never changed: an opt-out is withdrawn and a
consent revoked by adding a row.

**Who may act** for a student (`_signature`) is whoever holds the "consent" right
(`steward.rights`): a parent or guardian with an active link no court order restricts (R11,
R17) until the student turns 18, then the student alone (R9, R15):

* electronically, such a guardian signed in to their own account (R47: authenticated account,
  explicit act over the displayed text, which the caller passes as `text`); students have no
  logins yet;
* on paper, office staff (`PAPER_ENTRY_ROLES`) entering a form signed by such a guardian or by
  the eligible student, with their attestation that the signed form is on file (`Paper`).

The directory notice is published by the privacy office.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.accounts.models import Account
from steward.audit import ledger
from steward.audit.models import Action
from steward.consents.models import (
    DirectoryCategory,
    DirectoryNotice,
    DirectoryOptOut,
    DirectoryOptOutWithdrawal,
    DisclosureConsent,
    DisclosureConsentRevocation,
    MadeBy,
    Method,
    validate_terms,
)
from steward.rights import selectors as rights
from steward.roster.models import Guardian, Student
from steward.stewardship.attestation import sha256

Role = Account.Role
# Who may enter a paper form on a family's behalf (district policy).
PAPER_ENTRY_ROLES: frozenset[str] = frozenset({Role.PRIVACY_OFFICER, Role.PRINCIPAL})
NOTICE_ROLES: frozenset[str] = frozenset({Role.PRIVACY_OFFICER})

NOTICE_PURPOSE = "annual directory information notice (99.37(a), R21)"
OPT_OUT_PURPOSE = "directory information opt-out (99.37(a), R21, R23)"
WITHDRAW_PURPOSE = "directory information opt-out withdrawn (99.37(b), R86)"
CONSENT_PURPOSE = "consent to disclose given (99.30, 603 CMR 23.07(4), R45-R50)"
REVOKE_PURPOSE = "consent to disclose revoked (R50)"


@dataclass(frozen=True)
class Paper:
    """A signed paper form entered by office staff: who signed it and the staff attestation."""

    attestation: str
    guardian: Guardian | None = None
    student_signed: bool = False


@dataclass(frozen=True)
class _Signature:
    made_by: str
    guardian: Guardian | None
    method: str
    attestation: str

    def fields(self, by_user: Any) -> dict[str, Any]:
        return {
            "made_by": self.made_by,
            "guardian": self.guardian,
            "method": self.method,
            "attestation": self.attestation,
            "entered_by": by_user,
        }

    def detail(self) -> dict[str, Any]:
        return {
            "made_by": self.made_by,
            "guardian": self.guardian.sourced_id if self.guardian is not None else "",
            "method": self.method,
            "attestation": self.attestation,
        }


def _role(user: Any) -> tuple[str, Guardian | None]:
    if user is None or not getattr(user, "is_authenticated", False):
        return "", None
    try:
        account = user.account
    except ObjectDoesNotExist:
        return "", None
    return account.role, account.guardian


def _holds_consent(guardian: Guardian | None, student: Student) -> bool:
    """Whether `guardian` (or, for None, the student) holds the consent right today (R15)."""
    actor = (
        SimpleNamespace(guardian_id=guardian.pk)
        if guardian is not None
        else SimpleNamespace(guardian_id=None, student_id=student.pk)
    )
    return rights.can_act(actor, student.pk, "consent")


def _signature(by_user: Any, student: Student, paper: Paper | None) -> _Signature:
    """Who is acting for `student`, or PermissionDenied / ValidationError (module docstring)."""
    role, own_guardian = _role(by_user)
    if paper is None:
        if role != Role.GUARDIAN or own_guardian is None:
            raise PermissionDenied("only a guardian signs electronically")
        if not _holds_consent(own_guardian, student):
            raise PermissionDenied("this guardian does not hold the consent right")
        return _Signature(MadeBy.GUARDIAN, own_guardian, Method.ELECTRONIC, "")
    if role not in PAPER_ENTRY_ROLES:
        raise PermissionDenied("only office staff enter paper forms")
    if not paper.attestation.strip():
        raise ValidationError({"attestation": _("Attest that the signed form is on file.")})
    if (paper.guardian is None) == (not paper.student_signed):
        raise ValidationError(
            {"signer": _("A paper form is signed either by a guardian or by the student.")}
        )
    if not _holds_consent(paper.guardian, student):
        raise PermissionDenied("the signer does not hold the consent right")
    if paper.guardian is not None:
        return _Signature(MadeBy.GUARDIAN, paper.guardian, Method.PAPER, paper.attestation)
    return _Signature(MadeBy.STUDENT, None, Method.PAPER, paper.attestation)


def _record(
    by_user: Any,
    request: HttpRequest | None,
    purpose: str,
    detail: dict[str, Any],
    at: dt.datetime,
    student: Student | None = None,
    **extra: Any,
) -> None:
    ledger.record(
        action=Action.CONSENT,
        **ledger.actor_of(by_user),
        **ledger.request_context(request),
        students=[student.pk] if student is not None else [],
        purpose=purpose,
        detail=detail,
        at=at,
        **extra,
    )


@transaction.atomic
def do_publish_directory_notice(
    by_user: Any,
    *,
    school_year: int,
    opt_out_ends_on: dt.date,
    text: str,
    request: HttpRequest | None = None,
) -> DirectoryNotice:
    """Publish the annual directory notice now, with its last day to opt out (R21, R85).

    Only the privacy office publishes. The window must end after today; `text` is the notice
    as published. Publishing again for the same year adds a notice whose window replaces the
    earlier one.
    """
    role, _guardian = _role(by_user)
    if role not in NOTICE_ROLES:
        raise PermissionDenied("only the privacy office publishes the directory notice")
    now = timezone.now()
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = _("The notice text is empty.")
    if opt_out_ends_on <= timezone.localdate(now):
        errors["opt_out_ends_on"] = _("The opt-out window must end after today.")
    if errors:
        raise ValidationError(errors)
    notice = DirectoryNotice.objects.create(
        school_year=school_year,
        published_at=now,
        opt_out_ends_on=opt_out_ends_on,
        text=text,
        text_sha256=sha256(text),
        published_by=by_user,
    )
    _record(
        by_user,
        request,
        NOTICE_PURPOSE,
        {
            "directory_notice": notice.pk,
            "school_year": school_year,
            "opt_out_ends_on": opt_out_ends_on.isoformat(),
            "text_sha256": notice.text_sha256,
        },
        now,
    )
    return notice


@transaction.atomic
def do_opt_out_directory(
    student: Student,
    by_user: Any,
    *,
    category_key: str | None = None,
    recruiters: bool = False,
    paper: Paper | None = None,
    request: HttpRequest | None = None,
) -> DirectoryOptOut:
    """Opt the student out, from now until withdrawn (R21, R23, R86).

    `category_key` names one category; without it the opt-out covers every category, or,
    with `recruiters`, release to military recruiters and colleges (20 U.S.C. 7908).
    """
    signature = _signature(by_user, student, paper)
    if recruiters and category_key is not None:
        raise ValidationError(_("A recruiter opt-out covers no single category."))
    category = None
    if category_key is not None:
        category = DirectoryCategory.objects.filter(key=category_key).first()
        if category is None:
            raise ValidationError({"category": _("Unknown directory information category.")})
    if recruiters:
        kind = DirectoryOptOut.Kind.RECRUITERS
    else:
        kind = DirectoryOptOut.Kind.CATEGORY if category else DirectoryOptOut.Kind.ALL
    now = timezone.now()
    opt_out = DirectoryOptOut.objects.create(
        student=student, kind=kind, category=category, made_at=now, **signature.fields(by_user)
    )
    _record(
        by_user,
        request,
        OPT_OUT_PURPOSE,
        {
            "directory_opt_out": opt_out.pk,
            "kind": kind,
            "category": category.key if category else "",
            **signature.detail(),
        },
        now,
        student,
    )
    return opt_out


@transaction.atomic
def do_withdraw_directory_opt_out(
    opt_out: DirectoryOptOut,
    by_user: Any,
    *,
    paper: Paper | None = None,
    request: HttpRequest | None = None,
) -> DirectoryOptOutWithdrawal:
    """End an opt-out from now on; the opt-out row and its history stay."""
    signature = _signature(by_user, opt_out.student, paper)
    if DirectoryOptOutWithdrawal.objects.filter(opt_out=opt_out).exists():
        raise ValidationError(_("This opt-out has already been withdrawn."))
    now = timezone.now()
    withdrawal = DirectoryOptOutWithdrawal.objects.create(
        opt_out=opt_out, withdrawn_at=now, **signature.fields(by_user)
    )
    _record(
        by_user,
        request,
        WITHDRAW_PURPOSE,
        {
            "directory_opt_out": opt_out.pk,
            "withdrawal": withdrawal.pk,
            **signature.detail(),
        },
        now,
        opt_out.student,
    )
    return withdrawal


@transaction.atomic
def do_give_disclosure_consent(
    student: Student,
    by_user: Any,
    *,
    scopes: Sequence[str],
    purpose: str,
    recipient: str,
    expires_on: dt.date | None,
    text: str,
    paper: Paper | None = None,
    request: HttpRequest | None = None,
) -> DisclosureConsent:
    """Record a signed consent to disclose `scopes` to `recipient` for `purpose` (R45–R50).

    Raises ValidationError naming every missing or unsound term (`models.validate_terms`) and
    an empty `text`. `text` is exactly what the signer saw; its SHA-256 is stored with it.
    """
    signature = _signature(by_user, student, paper)
    try:
        validate_terms(list(scopes), purpose, recipient, expires_on)
        errors: dict[str, Any] = {}
    except ValidationError as error:
        errors = error.message_dict
    if not text.strip():
        errors["text"] = [_("The consent text is empty.")]
    if errors:
        raise ValidationError(errors)
    assert expires_on is not None  # validate_terms refuses None
    now = timezone.now()
    consent = DisclosureConsent.objects.create(
        student=student,
        scopes=sorted(set(scopes)),
        purpose=purpose.strip(),
        recipient=recipient.strip(),
        expires_on=expires_on,
        signed_at=now,
        text=text,
        text_sha256=sha256(text),
        **signature.fields(by_user),
    )
    _record(
        by_user,
        request,
        CONSENT_PURPOSE,
        {
            "disclosure_consent": consent.pk,
            "scopes": consent.scopes,
            "purpose": consent.purpose,
            "recipient": consent.recipient,
            "expires_on": expires_on.isoformat(),
            "text_sha256": consent.text_sha256,
            **signature.detail(),
        },
        now,
        student,
        scopes=consent.scopes,
        consent_id=str(consent.pk),
    )
    return consent


@transaction.atomic
def do_revoke_disclosure_consent(
    consent: DisclosureConsent,
    by_user: Any,
    *,
    paper: Paper | None = None,
    request: HttpRequest | None = None,
) -> DisclosureConsentRevocation:
    """Revoke a consent from now on (R50); disclosures made before stay lawful."""
    signature = _signature(by_user, consent.student, paper)
    if DisclosureConsentRevocation.objects.filter(consent=consent).exists():
        raise ValidationError(_("This consent has already been revoked."))
    now = timezone.now()
    revocation = DisclosureConsentRevocation.objects.create(
        consent=consent, revoked_at=now, **signature.fields(by_user)
    )
    _record(
        by_user,
        request,
        REVOKE_PURPOSE,
        {"disclosure_consent": consent.pk, "revocation": revocation.pk, **signature.detail()},
        now,
        consent.student,
        scopes=consent.scopes,
        consent_id=str(consent.pk),
    )
    return revocation
