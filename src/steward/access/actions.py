"""Writes to access configuration and emergency grants (design.md §3 rule 2).

Each function writes its ledger entry in the same transaction as its change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.access import reasons
from steward.access.loader import current_policy
from steward.access.models import BreakGlassGrant, PolicyRevision
from steward.access.policy import ALL_SCOPES, Policy
from steward.access.service import Actor
from steward.audit.ledger import Event, actor_of, record, request_context
from steward.audit.models import Action
from steward.roster import version
from steward.roster.models import Student

BREAK_GLASS_HOURS = 4
BREAK_GLASS_MAX_HOURS = 24
MIN_THREAT_LENGTH = 20
EMERGENCY_BASIS = "A10"  # R51: health or safety emergency, 34 CFR 99.36


@transaction.atomic
def do_open_break_glass(
    *,
    user: Any,
    actor: Actor,
    student: Student,
    scopes: Iterable[str],
    threat: str,
    parties: str,
    hours: int = BREAK_GLASS_HOURS,
    request: HttpRequest | None = None,
) -> BreakGlassGrant:
    """Open emergency access to `scopes` of `student` for `hours` (R82, R83).

    Refuses (ValidationError, nothing written) without a staff member, without a described
    threat of at least `MIN_THREAT_LENGTH` characters, without parties, with unknown or no
    scopes, or for longer than `BREAK_GLASS_MAX_HOURS`. Access starts at once; the grant waits
    in the privacy office's review queue.
    """
    chosen = sorted(set(scopes))
    threat, parties = threat.strip(), parties.strip()
    errors: dict[str, str] = {}
    if actor.staff_id is None:
        errors["user"] = _("Only staff members can open emergency access.")
    if not chosen or not set(chosen) <= ALL_SCOPES:
        errors["scopes"] = _("Choose the record parts the emergency requires.")
    if len(threat) < MIN_THREAT_LENGTH:
        errors["threat"] = (
            _("Describe the articulable and significant threat (at least %d characters).")
            % MIN_THREAT_LENGTH
        )
    if not parties:
        errors["parties"] = _("Name who needs the information.")
    if not 1 <= hours <= BREAK_GLASS_MAX_HOURS:
        errors["hours"] = (
            _("Emergency access lasts between 1 and %d hours.") % BREAK_GLASS_MAX_HOURS
        )
    if errors:
        raise ValidationError(errors)
    assert actor.staff_id is not None  # refused above
    now = timezone.now()
    grant = BreakGlassGrant.objects.create(
        user_id=user.pk,
        staff_id=actor.staff_id,
        student=student,
        scopes=chosen,
        threat=threat,
        parties=parties,
        opened_at=now,
        expires_at=now + dt.timedelta(hours=hours),
    )
    record(
        Event(
            action=Action.SECURITY,
            **actor_of(user),
            **request_context(request),
            students=[student.pk],
            scopes=chosen,
            purpose="break-glass emergency access opened",
            # Clipped to the ledger column (the detail keeps the threat whole): PostgreSQL
            # would refuse a longer one, and with it the emergency access.
            legitimate_interest=reasons.clip(threat),
            basis=EMERGENCY_BASIS,
            detail={
                "break_glass": grant.pk,
                "threat": threat,
                "parties": parties,
                "expires_at": grant.expires_at.isoformat(),
            },
            at=now,
        )
    )
    return grant


@transaction.atomic
def do_review_break_glass(
    *,
    grant: BreakGlassGrant,
    user: Any,
    justified: bool,
    note: str,
    close: bool = False,
    request: HttpRequest | None = None,
) -> BreakGlassGrant:
    """The privacy office's review of a grant: justified or not, with a note (required).

    `close=True` (or a finding of "not justified") also ends the grant at once if it is open.
    A grant is reviewed once; a second review raises ValidationError.
    """
    note = note.strip()
    locked = BreakGlassGrant.objects.select_for_update().get(pk=grant.pk)
    if locked.outcome != BreakGlassGrant.Outcome.PENDING:
        raise ValidationError(_("This emergency access was already reviewed."))
    if not note:
        raise ValidationError({"note": _("Write a note explaining the finding.")})
    now = timezone.now()
    locked.outcome = (
        BreakGlassGrant.Outcome.JUSTIFIED if justified else BreakGlassGrant.Outcome.NOT_JUSTIFIED
    )
    locked.reviewed_at = now
    locked.reviewed_by_id = user.pk
    locked.review_note = note
    if (close or not justified) and locked.is_open(now):
        locked.closed_at = now
    locked.save()
    record(
        Event(
            action=Action.SECURITY,
            **actor_of(user),
            **request_context(request),
            students=[locked.student_id],
            scopes=locked.scopes,
            purpose="break-glass emergency access reviewed",
            basis=EMERGENCY_BASIS,
            detail={
                "break_glass": locked.pk,
                "outcome": locked.outcome,
                "note": note,
                "closed": locked.closed_at is not None,
            },
            at=now,
        )
    )
    return locked


@transaction.atomic
def do_set_policy(
    *, policy: Policy, user: Any, note: str = "", request: HttpRequest | None = None
) -> PolicyRevision | None:
    """Store `policy` as the district's access policy, if it differs from the current one.

    Writes the revision, a ledger change entry with the rules before and after, and a new
    roster stamp so that every worker's index applies the policy from its next check.
    Returns None (and writes nothing) when nothing changed.
    """
    before = current_policy()
    if before.to_dict() == policy.to_dict():
        return None
    now = timezone.now()
    revision = PolicyRevision.objects.create(
        policy=policy.to_dict(), changed_at=now, changed_by_id=user.pk, note=note.strip()
    )
    record(
        Event(
            action=Action.CHANGE,
            **actor_of(user),
            **request_context(request),
            purpose="access policy changed",
            detail={
                "policy_revision": revision.pk,
                "before": before.to_dict(),
                "after": policy.to_dict(),
                "note": note.strip(),
            },
            at=now,
        )
    )
    version.bump()
    return revision
