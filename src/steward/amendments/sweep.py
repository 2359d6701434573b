"""The daily amendment sweep: `run(today)` reminds the privacy office of decisions and
hearings that are due soon or overdue (R34, R36). The task runner calls it every day.

For each request the district still owes something, one deadline counts:

- awaiting its decision: the decision's `due_on` (`STEWARD_AMENDMENT_DECISION_DAYS`);
- hearing requested, not scheduled: the hearing's `due_on` (`STEWARD_HEARING_WITHIN_DAYS`);
- hearing scheduled and its day passed, no decision: that day plus
  `STEWARD_HEARING_DECISION_DAYS`.

A reminder goes once when the deadline is `STEWARD_AMENDMENT_REMIND_DAYS` away or nearer, and
once more when it has passed. The e-mail goes to every active privacy-officer login; a
reminder is recorded only after its e-mail was sent, so a failure is retried the next day and
running the sweep twice sends nothing twice.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from steward.amendments import policy
from steward.amendments.actions.reminders import do_record_reminder
from steward.amendments.models import (
    OPEN_STATUSES,
    AmendmentRequest,
    Reminder,
    ReminderKind,
    Status,
)
from steward.vendors.sweep import office_addresses

# (soon, overdue) reminder kinds per deadline.
KINDS: dict[str, tuple[str, str]] = {
    "decision": (ReminderKind.DECISION_SOON, ReminderKind.DECISION_OVERDUE),
    "hearing": (ReminderKind.HEARING_SOON, ReminderKind.HEARING_OVERDUE),
    "hearing_decision": (
        ReminderKind.HEARING_DECISION_SOON,
        ReminderKind.HEARING_DECISION_OVERDUE,
    ),
}


def deadline(amendment: AmendmentRequest, today: dt.date) -> tuple[str, dt.date] | None:
    """What the district owes on `amendment` next and by when, as of `today`: "decision",
    "hearing" (to be scheduled and held), "scheduled" (the hearing's own day, still to come)
    or "hearing_decision"; None when it owes nothing. Reads `hearing` and its `schedules`:
    select and prefetch them for a list."""
    if amendment.status == Status.OPEN:
        return "decision", amendment.due_on
    hearing = getattr(amendment, "hearing", None)
    if hearing is None or hearing.decided_at is not None:
        return None
    if amendment.status == Status.HEARING_REQUESTED:
        return "hearing", hearing.due_on
    schedules = sorted(hearing.schedules.all(), key=lambda s: (s.scheduled_at, s.pk))
    if amendment.status != Status.HEARING_SCHEDULED or not schedules:
        return None
    day = timezone.localdate(schedules[-1].starts_at)
    if day >= today:
        return "scheduled", day
    return "hearing_decision", policy.hearing_decision_due(day)


def open_requests() -> QuerySet[AmendmentRequest]:
    """Requests the district still owes something on, with what `deadline` reads."""
    return (
        AmendmentRequest.objects.filter(status__in=OPEN_STATUSES)
        .select_related("student", "hearing")
        .prefetch_related("hearing__schedules")
        .order_by("due_on", "pk")
    )


def due_reminders(today: dt.date) -> list[tuple[AmendmentRequest, str, dt.date]]:
    """The reminders due on `today` and not yet sent. Three queries."""
    soon = today + dt.timedelta(days=policy.remind_days())
    sent = set(
        Reminder.objects.filter(request__status__in=OPEN_STATUSES).values_list("request_id", "kind")
    )
    due = []
    for amendment in open_requests():
        found = deadline(amendment, today)
        if found is None or found[0] not in KINDS:
            continue
        what, day = found
        soon_kind, overdue_kind = KINDS[what]
        kind = overdue_kind if day < today else soon_kind if day <= soon else None
        if kind is not None and (amendment.pk, kind) not in sent:
            due.append((amendment, kind, day))
    return due


def run(today: dt.date) -> list[str]:
    """Send and record today's reminders; returns one line per reminder or failure."""
    lines: list[str] = []
    due = due_reminders(today)
    if not due:
        return lines
    office = office_addresses()
    if not office:
        return [f"amendment request #{a.pk}: {k}: no privacy-office address" for a, k, _ in due]
    connection = get_connection()
    base = settings.STEWARD_PUBLIC_URL.rstrip("/")
    for amendment, kind, day in due:
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Amendment request #%(number)d: %(what)s") % {
                "number": amendment.pk,
                "what": ReminderKind(kind).label,
            }
            body = render_to_string(
                "amendments/reminder_email.txt",
                {
                    "amendment": amendment,
                    "kind": ReminderKind(kind).label,
                    "due_on": day,
                    "overdue": day < today,
                    "link": base + reverse("amendments-office-case", args=[amendment.pk]),
                },
            )
        try:
            send_mail(subject, body, None, office, connection=connection)
        except OSError as error:  # smtplib's errors: retried by the next sweep
            lines.append(f"amendment request #{amendment.pk}: {kind}: e-mail failed: {error}")
            continue
        if do_record_reminder(amendment, kind, day, office) is not None:
            lines.append(f"amendment request #{amendment.pk}: {kind} (due {day.isoformat()})")
    return lines
