"""Reading media releases: `status_for` (the class roster's badges) and `can_post` (the
"Can I post this?" engine, R129, R133). Both run a fixed number of queries whatever the
number of students (no N+1), and return plain values, so pages never touch the database.

The release that counts for a student at `at` is the latest one for the school year signed on
or before `at`. A use is then:

* ``allowed``: chosen yes, and not revoked on or before `at`;
* ``denied``: chosen no;
* ``revoked``: chosen yes, then withdrawn on or before `at` (R134: from then on only);
* ``no_release``: no release for the year, or a release older than the use (no choice for it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from steward.media.models import MediaChoice, MediaRelease, MediaRevocation, MediaUse
from steward.stewardship.rules import training_period


class Status(StrEnum):
    """A student's status for one use; compares equal to its plain string value."""

    ALLOWED = "allowed"
    DENIED = "denied"
    REVOKED = "revoked"
    NO_RELEASE = "no_release"


@dataclass(frozen=True)
class Decision:
    """A status with what it rests on (for reasons shown to staff)."""

    status: Status
    release_id: int | None = None
    signed_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None


NO_RELEASE = Decision(Status.NO_RELEASE)


def school_year(at: dt.date | dt.datetime) -> str:
    """The school-year label containing `at` ("2026-2027"; starts July 1, district time)."""
    return training_period(at).label


def active_uses() -> list[MediaUse]:
    """The district's active uses, in form order. One query."""
    return list(MediaUse.objects.filter(active=True).order_by("order", "key"))


def current_release(
    student_id: int, year: str, at: dt.datetime | None = None
) -> MediaRelease | None:
    """The release that counts for `student_id` in `year` at `at` (default now), or None."""
    instant = at if at is not None else timezone.now()
    return (
        MediaRelease.objects.filter(student_id=student_id, school_year=year, signed_at__lte=instant)
        .order_by("-signed_at", "-pk")
        .first()
    )


def _decisions(
    student_ids: Sequence[int], year: str, at: dt.datetime, use_keys: Iterable[str] | None
) -> dict[int, dict[str, Decision]]:
    """student id → use key → decision, for students with a release; three queries."""
    ids = sorted(set(student_ids))
    if not ids:
        return {}
    latest: dict[int, tuple[int, dt.datetime]] = {}
    releases = (
        MediaRelease.objects.filter(student_id__in=ids, school_year=year, signed_at__lte=at)
        .order_by("student_id", "signed_at", "pk")
        .values_list("pk", "student_id", "signed_at")
    )
    for pk, student_id, signed_at in releases:
        latest[student_id] = (pk, signed_at)  # ordered: the last one wins
    if not latest:
        return {}
    by_release = {pk: student_id for student_id, (pk, _s) in latest.items()}
    choices = MediaChoice.objects.filter(release_id__in=sorted(by_release))
    revocations = MediaRevocation.objects.filter(
        release_id__in=sorted(by_release), revoked_at__lte=at
    )
    if use_keys is not None:
        keys = list(use_keys)
        choices = choices.filter(use__key__in=keys)
        revocations = revocations.filter(use__key__in=keys)
    revoked = {
        (release_id, key): when
        for release_id, key, when in revocations.values_list("release_id", "use__key", "revoked_at")
    }
    out: dict[int, dict[str, Decision]] = {student_id: {} for student_id in latest}
    for release_id, key, allowed in choices.values_list("release_id", "use__key", "allowed"):
        student_id = by_release[release_id]
        signed_at = latest[student_id][1]
        when = revoked.get((release_id, key))
        if not allowed:
            status = Status.DENIED
        elif when is not None:
            status = Status.REVOKED
        else:
            status = Status.ALLOWED
        out[student_id][key] = Decision(status, release_id, signed_at, when)
    return out


def status_for(
    student_ids: Iterable[int],
    year: str,
    at: dt.datetime | None = None,
    *,
    uses: Sequence[MediaUse] | None = None,
) -> dict[int, dict[str, Status]]:
    """student id → active use key → `Status`, for every given student, at `at` (default
    now). Four queries at most; three when the caller passes the active `uses` it has read."""
    instant = at if at is not None else timezone.now()
    ids = list(student_ids)
    keys = [use.key for use in (active_uses() if uses is None else uses)]
    found = _decisions(ids, year, instant, keys)
    return {
        student_id: {key: found.get(student_id, {}).get(key, NO_RELEASE).status for key in keys}
        for student_id in ids
    }


@dataclass(frozen=True)
class Clearance:
    """One line of "Can I post this?": the student, whether cleared, and why."""

    student_id: int
    cleared: bool
    reason: str


def _day(when: dt.datetime | None) -> str:
    return date_format(timezone.localtime(when), "DATE_FORMAT") if when is not None else ""


def reason(decision: Decision, year: str) -> str:
    """Why a decision is what it is, in the user's language."""
    if decision.status == Status.ALLOWED:
        return _("Allowed on the release signed %(day)s.") % {"day": _day(decision.signed_at)}
    if decision.status == Status.DENIED:
        return _("Not allowed on the release signed %(day)s.") % {"day": _day(decision.signed_at)}
    if decision.status == Status.REVOKED:
        return _("Withdrawn by the family on %(day)s.") % {"day": _day(decision.revoked_at)}
    return _("No media release on file for %(year)s.") % {"year": year}


def can_post(
    student_ids: Iterable[int], use_key: str, at: dt.datetime | None = None
) -> list[tuple[int, bool, str]]:
    """For each student (in the order given), whether media for `use_key` may be posted at
    `at` (default now), and why: ``(student_id, cleared, reason)``. Only ``allowed`` clears.

    Raises ValueError for a use the district does not have or has deactivated. Three queries.
    """
    instant = at if at is not None else timezone.now()
    if not MediaUse.objects.filter(key=use_key, active=True).exists():
        raise ValueError(f"no active media use {use_key!r}")
    ids = list(student_ids)
    year = school_year(instant)
    found = _decisions(ids, year, instant, [use_key])
    out = []
    for student_id in ids:
        decision = found.get(student_id, {}).get(use_key, NO_RELEASE)
        out.append((student_id, decision.status == Status.ALLOWED, reason(decision, year)))
    return out
