"""Fixtures for the web tests: a small district built through the ORM, and logins per role.

The district (all dates relative to today):

- Adams Elementary ("north") and Baker Middle ("south"), plus a closed school.
- Tess teaches Grade 3 Math at Adams (and taught Old Algebra, an enrollment that has ended);
  Olga teaches Grade 3 Reading at Adams and Science 7 at Baker.
- Paula is principal of Adams; Priya of Baker; Pete was principal of Baker until last month.
- Carl counsels at Adams and runs Advisory 3A: Ann and Cara are on his caseload now, Dan was
  until last week.
- Sam (special education, Adams) works in Grade 3 Reading and case-manages Ann.
- Nina is the nurse at Baker.
- Gail is the parent of Ann (Adams) and Ben (Baker); a court order restricts her access to Dan,
  and her link to Eve is inactive. Hank is Cara's parent.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.test import Client

from steward.accounts.models import Account
from steward.roster.models import Caseload, Org, StaffRole

from . import factories as f
from .browser import browser, page  # noqa: F401 - shared with every browser test module

Role = Account.Role
Position = StaffRole.Position


@pytest.fixture
def district(db: None) -> SimpleNamespace:
    run = f.import_run()
    d = SimpleNamespace(run=run)
    d.district = f.org(run, "Model District", Org.Type.DISTRICT)
    d.north = f.org(run, "Adams Elementary", parent=d.district)
    d.south = f.org(run, "Baker Middle", parent=d.district)
    d.closed = f.org(run, "Old Mill School", parent=d.district)
    d.closed.active = False
    d.closed.save(update_fields=["active"])

    d.fall = f.term(run, "Fall term", -60, 60)
    d.spring = f.term(run, "Spring term", 61, 180)
    d.math = f.section(
        run, d.north, "Grade 3 Math", [d.fall, d.spring], course_title="Mathematics 3", periods="2"
    )
    d.reading = f.section(run, d.north, "Grade 3 Reading", [d.fall], course_title="Reading 3")
    d.algebra = f.section(run, d.north, "Old Algebra", [d.fall])
    d.art = f.section(run, d.north, "Cancelled Art", [d.fall], active=False)
    d.science = f.section(run, d.south, "Science 7", [d.fall], course_title="Science")
    d.advisory = f.section(run, d.north, "Advisory 3A", [d.fall])

    d.tess = f.staff(run, "Tess", "Turner")
    f.staff_role(run, d.tess, d.north, Position.TEACHER)
    f.enroll(run, d.tess, d.math, f.days(-60), None)
    f.enroll(run, d.tess, d.algebra, f.days(-200), f.days(-10))
    d.olga = f.staff(run, "Olga", "Ortiz")
    f.staff_role(run, d.olga, d.north, Position.TEACHER)
    f.staff_role(run, d.olga, d.south, Position.TEACHER)
    f.enroll(run, d.olga, d.reading)
    f.enroll(run, d.olga, d.science)
    d.paula = f.staff(run, "Paula", "Park")
    f.staff_role(run, d.paula, d.north, Position.PRINCIPAL, f.days(-400))
    d.priya = f.staff(run, "Priya", "Patel")
    f.staff_role(run, d.priya, d.south, Position.PRINCIPAL, f.days(-20))
    d.pete = f.staff(run, "Pete", "Price")
    f.staff_role(run, d.pete, d.south, Position.PRINCIPAL, f.days(-900), f.days(-30))
    d.carl = f.staff(run, "Carl", "Cruz")
    f.staff_role(run, d.carl, d.north, Position.COUNSELOR)
    f.enroll(run, d.carl, d.advisory)
    d.sam = f.staff(run, "Sam", "Shah")
    f.staff_role(run, d.sam, d.north, Position.SPECIAL_EDUCATION)
    f.enroll(run, d.sam, d.reading, f.days(-30))
    d.nina = f.staff(run, "Nina", "Nolan")
    f.staff_role(run, d.nina, d.south, Position.NURSE)

    d.ann = f.student(run, "Ann", "Avery")
    d.ben = f.student(run, "Ben", "Avery", grade="07")
    d.cara = f.student(run, "Cara", "Cole")
    d.dan = f.student(run, "Dan", "Avery")
    d.eve = f.student(run, "Eve", "Avery")
    for pupil, school in [
        (d.ann, d.north),
        (d.ben, d.south),
        (d.cara, d.north),
        (d.dan, d.north),
        (d.eve, d.north),
    ]:
        f.attend(run, pupil, school, f.days(-300))
    for pupil, on in [
        (d.ann, d.math),
        (d.ann, d.reading),
        (d.ben, d.science),
        (d.cara, d.math),
        (d.dan, d.reading),
        (d.eve, d.reading),
    ]:
        f.enroll(run, pupil, on, f.days(-60))
    f.enroll(run, d.ann, d.algebra, f.days(-200), f.days(-10))  # ended: not current

    f.caseload(run, d.carl, d.ann)
    f.caseload(run, d.carl, d.cara, begin=f.days(-100))
    f.caseload(run, d.carl, d.dan, begin=f.days(-100), end=f.days(-7))
    f.caseload(run, d.sam, d.ann, Caseload.Kind.SPECIAL_EDUCATION)

    d.gail = f.guardian(run, "Gail", "Avery")
    f.guardian_of(run, d.gail, d.ann)
    f.guardian_of(run, d.gail, d.ben)
    f.guardian_of(run, d.gail, d.dan, restricted=True)
    f.guardian_of(run, d.gail, d.eve, active=False)
    d.hank = f.guardian(run, "Hank", "Cole")
    f.guardian_of(run, d.hank, d.cara)
    return d


@pytest.fixture
def users(district: SimpleNamespace) -> SimpleNamespace:
    """One login per role, named for the role (Healthchecks style)."""
    d = district
    return SimpleNamespace(
        officer=f.login("officer", Role.PRIVACY_OFFICER),
        teacher=f.login("teacher", Role.TEACHER, staff=d.tess),
        other_teacher=f.login("other_teacher", Role.TEACHER, staff=d.olga),
        principal=f.login("principal", Role.PRINCIPAL, staff=d.paula),
        former_principal=f.login("former_principal", Role.PRINCIPAL, staff=d.pete),
        counselor=f.login("counselor", Role.COUNSELOR, staff=d.carl),
        sped=f.login("sped", Role.SPECIAL_EDUCATION, staff=d.sam),
        nurse=f.login("nurse", Role.NURSE, staff=d.nina),
        guardian=f.login("guardian", Role.GUARDIAN, guardian=d.gail),
        other_guardian=f.login("other_guardian", Role.GUARDIAN, guardian=d.hank),
        no_role=f.login("no_role"),
    )


@pytest.fixture
def client_as(client: Client) -> Callable[[User], Client]:
    """Log the test client in as a user (no password round-trip) and return it."""

    def log_in(user: User) -> Client:
        client.force_login(user)
        return client

    return log_in
