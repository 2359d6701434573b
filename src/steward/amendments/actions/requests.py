"""A rights holder's request to amend the record, and its withdrawal (R34, R37)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from steward.amendments import items, policy
from steward.amendments.actions.common import PURPOSE_REQUEST, PURPOSE_WITHDRAW, requester
from steward.amendments.models import (
    OPEN_STATUSES,
    AmendmentRequest,
    Ground,
    Item,
    ItemKind,
    Status,
)
from steward.audit import ledger
from steward.audit.models import Action
from steward.catalog.elements import SCOPE_KEYS
from steward.roster.models import Student

MAX_ITEMS = 20
MAX_TEXT = 4000


@dataclass(frozen=True)
class Ask:
    """One item as the family asks it: a picked `items.Option` (None for "something else",
    then `scope` names the record part), the ground, what is wrong and what should change."""

    option: items.Option | None
    scope: str
    ground: str
    problem: str
    requested_change: str


def _item(student: Student, position: int, ask: Ask) -> Item:
    """The item to store, with what the record says now read from the row itself (the form's
    labels are not trusted); ValidationError when the item cannot be asked for."""
    errors = []
    if ask.ground not in Ground.values:
        errors.append(_("Item %(n)d: choose why the information is wrong.") % {"n": position})
    if not ask.problem.strip():
        errors.append(_("Item %(n)d: say what is wrong.") % {"n": position})
    if len(ask.problem) > MAX_TEXT or len(ask.requested_change) > MAX_TEXT:
        errors.append(_("Item %(n)d: the text is too long.") % {"n": position})
    option = ask.option
    if option is None:
        if ask.scope not in SCOPE_KEYS:
            errors.append(_("Item %(n)d: choose the part of the record.") % {"n": position})
        if not ask.requested_change.strip():
            errors.append(_("Item %(n)d: describe the change you ask for.") % {"n": position})
        if errors:
            raise ValidationError(errors)
        return Item(
            position=position,
            kind=ItemKind.OTHER,
            scope=ask.scope,
            ground=ask.ground,
            problem=ask.problem.strip(),
            requested_change=ask.requested_change.strip(),
        )
    obj = items.row_for(option.model, option.row_id, student.pk)
    if obj is None:
        errors.append(_("Item %(n)d: this entry is no longer in the record.") % {"n": position})
    elif items.evaluation_team_pending(obj):
        # R37, 603 CMR 23.08(2): the Team process, not an amendment request, governs it.
        errors.append(
            _(
                "Item %(n)d: this is information of an IEP that has not been accepted yet. "
                "Under 603 CMR 23.08(2) it can be amended only once the plan is accepted or "
                "appeals are complete; you may add your comments to the record now."
            )
            % {"n": position}
        )
    if option.kind == ItemKind.CORRECT and not ask.requested_change.strip():
        errors.append(_("Item %(n)d: say what the record should say.") % {"n": position})
    if option.kind == ItemKind.DELETE and not items.deletable(option.model):
        errors.append(_("Item %(n)d: this entry cannot be deleted.") % {"n": position})
    element = items.ELEMENT_BY_KEY.get(option.element_key)
    if option.kind == ItemKind.CORRECT and (element is None or not items.writable(element)):
        errors.append(_("Item %(n)d: this information cannot be chosen.") % {"n": position})
    if errors:
        raise ValidationError(errors)
    assert obj is not None
    current = (
        items.display(obj, element.field)
        if option.kind == ItemKind.CORRECT and element is not None
        else items.summary(obj)
    )
    return Item(
        position=position,
        kind=option.kind,
        scope=option.scope,
        element_key=option.element_key,
        model=option.model,
        row_id=option.row_id,
        row_label=items.row_label(obj),
        field_label=str(element.label) if element is not None and option.element_key else "",
        value_at_request=current,
        ground=ask.ground,
        problem=ask.problem.strip(),
        requested_change=ask.requested_change.strip() or _("Delete this entry."),
    )


def _already_open(student: Student, made: list[Item]) -> list[str]:
    """Items another open request of this student already contests."""
    keys = {(i.kind, i.element_key, i.model, i.row_id) for i in made if i.kind != ItemKind.OTHER}
    if not keys:
        return []
    taken = {
        (kind, element, model, row): label
        for kind, element, model, row, label in Item.objects.filter(
            request__student=student, request__status__in=OPEN_STATUSES
        ).values_list("kind", "element_key", "model", "row_id", "row_label")
    }
    return [
        _("%(row)s is already part of an open request.") % {"row": taken[key]}
        for key in sorted(keys & set(taken), key=str)
    ]


@transaction.atomic
def do_request_amendment(
    student: Student, user: Any, asks: Sequence[Ask], request: HttpRequest | None = None
) -> AmendmentRequest:
    """Record `user`'s request to amend the items `asks` of `student`'s record (R34, R37).

    `user` must hold the amend right today (a parent, or the student from 14 / grade 9 in
    Massachusetts: `steward.rights`), else PermissionDenied. Each item is checked against the
    record as it is now (its row must still exist; a proposed IEP is excluded, 603 CMR
    23.08(2)); an item already contested by an open request is refused. The decision is due
    `STEWARD_AMENDMENT_DECISION_DAYS` after today. One ledger entry; nothing is written when
    any item is refused.
    """
    who = requester(user, student)
    if not asks:
        raise ValidationError(_("Name at least one item of the record to amend."))
    if len(asks) > MAX_ITEMS:
        raise ValidationError(
            _("A request may name at most %(max)d items; send the others in a second request.")
            % {"max": MAX_ITEMS}
        )
    made: list[Item] = []
    errors: list[str] = []
    for position, ask in enumerate(asks, start=1):
        try:
            made.append(_item(student, position, ask))
        except ValidationError as error:
            errors.extend(error.messages)
    seen = [(i.kind, i.element_key, i.model, i.row_id) for i in made if i.kind != ItemKind.OTHER]
    if len(seen) != len(set(seen)):
        errors.append(_("The same item is named twice."))
    errors.extend(_already_open(student, made))
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    amendment = AmendmentRequest.objects.create(
        student=student,
        requester_kind=who.kind,
        requester_guardian=who.guardian,
        requester_name=who.name,
        submitted_by=user,
        language=translation.get_language() or "en",
        received_at=now,
        due_on=policy.decision_due(timezone.localdate(now)),
    )
    for item in made:
        item.request = amendment
    Item.objects.bulk_create(made)
    ledger.record(
        action=Action.CREATE,
        **ledger.actor_of(user),
        **ledger.request_context(request),
        students=[student.pk],
        scopes=sorted({i.scope for i in made}),
        purpose=PURPOSE_REQUEST,
        detail={
            "amendment_request": amendment.pk,
            "items": [
                {"kind": i.kind, "element": i.element_key, "model": i.model, "row": i.row_id}
                for i in made
            ],
            "due_on": amendment.due_on.isoformat(),
        },
        at=now,
    )
    return amendment


@transaction.atomic
def do_withdraw_amendment_request(
    amendment: AmendmentRequest, user: Any, request: HttpRequest | None = None
) -> AmendmentRequest:
    """The family withdraws a request the district has not finished (awaiting its decision,
    or a hearing not yet held). Decisions already taken stay; nothing more is owed."""
    amendment = AmendmentRequest.objects.select_for_update().get(pk=amendment.pk)
    requester(user, amendment.student)
    if amendment.status not in OPEN_STATUSES:
        raise ValidationError(_("This request is no longer open: it cannot be withdrawn."))
    now = timezone.now()
    amendment.status = Status.WITHDRAWN
    amendment.withdrawn_at = now
    amendment.save(update_fields=["status", "withdrawn_at"])
    ledger.record(
        action=Action.CHANGE,
        **ledger.actor_of(user),
        **ledger.request_context(request),
        students=[amendment.student_id],
        purpose=PURPOSE_WITHDRAW,
        detail={"amendment_request": amendment.pk},
        at=now,
    )
    return amendment
