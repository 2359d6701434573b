"""The privacy office's registry pages (R113): the full export (CSV, JSON) and the import page,
in four states: anonymous → login, teacher and vendor contact → 403, officer → 200."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from steward.vendors.models import Agreement, AgreementStatus

from . import factories_public as fp
from .test_sdpc import other_district_csv

IMPORT = "/officer/vendors/sdpc/import/"
CSV = "/officer/vendors/sdpc/registry.csv"
JSON = "/officer/vendors/sdpc/registry.json"
PAGES = [IMPORT, CSV, JSON]


@pytest.fixture
def people(db: None) -> SimpleNamespace:
    return fp.people()


def test_the_pages_live_under_officer_vendors_sdpc() -> None:
    assert reverse("vendors-dashboard-registry-import") == IMPORT
    assert reverse("vendors-dashboard-registry-csv") == CSV
    assert reverse("vendors-dashboard-registry-json") == JSON


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_go_to_the_login_page(client: Client, db: None, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


@pytest.mark.parametrize("who", ["teacher", "contact"])
@pytest.mark.parametrize("url", PAGES)
def test_staff_and_vendor_contacts_are_forbidden(
    client: Client, people: SimpleNamespace, who: str, url: str
) -> None:
    client.force_login(getattr(people, who))
    assert client.get(url).status_code == 403
    assert client.post(IMPORT).status_code == 403


def test_the_officer_export_includes_drafts_and_imported_agreements(
    client: Client, people: SimpleNamespace
) -> None:
    fp.agreement(people.acme, title="Draft", status=AgreementStatus.DRAFT)
    fp.agreement(people.acme, title="Imported", external=True, registry_id="5", lea_name="Other")
    client.force_login(people.officer)
    response = client.get(CSV)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="steward-registry-all.csv"'
    assert "Draft" in response.content.decode() and "Imported" in response.content.decode()
    records = json.loads(client.get(JSON).content)
    assert {r["title"] for r in records} == {"Draft", "Imported"}


def test_the_officer_imports_a_registry_and_is_told_what_changed(
    client: Client, people: SimpleNamespace
) -> None:
    client.force_login(people.officer)
    assert client.get(IMPORT).status_code == 200
    upload = SimpleUploadedFile("springfield.csv", other_district_csv({}), "text/csv")
    response = client.post(IMPORT, {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "Agreements added: 1; updated: 0; unchanged: 0." in response.content.decode()
    agreement = Agreement.objects.get()
    assert agreement.external and agreement.lea_name == "Springfield Public Schools"


def test_a_bad_file_shows_every_problem_and_imports_nothing(
    client: Client, people: SimpleNamespace
) -> None:
    client.force_login(people.officer)
    data = other_district_csv({"kind": "contract"}, {"agreement_id": "2", "status": "signed"})
    upload = SimpleUploadedFile("springfield.csv", data, "text/csv")
    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was imported: the file has 2 problems." in html
    assert "springfield.csv, line 2, kind: unknown code" in html
    assert "springfield.csv, line 3, status: unknown code" in html
    assert not Agreement.objects.exists()
