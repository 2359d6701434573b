"""The periodic jobs, as plain functions of the day they run for (docs/tasks.md).

Each takes `today` and returns the lines of its report; each is idempotent: run twice for the
same day, the second run changes nothing (every step looks for what is still to do, and
records what it did in the same transaction). The requests and amendments apps are imported
when their job runs, so that this module loads without them.
"""

from __future__ import annotations

import datetime as dt

from steward.retention.actions import destruction, exits, notices


def vendors(today: dt.date) -> list[str]:
    """The daily agreement sweep (issue #6): expiries, overdue dispositions, reminders."""
    from steward.vendors.sweep import run_sweep

    return run_sweep(today).lines()


def requests(today: dt.date) -> list[str]:
    """Access requests: deadline reminders, escalations and the R18 day-21 releases."""
    from steward.requests.sweep import run

    return list(run(today))


def amendments(today: dt.date) -> list[str]:
    """Amendment requests and hearings: deadline reminders and escalations."""
    from steward.amendments.sweep import run

    return list(run(today))


def retention(today: dt.date) -> list[str]:
    """Exits detected from the roster (with their notices), notices e-mailed, destruction."""
    recorded, cancelled = exits.detect_exits(today)
    mailed, to_post = notices.email_unsent()
    report = destruction.run(today)
    return [
        f"Retention for {today.isoformat()}:",
        f"  exits detected from the roster: {len(recorded)}",
        f"  exits cancelled (enrolled again): {len(cancelled)}",
        f"  exit notices e-mailed: {len(mailed)}",
        f"  exit notices for the office to post: {len(to_post)}",
        *report.lines()[1:],
    ]
