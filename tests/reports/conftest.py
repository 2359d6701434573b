"""Fixtures for the report pages: the generated district, one login per role, a client."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.test import Client

from steward.accounts.models import Account
from steward.roster.models import StaffRole
from tests.web import factories as f
from tests.web.browser import browser, page  # noqa: F401 - for the browser tests

from .factories import district


@pytest.fixture
def world(db: None) -> SimpleNamespace:
    w = district(seed=21, students=150)
    adams = w.schools["Adams Elementary"]
    tess = f.staff(w.run, "Tess", "Turner")
    f.staff_role(w.run, tess, adams, StaffRole.Position.TEACHER)
    gail = f.guardian(w.run, "Gail", "Guardian")
    w.officer = f.login("officer", Account.Role.PRIVACY_OFFICER)
    w.teacher = f.login("teacher", Account.Role.TEACHER, staff=tess)
    w.guardian = f.login("guardian", Account.Role.GUARDIAN, guardian=gail)
    return w


@pytest.fixture
def client_as(client: Client) -> Callable[[User], Client]:
    def log_in(user: User) -> Client:
        client.force_login(user)
        return client

    return log_in
