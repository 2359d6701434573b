"""Eligible students get the family portal for themselves (issue #5 item 6; R9, R10): an
invitation to their own e-mail, a login of their own, their own record only, and only once
the rights rules give them inspection (Massachusetts: 14 or grade 9)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from steward.accounts.models import Account
from steward.portal.actions import do_activate_account, do_invite_student
from steward.roster.models import StudentDemographics
from tests.web import factories as f

Login = Callable[[User], Client]
PASSWORD = "a long student passphrase 2026"


def _born(district: SimpleNamespace, pupil: Any, years: int, days: int = 0) -> None:
    today = f.today()
    birth = today.replace(year=today.year - years) + dt.timedelta(days=days)
    StudentDemographics.objects.update_or_create(
        student=pupil, defaults={"birth_date": birth, "last_import": district.run}
    )
    pupil.email = f"{pupil.given_name.lower()}@students.example.org"
    pupil.save()


def test_a_thirteen_year_old_in_grade_three_is_not_invited(district: SimpleNamespace) -> None:
    _born(district, district.ann, 14, days=1)  # 14 tomorrow
    with pytest.raises(ValidationError):
        do_invite_student(district.ann)
    assert not mail.outbox


def test_a_fourteen_year_old_activates_and_sees_only_their_own_record(
    client: Client, district: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    _born(district, district.ann, 14)
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, code = do_invite_student(district.ann)
    assert mail.outbox[0].to == ["ann@students.example.org"]
    user = do_activate_account(code, password=PASSWORD)
    assert user.account.role == Account.Role.STUDENT and user.account.student_id == district.ann.pk
    client.force_login(user)
    home = client.get("/portal/").content.decode()
    assert "Ann Avery" in home and "Ben Avery" not in home
    assert client.get(f"/portal/children/{district.ann.pk}/").status_code == 200
    assert client.get(f"/portal/children/{district.ann.pk}/log/").status_code == 200
    for other in (district.ben, district.cara):
        assert client.get(f"/portal/children/{other.pk}/").status_code == 404
    assert client.get(f"/students/{district.ann.pk}/").status_code == 200  # the same chokepoint
    assert client.get("/portal/notices/").status_code == 200  # read-only for students


def test_invite_command_sends_only_to_students_who_hold_rights(
    district: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    _born(district, district.ann, 15)
    _born(district, district.cara, 12)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("invite_guardians", "--students")
    assert [m.to for m in mail.outbox] == [["ann@students.example.org"]]


def test_a_students_home_page_is_the_portal(client: Client, district: SimpleNamespace) -> None:
    user = User.objects.create_user(username="ann-herself")
    Account.objects.create(user=user, role=Account.Role.STUDENT, student=district.ann)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/portal/"
