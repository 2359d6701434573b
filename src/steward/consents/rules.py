"""May directory information be disclosed? Does a consent cover a disclosure? (R45–R50, R85–R89)

Public, stable API (the sharing engine and the portal call these):

* `may_disclose_directory(student_id, category_key, at, *, to_recruiter=False)
  -> (bool, Reason)` for one student;
* `directory_disclosable(student_ids, category_key, at, *, to_recruiter=False)
  -> {student_id: (bool, Reason)}` for many, in four queries whatever their number;
* `consent_covers(student_id, scope, recipient, purpose, at) -> DisclosureConsent | None`.

**Directory information** is disclosed only when every one of these holds, checked in order
(the first that fails is the reason):

1. the category exists and is *effective*: designated by the district and, while the
   Massachusetts rule is on (the default), on the MA list: photographs, e-mail and student IDs
   never are (R8, R89);
2. the annual notice (R21) has been published and its opt-out window has ended (R85): for a
   current student, the latest notice of the school year containing `at` (July 1 to June 30),
   whose last day to opt out is before `at`'s date; a former student (`Student.active` false)
   needs no new notice, any earlier notice whose window has ended will do (R86);
3. no opt-out in force at `at` covers it: one for this category or for all categories, and,
   when the recipient is a military recruiter or an institution of higher education
   (`to_recruiter`), the recruiter opt-out (R23, 20 U.S.C. 7908), which then covers every
   category. Opt-outs hold until withdrawn, after the student leaves too (R86).

R87 (within a class) and R88 (never confirm from non-directory identifiers) are the callers'
business: these rules answer only for directory disclosure of a student already identified.

**A consent covers** a disclosure at `at` when it is for this student, lists the record part,
names this recipient and purpose (compared without regard to case or spacing; a class of
parties matches only when the caller passes that class), was signed at or before `at`, has
not expired (`expires_on` is the last day) and was not revoked at or before `at` (R50).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from django.db.models import Q
from django.utils import timezone

from steward import schoolyear
from steward.consents.models import (
    DirectoryCategory,
    DirectoryNotice,
    DirectoryOptOut,
    DisclosureConsent,
)
from steward.roster.models import Student


class Reason(StrEnum):
    ALLOWED = "allowed"
    UNKNOWN_CATEGORY = "unknown_category"
    MA_FORBIDDEN = "not_directory_information_in_massachusetts"
    NOT_DESIGNATED = "not_designated"
    UNKNOWN_STUDENT = "unknown_student"
    NO_NOTICE = "no_notice"
    WINDOW_OPEN = "opt_out_window_open"
    OPTED_OUT = "opted_out"
    OPTED_OUT_ALL = "opted_out_of_all"
    RECRUITER_OPT_OUT = "opted_out_of_recruiters"


Answer = tuple[bool, Reason]


def school_year_of(day: dt.date) -> int:
    """The school year containing `day`, named by the calendar year it ends."""
    return schoolyear.containing(day).ends.year


def may_disclose_directory(
    student_id: int, category_key: str, at: dt.datetime | None = None, *, to_recruiter: bool = False
) -> Answer:
    """Whether directory information `category_key` of the student may be disclosed at `at`."""
    return directory_disclosable([student_id], category_key, at, to_recruiter=to_recruiter)[
        student_id
    ]


def directory_disclosable(
    student_ids: Iterable[int],
    category_key: str,
    at: dt.datetime | None = None,
    *,
    to_recruiter: bool = False,
) -> dict[int, Answer]:
    """`may_disclose_directory` for many students in at most four queries."""
    ids = list(dict.fromkeys(student_ids))
    at = at or timezone.now()
    category = DirectoryCategory.objects.filter(key=category_key).first()
    if category is None:
        return dict.fromkeys(ids, (False, Reason.UNKNOWN_CATEGORY))
    if not category.effective:
        reason = Reason.NOT_DESIGNATED if category.ma_allowed else Reason.MA_FORBIDDEN
        return dict.fromkeys(ids, (False, reason))

    day = timezone.localdate(at)
    notices = list(
        DirectoryNotice.objects.filter(published_at__lte=at)
        .order_by("-published_at", "-pk")
        .values_list("school_year", "opt_out_ends_on")
    )
    year = school_year_of(day)
    this_year = next((ends for school_year, ends in notices if school_year == year), None)
    current_ok = this_year is not None and this_year < day
    former_ok = any(ends < day for _, ends in notices)

    active = dict(Student.objects.filter(pk__in=ids).values_list("pk", "active"))
    covering = Q(kind=DirectoryOptOut.Kind.ALL) | Q(
        kind=DirectoryOptOut.Kind.CATEGORY, category_id=category.pk
    )
    if to_recruiter:
        covering |= Q(kind=DirectoryOptOut.Kind.RECRUITERS)
    opted: dict[int, set[str]] = {}
    for student_id, kind in (
        DirectoryOptOut.objects.filter(covering, student_id__in=ids, made_at__lte=at)
        .exclude(withdrawal__withdrawn_at__lte=at)
        .values_list("student_id", "kind")
    ):
        opted.setdefault(student_id, set()).add(kind)

    answers: dict[int, Answer] = {}
    for student_id in ids:
        if student_id not in active:
            answers[student_id] = (False, Reason.UNKNOWN_STUDENT)
        elif not (current_ok if active[student_id] else former_ok):
            answers[student_id] = (False, Reason.NO_NOTICE if not notices else Reason.WINDOW_OPEN)
        elif kinds := opted.get(student_id):
            answers[student_id] = (False, _opt_out_reason(kinds))
        else:
            answers[student_id] = (True, Reason.ALLOWED)
    return answers


def _opt_out_reason(kinds: set[str]) -> Reason:
    if DirectoryOptOut.Kind.CATEGORY in kinds:
        return Reason.OPTED_OUT
    if DirectoryOptOut.Kind.ALL in kinds:
        return Reason.OPTED_OUT_ALL
    return Reason.RECRUITER_OPT_OUT


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def consent_covers(
    student_id: int, scope: str, recipient: str, purpose: str, at: dt.datetime | None = None
) -> DisclosureConsent | None:
    """The latest consent in force at `at` covering this disclosure, or None (R50)."""
    at = at or timezone.now()
    candidates = (
        DisclosureConsent.objects.filter(
            student_id=student_id, signed_at__lte=at, expires_on__gte=timezone.localdate(at)
        )
        .exclude(revocation__revoked_at__lte=at)
        .order_by("-signed_at", "-pk")
    )
    for consent in candidates:
        if (
            scope in consent.scopes
            and _same(consent.recipient, recipient)
            and _same(consent.purpose, purpose)
        ):
            return consent
    return None
