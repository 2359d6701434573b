"""Our clocks on the privacy office's deadlines dashboard (steward.requests, issue #8 item 3):
every amendment request the district still owes something on, with the date it is owed by
(R34, R36). Registered from `AmendmentsConfig.ready()`, so the dashboard needs no knowledge of
this app; without the requests app installed there is nothing to register with."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from steward.amendments import sweep

Row = tuple[str, Any, dt.date, str, str]


def _label(what: str, amendment: Any) -> tuple[str, str]:
    number = f"#{amendment.pk}"
    if what == "decision":
        return _("Amendment request"), _("%(number)s: decide each item") % {"number": number}
    if what == "hearing":
        return _("Amendment hearing"), _("%(number)s: schedule and hold the hearing") % {
            "number": number
        }
    if what == "scheduled":
        return _("Amendment hearing"), _("%(number)s: hearing scheduled") % {"number": number}
    return _("Amendment hearing"), _("%(number)s: send the hearing decision") % {"number": number}


def rows() -> list[Row]:
    """(kind, student, due, url, label) of every open amendment request and hearing, the
    nearest first. Two queries (the requests with student and hearing; the schedules)."""
    today = timezone.localdate()
    out: list[Row] = []
    for amendment in sweep.open_requests():
        found = sweep.deadline(amendment, today)
        if found is None:
            continue
        what, due = found
        kind, label = _label(what, amendment)
        if what == "scheduled":
            label += " (" + date_format(due, "DATE_FORMAT") + ")"
        url = reverse("amendments-office-case", args=[amendment.pk])
        out.append((kind, amendment.student, due, url, label))
    return sorted(out, key=lambda row: (row[2], row[3]))


def register() -> None:
    """Add `rows` to the dashboard's sources (once) when the requests app is installed."""
    try:
        from steward.requests.deadlines import SOURCES
    except ImportError:
        return
    if rows not in SOURCES:
        SOURCES.append(rows)
