"""The report builder's SQL counts (R90–R99): one GROUP BY, checked against the generated
district counted in Python."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steward.reports import aggregate, categories
from steward.reports.spec import Family, Geography, Grades, Measure, ReportSpec

from .factories import AS_OF, SCHOOL_DAYS, district

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> SimpleNamespace:
    return district(seed=3, students=150)


def spec(measure: str, family: str = Family.RACE, **extra: object) -> ReportSpec:
    return ReportSpec(measure, Geography.SCHOOL, Grades.GRADE, family, AS_OF, **extra)  # type: ignore[arg-type]


def by_cell(counts: aggregate.Counts, field: str = "n") -> Counter[tuple[str, str, str]]:
    out: Counter[tuple[str, str, str]] = Counter()
    for cell in counts.cells:
        out[(counts.schools[cell.school_id], cell.grade, cell.category)] += getattr(cell, field)
    return out


def test_enrollment_counts_every_current_active_student_once(world: SimpleNamespace) -> None:
    with CaptureQueriesContext(connection) as queries:
        counts = aggregate.counts(spec(Measure.ENROLLMENT))
    assert len(queries) == 2
    expected = Counter((p.school, p.grade, p.race) for p in world.pupils)
    assert by_cell(counts) == expected
    assert sum(expected.values()) == 150  # the leaver and the inactive student are not counted


@pytest.mark.parametrize(
    ("family", "category"),
    [
        (Family.SEX, lambda p: p.sex),
        (Family.ENGLISH_LEARNER, lambda p: "el" if p.el else "not_el"),
        (
            Family.DISABILITY,
            lambda p: "iep" if p.iep else "section504" if p.section504 else "neither",
        ),
        (Family.LOW_INCOME, lambda p: "low_income" if p.low_income else "not_low_income"),
        (
            Family.HOUSING,
            lambda p: "homeless" if p.homeless else "foster" if p.foster else "neither",
        ),
        (Family.NONE, lambda p: "all"),
    ],
)
def test_every_subgroup_family_puts_each_student_in_one_category(
    world: SimpleNamespace, family: str, category: object
) -> None:
    counts = aggregate.counts(spec(Measure.ENROLLMENT, family))
    expected = Counter((p.school, p.grade, category(p)) for p in world.pupils)  # type: ignore[operator]
    assert by_cell(counts) == expected
    keys = {c.key for c in categories.FAMILIES[family]}
    assert {cell.category for cell in counts.cells} <= keys


def test_discipline_counts_students_with_an_incident_this_school_year(
    world: SimpleNamespace,
) -> None:
    counts = aggregate.counts(spec(Measure.DISCIPLINE))
    hits = Counter((p.school, p.grade, p.race) for p in world.pupils if p.incidents)
    assert +by_cell(counts, "hits") == hits
    assert by_cell(counts) == Counter((p.school, p.grade, p.race) for p in world.pupils)


def test_proficiency_counts_this_years_state_results_of_the_subject(
    world: SimpleNamespace,
) -> None:
    counts = aggregate.counts(spec(Measure.PROFICIENCY, subject="ela"))
    tested = Counter((p.school, p.grade, p.race) for p in world.pupils if p.ela)
    proficient = Counter(
        (p.school, p.grade, p.race)
        for p in world.pupils
        if p.ela in ("Meeting Expectations", "Exceeding Expectations")
    )
    assert by_cell(counts) == tested
    assert +by_cell(counts, "hits") == proficient


def test_attendance_counts_students_present_at_least_nine_days_in_ten(
    world: SimpleNamespace,
) -> None:
    counts = aggregate.counts(spec(Measure.ATTENDANCE, school_days=SCHOOL_DAYS))
    present = Counter(
        (p.school, p.grade, p.race) for p in world.pupils if p.absences * 10 < SCHOOL_DAYS
    )
    assert +by_cell(counts, "hits") == present
    assert counts.school_days == SCHOOL_DAYS


def test_without_a_number_of_school_days_it_is_estimated_from_the_record(
    world: SimpleNamespace,
) -> None:
    counts = aggregate.counts(spec(Measure.ATTENDANCE))
    assert counts.school_days == aggregate.school_days(spec(Measure.ATTENDANCE))
    assert 50 < (counts.school_days or 0) <= 130


def test_school_levels_follow_the_grades_served(world: SimpleNamespace) -> None:
    ids = {school.pk for school in world.schools.values()}
    levels = aggregate.school_levels(AS_OF, ids)
    assert levels == {
        world.schools["Adams Elementary"].pk: "elementary",
        world.schools["Baker Middle"].pk: "middle",
        world.schools["Central High"].pk: "high",
    }
