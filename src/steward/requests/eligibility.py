"""Who may make which request for whom: always `steward.rights`, never the raw guardian link.

- Every request needs the right to inspect (R14, R24–R27, R31): a parent or guardian who is a
  rights holder, or the student once eligible (MA 14 or grade 9, FERPA 18).
- A student of any age may ask for a copy of their own transcript (M.G.L. c.71 §34A, R28).
- A parent whose every current link to the student is non-custodial follows R18 (notice to the
  custodial parents, release on day 21). A restriction document (`access_restricted`, R17)
  removes the right altogether, so such a parent cannot ask at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from steward.accounts.models import Account
from steward.requests.models import Kind, RequesterKind
from steward.rights.selectors import can_act, holders_for_many
from steward.roster.models import Guardian, GuardianRelationship, Student


@dataclass(frozen=True)
class Requester:
    """A rights holder as the request names them: a guardian, or the student themselves."""

    kind: str  # RequesterKind
    guardian_id: int | None = None
    student_id: int | None = None

    def actor(self) -> SimpleNamespace:
        """What `steward.rights.selectors.can_act` takes."""
        return SimpleNamespace(guardian_id=self.guardian_id, student_id=self.student_id)


def requester_of(user: Any) -> Requester | None:
    """The requester a portal login acts as: its guardian, or its own student; else None."""
    account: Account | None = getattr(user, "account", None) if user is not None else None
    if account is None or not getattr(user, "is_authenticated", False):
        return None
    if account.role == Account.Role.GUARDIAN and account.guardian_id is not None:
        return Requester(RequesterKind.GUARDIAN, guardian_id=account.guardian_id)
    if account.role == Account.Role.STUDENT and account.student_id is not None:
        return Requester(RequesterKind.STUDENT, student_id=account.student_id)
    return None


def may_request(
    requester: Requester, student_id: int, kind: str, at: dt.date | None = None
) -> bool:
    """Whether `requester` may make a request of `kind` about student `student_id` on `at`."""
    if requester.kind == RequesterKind.STUDENT and requester.student_id != student_id:
        return False
    if kind == Kind.TRANSCRIPT and requester.student_id == student_id:
        return True  # R28: any student, regardless of age
    return can_act(requester.actor(), student_id, "inspect", at)


def is_non_custodial(guardian_id: int, student_id: int) -> bool:
    """Whether the guardian's current, unrestricted links to the student are all non-custodial
    (R18). One query."""
    custodial = list(
        GuardianRelationship.objects.filter(
            guardian_id=guardian_id, student_id=student_id, active=True, access_restricted=False
        ).values_list("custodial", flat=True)
    )
    return bool(custodial) and not any(custodial)


def custodial_guardians(student_id: int, *, besides: int | None = None) -> list[Guardian]:
    """The student's custodial parents and guardians on record today (current, unrestricted
    links), to be notified of a non-custodial parent's request (R18). One query."""
    rows = (
        Guardian.objects.filter(
            relationships__student_id=student_id,
            relationships__active=True,
            relationships__custodial=True,
            # A parent whom a court order keeps from the record is not told about it either.
            relationships__access_restricted=False,
        )
        .distinct()
        .order_by("family_name", "given_name", "pk")
    )
    if besides is not None:
        rows = rows.exclude(pk=besides)
    return list(rows)


@dataclass(frozen=True)
class Choice:
    """A student a portal login may make requests about, and which kinds."""

    student: Student
    kinds: tuple[str, ...]


def choices_for(requester: Requester, at: dt.date | None = None) -> list[Choice]:
    """Every student `requester` may ask about, by name, with the kinds allowed (a fixed
    number of queries)."""
    day = at or timezone.localdate()
    every = tuple(Kind.values)
    if requester.kind == RequesterKind.STUDENT:
        assert requester.student_id is not None
        student = Student.objects.filter(pk=requester.student_id).first()
        if student is None:
            return []
        full = can_act(requester.actor(), student.pk, "inspect", day)
        return [Choice(student, every if full else (Kind.TRANSCRIPT.value,))]
    guardian_id = requester.guardian_id
    if guardian_id is None:
        return []
    linked = set(
        GuardianRelationship.objects.filter(guardian_id=guardian_id, active=True)
        .values_list("student_id", flat=True)
        .distinct()
    )
    holders = holders_for_many(linked, day)
    allowed = [pk for pk, held in holders.items() if held.guardian_holds(guardian_id, "inspect")]
    students = Student.objects.filter(pk__in=sorted(allowed)).order_by("given_name", "family_name")
    return [Choice(student, every) for student in students]


def is_requester(req: Any, user: Any) -> bool:
    """Whether `user` is the person who made `req` (an `AccessRequest`): the login that made
    it, or the guardian or student it names when the office entered it for them."""
    requester = requester_of(user)
    if requester is None:
        return False
    if req.requester_user_id is not None:
        return bool(req.requester_user_id == user.pk)
    if requester.kind == RequesterKind.GUARDIAN:
        return req.requester_kind == RequesterKind.GUARDIAN and (
            req.requester_guardian_id == requester.guardian_id
        )
    return req.requester_kind == RequesterKind.STUDENT and req.student_id == requester.student_id


def still_entitled(
    kind: str, requester_kind: str, guardian_id: int | None, student_id: int
) -> bool:
    """Whether the requester of a request still holds the right today (R17: a restriction
    that arrived after the request blocks its release)."""
    requester = Requester(
        requester_kind,
        guardian_id=guardian_id,
        student_id=student_id if requester_kind == RequesterKind.STUDENT else None,
    )
    return may_request(requester, student_id, kind)
