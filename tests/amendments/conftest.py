"""Fixtures for amendments, hearings and family statements (R34–R37).

The district (dates relative to today):

- Adams Elementary; Tess teaches "Grade 3 Math" (Ann and Cara are enrolled) and is the
  teacher who reported Ann's discipline incident.
- Ann (grade 3): parent Gail; one absence, a Math grade, an incident, demographics, an IEP in
  effect and a proposed IEP that starts next month (not yet accepted, R37).
- Cara (grade 3): parent Hank.
- Ben (grade 10, 15 years old): his own student login; Massachusetts gives him the amend right
  (R10) alongside his parent Gail.
- Two privacy officers: Olivia decides requests; Hugo can act as hearing officer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.test import Client

from steward.access import service
from steward.accounts.models import Account
from steward.records.models import (
    CourseGrade,
    DailyAttendance,
    DisciplineIncident,
    EducationPlan,
)
from steward.roster.models import Org, StaffRole, StudentDemographics
from tests.web import factories as f

Role = Account.Role


@pytest.fixture
def district(db: None) -> SimpleNamespace:
    service.reset()
    run = f.import_run()
    d = SimpleNamespace(run=run)
    d.district = f.org(run, "Model District", Org.Type.DISTRICT)
    d.adams = f.org(run, "Adams Elementary", parent=d.district)
    d.fall = f.term(run, "Fall term")
    d.math = f.section(run, d.adams, "Grade 3 Math", [d.fall], course_title="Mathematics 3")
    d.tess = f.staff(run, "Tess", "Turner")
    f.staff_role(run, d.tess, d.adams, StaffRole.Position.TEACHER)
    f.enroll(run, d.tess, d.math)
    d.ann = f.student(run, "Ann", "Avery")
    d.cara = f.student(run, "Cara", "Cole")
    d.ben = f.student(run, "Ben", "Avery", grade="10")
    for pupil in (d.ann, d.cara, d.ben):
        f.attend(run, pupil, d.adams)
    f.enroll(run, d.ann, d.math)
    f.enroll(run, d.cara, d.math)
    d.gail = f.guardian(run, "Gail", "Avery")
    d.gail.email = "gail@example.org"
    d.gail.save(update_fields=["email"])
    f.guardian_of(run, d.gail, d.ann)
    f.guardian_of(run, d.gail, d.ben)
    d.hank = f.guardian(run, "Hank", "Cole")
    f.guardian_of(run, d.hank, d.cara)
    StudentDemographics.objects.create(
        student=d.ann,
        birth_date=f.days(-8 * 365),
        sex="female",
        city_of_birth="Boston",
        last_import=run,
    )
    StudentDemographics.objects.create(
        student=d.ben, birth_date=f.days(-15 * 365 - 30), last_import=run
    )
    d.absence = DailyAttendance.objects.create(
        student=d.ann,
        school=d.adams,
        date=f.days(-5),
        status=DailyAttendance.Status.ABSENT_UNEXCUSED,
    )
    d.grade = CourseGrade.objects.create(
        student=d.ann, section=d.math, term=d.fall, mark="C", percent=74, posted=f.days(-3)
    )
    d.incident = DisciplineIncident.objects.create(
        student=d.ann,
        school=d.adams,
        date=f.days(-20),
        kind=DisciplineIncident.Kind.DISRUPTION,
        description="Talked during the test.",
        action=DisciplineIncident.Action.WARNING,
        reported_by=d.tess,
    )
    d.iep = EducationPlan.objects.create(
        student=d.ann,
        kind=EducationPlan.Kind.IEP,
        start_date=f.days(-100),
        end_date=f.days(265),
        summary="Reading support.",
    )
    d.proposed_iep = EducationPlan.objects.create(
        student=d.ann,
        kind=EducationPlan.Kind.IEP,
        start_date=f.days(30),
        end_date=f.days(395),
        summary="Proposed: reading and writing support.",
    )
    d.cara_absence = DailyAttendance.objects.create(
        student=d.cara,
        school=d.adams,
        date=f.days(-4),
        status=DailyAttendance.Status.TARDY,
    )
    return d


@pytest.fixture
def users(district: SimpleNamespace) -> SimpleNamespace:
    d = district
    u = SimpleNamespace(
        olivia=f.login("olivia", Role.PRIVACY_OFFICER),
        hugo=f.login("hugo", Role.PRIVACY_OFFICER),
        teacher=f.login("teacher", Role.TEACHER, staff=d.tess),
        gail=f.login("gail", Role.GUARDIAN, guardian=d.gail),
        hank=f.login("hank", Role.GUARDIAN, guardian=d.hank),
    )
    u.olivia.first_name, u.olivia.last_name, u.olivia.email = "Olivia", "Officer", "o@example.org"
    u.olivia.save()
    u.hugo.first_name, u.hugo.last_name = "Hugo", "Hearing"
    u.hugo.save()
    u.tess_officer = f.login("tess_officer", Role.PRIVACY_OFFICER, staff=d.tess)
    u.ben = User.objects.create_user(username="ben")
    Account.objects.create(user=u.ben, role=Role.STUDENT, student=d.ben)
    return u


@pytest.fixture
def client_as(client: Client) -> Callable[[User], Client]:
    def log_in(user: User) -> Client:
        client.force_login(user)
        return client

    return log_in


class Clock:
    """A clock the test moves forward: `timezone.now()` (and so `localdate()`) reads it."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    from django.utils import timezone

    made = Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", lambda: made.now)
    return made
