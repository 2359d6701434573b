"""The district's amendment and hearing deadlines, as configuration (design.md §3 rule 3).

FERPA asks for a decision "within a reasonable time" (99.20(b)), a hearing "within a
reasonable time after the request", its notice "reasonably in advance" and its written decision
"within a reasonable time after the hearing" (99.22(a), (b), (e)). The Massachusetts day counts
of R37 (a conference within about a week, a decision within a week after it) are marked
[VERIFY] in the requirements, so they are defaults here, not rules: each can be set in the
Django settings under the name shown.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

DEFAULTS: dict[str, int] = {
    # R34: the district decides within this many days of receiving the request.
    "STEWARD_AMENDMENT_DECISION_DAYS": 30,
    # R36: the hearing is held within this many days of the family's request for it.
    "STEWARD_HEARING_WITHIN_DAYS": 30,
    # R36: the notice of date, time and place goes out at least this many days before.
    "STEWARD_HEARING_NOTICE_DAYS": 10,
    # R36: the written decision follows the hearing within this many days.
    "STEWARD_HEARING_DECISION_DAYS": 14,
    # Reminders to the privacy office start this many days before a deadline.
    "STEWARD_AMENDMENT_REMIND_DAYS": 5,
}


def days(name: str) -> int:
    """The configured number of days for `name` (one of `DEFAULTS`)."""
    value = int(getattr(settings, name, DEFAULTS[name]))
    if value < 0:
        raise ValueError(f"{name} must not be negative")
    return value


def decision_due(received: dt.date) -> dt.date:
    return received + dt.timedelta(days=days("STEWARD_AMENDMENT_DECISION_DAYS"))


def hearing_due(requested: dt.date) -> dt.date:
    return requested + dt.timedelta(days=days("STEWARD_HEARING_WITHIN_DAYS"))


def hearing_decision_due(held: dt.date) -> dt.date:
    return held + dt.timedelta(days=days("STEWARD_HEARING_DECISION_DAYS"))


def notice_days() -> int:
    return days("STEWARD_HEARING_NOTICE_DAYS")


def remind_days() -> int:
    return days("STEWARD_AMENDMENT_REMIND_DAYS")
