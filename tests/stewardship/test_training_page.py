"""/training/: a staff member reads the attestation and confirms it with an explicit tick
(R44, R138). Anonymous → login page; guardians and accounts without a staff role → 403."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steward.audit.models import Entry
from steward.stewardship import actions, attestation
from steward.stewardship.models import TrainingAttestation

from .conftest import attest

Login = Callable[[User], Client]
URL = "/training/"


def _confirm(client: Client, **data: str) -> object:
    body = {"confirm": "on", "text_sha256": attestation.sha256(attestation.current_text())}
    return client.post(URL, body | data)


def test_the_page_lives_at_training() -> None:
    assert reverse("stewardship-training") == URL


def test_it_sends_anonymous_visitors_to_the_login_page(client: Client, db: None) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"
    assert client.post(URL, {"confirm": "on"}).status_code == 302
    assert not TrainingAttestation.objects.exists()


@pytest.mark.parametrize("user", ["guardian", "no_role", "root"])
def test_it_forbids_logins_without_record_access(
    client_as: Login, users: SimpleNamespace, user: str
) -> None:
    client = client_as(getattr(users, user))
    assert client.get(URL).status_code == 403
    assert _confirm(client).status_code == 403  # type: ignore[attr-defined]
    assert not TrainingAttestation.objects.exists()


@pytest.mark.parametrize("user", ["officer", "teacher", "principal", "counselor", "nurse"])
def test_it_opens_for_every_staff_role_and_the_privacy_officer(
    client_as: Login, users: SimpleNamespace, user: str
) -> None:
    response = client_as(getattr(users, user)).get(URL)
    assert response.status_code == 200
    assert response.templates[0].name == "stewardship/training.html"
    html = response.content.decode()
    assert "603 CMR 23.00" in html and "FERPA" in html
    assert 'data-status="overdue"' in html
    assert 'name="confirm"' in html and "csrfmiddlewaretoken" in html
    assert 'id="training-nav-link"' in html


def test_a_teacher_confirms_with_the_box_ticked(client_as: Login, users: SimpleNamespace) -> None:
    client = client_as(users.teacher)
    response = client.post(
        URL,
        {"confirm": "on", "text_sha256": attestation.sha256(attestation.current_text())},
        follow=True,
    )
    assert response.redirect_chain == [(URL, 302)]
    [made] = TrainingAttestation.objects.filter(user=users.teacher)
    assert made.text == attestation.current_text()
    html = response.content.decode()
    assert 'data-status="current"' in html
    assert "Your privacy training confirmation is recorded" in html
    assert made.period in html
    assert 'id="training-form"' not in html
    assert Entry.objects.filter(purpose=actions.TRAINING_PURPOSE).count() == 1


def test_it_records_nothing_without_the_tick(client_as: Login, users: SimpleNamespace) -> None:
    client = client_as(users.teacher)
    response = client.post(URL, {"text_sha256": attestation.sha256(attestation.current_text())})
    assert response.status_code == 200
    assert "Tick the box to confirm." in response.content.decode()
    assert not TrainingAttestation.objects.exists()
    assert not Entry.objects.filter(purpose=actions.TRAINING_PURPOSE).exists()


def test_it_records_nothing_when_the_text_changed_after_it_was_shown(
    client_as: Login, users: SimpleNamespace
) -> None:
    response = _confirm(client_as(users.teacher), text_sha256="0" * 64)
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "Read it again" in response.content.decode()  # type: ignore[attr-defined]
    assert not TrainingAttestation.objects.exists()


def test_it_refuses_a_post_without_csrf_token(users: SimpleNamespace) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users.teacher)
    assert _confirm(client).status_code == 403  # type: ignore[attr-defined]
    assert not TrainingAttestation.objects.exists()


def test_it_accepts_only_get_and_post(client_as: Login, users: SimpleNamespace) -> None:
    assert client_as(users.teacher).put(URL).status_code == 405


def test_it_lists_only_the_users_own_confirmations(
    client_as: Login, users: SimpleNamespace
) -> None:
    mine = attest(users.teacher, timezone.now(), text="mine")
    theirs = attest(users.principal, timezone.now(), text="theirs")
    html = client_as(users.teacher).get(URL).content.decode()
    assert mine.text_sha256[:12] in html
    assert theirs.text_sha256[:12] not in html


def test_it_says_record_access_is_blocked_under_block(
    client_as: Login, users: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEWARD_TRAINING_ENFORCEMENT", "block")
    html = client_as(users.teacher).get(URL).content.decode()
    assert "Student record access is blocked until you confirm." in html
    monkeypatch.setenv("STEWARD_TRAINING_ENFORCEMENT", "warn")
    html = client_as(users.teacher).get(URL).content.decode()
    assert "blocked" not in html


def test_it_does_a_fixed_number_of_queries(
    client_as: Login,
    users: SimpleNamespace,
    django_assert_num_queries: Callable[..., object],
) -> None:
    for _ in range(5):
        attest(users.teacher, timezone.now())
    client = client_as(users.teacher)
    # session, user, the second factor's device (R33), account, status, own confirmations
    with django_assert_num_queries(6):  # type: ignore[attr-defined]
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize(
    ("user", "linked"), [("teacher", True), ("officer", True), ("guardian", False)]
)
def test_the_home_page_links_the_training_page_for_staff_only(
    client_as: Login, users: SimpleNamespace, user: str, linked: bool
) -> None:
    html = client_as(getattr(users, user)).get(reverse("home")).content.decode()
    assert ('id="training-nav-link"' in html) is linked
