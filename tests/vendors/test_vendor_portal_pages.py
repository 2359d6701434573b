"""The vendor contact's pages (/vendor/...; R80, R110): anonymous → login page, staff and the
privacy officer → 403, another vendor's contact → 404 on every agreement that is not theirs,
and the contact sees their agreements, the data shared, the directive, and submits the
verification of disposition."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steward.audit.models import Entry
from steward.vendors.models import Agreement, AgreementStatus, Vendor, VendorContact

from .factories_agreements import (
    PDF,
    active,
    ag_client,
    ag_world,
    draft,
    ended,
    offer,
    today,
    vendor_login,
)

__all__ = ["ag_client", "ag_world"]
Login = Callable[[User], Client]
NumQueries = Callable[[int], AbstractContextManager[object]]
S = AgreementStatus
PAGES = ["home", "agreement", "document", "certificate"]


def url(name: str, agreement: Agreement) -> str:
    if name == "home":
        return reverse("vendors-portal-home")
    return reverse(f"vendors-portal-{name}", args=[agreement.pk])


def fetch(client: Client, name: str, agreement: Agreement) -> object:
    if name == "certificate":
        return client.post(url(name, agreement), certificate_form())
    return client.get(url(name, agreement))


def certificate_form(**over: object) -> dict[str, object]:
    return {
        "signer_name": "Ada Acme",
        "signer_title": "Chief Privacy Officer",
        "signed_on": today().isoformat(),
        "method": "Cryptographic erasure",
        "scope": "All of the district's student data, backups included",
        "document": SimpleUploadedFile("verification.pdf", PDF + b"v"),
    } | over


def test_the_pages_live_under_vendor(ag_world: SimpleNamespace) -> None:
    agreement = active(ag_world)
    assert url("home", agreement) == "/vendor/"
    assert url("agreement", agreement) == f"/vendor/agreements/{agreement.pk}/"
    assert url("document", agreement) == f"/vendor/agreements/{agreement.pk}/signed.pdf"


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_go_to_the_login_page(
    client: Client, ag_world: SimpleNamespace, name: str
) -> None:
    response = fetch(client, name, ended(ag_world))
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"].startswith(f"{reverse('login')}?next=")  # type: ignore[index]


@pytest.mark.parametrize("who", ["teacher", "officer"])
@pytest.mark.parametrize("name", PAGES)
def test_staff_and_the_privacy_office_are_forbidden(
    ag_client: Login, ag_world: SimpleNamespace, who: str, name: str
) -> None:
    agreement = ended(ag_world)
    response = fetch(ag_client(getattr(ag_world, who)), name, agreement)
    assert response.status_code == 403  # type: ignore[attr-defined]
    agreement.refresh_from_db()
    assert agreement.status == S.DISPOSITION_PENDING


@pytest.mark.parametrize("name", ["agreement", "document", "certificate"])
def test_another_vendors_contact_finds_nothing(
    ag_client: Login, ag_world: SimpleNamespace, name: str
) -> None:
    agreement = ended(ag_world)
    client = ag_client(ag_world.bo)
    assert fetch(client, name, agreement).status_code == 404  # type: ignore[attr-defined]
    agreement.refresh_from_db()
    assert agreement.status == S.DISPOSITION_PENDING
    assert f'data-agreement="{agreement.pk}"' not in client.get("/vendor/").content.decode()


@pytest.mark.parametrize("which", ["draft", "external", "unknown"])
def test_drafts_other_districts_agreements_and_unknown_ones_are_not_found(
    ag_client: Login, ag_world: SimpleNamespace, which: str
) -> None:
    agreement = {
        "draft": lambda: draft(ag_world),
        "external": lambda: offer(ag_world),
        "unknown": lambda: Agreement(pk=999999),
    }[which]()
    client = ag_client(ag_world.ada)
    for name in ("agreement", "document"):
        assert client.get(url(name, agreement)).status_code == 404


def test_a_login_without_a_contact_is_forbidden(
    ag_client: Login, ag_world: SimpleNamespace
) -> None:
    from tests.web import factories as f

    nobody = f.login("nobody")
    assert ag_client(nobody).get("/vendor/").status_code == 403


def test_the_home_page_lists_the_vendors_signed_agreements(
    ag_client: Login, ag_world: SimpleNamespace
) -> None:
    current = active(ag_world)
    finished = ended(ag_world)
    unsigned = draft(ag_world)
    response = ag_client(ag_world.ada).get("/vendor/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-agreement="{current.pk}"' in html and f'data-agreement="{finished.pk}"' in html
    assert f'data-agreement="{unsigned.pk}"' not in html
    assert "verification of disposition needed" in html
    assert "Ada Acme, for Acme Learning" in html


def test_the_home_page_takes_as_many_queries_for_many_agreements_as_for_one(
    ag_client: Login, ag_world: SimpleNamespace, django_assert_num_queries: NumQueries
) -> None:
    client = ag_client(ag_world.ada)
    active(ag_world)
    now = timezone.now()
    for n in range(20):
        Agreement.objects.create(
            vendor=ag_world.acme,
            title=f"A{n}",
            kind="other",
            status=S.ACTIVE,
            created_at=now,
            updated_at=now,
        )
    # Session, user, account, the contact, its vendor (header), the agreements.
    with django_assert_num_queries(6):
        response = client.get("/vendor/")
    assert len(response.context["agreements"]) == 21


def test_the_agreement_page_shows_dates_data_directive_and_document(
    ag_client: Login, ag_world: SimpleNamespace
) -> None:
    agreement = ended(ag_world)
    response = ag_client(ag_world.ada).get(url("agreement", agreement))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Student Name" in html and "in Steward:" in html and "First name" in html
    assert 'id="directive"' in html and 'id="directive-due"' in html
    assert f'href="/vendor/agreements/{agreement.pk}/signed.pdf"' in html
    assert 'id="certificate-form"' in html
    assert response.context["certificate_form"].initial["signer_name"] == "Ada Acme"


def test_no_certificate_form_while_the_agreement_runs(
    ag_client: Login, ag_world: SimpleNamespace
) -> None:
    agreement = active(ag_world)
    response = ag_client(ag_world.ada).get(url("agreement", agreement))
    assert response.context["certificate_form"] is None
    assert 'id="certificate-form"' not in response.content.decode()
    assert 'id="directive"' not in response.content.decode()


def test_the_contact_downloads_the_signed_agreement(
    ag_client: Login, ag_world: SimpleNamespace
) -> None:
    response = ag_client(ag_world.ada).get(url("document", active(ag_world)))
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_the_contact_submits_the_verification_of_disposition(
    ag_client: Login, ag_world: SimpleNamespace
) -> None:
    agreement = ended(ag_world)
    client = ag_client(ag_world.ada)
    response = client.post(url("certificate", agreement), certificate_form())
    assert response.status_code == 302 and response["Location"] == url("agreement", agreement)
    agreement.refresh_from_db()
    assert agreement.status == S.DISPOSITION_CERTIFIED
    last = Entry.objects.filter(agreement_id=str(agreement.pk)).order_by("-seq").first()
    assert last is not None and last.actor_name == "ada" and last.actor_role == "vendor"
    assert json.loads(last.detail)["to"] == "disposition_certified"
    page = client.get(url("agreement", agreement)).content.decode()
    assert 'id="certificate"' in page and "Cryptographic erasure" in page


def test_an_incomplete_verification_shows_its_errors(
    ag_client: Login, ag_world: SimpleNamespace
) -> None:
    agreement = ended(ag_world)
    client = ag_client(ag_world.ada)
    response = client.post(
        url("certificate", agreement), certificate_form(method="", signed_on="2001-01-01")
    )
    assert response.status_code == 200
    assert response.context["certificate_form"].errors["method"]
    late = client.post(url("certificate", agreement), certificate_form(signed_on="2001-01-01"))
    assert "before the agreement ended" in late.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == S.DISPOSITION_PENDING


def test_a_verification_while_the_agreement_runs_is_refused(
    ag_client: Login, ag_world: SimpleNamespace
) -> None:
    agreement = active(ag_world)
    response = ag_client(ag_world.ada).post(url("certificate", agreement), certificate_form())
    assert response.status_code == 200
    assert "only while disposition is pending or overdue" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == S.ACTIVE


def test_a_second_contact_of_the_same_vendor_sees_the_same_agreements(
    ag_client: Login, ag_world: SimpleNamespace
) -> None:
    agreement = ended(ag_world)
    colleague = VendorContact.objects.create(
        vendor=ag_world.acme, name="Cy Acme", email="cy@acme.example", role="security"
    )
    client = ag_client(vendor_login("cy", colleague))
    assert client.get(url("agreement", agreement)).status_code == 200
    assert Vendor.objects.count() == 2
