"""The periodic jobs as tasks of Django's task framework (django-tasks, the backport of
Django 6's `django.tasks`), stored by the database backend and run by `steward worker`.

Arguments are JSON: the day as an ISO date. The return value (the report's lines) is kept on
the task's result row for the office to read.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from steward.retention import jobs


@task()
def vendors_sweep(day: str) -> list[str]:
    return jobs.vendors(dt.date.fromisoformat(day))


@task()
def requests_sweep(day: str) -> list[str]:
    return jobs.requests(dt.date.fromisoformat(day))


@task()
def amendments_sweep(day: str) -> list[str]:
    return jobs.amendments(dt.date.fromisoformat(day))


@task()
def retention_daily(day: str) -> list[str]:
    return jobs.retention(dt.date.fromisoformat(day))
