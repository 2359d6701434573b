"""Hearings: the family asks, the office schedules before an impartial officer, the officer
decides in writing (R35, R36; 34 CFR 99.21–99.22)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.accounts.models import Account
from steward.amendments import impartiality, items, letters, policy
from steward.amendments.actions.common import (
    PURPOSE_HEARING,
    account_of,
    name_of,
    requester,
    require_privacy_office,
)
from steward.amendments.actions.decisions import Ruling, carry_out
from steward.amendments.models import (
    AmendmentRequest,
    AttestationMethod,
    Decision,
    Hearing,
    Item,
    LetterKind,
    Outcome,
    Schedule,
    Stage,
    Status,
)
from steward.audit import ledger
from steward.audit.models import Action
from steward.vendors import documents

MAX_TEXT = 8000
# Logins that are the family's or an outside provider's, never the district's officials.
_NOT_OFFICIALS = frozenset({Account.Role.GUARDIAN, Account.Role.STUDENT, Account.Role.VENDOR})


def attestation_text(officer_name: str, amendment: AmendmentRequest) -> str:
    """The impartiality attestation the hearing officer signs (R36, 99.22(c))."""
    return _(
        "I, %(name)s, attest that I have no direct interest in the outcome of the hearing on "
        "amendment request #%(number)d: I did not make or refuse the contested information, I "
        "am not a member of the student's family, and I will decide solely on the evidence "
        "presented at the hearing."
    ) % {"name": officer_name, "number": amendment.pk}


def refused_items(amendment: AmendmentRequest) -> list[Item]:
    """The items the district refused: what a hearing is about."""
    return list(
        Item.objects.filter(
            request=amendment, decisions__stage=Stage.INITIAL, decisions__outcome=Outcome.REFUSE
        ).order_by("position")
    )


def _record(
    user: Any, request: HttpRequest | None, amendment: AmendmentRequest, **detail: Any
) -> None:
    ledger.record(
        action=Action.CREATE,
        **ledger.actor_of(user),
        **ledger.request_context(request),
        students=[amendment.student_id],
        purpose=PURPOSE_HEARING,
        detail={"amendment_request": amendment.pk, **detail},
    )


@transaction.atomic
def do_request_hearing(
    amendment: AmendmentRequest,
    user: Any,
    family_note: str = "",
    request: HttpRequest | None = None,
) -> Hearing:
    """The family asks for a hearing on the refused items (R35, 99.21(a)): allowed once per
    request, after the decision, when something was refused. The hearing is due within
    `STEWARD_HEARING_WITHIN_DAYS`."""
    amendment = AmendmentRequest.objects.select_for_update().get(pk=amendment.pk)
    requester(user, amendment.student)
    if amendment.status != Status.DECIDED or not refused_items(amendment):
        raise ValidationError(_("A hearing can be asked for once the district has refused items."))
    if Hearing.objects.filter(request=amendment).exists():
        raise ValidationError(_("A hearing has been asked for already."))
    if len(family_note) > MAX_TEXT:
        raise ValidationError(_("The text is too long."))
    now = timezone.now()
    hearing = Hearing.objects.create(
        request=amendment,
        requested_at=now,
        requested_by=user,
        requested_by_name=name_of(user),
        family_note=family_note.strip(),
        due_on=policy.hearing_due(timezone.localdate(now)),
    )
    amendment.status = Status.HEARING_REQUESTED
    amendment.save(update_fields=["status"])
    _record(user, request, amendment, step="requested", due_on=hearing.due_on.isoformat())
    return hearing


def _officer(officer_user: Any, officer_name: str) -> str:
    if officer_user is None and not officer_name.strip():
        raise ValidationError(_("Name the hearing officer."))
    if officer_user is not None:
        account = account_of(officer_user)
        official = officer_user.is_superuser or (
            account is not None and account.role not in _NOT_OFFICIALS
        )
        if not officer_user.is_active or not official:
            raise ValidationError(_("The hearing officer must be an official of the district."))
    return officer_name.strip() or name_of(officer_user)


@transaction.atomic
def do_schedule_hearing(
    hearing: Hearing,
    user: Any,
    *,
    starts_at: dt.datetime,
    place: str,
    officer_user: Any = None,
    officer_name: str = "",
    officer_title: str = "",
    attested: bool = False,
    attestation_pdf: bytes | None = None,
    attestation_filename: str = "",
    request: HttpRequest | None = None,
) -> Schedule:
    """Schedule (or move) a hearing and send its notice (R36); the privacy office only.

    Refused (ValidationError) unless: the date is at least `STEWARD_HEARING_NOTICE_DAYS`
    after today's notice; a place is given; the officer is a district official with no direct
    interest Steward knows of (`impartiality.conflicts`: in particular not whoever refused the
    items); and the officer attests to it: signed in Steward when the officer schedules it
    themselves, otherwise on paper, the signed scan (PDF) attached.
    """
    require_privacy_office(user)
    amendment = AmendmentRequest.objects.select_for_update().get(pk=hearing.request_id)
    hearing = Hearing.objects.get(pk=hearing.pk)
    if amendment.status not in (Status.HEARING_REQUESTED, Status.HEARING_SCHEDULED):
        raise ValidationError(_("This hearing cannot be scheduled now."))
    if timezone.is_naive(starts_at):
        raise ValidationError(_("Give the hearing's time with its time zone."))
    now = timezone.now()
    errors: list[str] = []
    earliest = timezone.localdate(now) + dt.timedelta(days=policy.notice_days())
    if timezone.localdate(starts_at) < earliest:
        errors.append(
            _(
                "The family must have the notice at least %(days)d days before: the earliest "
                "date is %(day)s."
            )
            % {"days": policy.notice_days(), "day": items.when(earliest)}
        )
    if not place.strip():
        errors.append(_("Give the place of the hearing."))
    try:
        name = _officer(officer_user, officer_name)
    except ValidationError as error:
        raise ValidationError(errors + error.messages) from error
    errors.extend(impartiality.conflicts(amendment, officer_user, name))
    if not attested:
        errors.append(_("The hearing officer must attest to having no interest in the outcome."))
    own = officer_user is not None and officer_user.pk == user.pk
    if not own and not attestation_pdf:
        errors.append(
            _("Attach the attestation signed by the hearing officer, or let them schedule it.")
        )
    if errors:
        raise ValidationError(errors)
    document = (
        None
        if own or attestation_pdf is None
        else documents.store(attestation_pdf, attestation_filename or "attestation.pdf", by=user)
    )
    text = attestation_text(name, amendment)
    schedule = Schedule.objects.create(
        hearing=hearing,
        starts_at=starts_at,
        place=place.strip(),
        officer_user=officer_user,
        officer_name=name,
        officer_title=officer_title.strip(),
        attestation_text=text,
        attestation_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        attestation_method=AttestationMethod.ELECTRONIC if own else AttestationMethod.PAPER,
        attestation_document=document,
        attested_at=now,
        scheduled_by=user,
        scheduled_at=now,
        notice_sent_at=now,
    )
    moved = amendment.status == Status.HEARING_SCHEDULED
    amendment.status = Status.HEARING_SCHEDULED
    amendment.save(update_fields=["status"])
    letters.issue(
        amendment,
        LetterKind.HEARING_NOTICE,
        user,
        {
            "schedule": schedule,
            "when": items.when(starts_at),
            "items": refused_items(amendment),
            "decision_days": policy.days("STEWARD_HEARING_DECISION_DAYS"),
            "scheduled_by": name_of(user),
        },
    )
    _record(
        user,
        request,
        amendment,
        step="rescheduled" if moved else "scheduled",
        schedule=schedule.pk,
        starts_at=starts_at.isoformat(),
        officer=name,
        attestation=schedule.attestation_method,
    )
    return schedule


def current_schedule(hearing: Hearing) -> Schedule | None:
    return hearing.schedules.order_by("-scheduled_at", "-pk").first()


@transaction.atomic
def do_decide_hearing(
    hearing: Hearing,
    user: Any,
    *,
    held_at: dt.datetime,
    attended_by: str,
    representative: str = "",
    evidence_summary: str,
    reasons: str,
    findings: Mapping[int, Ruling],
    request: HttpRequest | None = None,
) -> Hearing:
    """Record the hearing officer's written decision (R35, R36) and close the request.

    The decision is the officer's: a hearing officer with a Steward login records it
    themselves; for one without, a privacy officer who refused none of the items records it
    (PermissionDenied otherwise). It needs the summary of the evidence and the reasons, and a
    finding on every refused item (`findings`, by item id): amend (written at once) or not
    (then the family may place a statement, R35). The decision letter goes out.
    """
    if not _is_officer(hearing, user):
        require_privacy_office(user)
    amendment = AmendmentRequest.objects.select_for_update().get(pk=hearing.request_id)
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
    schedule = current_schedule(hearing)
    if amendment.status != Status.HEARING_SCHEDULED or schedule is None:
        raise ValidationError(_("Only a scheduled hearing can be decided."))
    _check_recorder(amendment, schedule, user)
    now = timezone.now()
    errors: list[str] = []
    if timezone.is_naive(held_at) or held_at > now:
        errors.append(_("The hearing cannot be recorded before it is held."))
    elif timezone.localdate(held_at) < timezone.localdate(schedule.starts_at):
        errors.append(_("The hearing was scheduled for a later date; move it first."))
    if not evidence_summary.strip():
        errors.append(_("Summarize the evidence presented at the hearing."))
    if not reasons.strip():
        errors.append(_("Give the reasons for the decision."))
    if not attended_by.strip():
        errors.append(_("Say who was present at the hearing."))
    if max(len(evidence_summary), len(reasons), len(attended_by)) > MAX_TEXT:
        errors.append(_("The text is too long."))
    refused = refused_items(amendment)
    if set(findings) != {i.pk for i in refused}:
        errors.append(_("Give a finding on every item heard, and on those only."))
    if errors:
        raise ValidationError(errors)
    rows: list[tuple[Item, Decision]] = []
    for item in refused:
        item.request = amendment
        rows.append((item, carry_out(item, findings[item.pk], Stage.HEARING, user, request)))
    hearing.held_at = held_at
    hearing.attended_by = attended_by.strip()
    hearing.representative = representative.strip()
    hearing.evidence_summary = evidence_summary.strip()
    hearing.reasons = reasons.strip()
    hearing.decided_at = now
    hearing.decided_by = user
    hearing.decided_by_name = name_of(user)
    hearing.save(
        update_fields=[
            "held_at", "attended_by", "representative", "evidence_summary", "reasons",
            "decided_at", "decided_by", "decided_by_name",
        ]
    )  # fmt: skip
    amendment.status = Status.CLOSED
    amendment.closed_at = now
    amendment.save(update_fields=["status", "closed_at"])
    letters.issue(
        amendment,
        LetterKind.HEARING_DECISION,
        user,
        {
            "hearing": hearing,
            "held": items.when(held_at),
            "officer": schedule.officer_name,
            "rows": rows,
            "upheld": any(d.outcome == Outcome.REFUSE for _i, d in rows),
            "decided_by": name_of(user),
        },
    )
    _record(
        user,
        request,
        amendment,
        step="decided",
        findings={str(i.pk): d.outcome for i, d in rows},
    )
    return hearing


def _is_officer(hearing: Hearing, user: Any) -> bool:
    schedule = current_schedule(hearing)
    return schedule is not None and schedule.officer_user_id == getattr(user, "pk", None)


def _check_recorder(amendment: AmendmentRequest, schedule: Schedule, user: Any) -> None:
    if schedule.officer_user_id is not None:
        if schedule.officer_user_id != user.pk:
            raise PermissionDenied("the hearing officer records their own decision")
        return
    if impartiality.conflicts(amendment, user, name_of(user)):
        raise PermissionDenied("whoever refused the items cannot record the hearing decision")
