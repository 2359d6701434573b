"""The roster as plain data, and the school calendar, for the synthetic records (`synth`).

`load_roster()` reads what the generator needs in eight queries and builds no model instances;
the rest is pure Python. A student's school days are the weekdays of their section
enrollments, within the sections' terms, without the usual Massachusetts holidays and
vacations (`holidays`): Steward does not hold the district's own calendar.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from steward.roster.models import (
    Caseload,
    Enrollment,
    Section,
    SectionTerm,
    SpecialIndicators,
    StaffRole,
    Student,
)
from steward.roster.oneroster.synth_catalog import GRADE_CODES

DAY = dt.timedelta(days=1)
ELEMENTARY, MIDDLE, HIGH = 0, 1, 2

# --- The roster, as plain data --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    id: int
    start: dt.date
    end: dt.date
    school_year: int


@dataclass(frozen=True, slots=True)
class Enrolled:
    """A student's enrollment on a section (begin and end may be open)."""

    section_id: int
    school_id: int
    begin: dt.date | None
    end: dt.date | None


@dataclass(frozen=True, slots=True)
class SectionInfo:
    subject: str
    level: int | None  # ELEMENTARY, MIDDLE or HIGH, from the section's grades


@dataclass(frozen=True, slots=True)
class Indicators:
    iep: bool = False
    section504: bool = False
    english_learner: bool = False
    health_alert: bool = False


@dataclass(frozen=True, slots=True)
class SchoolYear:
    """The latest school year the roster's sections are taught in."""

    school_year: int
    start: dt.date
    end: dt.date


@dataclass
class Roster:
    """What the generator needs from the roster; `load_roster()` reads it in eight queries."""

    students: list[tuple[int, str, str]]  # (id, sourced_id, grade code), by id
    enrollments: dict[int, list[Enrolled]]
    terms: dict[int, list[Term]]  # by section id
    sections: dict[int, SectionInfo]
    teachers: dict[int, list[int]]  # section id -> staff ids
    indicators: dict[int, Indicators]
    staff_at: dict[tuple[int, str], int]  # (school id, position) -> the first such staff id
    caseload: dict[tuple[int, str], int]  # (student id, caseload kind) -> staff id
    year: SchoolYear | None


def grade_index(code: str) -> int | None:
    """0 for kindergarten … 12 for grade 12; None for any other grade code."""
    code = code.strip().upper()
    if code.isdigit() and len(code) == 1:
        code = "0" + code
    return GRADE_CODES.index(code) if code in GRADE_CODES else None


def level_of(grade: int | None) -> int | None:
    if grade is None:
        return None
    return ELEMENTARY if grade <= 5 else MIDDLE if grade <= 8 else HIGH


def load_roster() -> Roster:
    """Read the roster the generator needs. Eight queries, no model instances."""
    students = list(Student.objects.order_by("pk").values_list("pk", "sourced_id", "grade"))
    enrollments: dict[int, list[Enrolled]] = defaultdict(list)
    # Tier L has ~560,000 student enrollments sharing a few thousand ids and dates: one object
    # for each distinct value keeps the roster in memory small.
    same: dict[object, Any] = {}
    one = same.setdefault
    for student_id, section_id, school_id, begin, end in (
        Enrollment.objects.filter(role=Enrollment.Role.STUDENT, student__isnull=False)
        .order_by("student_id", "pk")
        .values_list("student_id", "section_id", "school_id", "begin_date", "end_date")
        .iterator(chunk_size=10_000)
    ):
        enrollments[student_id].append(
            Enrolled(one(section_id, section_id), one(school_id, school_id), one(begin, begin),
                     one(end, end))
        )  # fmt: skip
    terms: dict[int, list[Term]] = defaultdict(list)
    for section_id, term_id, start, end, school_year in SectionTerm.objects.order_by(
        "section_id", "term__start_date", "term_id"
    ).values_list(
        "section_id", "term_id", "term__start_date", "term__end_date", "term__school_year"
    ):
        terms[section_id].append(Term(term_id, start, end, school_year))
    sections = {
        pk: SectionInfo(
            subjects.split(",")[0].strip() or class_type,
            level_of(grade_index(grades.split(",")[0])),
        )
        for pk, subjects, grades, class_type in Section.objects.values_list(
            "pk", "subjects", "grades", "class_type"
        )
    }
    teachers: dict[int, list[int]] = defaultdict(list)
    for section_id, staff_id in (
        Enrollment.objects.filter(staff__isnull=False)
        .exclude(role=Enrollment.Role.STUDENT)
        .order_by("section_id", "-primary", "pk")
        .values_list("section_id", "staff_id")
    ):
        teachers[section_id].append(staff_id)
    indicators = {
        row[0]: Indicators(*row[1:])
        for row in SpecialIndicators.objects.values_list(
            "student_id", "iep", "section504", "english_learner", "health_alert"
        )
    }
    staff_at: dict[tuple[int, str], int] = {}
    wanted = [StaffRole.Position.NURSE, StaffRole.Position.PRINCIPAL]
    wanted.append(StaffRole.Position.SPECIAL_EDUCATION)
    for org_id, position, staff_id in (
        StaffRole.objects.filter(position__in=wanted, staff__active=True)
        .order_by("org_id", "position", "staff__sourced_id")
        .values_list("org_id", "position", "staff_id")
    ):
        staff_at.setdefault((org_id, position), staff_id)
    caseload: dict[tuple[int, str], int] = {}
    for student_id, kind, staff_id in Caseload.objects.order_by(
        "student_id", "kind", "-begin_date", "pk"
    ).values_list("student_id", "kind", "staff_id"):
        caseload.setdefault((student_id, kind), staff_id)
    return Roster(
        students,
        enrollments,
        terms,
        sections,
        teachers,
        indicators,
        staff_at,
        caseload,
        _school_year(terms),
    )


