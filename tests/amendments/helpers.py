"""Helpers for the amendment tests: instants relative to today."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.web import factories as f


def at(days: int, hour: int = 10) -> dt.datetime:
    """An aware instant `days` from today at `hour` o'clock, local time."""
    return timezone.make_aware(dt.datetime.combine(f.days(days), dt.time(hour)))
