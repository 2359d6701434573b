"""Multi-factor sign-in (R33, R116(1); #10 item 1): enrolling an app with a QR code, recovery
codes shown once and used once, the verification step after the password, wrong and throttled
codes, removal by the user with a code, and the ledger entries of each."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from steward.security import mfa

from .auth_support import code_of, enrol, security_events, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_throttle(settings: Any) -> None:
    """Let a right code follow a wrong one at once (the throttle has its own test)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _pending_key(client: Client) -> str:
    key = client.session[mfa.PENDING_KEY]
    assert isinstance(key, str)
    return key


def test_a_teacher_is_sent_to_set_up_an_app_after_the_password(
    client: Client, auth_people: SimpleNamespace, mfa_real_flow: None
) -> None:
    response = sign_in(client, "teacher")
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"] == "/security/mfa/setup/?next=%2F"


def test_the_setup_page_shows_a_qr_code_and_the_key_as_text(
    client: Client, auth_people: SimpleNamespace, mfa_real_flow: None
) -> None:
    client.force_login(auth_people.teacher)
    page = client.get("/security/mfa/setup/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<svg width="' in html and 'class="mfa-qr"' in html
    assert "<script" not in html and "style=" not in html  # the Content Security Policy
    key = _pending_key(client)
    assert mfa.key_text(key) in html
    assert 'id="mfa-required"' in html
    # Reloading shows the same key: the app the user already scanned stays valid.
    client.get("/security/mfa/setup/")
    assert _pending_key(client) == key
    assert not TOTPDevice.objects.exists()  # nothing is stored before a code confirms it


def test_the_provisioning_uri_names_the_issuer_and_the_user(
    auth_people: SimpleNamespace,
) -> None:
    key = mfa.new_key()
    uri = mfa.provisioning_uri(auth_people.teacher, key)
    assert uri.startswith("otpauth://totp/Steward%3Ateacher?secret=")
    assert "issuer=Steward" in uri
    assert mfa.key_text(key).replace(" ", "") in uri


def test_enrolling_with_a_first_code_turns_mfa_on_and_shows_ten_codes_once(
    client: Client, auth_people: SimpleNamespace, mfa_real_flow: None
) -> None:
    client.force_login(auth_people.teacher)
    client.get("/security/mfa/setup/?next=/students/")
    key = _pending_key(client)
    response = client.post("/security/mfa/setup/", {"code": code_of(key), "next": "/students/"})
    assert response.status_code == 302
    assert response["Location"] == "/security/mfa/recovery-codes/"
    device = TOTPDevice.objects.get(user=auth_people.teacher)
    assert device.confirmed and device.key == key
    shown = client.get("/security/mfa/recovery-codes/")
    assert shown["Cache-Control"] == "no-store"
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", shown.content.decode())
    assert len(codes) == 10 == len(set(codes))
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert stored == set(codes)
    assert 'href="/students/"' in shown.content.decode()  # then on to where they were going
    again = client.get("/security/mfa/recovery-codes/").content.decode()
    assert "<code>" not in again and "shown only once" in again
    assert client.get("/").status_code == 200  # the session is verified
    [enrolled] = security_events("mfa_enrolled")
    assert enrolled["_actor_user_id"] == auth_people.teacher.pk
    assert enrolled["recovery_codes"] == 10


def test_a_wrong_first_code_enrols_nothing(
    client: Client, auth_people: SimpleNamespace, mfa_real_flow: None
) -> None:
    client.force_login(auth_people.teacher)
    client.get("/security/mfa/setup/")
    response = client.post("/security/mfa/setup/", {"code": "000000x"})
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.exists()
    assert client.get("/")["Location"].startswith("/security/mfa/setup/")


def test_the_code_that_confirmed_the_app_cannot_be_replayed_to_sign_in(
    client: Client, auth_people: SimpleNamespace, mfa_real_flow: None, no_throttle: None
) -> None:
    client.force_login(auth_people.teacher)
    client.get("/security/mfa/setup/")
    key = _pending_key(client)
    code = code_of(key)
    client.post("/security/mfa/setup/", {"code": code})
    other = Client()
    other.force_login(auth_people.teacher)
    assert other.post("/security/mfa/verify/", {"code": code}).status_code == 400


def test_setup_is_refused_to_an_unverified_session_of_an_enrolled_user(
    client: Client, auth_people: SimpleNamespace, mfa_real_flow: None
) -> None:
    device = enrol(auth_people.teacher)
    client.force_login(auth_people.teacher)
    response = client.get("/security/mfa/setup/")
    assert response["Location"].startswith("/security/mfa/verify/")
    assert client.post("/security/mfa/setup/", {"code": "123456"}).status_code == 302
    assert list(TOTPDevice.objects.all()) == [device]  # a password alone swaps in no app


def test_an_enrolled_user_is_asked_for_a_code_and_gets_in_with_it(
    client: Client, auth_people: SimpleNamespace, mfa_real_flow: None
) -> None:
    device = enrol(auth_people.officer)
    sign_in(client, "officer")
    asked = client.get("/officer/audit/")
    assert asked["Location"] == "/security/mfa/verify/?next=%2Fofficer%2Faudit%2F"
    assert client.get(asked["Location"]).status_code == 200
    response = client.post(
        "/security/mfa/verify/", {"code": code_of(device.key), "next": "/officer/audit/"}
    )
    assert response["Location"] == "/officer/audit/"
    assert client.get("/officer/audit/").status_code == 200
    [verified] = security_events("mfa_verified")
    assert verified["method"] == "app" and verified["reason"] == "sign_in"


def test_a_wrong_code_is_refused_and_recorded(
    client: Client, auth_people: SimpleNamespace, mfa_real_flow: None
) -> None:
    enrol(auth_people.officer)
    client.force_login(auth_people.officer)
    response = client.post("/security/mfa/verify/", {"code": "000000"})
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert client.get("/officer/audit/")["Location"].startswith("/security/mfa/verify/")
    [failed] = security_events("mfa_failed")
    assert failed["method"] == "app" and failed["throttled"] is False


def test_guesses_are_throttled_after_a_wrong_code(
    client: Client, auth_people: SimpleNamespace, mfa_real_flow: None, settings: Any
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = enrol(auth_people.officer)
    client.force_login(auth_people.officer)
    client.post("/security/mfa/verify/", {"code": "000000"})
    right_but_too_soon = client.post("/security/mfa/verify/", {"code": code_of(device.key)})
    assert right_but_too_soon.status_code == 400
    assert "Too many wrong codes. Wait" in right_but_too_soon.content.decode()
    assert security_events("mfa_failed")[-1]["throttled"] is True


def test_a_recovery_code_works_once(
    client: Client, auth_people: SimpleNamespace, mfa_real_flow: None, no_throttle: None
) -> None:
    enrol(auth_people.officer, codes=("abcd2345", "efgh6723"))
    client.force_login(auth_people.officer)
    response = client.post("/security/mfa/verify/", {"code": "ABCD-2345", "next": "/"})
    assert response["Location"] == "/"
    page = client.get("/").content.decode()
    assert "You used a recovery code: 1 is left." in page
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["efgh6723"]
    again = Client()
    again.force_login(auth_people.officer)
    assert again.post("/security/mfa/verify/", {"code": "abcd2345"}).status_code == 400
    assert security_events("mfa_verified")[0]["method"] == "recovery_code"


def test_a_user_makes_new_recovery_codes_and_the_old_stop_working(
    client: Client, auth_people: SimpleNamespace
) -> None:
    enrol(auth_people.officer, codes=("oldcode1",))
    client.force_login(auth_people.officer)  # verified and fresh
    response = client.post("/security/mfa/recovery-codes/")
    assert response["Location"] == "/security/mfa/recovery-codes/"
    html = client.get("/security/mfa/recovery-codes/").content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", html)
    assert len(codes) == 10 and "oldcode1" not in codes
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(codes)
    assert security_events("mfa_recovery_codes_regenerated")[0]["recovery_codes"] == 10


def test_new_recovery_codes_need_a_recent_authentication(
    client: Client, auth_people: SimpleNamespace
) -> None:
    from .auth_support import age_session

    enrol(auth_people.officer, codes=("oldcode1",))
    client.force_login(auth_people.officer)
    age_session(client, password=3600, code=3600)
    response = client.post("/security/mfa/recovery-codes/")
    assert response["Location"].startswith("/security/reauthenticate/?next=")
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["oldcode1"]


def test_the_status_page_says_whether_mfa_is_on(
    client: Client, auth_people: SimpleNamespace
) -> None:
    client.force_login(auth_people.guardian)
    html = client.get("/security/mfa/").content.decode()
    assert 'id="mfa-off"' in html and "You can turn it on" in html
    enrol(auth_people.officer, codes=("a2345678", "b2345678"))
    client.force_login(auth_people.officer)
    html = client.get("/security/mfa/").content.decode()
    assert 'id="mfa-on"' in html and "You have 2 unused recovery codes." in html


def test_the_mfa_pages_send_anonymous_visitors_to_sign_in(client: Client, db: None) -> None:
    for url in [
        "/security/mfa/",
        "/security/mfa/setup/",
        "/security/mfa/verify/",
        "/security/mfa/recovery-codes/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    assert client.post("/security/mfa/remove/", {"code": "1"})["Location"].startswith("/login/")


def test_a_user_removes_their_app_with_a_current_code(
    client: Client, auth_people: SimpleNamespace, mfa_real_flow: None
) -> None:
    device = enrol(auth_people.guardian, codes=("a2345678",))
    client.force_login(auth_people.guardian)
    client.post("/security/mfa/verify/", {"code": code_of(device.key)})
    response = client.post("/security/mfa/remove/", {"code": code_of(device.key, steps_ahead=1)})
    assert response["Location"] == "/security/mfa/"
    assert not TOTPDevice.objects.exists() and not StaticDevice.objects.exists()
    assert client.get("/").status_code == 200  # a guardian needs none once removed
    assert security_events("mfa_removed")[0]["devices"] == 2


def test_a_wrong_code_removes_nothing(
    client: Client, auth_people: SimpleNamespace, no_throttle: None
) -> None:
    enrol(auth_people.officer)
    client.force_login(auth_people.officer)
    response = client.post("/security/mfa/remove/", {"code": "000000"})
    assert response.status_code == 400
    assert TOTPDevice.objects.filter(user=auth_people.officer).exists()
    assert security_events("mfa_failed")[0]["reason"] == "removal"
    assert security_events("mfa_removed") == []


def test_a_teacher_who_removes_their_app_must_set_up_a_new_one(
    client: Client, auth_people: SimpleNamespace
) -> None:
    client.force_login(auth_people.teacher)  # the shortcut enrols and verifies them
    device = TOTPDevice.objects.get(user=auth_people.teacher)
    client.post("/security/mfa/remove/", {"code": code_of(device.key)})
    assert client.get("/")["Location"].startswith("/security/mfa/setup/")


def test_every_page_links_sign_in_security_and_it_links_the_reset_for_it(
    client: Client, auth_people: SimpleNamespace
) -> None:
    client.force_login(auth_people.guardian)
    html = client.get("/").content.decode()
    assert 'href="/security/mfa/" id="security-nav-link"' in html
    assert 'id="mfa-reset-link"' not in client.get("/security/mfa/").content.decode()
    client.force_login(auth_people.root)
    assert 'id="mfa-reset-link"' in client.get("/security/mfa/").content.decode()