def _school_year(terms: dict[int, list[Term]]) -> SchoolYear | None:
    every = {t for ts in terms.values() for t in ts}
    if not every:
        return None
    latest = max(t.school_year for t in every)
    current = [t for t in every if t.school_year == latest]
    return SchoolYear(latest, min(t.start for t in current), max(t.end for t in current))


def default_through(roster: Roster, today: dt.date) -> dt.date:
    """Today, kept inside the roster's latest school year and no earlier than its sixth week,
    so that a demo built in the summer or the first weeks of school still has records."""
    year = roster.year
    if year is None:
        return today
    return min(max(today, year.start + dt.timedelta(weeks=6)), year.end)


# --- The school calendar --------------------------------------------------------------------


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


@lru_cache(maxsize=64)
def holidays(school_year: int) -> frozenset[dt.date]:
    """Days without school in a typical Massachusetts calendar for the school year ending in
    June of `school_year` (Steward does not hold the district's own calendar)."""
    fall, spring = school_year - 1, school_year
    thanksgiving = _nth_weekday(fall, 11, 3, 4)
    february, april = _nth_weekday(spring, 2, 0, 3), _nth_weekday(spring, 4, 0, 3)
    memorial = _nth_weekday(spring, 5, 0, 1)
    while (memorial + dt.timedelta(weeks=1)).month == 5:
        memorial += dt.timedelta(weeks=1)
    days = {
        _nth_weekday(fall, 9, 0, 1),  # Labor Day
        _nth_weekday(fall, 10, 0, 2),  # Indigenous Peoples' Day
        dt.date(fall, 11, 11),  # Veterans Day
        thanksgiving,
        thanksgiving + DAY,
        _nth_weekday(spring, 1, 0, 3),  # Martin Luther King Jr. Day
        memorial,
        dt.date(spring, 6, 19),  # Juneteenth
    }
    days.update(dt.date(fall, 12, 24) + i * DAY for i in range(9))  # winter break
    days.update(february + i * DAY for i in range(5))  # February vacation
    days.update(april + i * DAY for i in range(5))  # April vacation (Patriots' Day week)
    return frozenset(days)


def is_school_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in holidays(day.year + (day.month >= 7))


@lru_cache(maxsize=4096)
def school_days(first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
    """The school days from `first` to `last`, both included."""
    out = []
    day = first
    while day <= last:
        if is_school_day(day):
            out.append(day)
        day += DAY
    return tuple(out)


def windows(
    enrollments: Iterable[Enrolled], terms: dict[int, list[Term]], through: dt.date
) -> list[tuple[dt.date, dt.date, int]]:
    """The spans (first, last, school id) the student is enrolled at each school, up to
    `through`: each section enrollment within its section's terms, merged per school."""
    spans: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for e in enrollments:
        for t in terms.get(e.section_id, ()):
            first = max(t.start, e.begin or t.start)
            last = min(t.end, e.end or t.end, through)
            if first <= last:
                spans[e.school_id].append((first, last))
    merged: list[tuple[dt.date, dt.date, int]] = []
    for school, parts in spans.items():
        parts.sort()
        lo, hi = parts[0]
        for first, last in parts[1:]:
            if first <= hi + DAY:
                hi = max(hi, last)
            else:
                merged.append((lo, hi, school))
                lo, hi = first, last
        merged.append((lo, hi, school))
    merged.sort()
    return merged


@dataclass(frozen=True)
class Calendar:
    """A student's school days up to `through`, each at one school (the first that covers it)."""

    days: Sequence[dt.date]
    starts: list[int]  # index of the first day of each run at one school
    schools: list[int]

    @classmethod
    def of(cls, spans: list[tuple[dt.date, dt.date, int]]) -> Calendar:
        if len(spans) == 1:
            first, last, school = spans[0]
            return cls(school_days(first, last), [0], [school])
        days: list[dt.date] = []
        starts: list[int] = []
        schools: list[int] = []
        for first, last, school in spans:
            new = [d for d in school_days(first, last) if not days or d > days[-1]]
            if new:
                starts.append(len(days))
                schools.append(school)
                days.extend(new)
        return cls(days, starts, schools)

    def school(self, index: int) -> int:
        return self.schools[bisect.bisect_right(self.starts, index) - 1]


@dataclass(frozen=True)
class Pupil:
    """One student as the part generators see them."""

    id: int
    sourced_id: str
    grade: int | None
    level: int
    ability: float  # latent, standard normal: grades and scores follow it
    calendar: Calendar
    enrollments: list[Enrolled]
    indicators: Indicators


def pupils(roster: Roster, seed: int, through: dt.date) -> Iterable[Pupil]:
    """Every student of the roster as a `Pupil`, in id order."""
    for student_id, sourced_id, grade_code in roster.students:
        enrollments = roster.enrollments.get(student_id, [])
        grade = grade_index(grade_code)
        level = level_of(grade)
        if level is None:
            levels = [
                roster.sections[e.section_id].level
                for e in enrollments
                if e.section_id in roster.sections
            ]
            level = next((lv for lv in levels if lv is not None), MIDDLE)
        yield Pupil(
            student_id,
            sourced_id,
            grade,
            level,
            random.Random(f"{seed}:ability:{sourced_id}").gauss(0, 1),
            Calendar.of(windows(enrollments, roster.terms, through)),
            enrollments,
            roster.indicators.get(student_id, Indicators()),
        )
