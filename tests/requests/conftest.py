"""Fixtures for access requests (R24–R33, R18): a small district built through the ORM.

- Adams School. Ana Avery (grade 3) lives with Gail Avery, her custodial parent; Nick Avery
  is her parent without custody; a court order restricts Rex Avery. Ben Brown and Cal Cole
  are classmates; Gus Cole is Cal's parent. Dee Diaz (grade 10, 15) has her own login.
- Ana's record: an attendance note, a grade, a discipline incident whose description names Ben
  and Cal, a health note, a piece of work.
- Logins: the privacy officers Olivia and Otto, the teacher Tess, and the families.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from steward.access import service
from steward.accounts.models import Account
from steward.records.models import (
    CourseGrade,
    DailyAttendance,
    DisciplineIncident,
    HealthNote,
    StudentWork,
)
from steward.requests import actions
from steward.requests.models import AccessRequest
from steward.roster.models import GuardianRelationship, Org, StaffRole, StudentDemographics
from tests.web import factories as f

Role = Account.Role
Login = Callable[[User], Client]
Capture = Callable[..., Any]  # pytest-django's django_capture_on_commit_callbacks


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """An aware instant on `day` (district time)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


DAY0 = dt.date(2026, 3, 2)


@pytest.fixture
def district(db: None) -> SimpleNamespace:
    service.reset()
    run = f.import_run()
    d = SimpleNamespace(run=run)
    d.district = f.org(run, "Model District", Org.Type.DISTRICT)
    d.adams = f.org(run, "Adams School", parent=d.district)
    d.term = f.term(run, "Fall")
    d.tess = f.staff(run, "Tess", "Turner")
    f.staff_role(run, d.tess, d.adams, StaffRole.Position.TEACHER)
    d.homeroom = f.section(run, d.adams, "Grade 3 Homeroom", [d.term], course_title="Homeroom 3")
    f.enroll(run, d.tess, d.homeroom)
    d.ana = f.student(run, "Ana", "Avery")
    d.ana.identifier = "S-1001"
    d.ana.email = "ana.avery@students.example"
    d.ana.save(update_fields=["identifier", "email"])
    d.ben = f.student(run, "Ben", "Brown")
    d.ben.identifier = "S-2002"
    d.ben.save(update_fields=["identifier"])
    d.cal = f.student(run, "Cal", "Cole")
    d.dee = f.student(run, "Dee", "Diaz", grade="10")
    StudentDemographics.objects.create(
        student=d.dee, birth_date=dt.date.today() - dt.timedelta(days=15 * 366), last_import=run
    )
    for pupil in (d.ana, d.ben, d.cal, d.dee):
        f.attend(run, pupil, d.adams)
        f.enroll(run, pupil, d.homeroom)
    d.gail = f.guardian(run, "Gail", "Avery")
    d.gail.email, d.gail.phone = "gail@example.org", "(617) 555-0100"
    d.gail.save(update_fields=["email", "phone"])
    f.guardian_of(run, d.gail, d.ana)
    d.nick = f.guardian(run, "Nick", "Avery")
    d.nick.email = "nick@example.org"
    d.nick.save(update_fields=["email"])
    link = f.guardian_of(run, d.nick, d.ana)
    link.custodial = False
    link.save(update_fields=["custodial"])
    d.nick_link = link
    d.rex = f.guardian(run, "Rex", "Avery")
    f.guardian_of(run, d.rex, d.ana, restricted=True)
    d.gus = f.guardian(run, "Gus", "Cole")
    f.guardian_of(run, d.gus, d.cal)
    _record(d)
    return d


def _record(d: SimpleNamespace) -> None:
    ana, today = d.ana, dt.date.today()
    DailyAttendance.objects.create(
        student=ana, school=d.adams, date=today, status="absent_excused", note="Dentist"
    )
    CourseGrade.objects.create(
        student=ana, section=d.homeroom, term=d.term, mark="A", posted=today, comment="Great work"
    )
    d.incident = DisciplineIncident.objects.create(
        student=ana,
        school=d.adams,
        date=today,
        kind="fighting",
        description="Pushed Ben Brown (S-2002) at recess; Cal saw it.",
        action="conference",
        reported_by=d.tess,
    )
    HealthNote.objects.create(student=ana, date=today, author=None, text="Headache, rested.")
    StudentWork.objects.create(
        student=ana, section=d.homeroom, title="My summer", body="I went to the lake.",
        content_type="text/plain", created=today,
    )  # fmt: skip


@pytest.fixture
def users(district: SimpleNamespace) -> SimpleNamespace:
    d = district
    olivia = f.login("olivia", Role.PRIVACY_OFFICER)
    olivia.email, olivia.first_name, olivia.last_name = "olivia@district.example", "Olivia", "Ode"
    olivia.save()
    otto = f.login("otto", Role.PRIVACY_OFFICER)
    otto.email = "otto@district.example"
    otto.save()
    dee = User.objects.create_user(username="dee")
    Account.objects.create(user=dee, role=Role.STUDENT, student=d.dee)
    return SimpleNamespace(
        officer=olivia,
        otto=otto,
        teacher=f.login("teacher", Role.TEACHER, staff=d.tess),
        gail=f.login("gail", Role.GUARDIAN, guardian=d.gail),
        nick=f.login("nick", Role.GUARDIAN, guardian=d.nick),
        rex=f.login("rex", Role.GUARDIAN, guardian=d.rex),
        gus=f.login("gus", Role.GUARDIAN, guardian=d.gus),
        dee=dee,
    )


@pytest.fixture
def client_as(client: Client) -> Login:
    def log_in(user: User) -> Client:
        client.force_login(user)
        return client

    return log_in


def submit(user: User, student: Any, kind: str = "copy", **kw: Any) -> AccessRequest:
    return actions.do_submit_request(user, student, kind, **kw)


def restrict(link: GuardianRelationship) -> None:
    link.access_restricted = True
    link.save(update_fields=["access_restricted"])
