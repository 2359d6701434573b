"""`steward worker`: run the background jobs (docs/tasks.md).

- `steward worker`: the long-running worker. Every `--interval` seconds it enqueues the daily
  jobs that are due (`steward.retention.schedule`) and runs every task waiting in the
  database queue. Stop it with Ctrl+C or SIGTERM: it finishes the task in hand first.
- `steward worker --once`: enqueue what is due now, run every waiting task, exit. For cron
  or a systemd timer instead of a long-running worker, and for tests.
- `steward worker --once --today YYYY-MM-DD`: enqueue every job for that day whatever the
  hour (a job already enqueued for the day is not enqueued again), run, exit.

It exits non-zero when a task it ran failed, so the scheduler reports it.
"""

from __future__ import annotations

import datetime as dt
import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from steward.retention import schedule


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--today: {text!r} is not a date in the form YYYY-MM-DD") from error


class Command(BaseCommand):
    help = "Run Steward's background jobs: the daily sweeps, retention and destruction."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            "--until-idle",
            action="store_true",
            dest="once",
            help="enqueue the jobs due, run every waiting task, then exit",
        )
        parser.add_argument(
            "--today", help="with --once: enqueue every job for this day (YYYY-MM-DD)"
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=30.0,
            help="seconds between two looks at the queue and the schedule (default 30)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["today"] and not options["once"]:
            raise CommandError("--today goes with --once")
        self.running = True
        if options["once"]:
            failed = self.cycle(_date(options["today"]) if options["today"] else None)
            if failed:
                raise CommandError(f"{failed} task(s) failed; see their results")
            return
        signal.signal(signal.SIGINT, self.stop)
        signal.signal(signal.SIGTERM, self.stop)
        self.stdout.write(f"Steward worker started; looking every {options['interval']:g} s.")
        while self.running:
            self.cycle(None)
            slept = 0.0
            while self.running and slept < options["interval"]:
                time.sleep(0.5)
                slept += 0.5
        self.stdout.write("Steward worker stopped.")

    def stop(self, signum: int, frame: FrameType | None) -> None:
        self.running = False

    def cycle(self, day: dt.date | None) -> int:
        """Enqueue what is due, run every waiting task; the number of tasks that failed."""
        names = schedule.enqueue_day(day) if day else schedule.enqueue_due()
        for name in names:
            self.stdout.write(f"enqueued {name}")
        worker_id = get_random_string(32)
        started = timezone.now()
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        ).run()
        # JSON "contains" is not portable to SQLite: narrow by time, then match the id.
        ran = [
            result
            for result in DBTaskResult.objects.filter(started_at__gte=started).order_by(
                "started_at"
            )
            if worker_id in result.worker_ids
        ]
        failed = 0
        for result in ran:
            self.stdout.write(f"{result.task_path}: {result.status.lower()}")
            if result.status == TaskResultStatus.FAILED:
                failed += 1
                self.stderr.write(
                    result.traceback.strip().splitlines()[-1:][0] if result.traceback else ""
                )
            for line in result.return_value or []:
                self.stdout.write(f"  {line}")
        return failed
