"""Fixtures for retention (R100–R106): one school, two families, full records.

- Adams High: Tess teaches "Biology" (Ana, Cal, Dan).
- Ana (grade 10, 15 years old: an eligible student under MA law, R10) left on 2025-06-20:
  her school membership ended. Gail is her mother. Ana has a row in every record part.
- Cal and Dan are siblings, both enrolled; Gus is the parent of both.
- Users: the privacy officer, Tess (teacher), Gail and Gus (guardians), a second officer.

Days are fixed (the clock the actions take as `today`), never the machine's date, except
where an action stamps `timezone.now()` on a row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.test import Client

from steward.access import service
from steward.accounts.models import Account
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
from steward.retention.actions import exits, notices
from steward.retention.models import Exit, ExitKind, ExitNotice, SendMethod
from steward.roster.models import (
    AcademicSession,
    ImportRun,
    Org,
    Section,
    SpecialIndicators,
    StaffRole,
    Student,
    StudentDemographics,
)
from tests.web import factories as f

Role = Account.Role
EXIT_DAY = dt.date(2025, 6, 20)
TEMPORARY_DAY = dt.date(2032, 6, 20)
TRANSCRIPT_DAY = dt.date(2085, 6, 20)


def full_record(
    run: ImportRun, student: Student, school: Org, section: Section, term: AcademicSession
) -> None:
    """A row in every record part for `student`."""
    StudentDemographics.objects.create(
        student=student,
        birth_date=dt.date(2010, 3, 1),
        sex="female",
        white=True,
        city_of_birth="Lowell",
        last_import=run,
    )
    SpecialIndicators.objects.create(student=student, iep=True, last_import=run)
    DailyAttendance.objects.create(
        student=student, school=school, date=dt.date(2025, 3, 3), status="absent_excused"
    )
    CourseGrade.objects.create(
        student=student, section=section, term=term, mark="A", credits=Decimal("1.00"),
        comment="Careful work.", posted=dt.date(2025, 6, 1), final=True,
    )  # fmt: skip
    CourseGrade.objects.create(
        student=student, section=section, term=term, mark="B", posted=dt.date(2025, 3, 1),
        final=False,
    )  # fmt: skip
    AssessmentResult.objects.create(
        student=student, name="MCAS Biology", subject="Biology", administered=dt.date(2025, 5, 5),
        school_year=2025, scale_score=510,
    )  # fmt: skip
    DisciplineIncident.objects.create(
        student=student, school=school, date=dt.date(2025, 2, 2), kind="device",
        description="Phone in class.", action="warning",
    )  # fmt: skip
    HealthNote.objects.create(student=student, date=dt.date(2025, 1, 9), text="Visit.")
    HealthAlert.objects.create(student=student, kind="allergy", text="Peanuts", severity="severe")
    plan = EducationPlan.objects.create(
        student=student, kind="iep", start_date=dt.date(2024, 9, 1), end_date=dt.date(2025, 8, 31)
    )
    Accommodation.objects.create(plan=plan, student=student, text="Extra time", setting="testing")
    StudentWork.objects.create(
        student=student, title="Lab report", body="Cells.", content_type="text/plain",
        created=dt.date(2025, 4, 4),
    )  # fmt: skip


@pytest.fixture
def world(db: None) -> SimpleNamespace:
    service.reset()
    run = f.import_run()
    w = SimpleNamespace(run=run)
    w.district = f.org(run, "Model District", Org.Type.DISTRICT)
    w.adams = f.org(run, "Adams High", parent=w.district)
    w.term = f.term(run, "Spring")
    w.tess = f.staff(run, "Tess", "Turner")
    f.staff_role(run, w.tess, w.adams, StaffRole.Position.TEACHER)
    w.biology = f.section(run, w.adams, "Biology", [w.term])
    f.enroll(run, w.tess, w.biology)
    w.ana = f.student(run, "Ana", "Avery", grade="10")
    Student.objects.filter(pk=w.ana.pk).update(email="ana@example.org")
    w.ana.refresh_from_db()
    f.attend(run, w.ana, w.adams, end=EXIT_DAY)
    f.enroll(run, w.ana, w.biology, end=EXIT_DAY)
    f.caseload(run, w.tess, w.ana)
    full_record(run, w.ana, w.adams, w.biology, w.term)
    w.gail = f.guardian(run, "Gail", "Avery")
    f.guardian_of(run, w.gail, w.ana)
    w.cal = f.student(run, "Cal", "Cole")
    w.dan = f.student(run, "Dan", "Cole")
    for pupil in (w.cal, w.dan):
        f.attend(run, pupil, w.adams)
        f.enroll(run, pupil, w.biology)
    full_record(run, w.cal, w.adams, w.biology, w.term)
    w.gus = f.guardian(run, "Gus", "Cole")
    f.guardian_of(run, w.gus, w.cal)
    f.guardian_of(run, w.gus, w.dan)
    return w


@pytest.fixture
def users(world: SimpleNamespace) -> SimpleNamespace:
    return SimpleNamespace(
        officer=f.login("privacy", Role.PRIVACY_OFFICER),
        teacher=f.login("tess", Role.TEACHER, staff=world.tess),
        gail=f.login("gail", Role.GUARDIAN, guardian=world.gail),
        gus=f.login("gus", Role.GUARDIAN, guardian=world.gus),
    )


@pytest.fixture
def client_as(client: Client) -> Callable[[User], Client]:
    def log_in(user: User) -> Client:
        client.force_login(user)
        return client

    return log_in


def exit_ana(world: SimpleNamespace, user: User | None = None) -> Exit:
    """Ana's withdrawal on EXIT_DAY, recorded by staff."""
    return exits.record_exit(world.ana, ExitKind.WITHDRAWAL, EXIT_DAY, user=user, today=EXIT_DAY)


def deliver(exit: Exit, user: User) -> ExitNotice:
    """Send Ana's notice by certified mail and record its delivery."""
    notice = exit.notice
    notices.mark_sent(notice, SendMethod.CERTIFIED_MAIL, user=user)
    return notices.record_delivery(notice, "certified mail receipt 7019-1", user=user)
