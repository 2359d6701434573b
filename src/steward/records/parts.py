"""Per-student reads of the record parts beyond the roster (issue #4 item 2, R38–R43).

Plain query helpers, one per record part, each with a fixed number of queries whatever the
number of rows (no N+1: related rows come by `select_related` or one `prefetch_related`).
They decide no access and write no ledger entries: only the access chokepoint
(`steward.access.record`) calls them, after the access decision, and logs the read
(design.md §3 rule 1). Each returns only the given student's rows, newest first where rows are
dated; an unknown student id gives empty results, never an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

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


def attendance(student_id: int) -> list[DailyAttendance]:
    """Days absent, tardy or dismissed early, newest first, with the school. One query.

    A school day with no row is a day present (see `DailyAttendance`).
    """
    return list(
        DailyAttendance.objects.filter(student_id=student_id)
        .select_related("school")
        .order_by("-date")
    )


def grades(student_id: int, section_ids: set[int] | None = None) -> list[CourseGrade]:
    """Course grades with their section (and course) and term, newest term first (R4).

    `section_ids` None gives the grades of every section; a set narrows them to those sections
    (a teacher sees only the grades of the sections they teach). One query; none for an empty
    set.
    """
    if section_ids is not None and not section_ids:
        return []
    rows = CourseGrade.objects.filter(student_id=student_id)
    if section_ids is not None:
        rows = rows.filter(section_id__in=sorted(section_ids))
    return list(
        rows.select_related("section", "section__course", "term").order_by(
            "-term__start_date", "section__title", "final"
        )
    )


def assessments(student_id: int) -> list[AssessmentResult]:
    """Assessment results, most recently administered first. One query."""
    return list(
        AssessmentResult.objects.filter(student_id=student_id).order_by("-administered", "name")
    )


def discipline(student_id: int) -> list[DisciplineIncident]:
    """Discipline incidents with the school and the reporting staff member, newest first.
    One query."""
    return list(
        DisciplineIncident.objects.filter(student_id=student_id)
        .select_related("school", "reported_by")
        .order_by("-date", "-pk")
    )


@dataclass(frozen=True)
class Health:
    """The health part: the nurse's notes (newest first, with the author) and the alerts
    (active first, then the most severe)."""

    notes: list[HealthNote]
    alerts: list[HealthAlert]


_SEVERITY_ORDER: dict[str, int] = {
    HealthAlert.Severity.LIFE_THREATENING: 0,
    HealthAlert.Severity.SEVERE: 1,
    HealthAlert.Severity.MODERATE: 2,
    HealthAlert.Severity.MILD: 3,
}


def health(student_id: int) -> Health:
    """Health notes and alerts. Two queries."""
    notes = list(
        HealthNote.objects.filter(student_id=student_id)
        .select_related("author")
        .order_by("-date", "-pk")
    )
    alerts = sorted(
        HealthAlert.objects.filter(student_id=student_id).order_by("pk"),
        key=lambda a: (not a.active, _SEVERITY_ORDER.get(a.severity, len(_SEVERITY_ORDER))),
    )
    return Health(notes, alerts)


def special_education(student_id: int) -> list[EducationPlan]:
    """IEP and 504 plans, newest first, each with its case manager and its accommodations
    (`plan.accommodations.all()`, already fetched). Two queries."""
    return list(
        EducationPlan.objects.filter(student_id=student_id)
        .select_related("case_manager")
        .prefetch_related(
            Prefetch("accommodations", queryset=Accommodation.objects.order_by("setting", "pk"))
        )
        .order_by("-start_date", "kind")
    )


@dataclass(frozen=True)
class AccommodationLine:
    """One line of the accommodations summary: what to provide, and where."""

    text: str
    setting: str
    setting_label: str


def accommodations_summary(student_id: int, at: dt.date | None = None) -> list[AccommodationLine]:
    """The accommodations of the plans in effect on `at` (default today), without the plans.

    What a teacher needs to teach and test the student; which plan (IEP or 504), the
    disability and the case manager stay in the special-education part. Identical lines of two
    plans appear once. One query.
    """
    day = at or timezone.localdate()
    # The text is encrypted at rest (R116): the database can neither sort nor de-duplicate
    # it, so both happen here, on the few lines of one student.
    rows = set(
        Accommodation.objects.filter(student_id=student_id)
        .filter(plan__start_date__lte=day, plan__end_date__gte=day)
        .values_list("setting", "text")
    )
    labels = dict(Accommodation.Setting.choices)
    return [
        AccommodationLine(text, setting, str(labels[setting])) for setting, text in sorted(rows)
    ]


def student_work(student_id: int) -> list[StudentWork]:
    """Student work items with their section, newest first. One query."""
    return list(
        StudentWork.objects.filter(student_id=student_id)
        .select_related("section")
        .order_by("-created", "-pk")
    )
