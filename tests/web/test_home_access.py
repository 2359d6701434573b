"""The home page: anonymous visitors, users without a role, and which template each role gets."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

Login = Callable[[User], Client]


def test_it_sends_anonymous_visitors_to_the_login_page(client: Client, db: None) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_it_tells_a_user_without_an_account_that_no_role_is_assigned(
    client_as: Login, users: SimpleNamespace
) -> None:
    response = client_as(users.no_role).get(reverse("home"))
    assert response.status_code == 200
    assert response.templates[0].name == "accounts/home_no_role.html"
    assert "No role assigned" in response.content.decode()


def test_it_tells_a_bare_superuser_that_no_role_is_assigned(
    client_as: Login, db: None, django_user_model: type[User]
) -> None:
    root = django_user_model.objects.create_superuser("root", password=None)
    response = client_as(root).get(reverse("home"))
    assert "No role assigned" in response.content.decode()


@pytest.mark.parametrize(
    ("user", "template"),
    [
        ("officer", "accounts/home_privacy_officer.html"),
        ("principal", "accounts/home_principal.html"),
        ("teacher", "accounts/home_teacher.html"),
        ("sped", "accounts/home_special_education.html"),
        ("counselor", "accounts/home_counselor.html"),
        ("nurse", "accounts/home_nurse.html"),
        ("guardian", "accounts/home_guardian.html"),
    ],
)
def test_it_picks_the_template_from_the_account_role(
    client_as: Login, users: SimpleNamespace, user: str, template: str
) -> None:
    response = client_as(getattr(users, user)).get(reverse("home"))
    assert response.status_code == 200
    assert response.templates[0].name == template
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert 'href="#main"' in html


@pytest.mark.parametrize(
    ("user", "queries"),
    [
        # session, user, account, the second-factor check (the device of a verified staff
        # session; the account's role for others, R33) — then the role's selectors
        ("officer", 5),
        ("principal", 7),
        ("teacher", 7),
        ("sped", 8),
        ("counselor", 8),
        ("nurse", 5),
        ("guardian", 8),
        ("no_role", 4),
    ],
)
def test_it_does_a_fixed_number_of_queries_per_role(
    client_as: Login,
    users: SimpleNamespace,
    django_assert_num_queries: Callable[..., object],
    user: str,
    queries: int,
) -> None:
    client = client_as(getattr(users, user))
    with django_assert_num_queries(queries):  # type: ignore[attr-defined]
        assert client.get(reverse("home")).status_code == 200
