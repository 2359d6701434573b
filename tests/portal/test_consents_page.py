"""The family's consents to disclose in the portal: listed with their state, revocable from
now on by a rights holder, each URL in four states (issue #5 item 4; R45–R50)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace

from django.contrib.auth.models import User
from django.test import Client

from steward.audit.models import Entry
from steward.consents.actions import do_give_disclosure_consent
from steward.consents.models import DisclosureConsent, DisclosureConsentRevocation
from tests.web import factories as f

Login = Callable[[User], Client]


def _consent(users: SimpleNamespace, district: SimpleNamespace) -> DisclosureConsent:
    return do_give_disclosure_consent(
        district.ann,
        users.guardian,
        scopes=["grades_transcript"],
        purpose="summer reading program enrollment",
        recipient="Springfield Public Library",
        expires_on=f.today() + dt.timedelta(days=90),
        text="I consent to share Ann's grades with the library for the summer program.",
    )


def test_anonymous_staff_other_families_and_the_right_family(
    client: Client, client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    consent = _consent(users, district)
    url = f"/portal/children/{district.ann.pk}/consents/"
    revoke = f"{url}{consent.pk}/revoke/"
    assert client.get(url)["Location"].startswith("/login/")
    assert client_as(users.teacher).get(url).status_code == 403
    other = client_as(users.other_guardian)  # Hank: Cara's parent, not Ann's
    assert other.get(url).status_code == 404
    assert other.post(revoke).status_code == 404
    page = client_as(users.guardian).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Springfield Public Library" in html and "In force until" in html
    assert f'id="revoke-consent-{consent.pk}"' in html


def test_a_guardian_revokes_a_consent_from_now_on_with_one_ledger_entry(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    consent = _consent(users, district)
    client = client_as(users.guardian)
    before = Entry.objects.count()
    url = f"/portal/children/{district.ann.pk}/consents/"
    response = client.post(f"{url}{consent.pk}/revoke/")
    assert response.status_code == 302
    assert DisclosureConsentRevocation.objects.filter(consent=consent).exists()
    assert Entry.objects.count() == before + 1
    html = client.get(url).content.decode()
    assert "Revoked on" in html and f'id="revoke-consent-{consent.pk}"' not in html
    client.post(f"{url}{consent.pk}/revoke/")  # again: refused with a message, nothing written
    assert Entry.objects.count() == before + 1


def test_a_consent_of_another_child_cannot_be_revoked_through_this_child(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    consent = _consent(users, district)
    client = client_as(users.guardian)
    response = client.post(f"/portal/children/{district.ben.pk}/consents/{consent.pk}/revoke/")
    assert response.status_code == 404
    assert not DisclosureConsentRevocation.objects.exists()
