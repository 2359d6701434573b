"""The family portal (issue #5 item 6): invitations and activation, my children, a child's
record and log, each URL in four states; no guardian ever reaches another family's child."""

from __future__ import annotations

import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from steward.audit.models import Action, Entry
from steward.portal.actions import do_activate_account, do_invite_guardian
from steward.portal.models import Invitation

Login = Callable[[User], Client]
PASSWORD = "a long family passphrase 2026"


def _child_urls(pk: int) -> list[str]:
    return [f"/portal/children/{pk}/", f"/portal/children/{pk}/log/"]


def _invite(district: SimpleNamespace, django_capture_on_commit_callbacks: Any) -> str:
    district.hank.email = "hank@example.org"
    district.hank.save()
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, code = do_invite_guardian(district.hank)
    return code


@pytest.mark.parametrize("url", ["/portal/", *_child_urls(1)])
def test_it_sends_anonymous_visitors_to_the_login_page(client: Client, db: None, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("who", ["teacher", "officer", "no_role"])
def test_staff_and_logins_without_a_role_get_403(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace, who: str
) -> None:
    client = client_as(getattr(users, who))
    for url in ["/portal/", *_child_urls(district.ann.pk)]:
        assert client.get(url).status_code == 403, url


def test_a_guardian_never_reaches_another_familys_child(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.guardian)  # Gail: Ann and Ben; restricted for Dan; ended for Eve
    before = Entry.objects.count()
    for other in (district.cara, district.dan, district.eve):
        for url in _child_urls(other.pk):
            assert client.get(url).status_code == 404, url
    for url in _child_urls(10_000_000):
        assert client.get(url).status_code == 404
    assert Entry.objects.count() == before  # nothing read, nothing logged


def test_a_guardian_sees_their_children_and_each_record_in_full(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.guardian)
    home = client.get("/portal/").content.decode()
    assert "Ann Avery" in home and "Ben Avery" in home
    assert "Dan Avery" not in home and "Eve Avery" not in home and "Cara" not in home
    assert 'href="/portal/requests/"' in home  # to see or copy a record (R24-R27)
    before = Entry.objects.count()
    page = client.get(f"/portal/children/{district.ann.pk}/")
    assert page.status_code == 200
    parts = re.findall(r'id="part-([a-z_]+)"', page.content.decode())
    assert "health" in parts and "grades_transcript" in parts and "directory" in parts
    reads = Entry.objects.filter(seq__gt=before)
    assert reads.count() == len(parts)
    assert set(reads.values_list("action", flat=True)) == {Action.READ}


def test_the_log_shows_a_teachers_read_when_the_district_shows_staff_reads(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace, settings: Any
) -> None:
    client_as(users.teacher).get(f"/students/{district.ann.pk}/")
    client = client_as(users.guardian)
    settings.STEWARD_FAMILY_LOG_STAFF_READS = False
    hidden = client.get(f"/portal/children/{district.ann.pk}/log/").content.decode()
    assert "Via section Grade 3 Math" not in hidden  # R66: staff reads not listed by default
    settings.STEWARD_FAMILY_LOG_STAFF_READS = True
    shown = client.get(f"/portal/children/{district.ann.pk}/log/").content.decode()
    assert "Via section Grade 3 Math" in shown  # the reason the teacher could see the record


def test_an_invitation_is_e_mailed_with_a_one_time_code_and_only_its_hash_is_kept(
    district: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    code = _invite(district, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == ["hank@example.org"]
    assert code in message.body and f"/portal/activate/?code={code}" in message.body
    invitation = Invitation.objects.get()
    assert code not in invitation.code_sha256
    assert Entry.objects.filter(purpose="family portal invitation").count() == 1


def test_the_invitation_e_mail_speaks_the_chosen_language(
    district: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    district.hank.email = "hank@example.org"
    district.hank.save()
    with django_capture_on_commit_callbacks(execute=True):
        do_invite_guardian(district.hank, language="es")
    assert mail.outbox  # the subject and body go through gettext in the chosen language


def test_a_guardian_without_e_mail_or_child_is_not_invited(district: SimpleNamespace) -> None:
    with pytest.raises(ValidationError):
        do_invite_guardian(district.hank)  # no e-mail address on the roster
    assert not Invitation.objects.exists() and not mail.outbox


def test_activation_creates_the_login_once_and_signs_in(
    client: Client, district: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    code = _invite(district, django_capture_on_commit_callbacks)
    page = client.get(f"/portal/activate/?code={code}")
    assert page.status_code == 200 and code in page.content.decode()
    response = client.post(
        "/portal/activate/", {"code": code, "password": PASSWORD, "password_again": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert "Cara Cole" in client.get("/portal/").content.decode()
    user = User.objects.get(username="hank@example.org")
    assert user.account.guardian_id == district.hank.pk and user.check_password(PASSWORD)
    with pytest.raises(ValidationError):  # used once
        do_activate_account(code, password=PASSWORD)


@pytest.mark.parametrize("bad", ["wrong-code", ""])
def test_a_wrong_code_is_refused_and_nothing_is_created(
    client: Client, district: SimpleNamespace, django_capture_on_commit_callbacks: Any, bad: str
) -> None:
    _invite(district, django_capture_on_commit_callbacks)
    users_before = User.objects.count()
    response = client.post(
        "/portal/activate/", {"code": bad, "password": PASSWORD, "password_again": PASSWORD}
    )
    assert response.status_code == 400
    assert User.objects.count() == users_before


def test_a_weak_password_is_refused_and_the_code_still_works(
    client: Client, district: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    code = _invite(district, django_capture_on_commit_callbacks)
    weak = client.post(
        "/portal/activate/", {"code": code, "password": "1234", "password_again": "1234"}
    )
    assert weak.status_code == 400
    assert Invitation.objects.get().used_at is None
    assert do_activate_account(code, password=PASSWORD).username == "hank@example.org"


def test_the_log_speaks_the_familys_language_down_to_roles_actions_and_parts(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace, settings: Any
) -> None:
    settings.STEWARD_FAMILY_LOG_STAFF_READS = True
    client_as(users.teacher).get(f"/students/{district.ann.pk}/")
    client = client_as(users.guardian)
    client.post("/i18n/setlang/", {"language": "es", "next": "/portal/"})
    html = client.get(f"/portal/children/{district.ann.pk}/log/").content.decode()
    assert "(maestro)" in html and "consulta" in html  # the teacher's role, "read"
    assert "Asistencia" in html and "attendance" not in html  # record parts by their names
