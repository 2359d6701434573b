"""Writes for stewardship (design.md §3 rule 2): each action adds one history row and its
ledger entry in the same transaction, so neither exists without the other."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit import ledger
from steward.audit.models import Action
from steward.roster.models import Org, Staff
from steward.stewardship import attestation, rules, selectors
from steward.stewardship.models import RecordsCustodian, TrainingAttestation

TRAINING_PURPOSE = "annual staff privacy training attestation (R44, R138)"
CUSTODIAN_PURPOSE = "records custodian named for a school (603 CMR 23.05, R44)"


@transaction.atomic
def do_confirm_training(
    user: AbstractBaseUser, text: str, request: HttpRequest | None = None
) -> TrainingAttestation:
    """Record that `user` confirmed the annual privacy training with the words `text` (R138).

    `text` is exactly what the person was shown; it is stored with its SHA-256 and the
    training period of the moment of confirmation. The caller makes sure the confirmation
    was an explicit act (the page's checkbox). Raises PermissionDenied for a user who has no
    record access (`rules.is_required`), ValidationError for an empty text. Each call adds a
    row, even within a period already confirmed: history is never rewritten.
    """
    if not rules.is_required(user):
        raise PermissionDenied("only staff with record access confirm the privacy training")
    if not text.strip():
        raise ValidationError(_("The attestation text is empty."))
    context = ledger.request_context(request)
    now = timezone.now()
    made = TrainingAttestation.objects.create(
        user_id=user.pk,
        period=rules.training_period(now).label,
        text=text,
        text_sha256=attestation.sha256(text),
        confirmed_at=now,
        client_ip=context["client_ip"],
    )
    ledger.record(
        action=Action.CREATE,
        **ledger.actor_of(user),
        **context,
        purpose=TRAINING_PURPOSE,
        detail={
            "training_attestation": made.pk,
            "period": made.period,
            "text_sha256": made.text_sha256,
        },
        at=now,
    )
    return made


@transaction.atomic
def do_name_records_custodian(
    school: Org, staff: Staff, by_user: Any, request: HttpRequest | None = None
) -> RecordsCustodian:
    """Name `staff` records custodian of `school` from now on (603 CMR 23.05, R44).

    The school must be an active school and `staff` must hold a position there today.
    Naming the current custodian again changes nothing and writes no entry; otherwise a new
    row is added (the previous custodian stays in the history) with its ledger entry.
    Raises ValidationError when the school or the staff member does not qualify.
    """
    if school.type != Org.Type.SCHOOL or not school.active:
        raise ValidationError(_("Only an active school has a records custodian."))
    now = timezone.now()
    if not selectors.works_at(staff, school, timezone.localdate(now)):
        raise ValidationError(
            _("%(name)s holds no current position at %(school)s."),
            params={"name": staff.display_name, "school": school.name},
        )
    previous = selectors.current_custodian(school)
    if previous is not None and previous.staff_id == staff.pk:
        return previous
    named = RecordsCustodian.objects.create(
        school=school,
        staff=staff,
        named_at=now,
        named_by=by_user if getattr(by_user, "is_authenticated", False) else None,
    )
    ledger.record(
        action=Action.CHANGE,
        **ledger.actor_of(by_user),
        **ledger.request_context(request),
        purpose=CUSTODIAN_PURPOSE,
        detail={
            "records_custodian": named.pk,
            "school": school.sourced_id,
            "school_name": school.name,
            "staff": staff.sourced_id,
            "staff_name": staff.display_name,
            "previous_staff": previous.staff.sourced_id if previous is not None else "",
        },
        at=now,
    )
    return named
