"""Fixtures for the privacy-office pages: one login per role, and a way to sign in."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.test import Client

from steward.accounts.models import Account
from tests.web import factories as f

Role = Account.Role


@pytest.fixture
def users(db: None) -> SimpleNamespace:
    """Logins named for their role (Healthchecks style), and two students for the filters.

    Roles are given as plain strings, as they come back from the database.
    """
    run = f.import_run()
    tess = f.staff(run, "Tess", "Turner")
    gail = f.guardian(run, "Gail", "Avery")
    officer = f.login("officer", Role.PRIVACY_OFFICER.value)
    officer.first_name, officer.last_name = "Rita", "Reyes"
    officer.save(update_fields=["first_name", "last_name"])
    return SimpleNamespace(
        officer=officer,
        teacher=f.login("teacher", Role.TEACHER.value, staff=tess),
        guardian=f.login("guardian", Role.GUARDIAN.value, guardian=gail),
        no_role=f.login("no_role"),
        root=f.login("root", is_staff=True, is_superuser=True),
        ann=f.student(run, "Ann", "Avery"),
        ben=f.student(run, "Ben", "Avery"),
    )


@pytest.fixture
def client_as(client: Client) -> Callable[[User], Client]:
    """Log the test client in as a user (no password round-trip) and return it."""

    def log_in(user: User) -> Client:
        client.force_login(user)
        return client

    return log_in
