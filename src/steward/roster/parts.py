"""Per-student reads of the roster's record parts (directory, contact, demographics,
enrollment and schedule, special indicators, guardian contact).

Plain query helpers with a fixed number of queries each. They do not decide access and write
no ledger entries: only `steward.access.record` calls them, after the access decision, and
logs the read (design.md §3 rule 1).
"""

from __future__ import annotations

from dataclasses import dataclass

from steward.roster.models import (
    Caseload,
    Enrollment,
    GuardianRelationship,
    SpecialIndicators,
    Student,
    StudentDemographics,
    StudentSchool,
)


def student(student_id: int) -> Student:
    """The student row (directory and contact fields). One query."""
    return Student.objects.get(pk=student_id)


def demographics(student_id: int) -> StudentDemographics | None:
    """The demographics row, if the source system sent one. One query."""
    return StudentDemographics.objects.filter(student_id=student_id).first()


def special_indicators(student_id: int) -> SpecialIndicators | None:
    """The special-indicator flags, if any were sent. One query."""
    return SpecialIndicators.objects.filter(student_id=student_id).first()


@dataclass(frozen=True)
class Schedule:
    """Schools, section enrollments (with section, course and school) and caseload staff."""

    schools: list[StudentSchool]
    enrollments: list[Enrollment]
    caseloads: list[Caseload]


def schedule(student_id: int) -> Schedule:
    """Everything the enrollment-and-schedule part shows. Three queries."""
    schools = list(
        StudentSchool.objects.filter(student_id=student_id)
        .select_related("school")
        .order_by("-begin_date", "school__name")
    )
    enrollments = list(
        Enrollment.objects.filter(student_id=student_id)
        .select_related("section", "section__course", "school")
        .order_by("section__periods", "section__title", "begin_date")
    )
    caseloads = list(
        Caseload.objects.filter(student_id=student_id)
        .select_related("staff")
        .order_by("kind", "begin_date")
    )
    return Schedule(schools, enrollments, caseloads)


def guardians(student_id: int) -> list[GuardianRelationship]:
    """The student's guardian links with the guardian rows. One query."""
    return list(
        GuardianRelationship.objects.filter(student_id=student_id)
        .select_related("guardian")
        .order_by("-active", "guardian__family_name", "guardian__given_name")
    )
