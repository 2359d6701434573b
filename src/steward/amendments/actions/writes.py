"""The narrow record writes an amendment needs, each with its ledger entry (R34, R35).

Neither the roster nor the records app has a write action for single fields (the roster is
written by its importer, the records by their generator), so an amendment writes through
these two functions and nowhere else: `amend_field` changes one catalogued field of one row,
`delete_row` deletes one row Steward keeps itself (603 CMR 23.08(2)). They run inside the
caller's transaction (the deciding action's) and write one ledger entry each, naming the
element and the row but never the values: the values stay in the amendment's `Decision`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from steward.amendments import items
from steward.amendments.actions.common import PURPOSE_AMEND
from steward.audit import ledger
from steward.audit.models import Action


def amend_field(
    obj: models.Model,
    element_key: str,
    text: str,
    *,
    student_id: int,
    user: Any,
    request: HttpRequest | None,
    detail: dict[str, Any],
) -> tuple[str, str]:
    """Write `text` (parsed to the field's type) into `element_key` of row `obj`; returns
    the value before and after as a person reads them. ValidationError when the element is
    not writable, the value does not fit, or the change would break a uniqueness rule."""
    element = items.ELEMENT_BY_KEY.get(element_key)
    if element is None or element.model != items.label_of(obj) or not items.writable(element):
        raise ValidationError(_("This item cannot be changed in Steward."))
    before = items.display(obj, element.field)
    value = items.parse(obj, element, text)
    setattr(obj, element.field, value)
    try:
        with transaction.atomic():
            obj.save(update_fields=[element.field])
    except IntegrityError as error:
        raise ValidationError(
            _("%(field)s: the record already holds an entry with this value.")
            % {"field": element.label}
        ) from error
    ledger.record(
        action=Action.CHANGE,
        **ledger.actor_of(user),
        **ledger.request_context(request),
        students=[student_id],
        scopes=[element.scope],
        purpose=PURPOSE_AMEND,
        detail={**detail, "element": element.key, "row": obj.pk},
    )
    return before, items.display(obj, element.field)


def delete_row(
    obj: models.Model,
    *,
    scope: str,
    student_id: int,
    user: Any,
    request: HttpRequest | None,
    detail: dict[str, Any],
) -> str:
    """Delete row `obj` (a record part Steward keeps); returns the row as it read before."""
    model = items.label_of(obj)
    if not items.deletable(model):
        raise ValidationError(
            _("This entry comes from the student information system: correct it there.")
        )
    before = items.summary(obj)
    row_id = obj.pk
    obj.delete()
    ledger.record(
        action=Action.DELETE,
        **ledger.actor_of(user),
        **ledger.request_context(request),
        students=[student_id],
        scopes=[scope],
        purpose=PURPOSE_AMEND,
        detail={**detail, "model": model, "row": row_id},
    )
    return before
