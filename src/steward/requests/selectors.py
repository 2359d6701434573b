"""Reads of access requests that other apps rely on.

`students_with_open_requests` is the R29 legal hold: retention must not destroy any part of the
record of a student with an access request outstanding (FERPA 99.10(e), R29, R104).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from steward.requests.models import AccessRequest


def _window(at: dt.date | dt.datetime | None) -> tuple[dt.datetime, dt.datetime]:
    """(start, end) of the instant or day `at`: a date is its whole local day."""
    if at is None:
        now = timezone.now()
        return now, now
    if isinstance(at, dt.datetime):
        if timezone.is_naive(at):
            raise ValueError("students_with_open_requests needs an aware datetime")
        return at, at
    start = timezone.make_aware(dt.datetime.combine(at, dt.time.min))
    return start, start + dt.timedelta(days=1)


def students_with_open_requests(at: dt.date | dt.datetime | None = None) -> set[int]:
    """Ids of the students with an access request outstanding at `at` (default now), R29.

    A request is outstanding from `received_at` until `closed_at` (fulfilled, withdrawn or
    refused). `at` may be an aware datetime (that instant) or a date, which is read
    conservatively as the whole local day: a request open at any moment of it counts. One
    query.
    """
    start, end = _window(at)
    received = Q(received_at__lt=end) if start != end else Q(received_at__lte=end)
    still_open = Q(closed_at__isnull=True) | Q(closed_at__gt=start)
    if start != end:
        still_open = Q(closed_at__isnull=True) | Q(closed_at__gte=start)
    return set(
        AccessRequest.objects.filter(received, still_open)
        .values_list("student_id", flat=True)
        .distinct()
    )
