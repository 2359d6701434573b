"""Sign-in and sign-out."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from steward.accounts.models import Account

from . import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def teacher(db: None) -> User:
    return f.login("teacher", password=PASSWORD)


def test_it_shows_an_accessible_login_form(client: Client) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert 'class="skip-link" href="#main"' in html
    assert 'id="main"' in html
    assert '<label for="id_username"' in html
    assert '<label for="id_password"' in html
    assert 'autocomplete="current-password"' in html
    assert "csrfmiddlewaretoken" in html


def test_it_logs_a_user_in_with_the_right_password_and_sends_them_home(
    client: Client, teacher: User
) -> None:
    response = client.post(reverse("login"), {"username": "teacher", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert int(client.session["_auth_user_id"]) == teacher.pk


def test_it_refuses_a_wrong_password(client: Client, teacher: User) -> None:
    response = client.post(reverse("login"), {"username": "teacher", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'role="alert"' in response.content.decode()
    assert "Please enter a correct username and password" in response.content.decode()


def test_it_refuses_an_unknown_user(client: Client, db: None) -> None:
    response = client.post(reverse("login"), {"username": "nobody", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_refuses_an_inactive_user(client: Client, teacher: User) -> None:
    teacher.is_active = False
    teacher.save(update_fields=["is_active"])
    client.post(reverse("login"), {"username": "teacher", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_it_follows_a_safe_next_but_not_an_outside_one(client: Client, teacher: User) -> None:
    form = {"username": "teacher", "password": PASSWORD}
    response = client.post(reverse("login") + "?next=/admin/", form)
    assert response["Location"] == "/admin/"
    client.logout()
    response = client.post(reverse("login") + "?next=https://evil.example/", form)
    assert response["Location"] == reverse("home")


def test_it_hashes_passwords_with_argon2(teacher: User) -> None:
    assert teacher.password.startswith("argon2")


def test_it_sends_a_signed_in_user_from_the_login_page_home(client: Client, teacher: User) -> None:
    client.force_login(teacher)
    response = client.get(reverse("login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_it_logs_out_only_by_post(client: Client, teacher: User) -> None:
    client.force_login(teacher)
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_logout_post_without_csrf_token(teacher: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)
    assert client.post(reverse("logout")).status_code == 403
    assert "_auth_user_id" in client.session


def test_it_offers_a_sign_out_button_and_admin_link_only_to_superusers(
    client: Client, teacher: User
) -> None:
    Account.objects.create(user=teacher, role=Account.Role.PRIVACY_OFFICER)
    client.force_login(teacher)
    html = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("logout")}"' in html
    assert 'href="/admin/"' not in html
    root = f.login("root", is_staff=True, is_superuser=True)
    client.force_login(root)
    assert 'href="/admin/"' in client.get(reverse("home")).content.decode()
