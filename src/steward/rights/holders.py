"""Who holds each right over a student's record on a given day: pure rules, no Django.

Three rights are computed:

- ``inspect``: see the record and get copies of it (FERPA 99.10, 603 CMR 23.07);
- ``consent``: sign a consent to disclose (FERPA 99.30, R15) and a media release (R135);
- ``amend``: ask for an amendment and a hearing (FERPA 99.20–99.22, 603 CMR 23.09).

The rules, with the requirement each follows:

- A *parent* (R11) is a guardian link that is active and carries no documented restriction
  (R17: a court order, protective order or Probate Court order that removes the right). A
  non-custodial parent keeps every right unless restricted (R17); the 21-day notice workflow
  for a non-custodial parent's request (R18) belongs to the requests app, not here.
- A link of kind ``relative`` is not a parent. It counts as one ("an individual acting as a
  parent in the absence of a parent or guardian", R11) only when it is custodial and the student
  has no other parent, that is no active, unrestricted link of kind ``parent`` or ``guardian``.
  A parent barred by a court order is "absent" in this sense: the custodial relative acts.
- The student holds ``inspect`` and ``amend`` from the day they become eligible under MA law
  (14th birthday or grade 9, R10), or under FERPA (18th birthday, R9) when the district has
  switched the MA extension off. The parents keep them (R14: under MA the student and the
  parent may each act alone).
- ``consent`` belongs to the parents until the 18th birthday and to the student alone from it
  (R9, R15: a 14–17-year-old's consent is not accepted for disclosure, stricter law wins; R135
  applies the same rule to media releases).
- From 18 the parents keep ``inspect`` (M.G.L. c.71 §34D, which the student cannot remove, R14)
  and ``amend``. R14 lets an adult student limit the parents' MA rights in writing except
  inspection; such limitations are not recorded yet, so nothing removes ``amend`` today.
- The FERPA test is age only: a grade of ``PS`` or ``13`` (dual enrolment) counts as grade 9 or
  above for MA but does not make the student FERPA-eligible for the district's records.

Reasons are codes (see `REASONS`); the selectors map them to translated sentences.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Right = Literal["inspect", "consent", "amend"]
RIGHTS: tuple[Right, ...] = ("inspect", "consent", "amend")

HolderKind = Literal["guardian", "student"]

#: Every reason code a `Holder` can carry.
REASONS = ("parent", "guardian", "relative", "ma_age_14", "ma_grade_9", "eligible_18")

MA_AGE = 14  # R10
MA_GRADE = 9  # R10
FERPA_AGE = 18  # R9

_PARENT_KINDS = frozenset({"parent", "guardian"})


@dataclass(frozen=True)
class GuardianLink:
    """A guardian's relationship to the student, as `GuardianRelationship` holds it."""

    guardian_id: int
    kind: str  # "parent", "guardian" or "relative"
    custodial: bool = True
    access_restricted: bool = False
    active: bool = True


@dataclass(frozen=True)
class Holder:
    """One person who holds a right: a guardian or the student, with the reason code."""

    kind: HolderKind
    id: int
    reason: str


@dataclass(frozen=True)
class Holders:
    """The rights holders of one student on day `at` (R14: recomputed from DOB and grade)."""

    student_id: int
    at: datetime.date
    age: int | None
    ma_eligible: bool
    ferpa_eligible: bool
    inspect: tuple[Holder, ...]
    consent: tuple[Holder, ...]
    amend: tuple[Holder, ...]

    def of(self, right: Right) -> tuple[Holder, ...]:
        """The holders of `right`."""
        if right not in RIGHTS:
            raise ValueError(f"unknown right {right!r}")
        held: tuple[Holder, ...] = getattr(self, right)
        return held

    def guardian_holds(self, guardian_id: int, right: Right) -> bool:
        return any(h.kind == "guardian" and h.id == guardian_id for h in self.of(right))

    def student_holds(self, right: Right) -> bool:
        return any(h.kind == "student" for h in self.of(right))


def age_on(birth: datetime.date, at: datetime.date) -> int:
    """Age in whole years on day `at`; the birthday itself counts.

    Someone born on 29 February turns a year older on 1 March in a common year (and on
    29 February in a leap year), the usual legal reading. A birth date after `at` (a data
    error) gives 0, which leaves every right with the parents.
    """
    years = at.year - birth.year - ((at.month, at.day) < (birth.month, birth.day))
    return max(years, 0)


def grade_number(grade: str) -> int | None:
    """The OneRoster grade as a number: ``"KG"`` and earlier are below 1; ``"PS"`` is
    post-secondary (13); ``"UG"``, ``"Other"`` and blank are unknown (None)."""
    code = grade.strip()
    if code.isdigit():
        return int(code)
    if code in {"IT", "PR", "PK", "TK", "KG"}:
        return 0
    if code == "PS":
        return 13
    return None


def reached_grade_9(grade: str) -> bool:
    """Whether the student has entered 9th grade (R10); unknown grades have not."""
    number = grade_number(grade)
    return number is not None and number >= MA_GRADE


def rights_holders(
    student_id: int,
    birth: datetime.date | None,
    grade: str,
    links: Iterable[GuardianLink],
    at: datetime.date,
    *,
    ma_extension: bool = True,
) -> Holders:
    """Who holds each right over student `student_id`'s record on day `at` (R9–R15, R17).

    `ma_extension` is the district's choice to give 603 CMR 23 rights to students from 14
    or grade 9 (R10, on by default); off, `ma_eligible` is always False and the student holds
    rights only from 18 (R9).
    Without a birth date the student is never FERPA-eligible and is MA-eligible by grade only.
    """
    age = age_on(birth, at) if birth is not None else None
    ferpa_eligible = age is not None and age >= FERPA_AGE
    by_age = age is not None and age >= MA_AGE
    by_grade = reached_grade_9(grade)
    ma_eligible = ma_extension and (by_age or by_grade)

    parents = _parents(links)

    student_reason: str | None = None
    if ferpa_eligible:
        student_reason = "eligible_18"
    elif ma_eligible:
        student_reason = "ma_age_14" if by_age else "ma_grade_9"
    student = (Holder("student", student_id, student_reason),) if student_reason else ()

    record_rights = parents + student
    consent = (Holder("student", student_id, "eligible_18"),) if ferpa_eligible else parents
    return Holders(
        student_id=student_id,
        at=at,
        age=age,
        ma_eligible=ma_eligible,
        ferpa_eligible=ferpa_eligible,
        inspect=record_rights,
        consent=consent,
        amend=record_rights,
    )


def _parents(links: Iterable[GuardianLink]) -> tuple[Holder, ...]:
    """The guardians who act as parents (R11, R17), in guardian id order, each once."""
    usable = [link for link in links if link.active and not link.access_restricted]
    chosen = [link for link in usable if link.kind in _PARENT_KINDS]
    if not chosen:
        chosen = [link for link in usable if link.kind == "relative" and link.custodial]
    seen: dict[int, Holder] = {}
    for link in sorted(chosen, key=lambda link: link.guardian_id):
        seen.setdefault(link.guardian_id, Holder("guardian", link.guardian_id, link.kind))
    return tuple(seen.values())
