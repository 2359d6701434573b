"""/admin/ is for superusers only; roster tables are read-only; student tables are absent."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.test import Client

from steward.accounts.models import Account
from tests.security.auth_support import pass_second_factor

from . import factories as f

Login = Callable[[User], Client]
PASSWORD = "a long admin passphrase"


@pytest.fixture
def root(db: None) -> User:
    return f.login("root", password=PASSWORD, is_staff=True, is_superuser=True)


@pytest.fixture
def staff_only(db: None) -> User:
    """Django staff without superuser: must get nothing."""
    return f.login("it_helper", password=PASSWORD, is_staff=True)


def test_it_sends_anonymous_visitors_of_the_admin_to_its_login(client: Client, db: None) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_refuses_the_admin_to_a_staff_user_who_is_not_a_superuser(
    client_as: Login, staff_only: User
) -> None:
    client = client_as(staff_only)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/roster/org/").status_code == 302
    assert client.get("/admin/auth/user/").status_code == 302


def test_it_refuses_an_admin_sign_in_by_a_staff_user_who_is_not_a_superuser(
    client: Client, staff_only: User
) -> None:
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "it_helper", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_refuses_the_admin_to_roles_without_superuser(
    client_as: Login, users: SimpleNamespace
) -> None:
    for user in [users.officer, users.principal, users.guardian]:
        assert client_as(user).get("/admin/").status_code == 302


def test_it_refuses_the_admin_to_an_inactive_superuser(client: Client, root: User) -> None:
    root.is_active = False
    root.save(update_fields=["is_active"])
    client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_it_lets_a_superuser_sign_in_to_the_admin(client: Client, root: User) -> None:
    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 302
    # A superuser owes a second factor (R33): the admin waits until it is given.
    assert client.get("/admin/")["Location"] == "/security/mfa/setup/?next=%2Fadmin%2F"
    pass_second_factor(client, root, "/admin/")
    assert client.get("/admin/").status_code == 200


def test_it_lets_a_superuser_who_is_not_django_staff_in(client_as: Login, db: None) -> None:
    # The rule is superuser, not is_staff: has_permission checks only is_superuser.
    root = f.login("root2", is_superuser=True)
    assert client_as(root).get("/admin/").status_code == 200


def test_it_lets_a_superuser_browse_roster_tables_read_only(
    client_as: Login, root: User, district: SimpleNamespace
) -> None:
    client = client_as(root)
    for url in [
        "/admin/roster/org/",
        "/admin/roster/section/",
        "/admin/roster/staff/",
        "/admin/roster/staffrole/",
        "/admin/roster/academicsession/",
        "/admin/roster/course/",
        "/admin/roster/importrun/",
        "/admin/accounts/account/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'href="{url}add/"' not in response.content.decode(), url
    section = district.math
    detail = client.get(f"/admin/roster/section/{section.pk}/change/")
    assert detail.status_code == 200
    assert "Grade 3 Math" in detail.content.decode()
    assert 'type="submit" value="Save"' not in detail.content.decode()


def test_it_refuses_roster_writes_through_the_admin(
    client_as: Login, root: User, district: SimpleNamespace
) -> None:
    client = client_as(root)
    org = district.north
    assert client.get("/admin/roster/org/add/").status_code == 403
    response = client.post(f"/admin/roster/org/{org.pk}/change/", {"name": "Renamed"})
    assert response.status_code == 403
    assert client.post(f"/admin/roster/org/{org.pk}/delete/", {"post": "yes"}).status_code == 403
    org.refresh_from_db()
    assert org.name == "Adams Elementary"


def test_it_refuses_account_writes_through_the_admin(
    client_as: Login, root: User, users: SimpleNamespace
) -> None:
    account = Account.objects.get(user=users.teacher)
    response = client_as(root).post(
        f"/admin/accounts/account/{account.pk}/change/", {"role": "privacy_officer"}
    )
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.role == Account.Role.TEACHER


@pytest.mark.parametrize(
    "model",
    [
        "student",
        "studentschool",
        "studentdemographics",
        "specialindicators",
        "enrollment",
        "caseload",
        "guardian",
        "guardianrelationship",
    ],
)
def test_it_keeps_student_data_out_of_the_admin(client_as: Login, root: User, model: str) -> None:
    assert client_as(root).get(f"/admin/roster/{model}/").status_code == 404


def test_it_pins_the_admin_section_list_query_count(
    client_as: Login,
    root: User,
    district: SimpleNamespace,
    django_assert_num_queries: Callable[..., object],
) -> None:
    client = client_as(root)
    client.get("/admin/roster/section/")
    # 5 for the page, and the second factor's device of the session (R33).
    with django_assert_num_queries(6):  # type: ignore[attr-defined]
        assert client.get("/admin/roster/section/").status_code == 200
