"""Opening an amendment case is a read of the contested parts of the student's record: the
items quote what the record said. Each case page records it in the ledger (R56, R63), as
`steward.access.record.open_record` does for the record pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from steward.amendments.case import Case
from steward.audit import ledger
from steward.audit.models import Action, Entry

PURPOSE = "amendment case review (R34, R36)"
INTEREST = "records custodian or hearing officer deciding the family's amendment request"


def log_case_view(request: HttpRequest | None, user: Any, shown: Case) -> Entry:
    """One ledger read entry for the student of `shown`, naming the contested parts."""
    return ledger.record(
        action=Action.READ,
        **ledger.actor_of(user),
        **ledger.request_context(request),
        students=[shown.amendment.student_id],
        scopes=sorted({view.item.scope for view in shown.items}),
        purpose=PURPOSE,
        legitimate_interest=INTEREST,
        detail={"amendment_request": shown.amendment.pk},
    )
