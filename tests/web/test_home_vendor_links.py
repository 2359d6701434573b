"""Home pages lead to the vendor pages of issue #6: the vendor contact's home is their own
agreements, the privacy office links the registry, and staff link the apps they may use."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steward.accounts.actions import do_provision_account
from steward.accounts.models import Account
from steward.vendors.models import ContactRole, Vendor, VendorContact
from tests.web import factories as f

pytestmark = pytest.mark.django_db


def contact() -> VendorContact:
    vendor = Vendor.objects.create(name="Mapleworks Learning", created_at=timezone.now())
    return VendorContact.objects.create(
        vendor=vendor, name="Zoë Ngô", email="zoe@mapleworks.example", role=ContactRole.PRIMARY
    )


def test_it_sends_a_vendor_contact_home_to_their_agreements() -> None:
    user, _created = do_provision_account(
        username="zoe", role=Account.Role.VENDOR, vendor_contact=contact(), password="pw-123456!"
    )
    client = Client()
    client.force_login(user)
    reply = client.get(reverse("home"))
    assert reply.status_code == 302
    assert reply["Location"] == reverse("vendors-portal-home")


def test_provisioning_a_vendor_login_takes_the_contacts_name_and_email() -> None:
    person = contact()
    user, created = do_provision_account(
        username="zoe", role=Account.Role.VENDOR, vendor_contact=person
    )
    assert created
    assert (user.first_name, user.last_name, user.email) == ("Zoë", "Ngô", "zoe@mapleworks.example")
    assert user.account.vendor_contact == person
    again, created_again = do_provision_account(
        username="zoe", role=Account.Role.VENDOR, vendor_contact=person
    )
    assert (again.pk, created_again) == (user.pk, False)


def test_the_privacy_office_home_links_every_vendor_page() -> None:
    client = Client()
    client.force_login(f.login("officer", Account.Role.PRIVACY_OFFICER))
    page = client.get(reverse("home")).content.decode()
    for name in ("vendors-dashboard", "vendors-registry", "vendors-agreement-list"):
        assert f'href="{reverse(name)}"' in page
    assert f'href="{reverse("vendors-apps-queue")}"' in page
    assert f'href="{reverse("retention-calendar")}"' in page
    assert f'href="{reverse("sharing-index")}"' in page
    assert f'href="{reverse("reports-index")}"' in page
    assert f'href="{reverse("rostering-clients")}"' in page
    assert f'href="{reverse("requests-deadlines")}"' in page
    assert f'href="{reverse("requests-queue")}"' in page


def test_a_teachers_home_links_the_apps_they_may_use() -> None:
    run = f.import_run()
    teacher = f.staff(run, "Tara", "Teach")
    client = Client()
    client.force_login(f.login("tara", Account.Role.TEACHER, staff=teacher))
    assert f'href="{reverse("vendors-apps")}"' in client.get(reverse("home")).content.decode()


def test_every_page_footer_links_the_public_list_of_apps() -> None:
    page = Client().get(reverse("login")).content.decode()
    assert f'href="{reverse("vendors-public-apps")}"' in page
