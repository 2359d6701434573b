"""An in-process index over staff-student relationships with date intervals.

Pure Python, no Django (design.md §3, rule 4). It is built from plain relationship records
(the dataclasses below) and a `Policy`, and answers:

* `can_access(actor, student, scope, at)`: one decision, a few dictionary lookups;
* `why(actor, student, scope, at)`: the reasons for it, each explaining itself;
* `visible_students(actor, scope, at)`: every student the actor may see (never truncated);
* `who_can_access(student, scope, at)`: every staff member who may see the student.

Dates are inclusive; a `None` begin or end is open. Internally dates are day ordinals, with
open ends replaced by sentinels, so a check compares integers only. A record whose begin is
after its end grants nothing.

Paths (see `policy`): a section both the actor and the student are enrolled in, active at
`at` for both and within the rule's grace period after the overlap of the two enrollments ends;
a caseload entry of the rule's kind, active at `at`; a school role of the rule's position at a
school the student is enrolled in, both active at `at`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from steward.access.policy import CASELOAD, DEFAULT_POLICY, SCHOOL, SECTION, Policy

OPEN_BEGIN = 0  # before date.min (ordinal 1)
OPEN_END = 100_000_000  # after date.max (ordinal 3,652,059), with room for any grace

Interval = tuple[int, int]


@dataclass(frozen=True, slots=True)
class StaffSection:
    """A staff member teaches a section (a teacher enrollment)."""

    staff: int
    section: int
    begin: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class StudentSection:
    """A student is enrolled in a section."""

    student: int
    section: int
    begin: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class StaffSchool:
    """A staff member holds a position (teacher, nurse, principal, ...) at a school."""

    staff: int
    school: int
    position: str
    begin: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class StudentSchoolLink:
    """A student is enrolled in a school."""

    student: int
    school: int
    begin: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True, slots=True)
class CaseloadLink:
    """A student is on a staff member's caseload (kind counselor or specialEducation)."""

    staff: int
    student: int
    kind: str
    begin: dt.date | None = None
    end: dt.date | None = None


def _date(ordinal: int) -> dt.date | None:
    if ordinal <= OPEN_BEGIN or ordinal >= OPEN_END:
        return None
    return dt.date.fromordinal(ordinal)


