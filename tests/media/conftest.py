"""Fixtures for media release (R128–R135): one school, two sections, their families.

- Adams Elementary: Tess teaches "Grade 3 Homeroom" (Ana, Ben); Omar teaches "Art" (Cal).
- Gail is Ana's guardian; Rex is Ana's parent barred by a court order (restricted);
  Gus is Cal's guardian.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from steward.access import service
from steward.accounts.models import Account
from steward.media import actions, selectors
from steward.media.models import MediaRelease, MediaUse
from steward.roster.models import Org, StaffRole
from tests.web import factories as f

Role = Account.Role
Position = StaffRole.Position
TEXT = "I allow the school to use my child's image, voice and work as chosen below."


@pytest.fixture
def district(db: None) -> SimpleNamespace:
    service.reset()
    run = f.import_run()
    d = SimpleNamespace(run=run)
    d.district = f.org(run, "Model District", Org.Type.DISTRICT)
    d.adams = f.org(run, "Adams Elementary", parent=d.district)
    d.term = f.term(run, "Fall")
    d.tess = f.staff(run, "Tess", "Turner")
    f.staff_role(run, d.tess, d.adams, Position.TEACHER)
    d.omar = f.staff(run, "Omar", "Ortiz")
    f.staff_role(run, d.omar, d.adams, Position.TEACHER)
    d.homeroom = f.section(run, d.adams, "Grade 3 Homeroom", [d.term])
    d.art = f.section(run, d.adams, "Art", [d.term])
    f.enroll(run, d.tess, d.homeroom)
    f.enroll(run, d.omar, d.art)
    d.ana = f.student(run, "Ana", "Avery")
    d.ben = f.student(run, "Ben", "Brown")
    d.cal = f.student(run, "Cal", "Cole")
    for pupil in (d.ana, d.ben, d.cal):
        f.attend(run, pupil, d.adams)
    f.enroll(run, d.ana, d.homeroom)
    f.enroll(run, d.ben, d.homeroom)
    f.enroll(run, d.cal, d.art)
    d.gail = f.guardian(run, "Gail", "Avery")
    f.guardian_of(run, d.gail, d.ana)
    d.rex = f.guardian(run, "Rex", "Avery")
    f.guardian_of(run, d.rex, d.ana, restricted=True)
    d.gus = f.guardian(run, "Gus", "Cole")
    f.guardian_of(run, d.gus, d.cal)
    return d


@pytest.fixture
def users(district: SimpleNamespace) -> SimpleNamespace:
    d = district
    return SimpleNamespace(
        teacher=f.login("teacher", Role.TEACHER, staff=d.tess),
        art_teacher=f.login("art_teacher", Role.TEACHER, staff=d.omar),
        gail=f.login("gail", Role.GUARDIAN, guardian=d.gail),
        rex=f.login("rex", Role.GUARDIAN, guardian=d.rex),
        gus=f.login("gus", Role.GUARDIAN, guardian=d.gus),
        officer=f.login("officer", Role.PRIVACY_OFFICER),
    )


@pytest.fixture
def client_as(client: Client) -> Callable[[User], Client]:
    def log_in(user: User) -> Client:
        client.force_login(user)
        return client

    return log_in


def year() -> str:
    return selectors.school_year(timezone.now())


def answers(allowed: bool = True, **overrides: bool) -> dict[str, bool]:
    """An explicit answer for every active use: `allowed`, except the overrides."""
    keys = MediaUse.objects.filter(active=True).values_list("key", flat=True)
    return {key: allowed for key in keys} | overrides


def sign(
    guardian_user: User, student: object, choices: Mapping[str, bool] | None = None
) -> MediaRelease:
    return actions.do_sign_media_release(
        student,  # type: ignore[arg-type]
        year(),
        answers() if choices is None else choices,
        TEXT,
        guardian_user,
    )
