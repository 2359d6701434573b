"""`steward vendors-sweep [--today YYYY-MM-DD]`: the daily agreement sweep (R80, R110).

Run it once a day (cron or a systemd timer). It moves agreements that are expiring, have
ended or whose disposition is overdue, and e-mails the reminders due; see
`steward.vendors.sweep`. Running it twice in a day does nothing the second time. It exits
non-zero when something could not be done (listed on stderr), so the scheduler reports it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from steward.vendors.sweep import run_sweep


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--today: {text!r} is not a date in the form YYYY-MM-DD") from error


class Command(BaseCommand):
    help = (
        "Expire ended agreements, mark expiring ones and overdue dispositions, and e-mail the "
        "reminders due (90, 30 and 7 days before the end; overdue escalation)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", help="run as of this date (YYYY-MM-DD); default: today's local date"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _date(options["today"]) if options["today"] else timezone.localdate()
        report = run_sweep(today)
        lines = report.lines()
        errors = [line for line in lines if line.startswith("  error")]
        for line in lines:
            if line not in errors:
                self.stdout.write(line)
        for line in errors:
            self.stderr.write(line.strip())
        if report.errors:
            raise CommandError(f"{len(report.errors)} agreement(s) could not be swept")
