"""Synthetic student records: deterministic, complete for every student, true to the roster."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

import pytest
from django.db.models import Q

from steward.records import synth
from steward.records.actions import do_generate_records
from steward.records.models import (
    AssessmentResult,
    CourseGrade,
    DailyAttendance,
    DisciplineIncident,
    EducationPlan,
    HealthAlert,
    StudentWork,
)
from steward.records.synth_roster import default_through, holidays, is_school_day, load_roster
from steward.roster.models import Enrollment, SectionTerm, SpecialIndicators, Student

from .conftest import STUDENTS, YEAR_END, YEAR_START, records_snapshot

MID_YEAR = dt.date(2026, 11, 20)
pytestmark = pytest.mark.usefixtures("district")


def test_it_generates_the_same_records_for_the_same_seed() -> None:
    do_generate_records(seed=5, through=YEAR_END)
    first = records_snapshot()
    do_generate_records(seed=5, through=YEAR_END, replace=True)
    assert records_snapshot() == first
    do_generate_records(seed=6, through=YEAR_END, replace=True)
    other = records_snapshot()
    assert other["attendance"] != first["attendance"]
    assert other["grades"] != first["grades"]


def test_every_student_gets_attendance_grades_assessments_and_work() -> None:
    do_generate_records(seed=1, through=YEAR_END)
    students = set(Student.objects.values_list("pk", flat=True))
    assert len(students) == STUDENTS
    for model in (DailyAttendance, CourseGrade, AssessmentResult, StudentWork):
        have = set(model.objects.values_list("student_id", flat=True))
        assert have == students, model.__name__


def test_only_students_flagged_iep_or_504_get_plans_and_every_one_of_them_does() -> None:
    do_generate_records(seed=1, through=YEAR_END)
    flagged = {
        (sid, kind)
        for sid, iep, s504 in SpecialIndicators.objects.values_list(
            "student_id", "iep", "section504"
        )
        for kind, on in (("iep", iep), ("section504", s504))
        if on
    }
    plans = set(EducationPlan.objects.values_list("student_id", "kind"))
    assert flagged and plans == flagged
    iep_categories = set(
        EducationPlan.objects.filter(kind="iep").values_list("disability_category", flat=True)
    )
    assert "" not in iep_categories
    assert set(
        EducationPlan.objects.filter(kind="section504").values_list(
            "disability_category", flat=True
        )
    ) <= {""}
    for plan in EducationPlan.objects.prefetch_related("accommodations"):
        accommodations = list(plan.accommodations.all())
        assert 3 <= len(accommodations) <= 7
        assert {a.student_id for a in accommodations} == {plan.student_id}


def test_every_plan_in_effect_covers_the_school_year_without_gaps() -> None:
    do_generate_records(seed=1, through=YEAR_END)
    for (_student, _kind), spans in _plan_spans().items():
        assert spans[0][0] <= YEAR_START
        assert spans[-1][1] >= YEAR_END
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert start == end + dt.timedelta(days=1)


def _plan_spans() -> dict[tuple[int, str], list[tuple[dt.date, dt.date]]]:
    spans: dict[tuple[int, str], list[tuple[dt.date, dt.date]]] = {}
    for student, kind, start, end in EducationPlan.objects.order_by("start_date").values_list(
        "student_id", "kind", "start_date", "end_date"
    ):
        spans.setdefault((student, kind), []).append((start, end))
    return spans


def test_it_grades_each_enrolled_section_in_each_term_that_has_begun() -> None:
    do_generate_records(seed=1, through=MID_YEAR)
    terms = {}
    for section, term, start, end in SectionTerm.objects.values_list(
        "section_id", "term_id", "term__start_date", "term__end_date"
    ):
        terms.setdefault(section, []).append((term, start, end))
    expected = set()
    for student, section, begin, end in Enrollment.objects.filter(role="student").values_list(
        "student_id", "section_id", "begin_date", "end_date"
    ):
        for term, start, stop in terms.get(section, []):
            first, last = max(start, begin or start), min(stop, end or stop)
            if first <= last and first <= MID_YEAR:
                expected.add((student, section, term))
    graded = list(CourseGrade.objects.values_list("student_id", "section_id", "term_id"))
    assert len(graded) == len(set(graded))
    assert set(graded) == expected
    # Mid-term: progress grades, none final unless the student withdrew ("W").
    assert set(CourseGrade.objects.filter(final=True).values_list("mark", flat=True)) <= {"W"}


def test_final_grades_follow_the_end_of_the_term() -> None:
    do_generate_records(seed=1, through=YEAR_END + dt.timedelta(days=10))
    final = CourseGrade.objects.filter(final=True).exclude(mark="W").select_related("term")
    assert final
    for grade in final:
        assert grade.posted == grade.term.end_date + dt.timedelta(days=7)
    assert not CourseGrade.objects.filter(final=False).exists()


def test_nothing_is_dated_after_the_through_date() -> None:
    do_generate_records(seed=3, through=MID_YEAR)
    late = Q(date__gt=MID_YEAR)
    assert not DailyAttendance.objects.filter(late).exists()
    assert not DisciplineIncident.objects.filter(late).exists()
    assert not CourseGrade.objects.filter(posted__gt=MID_YEAR).exists()
    assert not AssessmentResult.objects.filter(administered__gt=MID_YEAR).exists()
    assert not StudentWork.objects.filter(created__gt=MID_YEAR).exists()
    assert not EducationPlan.objects.filter(start_date__gt=MID_YEAR).exists()


def test_attendance_falls_on_school_days_only() -> None:
    do_generate_records(seed=1, through=YEAR_END)
    dates = set(DailyAttendance.objects.values_list("date", flat=True))
    assert dates and all(is_school_day(d) for d in dates)
    assert not dates & holidays(2027)
    assert dt.date(2026, 12, 25) in holidays(2027)  # winter break
    assert dt.date(2026, 11, 26) in holidays(2027)  # Thanksgiving


def test_the_shares_look_like_a_real_district() -> None:
    do_generate_records(seed=1, through=YEAR_END)
    absent = DailyAttendance.objects.filter(status__startswith="absent").count()
    school_days = 0
    roster = load_roster()
    for pupil in synth.pupils(roster, 1, YEAR_END):
        school_days += len(pupil.calendar.days)
    assert 0.03 <= absent / school_days <= 0.11
    with_discipline = DisciplineIncident.objects.values("student").distinct().count()
    assert 0.02 <= with_discipline / STUDENTS <= 0.25
    with_alerts = HealthAlert.objects.values("student").distinct().count()
    assert 0.05 <= with_alerts / STUDENTS <= 0.3
    flagged = set(
        SpecialIndicators.objects.filter(health_alert=True).values_list("student_id", flat=True)
    )
    urgent = HealthAlert.objects.filter(severity__in=["severe", "life_threatening"], active=True)
    assert flagged <= set(urgent.values_list("student_id", flat=True))
    names = Counter(AssessmentResult.objects.values_list("name", flat=True))
    assert any(name.startswith("MCAS ELA Grade") for name in names)


def test_the_default_date_is_today_within_the_school_year() -> None:
    roster = load_roster()
    assert default_through(roster, dt.date(2026, 11, 28)) == dt.date(2026, 11, 28)
    # In the summer before, and in the first weeks: the sixth week, so there is a record.
    assert default_through(roster, dt.date(2026, 7, 15)) == YEAR_START + dt.timedelta(weeks=6)
    assert default_through(roster, dt.date(2027, 8, 1)) == YEAR_END
