"""The retention schedule as data (design.md §3 rule 3; R100, R101, R105).

Periods are district settings with the lawful defaults, checked at start-up (`checks.py`):

- ``STEWARD_RETENTION_TEMPORARY_YEARS`` (default 7): the temporary record is destroyed *no
  later than* 7 years after the exit (603 CMR 23.06(3), R101), so 1–7 is allowed;
- ``STEWARD_RETENTION_TRANSCRIPT_YEARS`` (default 60): the transcript may be destroyed *only*
  60 years after the exit (603 CMR 23.06(2), R100), so 60 or more is allowed;
- ``STEWARD_BACKUP_CYCLE_DAYS`` (default 35): how long backup copies live, printed on each
  certificate as the date by which copies in backups are gone (R105).

Which Massachusetts parts a record part holds comes from the data catalog: each element
carries its `MAPart`, so a part such as "grades and transcript" has both a transcript part
(final marks, credits) and a temporary part (teachers' comments, progress grades).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from steward.catalog.elements import ELEMENTS, SCOPES, MAPart

TEMPORARY_DEFAULT = 7
TRANSCRIPT_DEFAULT = 60
BACKUP_CYCLE_DEFAULT = 35
TEMPORARY_MAX = 7  # R101: "no later than"
TRANSCRIPT_MIN = 60  # R100: "only 60 years after"

RULES: dict[str, str] = {
    MAPart.TEMPORARY: "603 CMR 23.06(3): temporary record, {years} years after {kind} on {date}",
    MAPart.TRANSCRIPT: "603 CMR 23.06(2): transcript, {years} years after {kind} on {date}",
}

# Record parts read through the access chokepoint that are not catalog scopes of their own but
# views of one: their log entries go with that part (R60).
DERIVED_SCOPES: dict[str, tuple[str, ...]] = {"special_education": ("accommodations_summary",)}


def temporary_years() -> int:
    return int(getattr(settings, "STEWARD_RETENTION_TEMPORARY_YEARS", TEMPORARY_DEFAULT))


def transcript_years() -> int:
    return int(getattr(settings, "STEWARD_RETENTION_TRANSCRIPT_YEARS", TRANSCRIPT_DEFAULT))


def backup_cycle_days() -> int:
    return int(getattr(settings, "STEWARD_BACKUP_CYCLE_DAYS", BACKUP_CYCLE_DEFAULT))


def years(part: str) -> int:
    return transcript_years() if part == MAPart.TRANSCRIPT else temporary_years()


def add_years(day: dt.date, count: int) -> dt.date:
    """`day` plus `count` calendar years; 29 February becomes 1 March in a common year, so
    the period is never shortened."""
    try:
        return day.replace(year=day.year + count)
    except ValueError:
        return dt.date(day.year + count, 3, 1)


def destroy_on(exit_date: dt.date, part: str) -> dt.date:
    """The first day on which `part` of a record whose student left on `exit_date` may go."""
    return add_years(exit_date, years(part))


def parts_of(scope: str) -> tuple[str, ...]:
    """The Massachusetts parts the catalog gives the elements of `scope`, temporary first."""
    found = {element.ma_part for element in ELEMENTS if element.scope == scope}
    return tuple(part for part in (MAPart.TEMPORARY, MAPart.TRANSCRIPT) if part in found)


def schedule() -> list[tuple[str, str]]:
    """Every (record part, Massachusetts part) pair that retention tracks, in catalog order."""
    return [(scope.key, part) for scope in SCOPES for part in parts_of(scope.key)]


def ledger_scopes(scopes: set[str]) -> set[str]:
    """The ledger scopes whose entries go with the record parts `scopes` (R60)."""
    out = set(scopes)
    for scope in scopes:
        out.update(DERIVED_SCOPES.get(scope, ()))
    return out
