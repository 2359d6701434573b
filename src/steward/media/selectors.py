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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from steward import schoolyear
from steward.media.models import MediaChoice, MediaRelease, MediaRevocation, MediaUse


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
    return schoolyear.containing(at).label


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


def decisions(
    student_ids: Iterable[int], use_key: str, at: dt.datetime | None = None
) -> dict[int, Decision]:
    """student id → the decision for `use_key` at `at` (default now), with the release it
    rests on, for students whose release answers the use. Three queries."""
    instant = at if at is not None else timezone.now()
    found = _decisions(list(student_ids), school_year(instant), instant, [use_key])
    return {sid: by_use[use_key] for sid, by_use in found.items() if use_key in by_use}


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


def _reasons(year: str) -> Callable[[Decision], str]:
    """`reason` memoised on (status, local day): a class or an assembly shares a few dozen
    signing days, and formatting a date in the user's language is the costly part."""
    known: dict[tuple[Status, dt.date | None], str] = {}

    def why(decision: Decision) -> str:
        when = decision.revoked_at if decision.status == Status.REVOKED else decision.signed_at
        key = (decision.status, timezone.localtime(when).date() if when is not None else None)
        text = known.get(key)
        if text is None:
            text = known[key] = reason(decision, year)
        return text

    return why


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
    why = _reasons(year)
    out = []
    for student_id in ids:
        decision = found.get(student_id, {}).get(use_key, NO_RELEASE)
        out.append((student_id, decision.status == Status.ALLOWED, why(decision)))
    return out


@dataclass(frozen=True)
class Withdrawal:
    """A student of a published item whose family withdrew the item's use after it was
    published (R134): `how` is ``revoked`` (the use withdrawn), ``superseded`` (a later
    release answered no) or ``event`` (a later answer to the item's event said no)."""

    student_id: int
    at: dt.datetime
    how: str


def withdrawal_reason(withdrawal: Withdrawal) -> str:
    """A withdrawal as a sentence for staff, in the user's language."""
    day = _day(withdrawal.at)
    if withdrawal.how == "superseded":
        return _("A new release signed %(day)s does not allow this use.") % {"day": day}
    if withdrawal.how == "event":
        return _("The family said no for this event on %(day)s.") % {"day": day}
    return _("Withdrawn by the family on %(day)s.") % {"day": day}


def to_take_down(
    item_ids: Iterable[int], at: dt.datetime | None = None
) -> dict[int, list[Withdrawal]]:
    """Published items (of `item_ids`, not taken down) showing a student whose family
    withdrew the item's use after publication and who is still not cleared for it at `at`
    (default now): item id → the withdrawals, by student. A fixed number of queries."""
    from steward.media.models import EventRelease, PublishedStudent, TakeDown

    instant = at if at is not None else timezone.now()
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    gone = set(TakeDown.objects.filter(item_id__in=ids).values_list("item_id", flat=True))
    rows = list(
        PublishedStudent.objects.filter(item_id__in=[i for i in ids if i not in gone]).values_list(
            "item_id",
            "student_id",
            "item__use_id",
            "item__use__key",
            "item__published_at",
            "item__event_id",
            "event_release_id",
        )
    )
    if not rows:
        return {}
    students = sorted({row[1] for row in rows})
    use_ids = sorted({row[2] for row in rows})
    since = min(row[4] for row in rows)
    revoked: dict[tuple[int, int], list[dt.datetime]] = {}
    for student_id, use_id, when in MediaRevocation.objects.filter(
        release__student_id__in=students, use_id__in=use_ids, revoked_at__gt=since
    ).values_list("release__student_id", "use_id", "revoked_at"):
        revoked.setdefault((student_id, use_id), []).append(when)
    denied: dict[tuple[int, int], list[dt.datetime]] = {}
    for student_id, use_id, when in MediaChoice.objects.filter(
        release__student_id__in=students,
        release__supersedes__isnull=False,
        release__signed_at__gt=since,
        use_id__in=use_ids,
        allowed=False,
    ).values_list("release__student_id", "use_id", "release__signed_at"):
        denied.setdefault((student_id, use_id), []).append(when)
    events = sorted({row[5] for row in rows if row[6] is not None})
    latest_answer: dict[tuple[int, int], tuple[bool, dt.datetime]] = {}
    for event_id, student_id, allowed, when in (
        EventRelease.objects.filter(request_id__in=events, student_id__in=students)
        .order_by("signed_at", "pk")
        .values_list("request_id", "student_id", "allowed", "signed_at")
    ):
        latest_answer[(event_id, student_id)] = (allowed, when)
    now_status = _decisions(students, school_year(instant), instant, None)
    out: dict[int, list[Withdrawal]] = {}
    for item_id, student_id, use_id, use_key, published_at, event_id, by_event in rows:
        found: Withdrawal | None = None
        if by_event is not None:
            allowed, when = latest_answer.get((event_id, student_id), (True, published_at))
            if not allowed and when > published_at:
                found = Withdrawal(student_id, when, "event")
        else:
            cleared = now_status.get(student_id, {}).get(use_key, NO_RELEASE)
            if cleared.status != Status.ALLOWED:
                after = [w for w in revoked.get((student_id, use_id), []) if w > published_at]
                superseded = [w for w in denied.get((student_id, use_id), []) if w > published_at]
                if after:
                    found = Withdrawal(student_id, min(after), "revoked")
                elif superseded:
                    found = Withdrawal(student_id, min(superseded), "superseded")
        if found is not None:
            out.setdefault(item_id, []).append(found)
    return out
