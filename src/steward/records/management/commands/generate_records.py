"""`steward generate_records [--seed N] [--through YYYY-MM-DD] [--replace]`: fill every
student's record parts (attendance, grades, assessments, discipline, health, IEP/504 plans,
student work) with synthetic rows generated from the imported roster. See docs/records.md.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from argparse import ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from steward.records import synth
from steward.records.actions import do_generate_records, existing_counts
from steward.roster.models import Student


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        message = _("not a date (YYYY-MM-DD): %(text)s") % {"text": text}
        raise ArgumentTypeError(message) from exc


class Command(BaseCommand):
    help = (
        "Generate synthetic student records (attendance, grades, assessments, discipline, "
        "health, IEP/504 plans, student work) for the imported roster."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=synth.DEFAULT_SEED,
            help="random seed (same seed, same rows)",
        )
        parser.add_argument(
            "--through",
            type=_date,
            default=None,
            help="last date a record may carry (default: today, within the school year)",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete the records already held and generate them again",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        bar = tqdm(
            total=Student.objects.count(),
            unit=" students",
            file=sys.stderr,
            disable=not sys.stderr.isatty(),
            leave=False,
        )
        try:
            counts = do_generate_records(
                seed=options["seed"],
                through=options["through"],
                replace=options["replace"],
                on_student=lambda: bar.update(1),
            )
        finally:
            bar.close()
        if counts is None:
            held = sum(existing_counts().values())
            self.stdout.write(
                _(
                    "Student records exist already (%(rows)s rows); nothing generated. "
                    "Use --replace to generate them again."
                )
                % {"rows": f"{held:,}"}
            )
            return
        for name, rows in counts.items():
            self.stdout.write(f"{LABELS[name]}: {rows:,}")
        self.stdout.write(
            _("Generated %(rows)s record rows (seed %(seed)s) in %(seconds).1f s.")
            % {
                "rows": f"{sum(counts.values()):,}",
                "seed": options["seed"],
                "seconds": time.monotonic() - started,
            }
        )


LABELS = {
    "attendance": gettext_lazy("attendance (days absent, tardy or dismissed)"),
    "grades": gettext_lazy("course grades"),
    "assessments": gettext_lazy("assessment results"),
    "discipline": gettext_lazy("discipline incidents"),
    "health_notes": gettext_lazy("health notes"),
    "health_alerts": gettext_lazy("health alerts"),
    "plans": gettext_lazy("IEP and 504 plans"),
    "accommodations": gettext_lazy("accommodations"),
    "student_work": gettext_lazy("student work items"),
}
