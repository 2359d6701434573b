"""The privacy office's work on a request: assign, start, schedule the meeting (R26), refuse
with reasons, record the mailing of the R18 letter; the requester's withdrawal; and the
reminders of the daily sweep. Each in one transaction with its history step and ledger entry.
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

from steward.audit import ledger
from steward.audit.models import Action
from steward.requests import notify
from steward.requests.actions.base import (
    CUSTODIAN_INTEREST,
    HANDLED_PURPOSE,
    REMINDER_PURPOSE,
    is_office,
    log,
    now_or,
    require_office,
    require_open,
    save,
    step,
)
from steward.requests.eligibility import is_requester
from steward.requests.models import (
    MEETING_KINDS,
    AccessRequest,
    CustodialNotice,
    RequestReminder,
    Status,
    Step,
)
from steward.roster.models import Student


@transaction.atomic
def do_assign_request(
    req: AccessRequest,
    assignee: Any,
    by: Any,
    *,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> AccessRequest:
    """Give the open request to `assignee`, who must be in the privacy office."""
    require_office(by)
    require_open(req)
    if not is_office(assignee) or not assignee.is_active:
        raise ValidationError(
            {"assignee": _("Assign the request to someone in the privacy office.")}
        )
    moment = now_or(now)
    req.assignee = assignee
    save(req, moment, "assignee")
    name = assignee.get_full_name() or assignee.get_username()
    step(req, Step.ASSIGNED, by, moment, note=name)
    log(req, Action.CHANGE, by, request, HANDLED_PURPOSE, moment, detail={"assigned_to": name})
    return req


@transaction.atomic
def do_start_request(
    req: AccessRequest,
    by: Any,
    *,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> AccessRequest:
    """Received → in progress; the request is assigned to `by` if nobody has it yet."""
    require_office(by)
    if req.status != Status.RECEIVED:
        raise ValidationError(_("Only a request just received can be started."), code="status")
    moment = now_or(now)
    req.status = Status.IN_PROGRESS
    fields = ["status"]
    if req.assignee_id is None:
        req.assignee = by
        fields.append("assignee")
    save(req, moment, *fields)
    step(req, Step.STARTED, by, moment)
    log(req, Action.CHANGE, by, request, HANDLED_PURPOSE, moment, detail={"status": req.status})
    return req


def _begin(req: AccessRequest, by: Any) -> list[str]:
    """Move a received request to in progress as a side effect of working on it."""
    if req.status == Status.RECEIVED:
        req.status = Status.IN_PROGRESS
        fields = ["status"]
        if req.assignee_id is None:
            req.assignee = by
            fields.append("assignee")
        return fields
    return []


@transaction.atomic
def do_schedule_meeting(
    req: AccessRequest,
    by: Any,
    *,
    when: dt.datetime,
    place: str,
    with_whom: str,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> AccessRequest:
    """Set when, where and with whom the record is inspected, explained or discussed (R26,
    R31). Rescheduling sets new values; the history keeps every one."""
    require_office(by)
    require_open(req)
    if req.kind not in MEETING_KINDS:
        raise ValidationError(_("This request is answered with a copy, not a meeting."))
    errors = {}
    if timezone.is_naive(when):
        raise ValueError("meeting times must be aware")
    if not place.strip():
        errors["place"] = _("Say where the meeting takes place.")
    if not with_whom.strip():
        errors["with_whom"] = _("Name the qualified staff member who will meet the family.")
    if errors:
        raise ValidationError(errors)
    moment = now_or(now)
    req.meeting_at, req.meeting_place, req.meeting_with = when, place.strip(), with_whom.strip()
    fields = ["meeting_at", "meeting_place", "meeting_with", *_begin(req, by)]
    save(req, moment, *fields)
    detail = {"meeting_at": when.isoformat(), "place": req.meeting_place, "with": req.meeting_with}
    step(req, Step.MEETING_SCHEDULED, by, moment, detail=detail)
    log(req, Action.CHANGE, by, request, HANDLED_PURPOSE, moment, detail=detail)
    transaction.on_commit(lambda: notify.requester_update(req.pk, "meeting"))
    return req


@transaction.atomic
def do_refuse_request(
    req: AccessRequest,
    by: Any,
    reasons: str,
    *,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> AccessRequest:
    """Close the request as refused, with the reasons the requester will read (e.g. a court
    order now restricts their access, R17)."""
    require_office(by)
    require_open(req)
    if not reasons.strip():
        raise ValidationError({"reasons": _("Give the reasons for the refusal.")})
    moment = now_or(now)
    req.status, req.refusal_reason, req.closed_at = Status.REFUSED, reasons.strip(), moment
    save(req, moment, "status", "refusal_reason", "closed_at")
    step(req, Step.REFUSED, by, moment, note=req.refusal_reason)
    log(req, Action.CHANGE, by, request, HANDLED_PURPOSE, moment, detail={"status": req.status})
    transaction.on_commit(lambda: notify.requester_update(req.pk, "refused"))
    return req


@transaction.atomic
def do_withdraw_request(
    req: AccessRequest,
    by: Any,
    note: str = "",
    *,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> AccessRequest:
    """The requester withdraws their request (in the portal), or the office records that they
    did (with a note saying how)."""
    if not is_requester(req, by):
        require_office(by)
        if not note.strip():
            raise ValidationError({"note": _("Say how the requester withdrew the request.")})
    require_open(req)
    moment = now_or(now)
    req.status, req.closed_at = Status.WITHDRAWN, moment
    save(req, moment, "status", "closed_at")
    step(req, Step.WITHDRAWN, by, moment, note=note.strip())
    log(req, Action.CHANGE, by, request, HANDLED_PURPOSE, moment, detail={"status": req.status})
    return req


@transaction.atomic
def do_mark_notice_mailed(
    notice: CustodialNotice,
    by: Any,
    *,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> CustodialNotice:
    """Record that the R18 letter went by certified and first-class mail."""
    require_office(by)
    if notice.mailed_at is not None:
        raise ValidationError(_("This letter is already recorded as mailed."), code="mailed")
    moment = now_or(now)
    notice.mailed_at, notice.mailed_by = moment, by
    notice.save(update_fields=["mailed_at", "mailed_by"])
    req = notice.request
    step(req, Step.NOTICE_MAILED, by, moment, detail={"guardian": notice.guardian.sourced_id})
    log(
        req,
        Action.CHANGE,
        by,
        request,
        HANDLED_PURPOSE,
        moment,
        detail={"notice_mailed": notice.pk},
    )
    return notice


@transaction.atomic
def record_reminder(
    req: AccessRequest, kind: str, recipients: Iterable[str], *, now: dt.datetime | None = None
) -> RequestReminder | None:
    """Record that reminder `kind` about `req` went to `recipients` (the daily sweep); None
    when it had been recorded already, so no reminder is ever sent twice.

    The ledger entry names no student: a reminder reads and changes nothing in the record.
    """
    if RequestReminder.objects.filter(request=req, kind=kind).exists():
        return None
    moment = now_or(now)
    sent_to = sorted(set(recipients))
    if not sent_to:
        raise ValueError("a reminder needs at least one recipient")
    reminder = RequestReminder.objects.create(
        request=req, kind=kind, sent_at=moment, recipients="\n".join(sent_to)
    )
    escalation = kind.startswith("overdue") or kind.startswith("ferpa")
    step(req, Step.ESCALATED if escalation else Step.REMINDED, None, moment, note=kind)
    ledger.record(
        action=Action.CREATE,
        purpose=REMINDER_PURPOSE,
        detail={"access_request": req.pk, "reminder": kind, "recipients": len(sent_to)},
        at=moment,
    )
    return reminder


LOOKUP_PURPOSE = (
    "privacy office finding a student and their rights holders to enter a request (R33)"
)


@transaction.atomic
def do_record_lookup(student: Student, by: Any, *, request: HttpRequest | None = None) -> None:
    """Log the office's look-up of a student and their parents for a paper request: it shows
    the student's name and number and the parents' names (a directory and guardian read)."""
    require_office(by)
    ledger.record(
        action=Action.READ,
        **ledger.actor_of(by),
        **ledger.request_context(request),
        students=[student.pk],
        scopes=["directory", "guardian_contact"],
        purpose=LOOKUP_PURPOSE,
        legitimate_interest=CUSTODIAN_INTEREST,
    )
