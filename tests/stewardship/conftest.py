"""Fixtures for stewardship (R44, R138): two schools, their staff, and one login per role.

- Adams Elementary: Tess teaches, Paula is principal, Carl counsels; Old Ollie's position
  there ended last month.
- Baker Middle: Nina is the nurse.
- Gail is a guardian; `no_role` is a login without an account; `root` a bare superuser.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.test import Client

from steward.accounts.models import Account
from steward.roster.models import Org, StaffRole
from steward.stewardship import attestation, rules
from steward.stewardship.models import TrainingAttestation
from tests.web import factories as f

Role = Account.Role
Position = StaffRole.Position


@pytest.fixture
def district(db: None) -> SimpleNamespace:
    run = f.import_run()
    d = SimpleNamespace(run=run)
    d.district = f.org(run, "Model District", Org.Type.DISTRICT)
    d.north = f.org(run, "Adams Elementary", parent=d.district)
    d.south = f.org(run, "Baker Middle", parent=d.district)
    d.tess = f.staff(run, "Tess", "Turner")
    f.staff_role(run, d.tess, d.north, Position.TEACHER)
    d.paula = f.staff(run, "Paula", "Park")
    f.staff_role(run, d.paula, d.north, Position.PRINCIPAL, f.days(-400))
    d.carl = f.staff(run, "Carl", "Cruz")
    f.staff_role(run, d.carl, d.north, Position.COUNSELOR)
    d.ollie = f.staff(run, "Ollie", "Olsen")
    f.staff_role(run, d.ollie, d.north, Position.TEACHER, f.days(-900), f.days(-30))
    d.nina = f.staff(run, "Nina", "Nolan")
    f.staff_role(run, d.nina, d.south, Position.NURSE)
    d.gail = f.guardian(run, "Gail", "Avery")
    return d


@pytest.fixture
def users(district: SimpleNamespace) -> SimpleNamespace:
    """Logins named for their role (Healthchecks style), without passwords (hashing is slow;
    the login tests set one where they need it)."""
    d = district
    officer = f.login("officer", Role.PRIVACY_OFFICER)
    officer.first_name, officer.last_name = "Rita", "Reyes"
    officer.save(update_fields=["first_name", "last_name"])
    return SimpleNamespace(
        officer=officer,
        teacher=f.login("teacher", Role.TEACHER, staff=d.tess),
        principal=f.login("principal", Role.PRINCIPAL, staff=d.paula),
        counselor=f.login("counselor", Role.COUNSELOR, staff=d.carl),
        nurse=f.login("nurse", Role.NURSE, staff=d.nina),
        guardian=f.login("guardian", Role.GUARDIAN, guardian=d.gail),
        no_role=f.login("no_role"),
        root=f.login("root", is_staff=True, is_superuser=True),
    )


@pytest.fixture
def client_as(client: Client) -> Callable[[User], Client]:
    """Log the test client in as a user (no password round-trip) and return it."""

    def log_in(user: User) -> Client:
        client.force_login(user)
        return client

    return log_in


def attest(user: User, at: dt.datetime, text: str = "I confirm.") -> TrainingAttestation:
    """An attestation made at `at`, written straight through the ORM (rules tests)."""
    return TrainingAttestation.objects.create(
        user=user,
        period=rules.training_period(at).label,
        text=text,
        text_sha256=attestation.sha256(text),
        confirmed_at=at,
    )
