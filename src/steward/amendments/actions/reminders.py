"""The daily sweep's bookkeeping: one row per reminder sent (see `steward.amendments.sweep`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from steward.amendments.actions.common import PURPOSE_REMINDER
from steward.amendments.models import AmendmentRequest, Reminder
from steward.audit import ledger
from steward.audit.models import Action


def do_record_reminder(
    amendment: AmendmentRequest, kind: str, due_on: dt.date, recipients: Sequence[str]
) -> Reminder | None:
    """Keep that reminder `kind` went out for `amendment`; None when it was kept already (a
    second sweep, or a concurrent one). The ledger entry names no student: a reminder reads
    and discloses nothing, and is no event of the family's record."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                request=amendment,
                kind=kind,
                due_on=due_on,
                sent_at=timezone.now(),
                recipients=", ".join(recipients),
            )
            ledger.record(
                action=Action.CREATE,
                actor_name="steward amendment sweep",
                actor_role="system",
                purpose=PURPOSE_REMINDER,
                detail={
                    "amendment_request": amendment.pk,
                    "kind": kind,
                    "due_on": due_on.isoformat(),
                    "recipients": len(recipients),
                },
            )
    except IntegrityError:
        return None
    return reminder
