"""The public transparency page (R77, R113): approved apps, the data each receives as Exhibit B
elements in plain language, agreement dates and signed documents, ended agreements with their
deletion certificates, and the registry downloads. No login: every visitor gets the same page."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from steward.catalog.elements import EXHIBIT_B
from steward.vendors import public
from steward.vendors.models import AgreementStatus, AppStatus

from . import factories_public as fp

URL = "/privacy/apps/"


@pytest.fixture
def people(db: None) -> SimpleNamespace:
    return fp.people()


@pytest.fixture
def registry(people: SimpleNamespace) -> SimpleNamespace:
    acme, globex = people.acme, people.globex
    r = SimpleNamespace()
    r.reader = fp.product(acme, "Acme Reader", description="Leveled e-books")
    r.math = fp.product(globex, "Globex Math", status=AppStatus.APPROVED_WITH_GUARDIAN_RELEASE)
    r.review = fp.product(acme, "Secret Beta", status=AppStatus.UNDER_REVIEW)
    r.rejected = fp.product(acme, "Tracker", status=AppStatus.NOT_APPROVED)
    r.active = fp.agreement(
        acme,
        [r.reader],
        title="Acme Reader DPA",
        start_date=dt.date(2025, 7, 1),
        end_date=dt.date(2028, 6, 30),
        data_elements=[
            ["Student Name", "First and/or last"],
            ["Enrollment", "Student grade level"],
            ["Student Identifiers", "Student app username"],
        ],
    )
    r.draft = fp.agreement(
        acme,
        [r.reader],
        title="Acme draft",
        status=AgreementStatus.DRAFT,
        data_elements=[["Special Indicator", "Student disability information"]],
    )
    r.imported = fp.agreement(
        acme,
        [r.reader],
        title="Springfield's Acme DPA",
        external=True,
        registry_id="77",
        lea_name="Springfield",
        data_elements=[["Conduct", "Conduct or behavioral data"]],
    )
    r.guardian = fp.agreement(
        globex,
        [r.math],
        title="Globex DPA",
        status=AgreementStatus.EXPIRING,
        data_elements=[["Assessment", "Standardized test scores"]],
    )
    r.certified = fp.agreement(
        globex,
        [r.rejected],
        title="Old Globex DPA",
        status=AgreementStatus.DISPOSITION_CERTIFIED,
        end_date=dt.date(2025, 6, 30),
    )
    fp.certificate(r.certified, signed_on=dt.date(2025, 8, 14))
    r.overdue = fp.agreement(
        acme,
        title="Late Acme DPA",
        status=AgreementStatus.DISPOSITION_OVERDUE,
        end_date=dt.date(2025, 1, 31),
        disposition_due=dt.date(2025, 4, 1),
    )
    return r


def test_the_page_lives_under_privacy_apps() -> None:
    assert reverse("vendors-public-apps") == URL


@pytest.mark.parametrize("who", [None, "teacher", "officer", "contact"])
def test_everyone_sees_the_same_page_without_signing_in(
    client: Client, people: SimpleNamespace, registry: SimpleNamespace, who: str | None
) -> None:
    if who:
        client.force_login(getattr(people, who))
    response = client.get(URL)
    assert response.status_code == 200
    assert "Acme Reader" in response.content.decode()


def test_only_approved_apps_are_listed_and_guardian_release_is_marked(
    client: Client, registry: SimpleNamespace
) -> None:
    html = client.get(URL).content.decode()
    assert f'id="app-{registry.reader.pk}"' in html
    assert f'id="app-{registry.math.pk}"' in html
    assert "Secret Beta" not in html
    assert f'id="app-{registry.rejected.pk}"' not in html
    math = html.split(f'id="app-{registry.math.pk}"')[1].split("</section>")[0]
    assert "data-guardian-release" in math
    reader = html.split(f'id="app-{registry.reader.pk}"')[1].split("</section>")[0]
    assert "data-guardian-release" not in reader
    assert "Provided by Acme Learning" in reader


def test_the_data_comes_only_from_agreements_that_allow_sharing_in_plain_language(
    client: Client, registry: SimpleNamespace
) -> None:
    html = client.get(URL).content.decode()
    reader = html.split(f'id="app-{registry.reader.pk}"')[1].split("</section>")[0]
    assert "The student&#x27;s name" in reader  # the category, in plain words
    assert "first and last name" in reader
    assert "grade level" in reader
    assert "the student&#x27;s username in the app" in reader
    assert "First name" in reader  # the catalog's fields under the element
    assert "disability" not in reader  # the draft's data
    assert "behavior" not in reader  # another district's imported agreement
    assert "Acme Reader DPA" in reader and "Acme draft" not in reader
    assert "Springfield" not in html


def test_each_agreement_shows_dates_and_a_link_to_its_signed_document_with_its_hash(
    client: Client, registry: SimpleNamespace
) -> None:
    html = client.get(URL).content.decode()
    document_url = reverse("vendors-public-document", args=[registry.active.pk])
    assert document_url == f"/privacy/apps/agreements/{registry.active.pk}/document/"
    assert f'href="{document_url}"' in html
    assert registry.active.signed_document.sha256 in html
    assert "July 1, 2025" in html and "June 30, 2028" in html


def test_ended_agreements_say_whether_deletion_was_certified(
    client: Client, registry: SimpleNamespace
) -> None:
    html = client.get(URL).content.decode()
    certified = html.split(f'id="ended-{registry.certified.pk}"')[1].split("</tr>")[0]
    assert "Deletion certified on Aug. 14, 2025" in certified
    assert "Tracker" in certified  # the apps it covered, whatever their status now
    overdue = html.split(f'id="ended-{registry.overdue.pk}"')[1].split("</tr>")[0]
    assert "Not certified; was due by April 1, 2025" in overdue


def test_the_signed_document_is_served_for_published_agreements_only(
    client: Client, registry: SimpleNamespace
) -> None:
    def get(agreement: object) -> int:
        url = reverse("vendors-public-document", args=[agreement.pk])  # type: ignore[attr-defined]
        return client.get(url).status_code

    response = client.get(reverse("vendors-public-document", args=[registry.active.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Digest"] == f"sha-256={registry.active.signed_document.sha256}"
    assert response.content == bytes(registry.active.signed_document.content)
    assert get(registry.certified) == 200  # ended agreements stay published
    assert get(registry.draft) == 404
    assert get(registry.imported) == 404
    assert client.get("/privacy/apps/agreements/999999/document/").status_code == 404


def test_the_public_registry_downloads_leave_out_drafts_and_imports(
    client: Client, registry: SimpleNamespace
) -> None:
    response = client.get(reverse("vendors-public-registry-csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="steward-registry.csv"'
    text = response.content.decode()
    assert "Acme Reader DPA" in text and "Acme draft" not in text and "Springfield" not in text
    records = json.loads(client.get(reverse("vendors-public-registry-json")).content)
    assert {r["title"] for r in records} == {
        "Acme Reader DPA",
        "Globex DPA",
        "Old Globex DPA",
        "Late Acme DPA",
    }


def test_every_exhibit_b_element_has_plain_words() -> None:
    for category, elements in EXHIBIT_B.items():
        assert category in public.PLAIN_CATEGORIES
        for element in elements:
            assert (category, element) in public.PLAIN_ELEMENTS, (category, element)
    assert len(public.PLAIN_ELEMENTS) == sum(len(e) for e in EXHIBIT_B.values())


def test_elements_are_grouped_in_exhibit_b_order() -> None:
    groups = public.grouped(
        [
            ["Student Name", "First and/or last"],
            ["Attendance", "Class attendance"],
            ["Attendance", "School daily attendance"],
            ["Student Name", "First and/or last"],
        ]
    )
    assert [g.category for g in groups] == ["Attendance", "Student Name"]
    assert [i.element for i in groups[0].items] == ["School daily attendance", "Class attendance"]
    assert len(groups[1].items) == 1


def test_the_page_costs_four_queries_however_many_apps(
    client: Client, people: SimpleNamespace, django_assert_num_queries: object
) -> None:
    def add(n: int) -> None:
        for i in range(n):
            app = fp.product(people.acme, f"App {n}-{i}")
            fp.agreement(people.acme, [app])
            ended = fp.agreement(people.globex, [app], status=AgreementStatus.EXPIRED)
            fp.certificate(ended)

    add(1)
    with django_assert_num_queries(4):  # type: ignore[operator]
        assert client.get(URL).status_code == 200
    add(5)
    with django_assert_num_queries(4):  # type: ignore[operator]
        assert client.get(URL).status_code == 200
