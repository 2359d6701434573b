"""The request clock as district configuration with lawful defaults (design.md §3 rule 3).

- `STEWARD_MA_ACCESS_DAYS` (default 10): Massachusetts, access "within ten days" of the
  request, counted in calendar days (603 CMR 23.07(2), R25; the [VERIFY] on calendar or school
  days is settled for the stricter reading). It can never exceed FERPA's 45 days (99.10(b),
  R24): a larger setting is cut to 45.
- `STEWARD_REQUEST_REMINDER_DAYS` (default (5, 3)): reminders this many days before the due
  date. With the 10-day clock, 3 days before is day 7 after receipt, the escalation point of
  R25; the reminder then goes to the records custodian too.
- `STEWARD_NON_CUSTODIAL_NOTICE_DAYS` (default 21): a non-custodial parent's request is
  released only that many days after the custodial parents were notified (603 CMR 23.07(5),
  R18); the 10-day clock does not apply to it.
- `STEWARD_RECORDS_CUSTODIAN_EMAILS` (default none): the district records custodian's
  addresses (R44: the superintendent's office), copied on escalations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings

FERPA_DAYS = 45  # 34 CFR 99.10(b), R24: the hard ceiling
MA_DAYS = 10  # 603 CMR 23.07(2), R25
NOTICE_DAYS = 21  # 603 CMR 23.07(5), R18
REMINDER_DAYS: tuple[int, ...] = (5, 3)


def ma_access_days() -> int:
    """The Massachusetts clock in calendar days, at least 1 and at most FERPA's 45."""
    days = int(getattr(settings, "STEWARD_MA_ACCESS_DAYS", MA_DAYS))
    return max(1, min(days, FERPA_DAYS))


def notice_days() -> int:
    """Days between the notice to the custodial parents and the release (R18)."""
    return max(0, int(getattr(settings, "STEWARD_NON_CUSTODIAL_NOTICE_DAYS", NOTICE_DAYS)))


def reminder_days() -> tuple[int, ...]:
    """Days before the due date on which reminders go out, largest first, each positive."""
    days: Sequence[int] = getattr(settings, "STEWARD_REQUEST_REMINDER_DAYS", REMINDER_DAYS)
    return tuple(sorted({int(d) for d in days if int(d) > 0}, reverse=True))


def custodian_emails() -> list[str]:
    """The district records custodian's e-mail addresses (may be empty)."""
    return sorted(set(getattr(settings, "STEWARD_RECORDS_CUSTODIAN_EMAILS", ())))


def ceiling(received: dt.date) -> dt.date:
    """FERPA's last day (R24)."""
    return received + dt.timedelta(days=FERPA_DAYS)


def due_date(received: dt.date, *, non_custodial: bool) -> dt.date:
    """The day a request received on `received` must be answered by.

    The Massachusetts clock (R25); for a non-custodial parent's request, which it does not
    cover (R18), FERPA's ceiling, which can never come before the 21-day release.
    """
    if non_custodial:
        return ceiling(received)
    return received + dt.timedelta(days=ma_access_days())


def release_date(notified: dt.date) -> dt.date:
    """The first day a non-custodial parent's copy may be released: day 21 after the notice
    (day 0), R18."""
    return notified + dt.timedelta(days=notice_days())
