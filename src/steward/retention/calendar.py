"""The retention calendar for the privacy office: what is due, what is coming, what waits.

`calendar(today, horizon)` gathers, in a fixed number of queries whatever the district's size:
destructions due and their blockers, destructions coming within the horizon (one line per
student, date and Massachusetts part), vendor disposition dates from the agreements (R80,
R110), exit notices to send and to confirm (R102), and the legal holds in force (R104).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from steward.catalog.elements import SCOPE_BY_KEY
from steward.retention import blockers as blocking
from steward.retention.models import ExitNotice, Item, LegalHold
from steward.roster.models import Student
from steward.vendors.models import Agreement, AgreementStatus

DISPOSITION_STATUSES = (AgreementStatus.DISPOSITION_PENDING, AgreementStatus.DISPOSITION_OVERDUE)


@dataclass
class Destruction:
    """One student's items destroyable on one day, of one Massachusetts part."""

    day: dt.date
    student: Student
    ma_part: str
    parts: list[str] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)

    @property
    def blocker_labels(self) -> list[str]:
        return [str(blocking.LABELS[code]) for code in self.blockers]


@dataclass
class Entry:
    """A line of the calendar: a destruction or a vendor's disposition, by date."""

    day: dt.date
    destruction: Destruction | None = None
    agreement: Agreement | None = None


@dataclass
class Calendar:
    today: dt.date
    horizon: dt.date
    entries: list[Entry]
    due: list[Destruction]
    notices_to_send: list[ExitNotice]
    notices_to_confirm: list[ExitNotice]
    holds: list[LegalHold]


def _destructions(items: list[Item]) -> list[Destruction]:
    grouped: dict[tuple[dt.date, int, str], Destruction] = {}
    for item in items:
        key = (item.destroy_on, item.student_id, item.ma_part)
        if key not in grouped:
            grouped[key] = Destruction(item.destroy_on, item.student, item.ma_part)
        grouped[key].parts.append(str(SCOPE_BY_KEY[item.scope].label))
    return sorted(grouped.values(), key=lambda d: (d.day, d.student.family_name, d.student.pk))


def calendar(today: dt.date, horizon_days: int) -> Calendar:
    """The calendar from `today` to `horizon_days` ahead. Nine queries, plus those of the
    requests and amendments selectors."""
    horizon = today + dt.timedelta(days=horizon_days)
    pending = (
        Item.objects.filter(destroyed_at__isnull=True, exit__cancelled_at__isnull=True)
        .filter(destroy_on__lte=horizon)
        .select_related("student")
        .order_by("destroy_on", "student_id", "pk")
    )
    items = list(pending)
    due_items = [item for item in items if item.destroy_on <= today]
    exits = {item.student_id: item.exit_id for item in due_items}
    blocked = blocking.blockers(exits, today) if exits else {}
    due = _destructions(due_items)
    for destruction in due:
        destruction.blockers = blocked.get(destruction.student.pk, [])
    coming = _destructions([item for item in items if item.destroy_on > today])
    agreements = list(
        Agreement.objects.filter(status__in=DISPOSITION_STATUSES, external=False)
        .filter(Q(disposition_due__lte=horizon) | Q(disposition_due__isnull=True))
        .select_related("vendor")
        .order_by("disposition_due", "pk")
    )
    entries = [Entry(d.day, destruction=d) for d in coming] + [
        Entry(a.disposition_due or today, agreement=a) for a in agreements
    ]
    entries.sort(key=lambda e: e.day)
    notices = list(
        ExitNotice.objects.filter(delivered_at__isnull=True, exit__cancelled_at__isnull=True)
        .select_related("student")
        .order_by("generated_at", "pk")
    )
    holds = list(
        LegalHold.objects.filter(released_at__isnull=True)
        .select_related("student", "placed_by")
        .order_by("placed_at", "pk")
    )
    by_state: dict[bool, list[ExitNotice]] = defaultdict(list)
    for notice in notices:
        by_state[notice.sent_at is not None].append(notice)
    return Calendar(
        today=today,
        horizon=horizon,
        entries=entries,
        due=due,
        notices_to_send=by_state[False],
        notices_to_confirm=by_state[True],
        holds=holds,
    )
