"""The school year: from July 1 to June 30 in district time (`settings.TIME_ZONE`), labelled
by its two calendar years ("2026-2027"). Training periods (R138), media releases (R129),
annual notices (R19–R23) and the directory opt-out window (R85) all follow it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# (month, day) each school year begins. Must exist every year (not February 29).
STARTS: tuple[int, int] = (7, 1)
_LABEL = re.compile(r"^(\d{4})-(\d{4})$")


def local_date(at: dt.date | dt.datetime) -> dt.date:
    """The district date of `at`. Naive datetimes are refused: they name no instant."""
    if isinstance(at, dt.datetime):
        if timezone.is_naive(at):
            raise ValueError("a naive datetime names no instant; pass an aware one or a date")
        return timezone.localtime(at).date()
    return at


def start_of(day: dt.date) -> dt.datetime:
    """The first instant of district day `day` (midnight), timezone-aware."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class SchoolYear:
    """One school year: `starts` and `ends` are district dates, both inclusive."""

    label: str
    starts: dt.date
    ends: dt.date

    @property
    def begins_at(self) -> dt.datetime:
        """The first instant of the year (district midnight), timezone-aware."""
        return start_of(self.starts)

    @property
    def ends_before(self) -> dt.datetime:
        """The first instant after the year, timezone-aware."""
        return start_of(self.ends + dt.timedelta(days=1))

    def __contains__(self, at: object) -> bool:
        if not isinstance(at, dt.date):
            return False
        return self.starts <= local_date(at) <= self.ends


def containing(at: dt.date | dt.datetime) -> SchoolYear:
    """The school year containing `at` (a district date, or an aware datetime)."""
    day = local_date(at)
    month, first = STARTS
    year = day.year if (day.month, day.day) >= (month, first) else day.year - 1
    starts = dt.date(year, month, first)
    ends = dt.date(year + 1, month, first) - dt.timedelta(days=1)
    label = f"{year}-{year + 1}" if (month, first) != (1, 1) else str(year)
    return SchoolYear(label=label, starts=starts, ends=ends)


def check_label(label: str) -> None:
    """Raise ValidationError unless `label` names a school year, such as "2026-2027"."""
    match = _LABEL.match(label)
    if match is None or int(match.group(2)) != int(match.group(1)) + 1:
        raise ValidationError(
            _("%(year)s is not a school year such as 2026-2027."), params={"year": label}
        )
