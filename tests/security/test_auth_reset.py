"""District IT resets a user's second factor (a lost phone): the superuser's page and
`steward mfa-reset`, both in the ledger with the reason (R33, R116(1), R116(4))."""

from __future__ import annotations

from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .auth_support import age_session, enrol, security_events

pytestmark = pytest.mark.django_db

URL = "/security/mfa/reset/"
REASON = "lost phone; called back at the school office number"


def test_the_reset_page_sends_anonymous_visitors_to_sign_in(client: Client, db: None) -> None:
    assert client.get(URL)["Location"].startswith("/login/?next=")
    assert client.post(URL, {"username": "x", "reason": "y"})["Location"].startswith("/login/")


@pytest.mark.parametrize("who", ["officer", "teacher", "guardian", "no_role"])
def test_the_reset_page_is_for_superusers_only(
    client: Client, auth_people: SimpleNamespace, who: str
) -> None:
    enrol(auth_people.teacher)
    client.force_login(getattr(auth_people, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"username": "teacher", "reason": REASON}).status_code == 403
    assert TOTPDevice.objects.filter(user=auth_people.teacher).exists()


def test_a_superuser_resets_a_teachers_second_factor(
    client: Client, auth_people: SimpleNamespace
) -> None:
    enrol(auth_people.teacher, codes=("a2345678",))
    client.force_login(auth_people.root)
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"username": "teacher", "reason": REASON})
    assert response["Location"] == URL
    assert "set it up again at their next sign-in" in client.get(URL).content.decode()
    assert not TOTPDevice.objects.filter(user=auth_people.teacher).exists()
    assert not StaticDevice.objects.filter(user=auth_people.teacher).exists()
    [reset] = security_events("mfa_reset")
    assert reset["username"] == "teacher" and reset["user_id"] == auth_people.teacher.pk
    assert reset["reason"] == REASON and reset["devices"] == 2 and reset["via"] == "page"
    assert reset["_actor_user_id"] == auth_people.root.pk


def test_the_reset_needs_a_known_username_and_a_reason(
    client: Client, auth_people: SimpleNamespace
) -> None:
    client.force_login(auth_people.root)
    unknown = client.post(URL, {"username": "nobody", "reason": REASON})
    assert unknown.status_code == 400
    assert "There is no user with this username." in unknown.content.decode()
    assert client.post(URL, {"username": "teacher", "reason": ""}).status_code == 400
    assert security_events("mfa_reset") == []


def test_the_reset_page_needs_a_recent_authentication(
    client: Client, auth_people: SimpleNamespace
) -> None:
    enrol(auth_people.teacher)
    client.force_login(auth_people.root)
    age_session(client, password=3600, code=3600)
    response = client.post(URL, {"username": "teacher", "reason": REASON})
    assert response["Location"].startswith("/security/reauthenticate/?next=")
    assert TOTPDevice.objects.filter(user=auth_people.teacher).exists()


def test_steward_mfa_reset_removes_the_devices_and_records_the_reason(
    auth_people: SimpleNamespace,
) -> None:
    enrol(auth_people.officer)
    out = StringIO()
    call_command("mfa_reset", "officer", "--reason", REASON, stdout=out)
    assert "The second factor of officer is removed" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=auth_people.officer).exists()
    [reset] = security_events("mfa_reset")
    assert reset["via"] == "command" and reset["reason"] == REASON
    assert reset["_actor_user_id"] is None


def test_steward_mfa_reset_refuses_an_unknown_user_or_an_empty_reason(db: None) -> None:
    with pytest.raises(CommandError, match="no user with the username ghost"):
        call_command("mfa_reset", "ghost", "--reason", REASON, stdout=StringIO())
    with pytest.raises(CommandError, match="must say why"):
        call_command("mfa_reset", "ghost", "--reason", "  ", stdout=StringIO())
    assert security_events("mfa_reset") == []


def test_a_reset_user_sets_up_again_at_the_next_sign_in(
    client: Client, auth_people: SimpleNamespace, mfa_real_flow: None
) -> None:
    enrol(auth_people.teacher)
    call_command("mfa_reset", "teacher", "--reason", REASON, stdout=StringIO())
    client.force_login(auth_people.teacher)
    assert client.get("/")["Location"].startswith("/security/mfa/setup/")


def test_a_reset_ends_the_verification_of_sessions_already_open(
    client: Client, auth_people: SimpleNamespace
) -> None:
    client.force_login(auth_people.teacher)  # verified with a device by the shortcut
    assert client.get("/").status_code == 200
    call_command("mfa_reset", "teacher", "--reason", REASON, stdout=StringIO())
    assert client.get("/")["Location"].startswith("/security/mfa/setup/")
