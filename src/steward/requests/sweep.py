"""The daily request sweep: reminders before the due date and escalation when late (R24, R25).

`run(today)` looks at every open request:

- before the due date, a reminder at each of `policy.reminder_days()` days before it (5 and 3
  by default), to the assignee and the privacy office; the last one (3 days before, day 7 of
  the 10-day clock: R25's escalation point) also to the district records custodian. A sweep
  that missed days sends only the reminder for the nearest point not yet passed, never stale
  ones;
- once the due date has passed, an escalation ("overdue") to the office, the records
  custodian and the assignee; once FERPA's 45 days have passed too, a second one
  ("ferpa_overdue").

Each reminder is recorded (`actions.record_reminder`, one per request and kind), so running the
sweep twice on a day, or every hour, sends nothing twice. A reminder whose e-mail fails or that
has no one to go to is not recorded: the next sweep tries again and the report says so.
The task runner calls `run` daily; it takes `today` so tests control the clock.
"""

from __future__ import annotations

import datetime as dt

from steward.requests import notify, policy
from steward.requests.actions import record_reminder
from steward.requests.models import OPEN_STATUSES, AccessRequest, RequestReminder
from steward.vendors.sweep import office_addresses

OVERDUE = "overdue"
FERPA_OVERDUE = "ferpa_overdue"


def before(days: int) -> str:
    return f"before_{days}"


def due_kinds(req: AccessRequest, today: dt.date) -> list[str]:
    """The reminders and escalations due for `req` on `today` (sent or not)."""
    days_left = (req.due_on - today).days
    if days_left < 0:
        kinds = [OVERDUE]
        if today > req.ceiling_on and req.ceiling_on > req.due_on:
            kinds.append(FERPA_OVERDUE)
        return kinds
    points = [d for d in policy.reminder_days() if d >= days_left]
    return [before(min(points))] if points else []


def _recipients(req: AccessRequest, kind: str, office: list[str]) -> list[str]:
    to = list(office)
    assignee = req.assignee
    if assignee is not None and assignee.email:
        to.append(assignee.email)
    points = policy.reminder_days()
    if kind in (OVERDUE, FERPA_OVERDUE) or (points and kind == before(points[-1])):
        to += policy.custodian_emails()
    return sorted(set(to))


def run(today: dt.date) -> list[str]:
    """Send what is due on `today`; a report of lines for the task log."""
    requests = list(
        AccessRequest.objects.filter(status__in=OPEN_STATUSES)
        .select_related("assignee")
        .order_by("due_on", "pk")
    )
    due = [(req, kind) for req in requests for kind in due_kinds(req, today)]
    sent = set(
        RequestReminder.objects.filter(request__in=[r.pk for r, _k in due]).values_list(
            "request_id", "kind"
        )
    )
    due = [(req, kind) for req, kind in due if (req.pk, kind) not in sent]
    lines = [f"Access request sweep for {today.isoformat()}: {len(requests)} open"]
    if not due:
        return [*lines, "  reminders sent: 0"]
    office = office_addresses()
    done: list[str] = []
    errors: list[str] = []
    for req, kind in due:
        to = _recipients(req, kind, office)
        if not to:
            errors.append(f"  error, request {req.pk}: no one to send {kind} to")
            continue
        try:
            notify.reminder(req, kind, today, to)
        except OSError as error:  # smtplib's errors: retried by the next sweep
            errors.append(f"  error, request {req.pk}: e-mail failed: {error}")
            continue
        if record_reminder(req, kind, to) is not None:
            done.append(f"    request {req.pk}: {kind}")
    return [*lines, f"  reminders sent: {len(done)}", *done, *errors]
