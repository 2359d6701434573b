"""The per-student part readers: only the student's rows, a fixed number of queries each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.db.models import Count, Model

from steward.records import parts
from steward.records.actions import do_generate_records
from steward.records.models import (
    Accommodation,
    AssessmentResult,
    CourseGrade,
    DailyAttendance,
    DisciplineIncident,
    EducationPlan,
    HealthAlert,
    HealthNote,
    StudentWork,
)

from .conftest import YEAR_END

NumQueries = Callable[[int], AbstractContextManager[object]]
pytestmark = pytest.mark.usefixtures("district")


@pytest.fixture(autouse=True)
def _records(district: None) -> None:
    do_generate_records(seed=1, through=YEAR_END)


def _busiest(model: type[Model]) -> int:
    """The student with the most rows in `model` (so that N+1 reads would show)."""
    rows = model._default_manager.values("student").annotate(n=Count("pk"))
    return int(rows.order_by("-n", "student")[0]["student"])


def test_attendance_reads_one_students_rows_newest_first_in_one_query(
    django_assert_num_queries: NumQueries,
) -> None:
    sid = _busiest(DailyAttendance)
    with django_assert_num_queries(1):
        rows = parts.attendance(sid)
        schools = {row.school.name for row in rows}
    assert len(rows) == DailyAttendance.objects.filter(student_id=sid).count() > 1
    assert {row.student_id for row in rows} == {sid}
    assert schools
    assert [row.date for row in rows] == sorted((row.date for row in rows), reverse=True)


def test_grades_read_every_section_or_only_the_given_ones(
    django_assert_num_queries: NumQueries,
) -> None:
    sid = _busiest(CourseGrade)
    with django_assert_num_queries(1):
        every = parts.grades(sid)
        titles = {(g.section.title, g.term.title) for g in every}
    assert len(every) == CourseGrade.objects.filter(student_id=sid).count() > 2
    assert {g.student_id for g in every} == {sid}
    assert len(titles) == len(every)
    section = every[0].section_id
    with django_assert_num_queries(1):
        mine = parts.grades(sid, {section})
    assert mine and {g.section_id for g in mine} == {section}
    assert mine == [g for g in every if g.section_id == section]
    with django_assert_num_queries(0):
        assert parts.grades(sid, set()) == []
    other = CourseGrade.objects.exclude(student_id=sid).values_list("section_id", flat=True)[0]
    if other not in {g.section_id for g in every}:
        assert parts.grades(sid, {other}) == []


def test_assessments_read_one_students_results_in_one_query(
    django_assert_num_queries: NumQueries,
) -> None:
    sid = _busiest(AssessmentResult)
    with django_assert_num_queries(1):
        rows = parts.assessments(sid)
    assert len(rows) == AssessmentResult.objects.filter(student_id=sid).count() > 1
    assert {row.student_id for row in rows} == {sid}
    assert rows[0].administered == max(row.administered for row in rows)


def test_discipline_reads_incidents_with_school_and_reporter_in_one_query(
    django_assert_num_queries: NumQueries,
) -> None:
    sid = _busiest(DisciplineIncident)
    with django_assert_num_queries(1):
        rows = parts.discipline(sid)
        names = [(i.school.name, i.reported_by.display_name if i.reported_by else "") for i in rows]
    assert len(names) == DisciplineIncident.objects.filter(student_id=sid).count() >= 1
    assert {row.student_id for row in rows} == {sid}


def test_health_reads_notes_and_alerts_in_two_queries(
    django_assert_num_queries: NumQueries,
) -> None:
    sid = _busiest(HealthNote)
    with django_assert_num_queries(2):
        record = parts.health(sid)
        authors = [n.author.display_name if n.author else "" for n in record.notes]
    assert len(authors) == HealthNote.objects.filter(student_id=sid).count() >= 1
    assert len(record.alerts) == HealthAlert.objects.filter(student_id=sid).count()
    assert {n.student_id for n in record.notes} | {a.student_id for a in record.alerts} == {sid}
    alerted = _busiest(HealthAlert)
    alerts = parts.health(alerted).alerts
    assert alerts and [a.active for a in alerts] == sorted((a.active for a in alerts), reverse=True)


def test_special_education_reads_plans_with_accommodations_in_two_queries(
    django_assert_num_queries: NumQueries,
) -> None:
    sid = _busiest(EducationPlan)
    with django_assert_num_queries(2):
        plans = parts.special_education(sid)
        texts = [a.text for plan in plans for a in plan.accommodations.all()]
        managers = [plan.case_manager for plan in plans]
    assert len(plans) == EducationPlan.objects.filter(student_id=sid).count() >= 1
    assert len(managers) == len(plans)
    assert len(texts) == Accommodation.objects.filter(student_id=sid).count()
    assert {plan.student_id for plan in plans} == {sid}


def test_the_accommodations_summary_lists_only_plans_in_effect_in_one_query(
    django_assert_num_queries: NumQueries,
) -> None:
    sid = _busiest(EducationPlan)
    plans = list(EducationPlan.objects.filter(student_id=sid).order_by("start_date"))
    first = plans[0]
    day = first.start_date + dt.timedelta(days=1)
    in_effect = [p for p in plans if p.start_date <= day <= p.end_date]
    expected = {(a.text, a.setting) for a in Accommodation.objects.filter(plan__in=in_effect)}
    with django_assert_num_queries(1):
        lines = parts.accommodations_summary(sid, day)
    assert {(line.text, line.setting) for line in lines} == expected
    assert len(lines) == len(expected)  # the same accommodation in two plans appears once
    assert all(line.setting_label for line in lines)
    before = first.start_date - dt.timedelta(days=1)
    assert parts.accommodations_summary(sid, before) == []


def test_student_work_reads_items_with_their_class_in_one_query(
    django_assert_num_queries: NumQueries,
) -> None:
    sid = _busiest(StudentWork)
    with django_assert_num_queries(1):
        rows = parts.student_work(sid)
        classes = {w.section.title for w in rows if w.section}
    assert len(rows) == StudentWork.objects.filter(student_id=sid).count() >= 2
    assert classes
    assert {w.student_id for w in rows} == {sid}
    for work in rows:
        assert bool(work.body) != bool(work.file_name)
        assert work.content_type


def test_an_unknown_student_has_empty_parts() -> None:
    missing = 10**9
    assert parts.attendance(missing) == []
    assert parts.grades(missing) == []
    assert parts.assessments(missing) == []
    assert parts.discipline(missing) == []
    assert parts.health(missing) == parts.Health([], [])
    assert parts.special_education(missing) == []
    assert parts.accommodations_summary(missing) == []
    assert parts.student_work(missing) == []
