"""Legal holds (R104): placed with a reason, released with a reason, never deleted."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit import ledger
from steward.audit.models import Action
from steward.retention.actions import SCOPE
from steward.retention.models import HoldKind, LegalHold
from steward.roster.models import Student

PLACE_PURPOSE = "legal hold placed: the record may not be destroyed (R104)"
RELEASE_PURPOSE = "legal hold released (R104)"
MIN_REASON = 10  # a reason a later reader can act on, not "x"


def _reason(text: str, what: str) -> str:
    text = text.strip()
    if len(text) < MIN_REASON:
        raise ValidationError(
            _("Give the reason for the %(what)s (at least %(n)d characters).")
            % {"what": what, "n": MIN_REASON},
            code="reason",
        )
    return text


def place_hold(
    student: Student,
    kind: str,
    reason: str,
    *,
    user: Any,
    request: HttpRequest | None = None,
) -> LegalHold:
    """Put `student`'s whole record on hold: nothing of it is destroyed until released."""
    if kind not in HoldKind.values:
        raise ValidationError(_("Choose the kind of hold."), code="kind")
    text = _reason(reason, _("hold"))
    with transaction.atomic():
        hold = LegalHold.objects.create(
            student=student,
            kind=kind,
            reason=text,
            placed_at=timezone.now(),
            placed_by=user if getattr(user, "is_authenticated", False) else None,
        )
        ledger.record(
            action=Action.CREATE,
            **ledger.actor_of(user),
            **ledger.request_context(request),
            students=[student.pk],
            scopes=[SCOPE],
            purpose=PLACE_PURPOSE,
            detail={"hold": hold.pk, "kind": kind, "reason": text},
        )
    return hold


def release_hold(
    hold: LegalHold, reason: str, *, user: Any, request: HttpRequest | None = None
) -> LegalHold:
    """Release a hold in force, with the reason (the case closed, the order lifted)."""
    text = _reason(reason, _("release"))
    with transaction.atomic():
        current = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if current.released_at is not None:
            raise ValidationError(_("This hold is already released."), code="released")
        current.released_at = timezone.now()
        current.released_by = user if getattr(user, "is_authenticated", False) else None
        current.release_reason = text
        current.save(update_fields=["released_at", "released_by", "release_reason"])
        ledger.record(
            action=Action.CHANGE,
            **ledger.actor_of(user),
            **ledger.request_context(request),
            students=[current.student_id],
            scopes=[SCOPE],
            purpose=RELEASE_PURPOSE,
            detail={"hold": current.pk, "reason": text},
        )
    return current
