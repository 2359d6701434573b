"""What every request action shares: who counts as the privacy office, the history step and
the ledger entry written in the same transaction (design.md §3 rule 2, R32)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.accounts.selectors import is_privacy_office
from steward.audit import ledger
from steward.audit.models import Entry
from steward.requests.models import AccessRequest, RequestStep

RECEIVED_PURPOSE = "access request received (R24, R25, R32)"
HANDLED_PURPOSE = "access request handled (R24-R33)"
COPY_PURPOSE = "complete copy prepared for an access request (R25, R27, R30, R32)"
RELEASE_PURPOSE = "copy furnished under an access request (R27, R28, R32)"
THIRD_PARTY_PURPOSE = "record inspected by a third party with written consent (R31, R63)"
DOWNLOAD_PURPOSE = "copy of the record downloaded (R32)"
REMINDER_PURPOSE = "access request reminder or escalation (R24, R25)"
CUSTODIAN_INTEREST = "records custodian answering an access request (R61(2))"


is_office = is_privacy_office  # the privacy office: a privacy-officer login, or a superuser


def require_office(user: Any) -> None:
    if not is_office(user):
        raise PermissionDenied("only the privacy office handles access requests")


def require_open(req: AccessRequest) -> None:
    if not req.is_open:
        raise ValidationError(
            _("Request #%(id)s is already %(status)s."),
            code="closed",
            params={"id": req.pk, "status": req.get_status_display()},
        )


def step(
    req: AccessRequest,
    kind: str,
    by: Any,
    at: dt.datetime,
    note: str = "",
    detail: dict[str, Any] | None = None,
) -> RequestStep:
    user = by if getattr(by, "is_authenticated", False) else None
    return RequestStep.objects.create(
        request=req, step=kind, at=at, by=user, note=note, detail=detail or {}
    )


def log(
    req: AccessRequest,
    action: str,
    by: Any,
    request: HttpRequest | None,
    purpose: str,
    at: dt.datetime,
    *,
    scopes: Iterable[str] = (),
    interest: str = "",
    release: ledger.Release | None = None,
    detail: dict[str, Any] | None = None,
) -> Entry:
    """The request's ledger entry, naming its student (the family reads it in their log)."""
    return ledger.record(
        action=action,
        **ledger.actor_of(by),
        **ledger.request_context(request),
        students=[req.student_id],
        scopes=list(scopes),
        purpose=purpose,
        legitimate_interest=interest,
        release=release,
        detail={"access_request": req.pk, "kind": req.kind, **(detail or {})},
        at=at,
    )


def save(req: AccessRequest, at: dt.datetime, *fields: str) -> None:
    req.updated_at = at
    req.save(update_fields=[*fields, "updated_at"])


def now_or(at: dt.datetime | None) -> dt.datetime:
    moment = at if at is not None else timezone.now()
    if timezone.is_naive(moment):
        raise ValueError("request actions need aware datetimes")
    return moment
