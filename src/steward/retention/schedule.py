"""The schedule of periodic jobs, and the step that enqueues the due ones (docs/tasks.md).

Every job runs once a day, from its local time on. `enqueue_due()` enqueues each job due and
not yet enqueued for the day; the `JobRun` row (unique per job and day) is written in the same
transaction as the task, so two workers never enqueue the same job twice, and a worker that
was down catches up with today's run, never with the days it missed (every job works from
the state of the database, so one run catches up with everything).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from steward.retention import tasks
from steward.retention.models import JobRun


@dataclass(frozen=True)
class Job:
    name: str
    task: Any  # a django_tasks Task taking the day as an ISO date
    at: dt.time  # local time from which it is due each day


# Night hours, one after the other: the vendors' sweep first (agreements end at midnight),
# then the families' requests and amendments, then retention, which needs their answers.
JOBS: tuple[Job, ...] = (
    Job("vendors-sweep", tasks.vendors_sweep, dt.time(1, 0)),
    Job("requests-sweep", tasks.requests_sweep, dt.time(1, 15)),
    Job("amendments-sweep", tasks.amendments_sweep, dt.time(1, 30)),
    Job("retention", tasks.retention_daily, dt.time(2, 0)),
)


def due(now: dt.datetime) -> list[Job]:
    """The jobs whose time has come on `now`'s local day and that are not enqueued yet."""
    local = timezone.localtime(now)
    done = set(JobRun.objects.filter(day=local.date()).values_list("job", flat=True))
    return [job for job in JOBS if job.at <= local.time() and job.name not in done]


def enqueue(job: Job, day: dt.date, now: dt.datetime) -> bool:
    """Enqueue `job` for `day` unless it already is; True when this call enqueued it."""
    try:
        with transaction.atomic():
            run = JobRun.objects.create(job=job.name, day=day, enqueued_at=now)
            result = job.task.enqueue(day.isoformat())
            run.task_id = str(result.id)
            run.save(update_fields=["task_id"])
    except IntegrityError:  # another worker enqueued it first
        return False
    return True


def enqueue_due(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every job due at `now` (default: now); the names of those enqueued."""
    moment = now or timezone.now()
    day = timezone.localdate(moment)
    return [job.name for job in due(moment) if enqueue(job, day, moment)]


def enqueue_day(day: dt.date, now: dt.datetime | None = None) -> list[str]:
    """Enqueue every job for `day`, whatever the hour (`steward worker --once --today`)."""
    moment = now or timezone.now()
    return [job.name for job in JOBS if enqueue(job, day, moment)]
