"""The privacy office's decision on each item (R34), and how an amendment is carried out.

Deciding the last undecided item closes the decision: the request's written notice goes out
in the same transaction (the items, each decision and its reasons and, after any refusal, the
right to a hearing, R34). An amendment is written at once through `writes` (R35(b)(1)).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.amendments import items, letters, policy
from steward.amendments.actions import writes
from steward.amendments.actions.common import PURPOSE_DECISION, name_of, require_privacy_office
from steward.amendments.models import (
    AmendmentRequest,
    Decision,
    Item,
    ItemKind,
    LetterKind,
    Outcome,
    Stage,
    Status,
)
from steward.audit import ledger
from steward.audit.models import Action

MAX_TEXT = 8000


@dataclass(frozen=True)
class Ruling:
    """A decision on one item: amend or refuse, why, and for an amendment what to write
    (`new_value` for a correction), what was done (`action_taken`, for "something else"), and
    for a roster field the confirmation that the student information system was corrected."""

    outcome: str
    reasons: str
    new_value: str = ""
    action_taken: str = ""
    source_corrected: bool = False


def carry_out(
    item: Item, ruling: Ruling, stage: str, user: Any, request: HttpRequest | None
) -> Decision:
    """Check `ruling`, write the amendment if it is one, and keep the decision (unsaved
    `Decision` fields are filled in here and the row created). Runs in the caller's
    transaction; ValidationError leaves it to roll back."""
    if ruling.outcome not in Outcome.values:
        raise ValidationError(_("Choose to amend or to refuse."))
    if not ruling.reasons.strip():
        raise ValidationError(_("Give the reasons for the decision."))
    if len(ruling.reasons) > MAX_TEXT or len(ruling.action_taken) > MAX_TEXT:
        raise ValidationError(_("The text is too long."))
    student_id = item.request.student_id
    old = new = ""
    if ruling.outcome == Outcome.AMEND:
        detail = {"amendment_request": item.request_id, "amendment_item": item.pk, "stage": stage}
        if item.kind == ItemKind.OTHER:
            if not ruling.action_taken.strip():
                raise ValidationError(_("Say what was done to amend the record."))
        else:
            assert item.row_id is not None
            obj = items.row_for(item.model, item.row_id, student_id)
            if obj is None:
                raise ValidationError(_("This entry is no longer in the record."))
            if item.kind == ItemKind.DELETE:
                old = writes.delete_row(
                    obj,
                    scope=item.scope,
                    student_id=student_id,
                    user=user,
                    request=request,
                    detail=detail,
                )
            else:
                if item.model.startswith("roster.") and not ruling.source_corrected:
                    raise ValidationError(
                        _(
                            "This information comes from the student information system: "
                            "correct it there too and confirm it, or the next import will "
                            "undo the amendment."
                        )
                    )
                old, new = writes.amend_field(
                    obj,
                    item.element_key,
                    ruling.new_value,
                    student_id=student_id,
                    user=user,
                    request=request,
                    detail=detail,
                )
    return Decision.objects.create(
        item=item,
        stage=stage,
        outcome=ruling.outcome,
        reasons=ruling.reasons.strip(),
        decided_by=user,
        decided_by_name=name_of(user),
        decided_at=timezone.now(),
        old_value=old,
        new_value=new,
        action_taken=ruling.action_taken.strip(),
        source_corrected=ruling.source_corrected and item.model.startswith("roster."),
    )


@transaction.atomic
def do_decide_item(
    item: Item, user: Any, ruling: Ruling, request: HttpRequest | None = None
) -> Decision:
    """Decide one item of an open request (R34); the privacy office only (PermissionDenied).

    An amendment is written to the record at once. When this was the last undecided item,
    the request is decided: it closes if everything was amended, otherwise the family may ask
    for a hearing; either way the written notice is issued. One ledger entry for the
    decision, one per record write.
    """
    require_privacy_office(user)
    amendment = AmendmentRequest.objects.select_for_update().get(pk=item.request_id)
    if amendment.status != Status.OPEN:
        raise ValidationError(_("This request is not waiting for a decision."))
    if Decision.objects.filter(item=item, stage=Stage.INITIAL).exists():
        raise ValidationError(_("This item has been decided already."))
    item.request = amendment
    decision = carry_out(item, ruling, Stage.INITIAL, user, request)
    ledger.record(
        action=Action.CREATE,
        **ledger.actor_of(user),
        **ledger.request_context(request),
        students=[amendment.student_id],
        scopes=[item.scope],
        purpose=PURPOSE_DECISION,
        detail={
            "amendment_request": amendment.pk,
            "amendment_item": item.pk,
            "outcome": decision.outcome,
        },
        at=decision.decided_at,
    )
    _close_if_decided(amendment, user, request)
    return decision


def _close_if_decided(amendment: AmendmentRequest, user: Any, request: HttpRequest | None) -> None:
    all_items = list(amendment.items.order_by("position"))
    decided = {
        d.item_id: d for d in Decision.objects.filter(item__request=amendment, stage=Stage.INITIAL)
    }
    if len(decided) < len(all_items):
        return
    now = timezone.now()
    refused = any(d.outcome == Outcome.REFUSE for d in decided.values())
    amendment.decided_at = now
    amendment.status = Status.DECIDED if refused else Status.CLOSED
    amendment.closed_at = None if refused else now
    amendment.save(update_fields=["decided_at", "status", "closed_at"])
    letters.issue(
        amendment,
        LetterKind.DECISION,
        user,
        {
            "rows": [(i, decided[i.pk]) for i in all_items],
            "refused": refused,
            "hearing_days": policy.days("STEWARD_HEARING_WITHIN_DAYS"),
            "notice_days": policy.notice_days(),
            "decided_by": name_of(user),
        },
    )
