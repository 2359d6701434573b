"""The privacy office's registry pages (R73, R76): vendors, contacts and their logins,
subprocessors, storage locations. Anonymous → login page; staff, guardians and vendor
contacts → 403; the privacy office → the page; an unknown object → 404."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from steward.accounts.models import Account
from steward.vendors.models import StorageLocation, Subprocessor, Vendor, VendorContact

from .factories_registry import (
    entries,
    make_contact,
    make_product,
    make_vendor,
    reg_client,
    reg_world,
)

__all__ = ["reg_client", "reg_world"]

SignIn = Callable[[User | None], Client]
NumQueries = Callable[[int], AbstractContextManager[object]]
WRONG_ROLES = ["teacher", "guardian", "vendor"]


def pages(w: SimpleNamespace) -> list[str]:
    """Every GET page of the registry, for the access tests."""
    sub = Subprocessor.objects.create(vendor=w.acme, name="Cloudy", purpose="Hosting")
    place = StorageLocation.objects.create(vendor=w.acme, country="United States")
    return [
        reverse("vendors-registry"),
        reverse("vendors-registry-vendor-create"),
        reverse("vendors-registry-vendor", args=[w.acme.pk]),
        reverse("vendors-registry-vendor-edit", args=[w.acme.pk]),
        reverse("vendors-registry-contact-add", args=[w.acme.pk]),
        reverse("vendors-registry-contact-edit", args=[w.alice.pk]),
        reverse("vendors-registry-subprocessor-add", args=[w.acme.pk]),
        reverse("vendors-registry-subprocessor-edit", args=[sub.pk]),
        reverse("vendors-registry-storage-add", args=[w.acme.pk]),
        reverse("vendors-registry-storage-edit", args=[place.pk]),
    ]


def posts(w: SimpleNamespace) -> list[str]:
    """Every POST-only action URL of the registry."""
    return [
        reverse("vendors-registry-contact-remove", args=[w.bob.pk]),
        reverse("vendors-registry-contact-login", args=[w.bob.pk]),
        reverse("vendors-registry-contact-revoke", args=[w.alice.pk]),
    ]


def test_the_registry_lives_under_officer_vendors() -> None:
    assert reverse("vendors-registry") == "/officer/vendors/"
    assert reverse("vendors-registry-vendor", args=[7]) == "/officer/vendors/7/"
    assert reverse("vendors-registry-welcome", args=["MQ", "abc-123"]) == (
        "/vendor/welcome/MQ/abc-123/"
    )


def test_anonymous_visitors_go_to_the_login_page(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    client = reg_client(None)
    for url in pages(reg_world) + posts(reg_world):
        method = client.post if url in posts(reg_world) else client.get
        response = method(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{reverse('login')}?next="), url


@pytest.mark.parametrize("role", WRONG_ROLES)
def test_staff_guardians_and_vendor_contacts_are_forbidden(
    reg_world: SimpleNamespace, reg_client: SignIn, role: str
) -> None:
    client = reg_client(getattr(reg_world, role))
    for url in pages(reg_world):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Acme Learning" not in response.content.decode()
    before = entries()
    for url in posts(reg_world):
        assert client.post(url).status_code == 403, url
    assert entries() == before
    assert Account.objects.filter(vendor_contact=reg_world.alice).exists()


@pytest.mark.parametrize("role", ["officer", "root"])
def test_the_privacy_office_opens_every_page(
    reg_world: SimpleNamespace, reg_client: SignIn, role: str
) -> None:
    client = reg_client(getattr(reg_world, role))
    for url in pages(reg_world):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "name",
    [
        "vendors-registry-vendor",
        "vendors-registry-vendor-edit",
        "vendors-registry-contact-edit",
        "vendors-registry-subprocessor-edit",
        "vendors-registry-storage-edit",
    ],
)
def test_an_unknown_object_is_a_404(
    reg_world: SimpleNamespace, reg_client: SignIn, name: str
) -> None:
    assert reg_client(reg_world.officer).get(reverse(name, args=[999_999])).status_code == 404


# --- the list ---------------------------------------------------------------------------------


def test_the_list_shows_each_vendor_with_its_apps_by_status(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    make_product(w.globex, "Drawly")
    html = reg_client(w.officer).get(reverse("vendors-registry")).content.decode()
    rows = re.findall(r"<tr>\s*<th scope=\"row\"><a [^>]*>([^<]+)</a></th>(.*?)</tr>", html, re.S)
    counts = {name: re.findall(r">(\d+)<", cells) for name, cells in rows}
    # apps, approved, under review, contacts
    assert counts == {"Acme Learning": ["1", "0", "1", "1"], "Globex": ["2", "1", "1", "1"]}


def test_the_list_searches_vendor_and_app_names(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    client = reg_client(reg_world.officer)
    html = client.get(reverse("vendors-registry"), {"q": "quizz"}).content.decode()
    assert "Acme Learning" in html and "Globex" not in html
    html = client.get(reverse("vendors-registry"), {"q": "glob"}).content.decode()
    assert "Globex" in html and "Acme Learning" not in html
    html = client.get(reverse("vendors-registry"), {"q": "nothing-like-it"}).content.decode()
    assert "No vendor or app matches your search." in html


def test_the_list_costs_the_same_queries_however_many_vendors(
    reg_world: SimpleNamespace, reg_client: SignIn, django_assert_num_queries: NumQueries
) -> None:
    client = reg_client(reg_world.officer)
    # session, user, the second factor's device, account; page count, page rows; open
    # requests, vettings in progress
    expected = 8
    with django_assert_num_queries(expected):
        client.get(reverse("vendors-registry"))
    for n in range(12):
        vendor = make_vendor(f"Vendor {n:02d}")
        make_product(vendor, f"App {n}")
        make_contact(vendor, f"Person {n}", f"p{n}@v{n}.example")
    with django_assert_num_queries(expected):
        response = client.get(reverse("vendors-registry"))
    assert "Vendor 11" in response.content.decode()


# --- a vendor ---------------------------------------------------------------------------------


def test_the_vendor_page_shows_contacts_logins_subprocessors_storage_and_apps(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    Subprocessor.objects.create(vendor=w.acme, name="Cloudy", purpose="Hosting", location="US")
    StorageLocation.objects.create(
        vendor=w.acme, country="United States", region="us-east-1", hosting_provider="AWS"
    )
    make_contact(w.acme, "Carl Cole", "carl@acme.example")
    html = reg_client(w.officer).get(reverse("vendors-registry-vendor", args=[w.acme.pk])).content
    text = html.decode()
    for expected in ("Alice Archer", "Carl Cole", "Cloudy", "us-east-1", "AWS", "Quizzo"):
        assert expected in text
    assert 'data-status="under_review"' in text
    assert "Create a login" in text  # Carl has none
    assert "Close the login" in text  # Alice has one


def test_the_vendor_page_costs_the_same_queries_however_many_rows(
    reg_world: SimpleNamespace, reg_client: SignIn, django_assert_num_queries: NumQueries
) -> None:
    w = reg_world
    client = reg_client(w.officer)
    url = reverse("vendors-registry-vendor", args=[w.acme.pk])
    # session, user, the second factor's device (R33), account; vendor; contacts,
    # subprocessors, storage, apps
    expected = 9
    with django_assert_num_queries(expected):
        client.get(url)
    for n in range(5):
        make_contact(w.acme, f"Person {n}", f"p{n}@acme.example")
        make_product(w.acme, f"App {n}")
        Subprocessor.objects.create(vendor=w.acme, name=f"Sub {n}", purpose="Analytics")
        StorageLocation.objects.create(vendor=w.acme, country=f"Country {n}")
    with django_assert_num_queries(expected):
        client.get(url)


def test_the_officer_adds_a_vendor_and_lands_on_its_page(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    client = reg_client(reg_world.officer)
    before = entries()
    response = client.post(
        reverse("vendors-registry-vendor-create"),
        {"name": "Initech", "website": "initech.example", "address": "", "notes": ""},
    )
    vendor = Vendor.objects.get(name="Initech")
    assert response.status_code == 302
    assert response["Location"] == reverse("vendors-registry-vendor", args=[vendor.pk])
    assert vendor.website == "https://initech.example"
    assert entries() == before + 1


def test_a_duplicate_vendor_is_refused_on_the_form(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    response = reg_client(reg_world.officer).post(
        reverse("vendors-registry-vendor-create"), {"name": "acme learning"}
    )
    assert response.status_code == 400
    assert "already in the registry" in response.content.decode()
    assert Vendor.objects.count() == 2


def test_the_officer_edits_a_vendor(reg_world: SimpleNamespace, reg_client: SignIn) -> None:
    w = reg_world
    url = reverse("vendors-registry-vendor-edit", args=[w.acme.pk])
    client = reg_client(w.officer)
    assert 'value="Acme Learning"' in client.get(url).content.decode()
    response = client.post(url, {"name": "Acme Learning Inc.", "notes": "Signed the NDPA."})
    assert response.status_code == 302
    w.acme.refresh_from_db()
    assert (w.acme.name, w.acme.notes) == ("Acme Learning Inc.", "Signed the NDPA.")


# --- contacts and their logins ---------------------------------------------------------------


def test_the_officer_adds_and_edits_a_contact(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    client = reg_client(w.officer)
    response = client.post(
        reverse("vendors-registry-contact-add", args=[w.acme.pk]),
        {"name": "Carl Cole", "email": "Carl@Acme.example", "role": "security"},
    )
    assert response.status_code == 302
    carl = VendorContact.objects.get(name="Carl Cole")
    assert (carl.email, carl.role) == ("carl@acme.example", "security")
    response = client.post(
        reverse("vendors-registry-contact-edit", args=[carl.pk]),
        {"name": "Carl Cole", "email": "carl@acme.example", "role": "privacy", "title": "DPO"},
    )
    carl.refresh_from_db()
    assert (carl.role, carl.title) == ("privacy", "DPO")


def test_a_contact_form_with_a_bad_address_is_shown_again(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    response = reg_client(reg_world.officer).post(
        reverse("vendors-registry-contact-add", args=[reg_world.acme.pk]),
        {"name": "Carl Cole", "email": "not-an-address", "role": "security"},
    )
    assert response.status_code == 400
    assert not VendorContact.objects.filter(name="Carl Cole").exists()


def test_a_contact_with_a_login_cannot_be_removed_until_it_is_closed(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    client = reg_client(w.officer)
    remove = reverse("vendors-registry-contact-remove", args=[w.alice.pk])
    response = client.post(remove, follow=True)
    assert "revoke it before removing the contact" in response.content.decode()
    assert VendorContact.objects.filter(pk=w.alice.pk).exists()
    client.post(reverse("vendors-registry-contact-revoke", args=[w.alice.pk]))
    w.vendor.refresh_from_db()
    assert not w.vendor.is_active
    assert not Account.objects.filter(vendor_contact=w.alice).exists()
    client.post(remove)
    assert not VendorContact.objects.filter(pk=w.alice.pk).exists()


def test_a_new_login_link_works_once_for_the_contact(
    reg_world: SimpleNamespace, reg_client: SignIn, client: Client
) -> None:
    w = reg_world
    carl = make_contact(w.acme, "Carl Cole", "carl@acme.example")
    officer = reg_client(w.officer)
    response = officer.post(reverse("vendors-registry-contact-login", args=[carl.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    link = response.context["link"]
    assert link in response.content.decode()
    path = urlsplit(link).path
    officer.logout()
    page = client.get(path)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    assert "carl@acme.example" in page.content.decode()
    done = client.post(
        path, {"password": "a long Passphrase 42", "password_again": "a long Passphrase 42"}
    )
    assert done.status_code == 302 and done["Location"] == reverse("login")
    user = User.objects.get(username="carl@acme.example")
    assert user.check_password("a long Passphrase 42")
    assert user.account.role == Account.Role.VENDOR and user.account.vendor_contact == carl
    again = client.get(path)
    assert again.status_code == 400
    assert "not valid or has expired" in again.content.decode()


def test_the_set_password_form_passes_the_csrf_check_of_a_browser(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    """Regression (found by the issue #6 browser test): the page used to say
    `Referrer-Policy: no-referrer`, under which browsers send `Origin: null` with the form's
    POST, and Django's CSRF check refused it (403): no contact could set a password. Under
    "same-origin" the browser sends the site's own origin, and no other site sees the token."""
    w = reg_world
    carl = make_contact(w.acme, "Carl Cole", "carl@acme.example")
    link = (
        reg_client(w.officer)
        .post(reverse("vendors-registry-contact-login", args=[carl.pk]))
        .context["link"]
    )
    path = urlsplit(link).path
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(path)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    token = page.context["csrf_token"]
    password = "a long Passphrase 42"
    fields = {"csrfmiddlewaretoken": token, "password": password, "password_again": password}
    refused = browser.post(path, fields, headers={"origin": "null"})
    assert refused.status_code == 403  # what "no-referrer" made browsers send
    done = browser.post(path, fields, headers={"origin": "http://testserver"})
    assert done.status_code == 302 and done["Location"] == reverse("login")
    assert User.objects.get(username="carl@acme.example").check_password(password)


def test_the_login_link_is_e_mailed_to_the_contact(
    reg_world: SimpleNamespace,
    reg_client: SignIn,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> None:
    w = reg_world
    carl = make_contact(w.acme, "Carl Cole", "carl@acme.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = reg_client(w.officer).post(
            reverse("vendors-registry-contact-login", args=[carl.pk])
        )
    (message,) = mail.outbox
    assert message.to == ["carl@acme.example"]
    assert response.context["link"] in message.body
    assert "Acme Learning" in message.body


def test_the_set_password_page_refuses_mismatched_or_weak_passwords(
    reg_world: SimpleNamespace, reg_client: SignIn, client: Client
) -> None:
    w = reg_world
    carl = make_contact(w.acme, "Carl Cole", "carl@acme.example")
    link = (
        reg_client(w.officer)
        .post(reverse("vendors-registry-contact-login", args=[carl.pk]))
        .context["link"]
    )
    path = urlsplit(link).path
    client.logout()
    mismatch = client.post(path, {"password": "a long Passphrase 42", "password_again": "other"})
    assert mismatch.status_code == 400
    weak = client.post(path, {"password": "12345678", "password_again": "12345678"})
    assert weak.status_code == 400
    assert not User.objects.get(username="carl@acme.example").has_usable_password()


def test_a_made_up_link_is_refused(reg_world: SimpleNamespace, client: Client) -> None:
    path = reverse("vendors-registry-welcome", args=["MQ", "made-up-token"])
    assert client.get(path).status_code == 400
    response = client.post(
        path, {"password": "a long Passphrase 42", "password_again": "a long Passphrase 42"}
    )
    assert response.status_code == 400


def test_a_link_cannot_set_the_password_of_a_login_that_is_not_a_vendor_contact(
    reg_world: SimpleNamespace, client: Client
) -> None:
    teacher = reg_world.teacher
    uid = urlsafe_base64_encode(force_bytes(teacher.pk))
    path = reverse(
        "vendors-registry-welcome", args=[uid, default_token_generator.make_token(teacher)]
    )
    assert client.get(path).status_code == 400


# --- subprocessors and storage -------------------------------------------------------------------


def test_the_officer_adds_edits_and_removes_a_subprocessor(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    client = reg_client(w.officer)
    client.post(
        reverse("vendors-registry-subprocessor-add", args=[w.acme.pk]),
        {"name": "Cloudy", "purpose": "Hosting", "location": "US"},
    )
    sub = Subprocessor.objects.get(vendor=w.acme)
    client.post(
        reverse("vendors-registry-subprocessor-edit", args=[sub.pk]),
        {"name": "Cloudy", "purpose": "Hosting and backups", "location": "US"},
    )
    sub.refresh_from_db()
    assert sub.purpose == "Hosting and backups"
    client.post(reverse("vendors-registry-subprocessor-remove", args=[sub.pk]))
    assert not Subprocessor.objects.filter(vendor=w.acme).exists()


def test_the_officer_adds_edits_and_removes_a_storage_location(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    client = reg_client(w.officer)
    client.post(
        reverse("vendors-registry-storage-add", args=[w.acme.pk]),
        {"country": "United States", "region": "", "hosting_provider": "AWS"},
    )
    place = StorageLocation.objects.get(vendor=w.acme)
    client.post(
        reverse("vendors-registry-storage-edit", args=[place.pk]),
        {"country": "United States", "region": "us-east-1", "hosting_provider": "AWS"},
    )
    place.refresh_from_db()
    assert place.region == "us-east-1"
    client.post(reverse("vendors-registry-storage-remove", args=[place.pk]))
    assert not StorageLocation.objects.filter(vendor=w.acme).exists()
