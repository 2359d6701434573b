"""The report's inner cells, counted in SQL: one GROUP BY over the students, never a loop over
them in Python (tier L: 325,000 students in one query).

Each inner cell is (school, grade, subgroup category) with:

- `n`: students in the population (for proficiency: students tested in the subject);
- `hits`: students with the measured attribute, 0 for enrollment: present at least 90% of
  the school days of the period (attendance), with a discipline incident in the period, with
  a proficient result (proficiency).

Attendance is a rate over students, not over student-days: one student's absences can move a
small group's average a long way, and every threshold and protection interval of the rules is
counted in students (R92–R94), so only a rate whose numerator counts students can be
protected by them. "Present at least 90% of days" is the complement of chronic absenteeism
as ESSA reporting defines it.

The population is `spec.ReportSpec`'s: active students with a current school membership on
`as_of`, each counted once at one school (their primary membership; the lowest school id
among equals), so that schools add up to the district.

This module reads the roster and the record in aggregate for the privacy office: it returns
counts, never a student (design.md §3 rule 1 governs reads of a student's record).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from steward.records.models import AssessmentResult, DailyAttendance, DisciplineIncident
from steward.reports import categories, policy
from steward.reports.spec import Measure, ReportSpec
from steward.roster.models import Org, Student, StudentSchool
from steward.sharing.scope import current


@dataclass(frozen=True)
class Inner:
    school_id: int
    grade: str
    category: str
    n: int
    hits: int = 0


@dataclass(frozen=True)
class Counts:
    """The inner cells and the names of their schools."""

    cells: tuple[Inner, ...]
    schools: dict[int, str]
    school_days: int | None


def population(as_of: dt.date) -> QuerySet[Student]:
    """Active students with a current school membership on `as_of`, annotated with the one
    school they are counted at (`report_school`)."""
    school = (
        StudentSchool.objects.filter(current(as_of), student=OuterRef("pk"))
        .order_by("-primary", "school_id")
        .values("school_id")[:1]
    )
    return (
        Student.objects.filter(active=True)
        .annotate(report_school=Subquery(school))
        .filter(report_school__isnull=False)
    )


def _period(spec: ReportSpec) -> tuple[dt.date, dt.date]:
    return spec.year.starts, spec.as_of


def _assessments(spec: ReportSpec) -> QuerySet[AssessmentResult]:
    return AssessmentResult.objects.filter(
        student=OuterRef("pk"),
        school_year=spec.school_year_number,
        name__startswith=policy.ASSESSMENT_PREFIX,
        subject__in=policy.ASSESSMENT_SUBJECTS[spec.subject],
    )


def attendance_cutoff(days: int) -> int:
    """Absences below this number are fewer than 10% of `days` (⌈days / 10⌉)."""
    return -(-days // 10)


def school_days(spec: ReportSpec) -> int:
    """An estimate of the school days in the period when the office gave none: the days on
    which any absence, tardy or dismissal was recorded. In a district of any size every
    school day has one; in a very small one this undercounts, so the office should enter
    the number from its calendar."""
    first, last = _period(spec)
    return (
        DailyAttendance.objects.filter(date__gte=first, date__lte=last)
        .values("date")
        .distinct()
        .count()
    )


def counts(spec: ReportSpec) -> Counts:
    """The inner cells of `spec`'s table: two queries (the cells, the school names), three
    for attendance without a number of school days (the estimate, `school_days`)."""
    first, last = _period(spec)
    days = spec.school_days
    students = population(spec.as_of).annotate(
        report_grade=Coalesce("grade", Value("")),
        report_category=categories.expression(spec.family),
    )
    measures: dict[str, object] = {"n": Count("pk")}
    if spec.measure == Measure.DISCIPLINE:
        incident = DisciplineIncident.objects.filter(
            student=OuterRef("pk"), date__gte=first, date__lte=last
        )
        measures["hits"] = Count("pk", filter=Exists(incident))
    elif spec.measure == Measure.PROFICIENCY:
        tested = _assessments(spec)
        students = students.filter(Exists(tested))
        proficient = tested.filter(performance_level__in=policy.PROFICIENT_LEVELS)
        measures["hits"] = Count("pk", filter=Exists(proficient))
    elif spec.measure == Measure.ATTENDANCE:
        if days is None:
            days = school_days(spec)
        absent = (
            DailyAttendance.objects.filter(
                student=OuterRef("pk"),
                date__gte=first,
                date__lte=last,
                status__in=policy.ABSENT_STATUSES,
            )
            .order_by()
            .values("student")
            .annotate(days=Count("pk"))
            .values("days")
        )
        students = students.annotate(
            report_absent=Coalesce(Subquery(absent, output_field=IntegerField()), Value(0))
        )
        # Present at least 90% of the days: absent on fewer than a tenth of them.
        measures["hits"] = Count("pk", filter=Q(report_absent__lt=attendance_cutoff(days)))
    rows = (
        students.order_by()
        .values("report_school", "report_grade", "report_category")
        .annotate(**measures)
    )
    merged: dict[tuple[int, str, str], list[int]] = {}
    for row in rows:
        # Grades are normalized after the query ("3" and "03" are one grade), so two groups
        # may land on one key: add them up.
        key = (
            int(row["report_school"]),
            categories.grade_key(row["report_grade"]),
            str(row["report_category"]),
        )
        total = merged.setdefault(key, [0, 0])
        total[0] += int(row["n"])
        total[1] += int(row.get("hits") or 0)
    cells = tuple(
        Inner(school, grade, category, n, hits)
        for (school, grade, category), (n, hits) in sorted(merged.items())
    )
    names = dict(
        Org.objects.filter(pk__in={cell.school_id for cell in cells}).values_list("pk", "name")
    )
    return Counts(cells=cells, schools=names, school_days=days)


def school_levels(as_of: dt.date, school_ids: set[int]) -> dict[int, str]:
    """Each school's level (`categories.level_of`) from the grades its current students are
    in on `as_of` (one query): Steward holds no level for a school, so it is derived."""
    grades: dict[int, set[str]] = {school: set() for school in school_ids}
    pairs = (
        population(as_of)
        .filter(report_school__in=school_ids)  # type: ignore[misc]
        .order_by()
        .values_list("report_school", "grade")
        .distinct()
    )
    for school, grade in pairs:
        grades[int(school)].add(categories.grade_key(grade or ""))
    return {school: categories.level_of(found) for school, found in grades.items()}