def _fmt(day: dt.date | None, open_word: str) -> str:
    return day.isoformat() if day is not None else open_word


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an actor may access a student's record part.

    `relation` is ``section``, ``caseload`` or ``school``; `via` is the section or school id
    (for a caseload, the student's id); `qualifier` the caseload kind or school position;
    `begin`/`end` the window of the relationship (for a section, the overlap of the two
    enrollments); `grace_until` the last day of the grace period, if any.
    """

    relation: str
    via: int
    label: str
    qualifier: str | None
    begin: dt.date | None
    end: dt.date | None
    grace_until: dt.date | None = None

    def __str__(self) -> str:
        window = f"{_fmt(self.begin, 'the start')} to {_fmt(self.end, 'open')}"
        if self.relation == SECTION:
            text = f"via section {self.via}, enrolled {window}"
            if self.grace_until is not None:
                text += f", grace period to {self.grace_until.isoformat()}"
            return text
        if self.relation == CASELOAD:
            return f"via {self.label} caseload ({self.qualifier}), assigned {window}"
        return f"as {self.qualifier} at school {self.via}, enrolled {window}"


def _ordinals(begin: dt.date | None, end: dt.date | None) -> Interval:
    return (
        begin.toordinal() if begin is not None else OPEN_BEGIN,
        end.toordinal() if end is not None else OPEN_END,
    )


class AccessIndex:
    """Relationship index for one `Policy`; build it with `AccessIndex.build(...)`."""

    def __init__(self, policy: Policy = DEFAULT_POLICY) -> None:
        self.policy = policy
        # scope -> (grace days, label) for the section path; kinds / positions for the others.
        self._section_grace: dict[str, tuple[int, str]] = {}
        self._caseload_kinds: dict[str, dict[str, str]] = {}
        self._school_positions: dict[str, dict[str, str]] = {}
        for rule in policy.rules:
            for scope in rule.scopes:
                if rule.relation == SECTION:
                    current = self._section_grace.get(scope)
                    if current is None or rule.grace_days > current[0]:
                        self._section_grace[scope] = (rule.grace_days, rule.label)
                elif rule.relation == CASELOAD:
                    assert rule.qualifier is not None
                    self._caseload_kinds.setdefault(scope, {})[rule.qualifier] = rule.label
                else:
                    assert rule.qualifier is not None
                    self._school_positions.setdefault(scope, {})[rule.qualifier] = rule.label
        # staff -> section -> intervals, and student -> section -> intervals (checks);
        # section -> (person, begin, end) rows (listings).
        self._staff_sections: dict[int, dict[int, tuple[Interval, ...]]] = {}
        self._student_sections: dict[int, dict[int, tuple[Interval, ...]]] = {}
        self._section_staff: dict[int, list[tuple[int, int, int]]] = {}
        self._section_students: dict[int, list[tuple[int, int, int]]] = {}
        # staff -> student -> (kind, begin, end); staff / student -> rows for listings.
        self._caseload: dict[int, dict[int, tuple[tuple[str, int, int], ...]]] = {}
        self._caseload_by_staff: dict[int, list[tuple[int, str, int, int]]] = {}
        self._caseload_by_student: dict[int, list[tuple[int, str, int, int]]] = {}
        # staff -> (school, position, begin, end); student -> school -> intervals.
        self._staff_schools: dict[int, list[tuple[int, str, int, int]]] = {}
        self._student_schools: dict[int, dict[int, tuple[Interval, ...]]] = {}
        self._school_staff: dict[int, list[tuple[int, str, int, int]]] = {}
        self._school_students: dict[int, list[tuple[int, int, int]]] = {}

    @classmethod
    def build(
        cls,
        *,
        staff_sections: Iterable[StaffSection] = (),
        student_sections: Iterable[StudentSection] = (),
        staff_schools: Iterable[StaffSchool] = (),
        student_schools: Iterable[StudentSchoolLink] = (),
        caseloads: Iterable[CaseloadLink] = (),
        policy: Policy = DEFAULT_POLICY,
    ) -> AccessIndex:
        index = cls(policy)
        # Identical intervals (term dates) and interval tuples are shared, to save memory.
        intervals: dict[Interval, Interval] = {}
        groups: dict[tuple[Interval, ...], tuple[Interval, ...]] = {}

        def interval(begin: dt.date | None, end: dt.date | None) -> Interval | None:
            key = _ordinals(begin, end)
            if key[0] > key[1]:
                return None
            return intervals.setdefault(key, key)

        def add(nested: dict[int, dict[int, list[Interval]]], a: int, b: int, iv: Interval) -> None:
            inner = nested.get(a)
            if inner is None:
                nested[a] = {b: [iv]}
            elif b in inner:
                inner[b].append(iv)
            else:
                inner[b] = [iv]

        def freeze(
            nested: dict[int, dict[int, list[Interval]]],
        ) -> dict[int, dict[int, tuple[Interval, ...]]]:
            for inner in nested.values():
                for key, ivs in inner.items():
                    group = tuple(ivs)
                    inner[key] = groups.setdefault(group, group)  # type: ignore[assignment]
            return nested  # type: ignore[return-value]

        staff_nested: dict[int, dict[int, list[Interval]]] = {}
        for r in staff_sections:
            iv = interval(r.begin, r.end)
            if iv is not None:
                add(staff_nested, r.staff, r.section, iv)
                index._section_staff.setdefault(r.section, []).append((r.staff, *iv))
        index._staff_sections = freeze(staff_nested)

        student_nested: dict[int, dict[int, list[Interval]]] = {}
        for s in student_sections:
            iv = interval(s.begin, s.end)
            if iv is not None:
                add(student_nested, s.student, s.section, iv)
                index._section_students.setdefault(s.section, []).append((s.student, *iv))
        index._student_sections = freeze(student_nested)

        for c in caseloads:
            iv = interval(c.begin, c.end)
            if iv is None:
                continue
            row = (c.kind, *iv)
            inner = index._caseload.setdefault(c.staff, {})
            inner[c.student] = (*inner.get(c.student, ()), row)
            index._caseload_by_staff.setdefault(c.staff, []).append((c.student, *row))
            index._caseload_by_student.setdefault(c.student, []).append((c.staff, *row))

        for ss in staff_schools:
            iv = interval(ss.begin, ss.end)
            if iv is not None:
                role = (ss.school, ss.position, *iv)
                index._staff_schools.setdefault(ss.staff, []).append(role)
                index._school_staff.setdefault(ss.school, []).append((ss.staff, ss.position, *iv))

        school_nested: dict[int, dict[int, list[Interval]]] = {}
        for link in student_schools:
            iv = interval(link.begin, link.end)
            if iv is not None:
                add(school_nested, link.student, link.school, iv)
                index._school_students.setdefault(link.school, []).append((link.student, *iv))
        index._student_schools = freeze(school_nested)
        return index

    # -- checks ---------------------------------------------------------------------------

    def can_access(self, actor: int, student: int, scope: str, at: dt.date) -> bool:
        """Whether `actor` may access `scope` of `student`'s record on day `at`."""
        t = at.toordinal()
        section_rule = self._section_grace.get(scope)
        if section_rule is not None:
            mine = self._staff_sections.get(actor)
            if mine is not None:
                theirs = self._student_sections.get(student)
                if theirs is not None:
                    tg = t - section_rule[0]
                    if len(theirs) > len(mine):
                        mine, theirs = theirs, mine
                    for section in theirs:
                        others = mine.get(section)
                        if others is None:
                            continue
                        for b1, e1 in theirs[section]:
                            if b1 > t or e1 < tg:
                                continue
                            for b2, e2 in others:
                                if b2 <= t and e2 >= tg and b1 <= e2 and b2 <= e1:
                                    return True
        kinds = self._caseload_kinds.get(scope)
        if kinds is not None:
            assigned = self._caseload.get(actor)
            if assigned is not None:
                rows = assigned.get(student)
                if rows is not None:
                    for kind, b, e in rows:
                        if b <= t <= e and kind in kinds:
                            return True
        positions = self._school_positions.get(scope)
        if positions is not None:
            roles = self._staff_schools.get(actor)
            if roles is not None:
                schools = self._student_schools.get(student)
                if schools is not None:
                    for school, position, b, e in roles:
                        if b <= t <= e and position in positions:
                            enrolled = schools.get(school)
                            if enrolled is not None:
                                for b2, e2 in enrolled:
                                    if b2 <= t <= e2:
                                        return True
        return False

    def why(self, actor: int, student: int, scope: str, at: dt.date) -> list[Reason]:
        """Every reason `actor` may access `scope` of `student` on `at` (empty: denied)."""
        t = at.toordinal()
        reasons: list[Reason] = []
        section_rule = self._section_grace.get(scope)
        if section_rule is not None:
            grace, label = section_rule
            tg = t - grace
            mine = self._staff_sections.get(actor, {})
            theirs = self._student_sections.get(student, {})
            for section in sorted(set(mine) & set(theirs)):
                for b1, e1 in mine[section]:
                    for b2, e2 in theirs[section]:
                        begin, end = max(b1, b2), min(e1, e2)
                        if begin <= t and end >= tg and begin <= end:
                            until = _date(end + grace) if grace and end < OPEN_END else None
                            reasons.append(
                                Reason(
                                    SECTION, section, label, None, _date(begin), _date(end), until
                                )
                            )
        kinds = self._caseload_kinds.get(scope, {})
        for kind, b, e in self._caseload.get(actor, {}).get(student, ()):
            if b <= t <= e and kind in kinds:
                reasons.append(Reason(CASELOAD, student, kinds[kind], kind, _date(b), _date(e)))
        positions = self._school_positions.get(scope, {})
        schools = self._student_schools.get(student, {})
        for school, position, b, e in self._staff_schools.get(actor, ()):
            if b <= t <= e and position in positions:
                for b2, e2 in schools.get(school, ()):
                    if b2 <= t <= e2:
                        begin, end = max(b, b2), min(e, e2)
                        reasons.append(
                            Reason(
                                SCHOOL,
                                school,
                                positions[position],
                                position,
                                _date(begin),
                                _date(end),
                            )
                        )
        return reasons

    # -- listings -------------------------------------------------------------------------

    def visible_students(self, actor: int, scope: str, at: dt.date) -> set[int]:
        """Every student whose `scope` `actor` may access on `at`: complete, never truncated."""
        t = at.toordinal()
        out: set[int] = set()
        section_rule = self._section_grace.get(scope)
        if section_rule is not None:
            tg = t - section_rule[0]
            section_students = self._section_students
            for section, ivs in self._staff_sections.get(actor, {}).items():
                for b1, e1 in ivs:
                    if b1 > t or e1 < tg:
                        continue
                    for student, b2, e2 in section_students.get(section, ()):
                        if b2 <= t and e2 >= tg and b1 <= e2 and b2 <= e1:
                            out.add(student)
        kinds = self._caseload_kinds.get(scope)
        if kinds is not None:
            for student, kind, b, e in self._caseload_by_staff.get(actor, ()):
                if b <= t <= e and kind in kinds:
                    out.add(student)
        positions = self._school_positions.get(scope)
        if positions is not None:
            for school, position, b, e in self._staff_schools.get(actor, ()):
                if b <= t <= e and position in positions:
                    for student, b2, e2 in self._school_students.get(school, ()):
                        if b2 <= t <= e2:
                            out.add(student)
        return out

    def who_can_access(self, student: int, scope: str, at: dt.date) -> set[int]:
        """Every staff member who may access `scope` of `student` on `at` (transparency)."""
        t = at.toordinal()
        out: set[int] = set()
        section_rule = self._section_grace.get(scope)
        if section_rule is not None:
            tg = t - section_rule[0]
            section_staff = self._section_staff
            for section, ivs in self._student_sections.get(student, {}).items():
                for b1, e1 in ivs:
                    if b1 > t or e1 < tg:
                        continue
                    for staff, b2, e2 in section_staff.get(section, ()):
                        if b2 <= t and e2 >= tg and b1 <= e2 and b2 <= e1:
                            out.add(staff)
        kinds = self._caseload_kinds.get(scope)
        if kinds is not None:
            for staff, kind, b, e in self._caseload_by_student.get(student, ()):
                if b <= t <= e and kind in kinds:
                    out.add(staff)
        positions = self._school_positions.get(scope)
        if positions is not None:
            for school, ivs in self._student_schools.get(student, {}).items():
                for b1, e1 in ivs:
                    if b1 > t or e1 < t:
                        continue
                    for staff, position, b2, e2 in self._school_staff.get(school, ()):
                        if b2 <= t <= e2 and position in positions:
                            out.add(staff)
        return out
