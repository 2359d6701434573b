"""The narrow destroyers: each removes its part of one student's record and nothing else."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

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
from steward.retention import destroy
from steward.roster.models import (
    Caseload,
    Enrollment,
    Guardian,
    GuardianRelationship,
    SpecialIndicators,
    Student,
    StudentDemographics,
    StudentSchool,
)

WHOLE_PARTS = [
    ("attendance", [DailyAttendance]),
    ("assessments", [AssessmentResult]),
    ("discipline", [DisciplineIncident]),
    ("health", [HealthNote, HealthAlert]),
    ("special_education", [Accommodation, EducationPlan]),
    ("special_indicators", [SpecialIndicators]),
    ("student_generated_content", [StudentWork]),
]


@pytest.mark.parametrize(("scope", "models"), WHOLE_PARTS)
def test_a_temporary_part_loses_every_row_of_that_student_only(
    world: SimpleNamespace, scope: str, models: list[type]
) -> None:
    outcome = destroy.DESTROYERS[(scope, "temporary")](world.ana.pk)
    assert sum(outcome.removed.values()) == len(models)
    for model in models:
        assert not model.objects.filter(student=world.ana).exists()  # type: ignore[attr-defined]
        assert model.objects.filter(student=world.cal).exists()  # type: ignore[attr-defined]


def test_the_temporary_part_of_grades_keeps_final_marks_without_comments(
    world: SimpleNamespace,
) -> None:
    outcome = destroy.grades_temporary(world.ana.pk)
    assert outcome.removed == {"progress grades": 1, "teachers' comments": 1}
    final = CourseGrade.objects.get(student=world.ana)
    assert final.final and final.mark == "A" and final.comment == ""
    assert CourseGrade.objects.filter(student=world.cal, comment="Careful work.").exists()
    destroy.grades_transcript(world.ana.pk)
    assert not CourseGrade.objects.filter(student=world.ana).exists()
    assert CourseGrade.objects.filter(student=world.cal).count() == 2


def test_the_roster_keeps_the_transcript_until_its_own_date(world: SimpleNamespace) -> None:
    for key in ("directory", "contact", "demographics", "enrollment_schedule", "guardian_contact"):
        destroy.DESTROYERS[(key, "temporary")](world.ana.pk)
    ana = Student.objects.get(pk=world.ana.pk)
    assert (ana.given_name, ana.family_name) == ("Ana", "Avery")
    assert ana.email == "" and ana.username == "" and not ana.enabled
    demographics = StudentDemographics.objects.get(student=world.ana)
    assert (
        demographics.birth_date is not None
        and demographics.sex == ""
        and demographics.white is None
    )
    assert not StudentSchool.objects.filter(student=world.ana).exists()
    assert not Caseload.objects.filter(student=world.ana).exists()
    assert Enrollment.objects.filter(student=world.ana).exists()  # the classes: transcript
    gail = Guardian.objects.get(pk=world.gail.pk)
    assert gail.given_name == "Gail" and gail.username == ""
    assert StudentSchool.objects.filter(student=world.cal).exists()


def test_the_transcript_leaves_an_empty_shell_of_the_student(world: SimpleNamespace) -> None:
    for scope, part in destroy.DESTROYERS:
        destroy.DESTROYERS[(scope, part)](world.ana.pk)
    ana = Student.objects.get(pk=world.ana.pk)
    assert ana.given_name == ana.family_name == ana.phone == ""
    assert ana.sourced_id == world.ana.sourced_id
    assert not Enrollment.objects.filter(student=world.ana).exists()
    assert not StudentDemographics.objects.filter(student=world.ana).exists()
    assert not GuardianRelationship.objects.filter(student=world.ana).exists()
    assert Guardian.objects.get(pk=world.gail.pk).given_name == ""


def test_a_parent_of_another_student_keeps_their_details(world: SimpleNamespace) -> None:
    Guardian.objects.filter(pk=world.gus.pk).update(email="gus@example.org")
    destroy.guardians_temporary(world.dan.pk)
    destroy.guardians_transcript(world.dan.pk)
    gus = Guardian.objects.get(pk=world.gus.pk)
    assert (gus.given_name, gus.email) == ("Gus", "gus@example.org")
    assert GuardianRelationship.objects.filter(guardian=gus, student=world.cal).exists()
    assert not GuardianRelationship.objects.filter(guardian=gus, student=world.dan).exists()
