"""The family's amendment pages (R34–R37), each in four states: anonymous (login), staff
(403), another family's child or request (404), the right family (200 with the content)."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from steward.amendments.actions.family import do_add_material
from steward.amendments.actions.requests import do_request_amendment
from steward.amendments.models import Addition, AmendmentRequest, Hearing, Statement, Status
from steward.records.models import DailyAttendance
from tests.amendments.helpers import ask, refuse_all, request_absence
from tests.amendments.test_family import heard

Login = Callable[[User], Client]
PDF = b"%PDF-1.4 doctor's letter"


def _four_states(
    client: Client,
    client_as: Login,
    users: SimpleNamespace,
    right: str,
    wrong: str,
    method: str = "get",
) -> Any:
    """Anonymous → login; staff → 403; Hank (another family) → 404; Gail → the response."""
    send = getattr(client, method)
    assert send(right)["Location"].startswith("/login/")
    assert getattr(client_as(users.teacher), method)(right).status_code == 403
    assert getattr(client_as(users.hank), method)(wrong).status_code == 404
    return getattr(client_as(users.gail), method)(right)


def test_the_list_in_four_states(
    client: Client, client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    made = request_absence(district, users.gail)
    url = reverse("amendments-portal-list", args=[district.ann.pk])
    page = _four_states(client, client_as, users, url, url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="request-{made.pk}"' in html
    assert "Waiting for the district&#x27;s decision" in html
    assert "?part=attendance" in html


def test_the_list_costs_the_same_whatever_the_number_of_requests(
    client_as: Login,
    users: SimpleNamespace,
    district: SimpleNamespace,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    request_absence(district, users.gail)
    sex = ask(district.ann, "demographics", "c:roster.StudentDemographics.sex:", "F")
    do_request_amendment(district.ann, users.gail, [sex])
    do_add_material(district.ann, users.gail, scope="health", title="Letter", pdf=PDF)
    client = client_as(users.gail)
    url = reverse("amendments-portal-list", args=[district.ann.pk])
    client.get(url)
    # Session, user, account; the children (links, their relationships and students' ages,
    # the students: four) and the amend right (two); the requests with their item counts; the
    # additions.
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200


def test_asking_in_the_portal_creates_the_request(
    client: Client, client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    url = reverse("amendments-portal-new", args=[district.ann.pk]) + "?part=attendance"
    page = _four_states(client, client_as, users, url, url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="c:records.DailyAttendance.status:{district.absence.pk}"' in html
    assert "absent, unexcused" in html
    form = {
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "0",
        "form-0-item": f"c:records.DailyAttendance.status:{district.absence.pk}",
        "form-0-ground": "inaccurate",
        "form-0-problem": "She was ill.",
        "form-0-requested_change": "absent, excused",
    }
    response = client_as(users.gail).post(url, form)
    made = AmendmentRequest.objects.get()
    assert response["Location"] == reverse(
        "amendments-portal-detail", args=[district.ann.pk, made.pk]
    )
    assert made.items.get().value_at_request == "absent, unexcused"


def test_a_part_that_does_not_exist_is_not_found_and_errors_come_back(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.gail)
    base = reverse("amendments-portal-new", args=[district.ann.pk])
    assert client.get(base).status_code == 404
    assert client.get(base + "?part=secrets").status_code == 404
    summary = client.get(base + "?part=accommodations_summary")
    assert summary["Location"].endswith("?part=special_education")
    empty = {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "0"}
    response = client.post(base + "?part=attendance", empty)
    assert response.status_code == 400
    assert "Name at least one item" in response.content.decode()
    assert not AmendmentRequest.objects.exists()


def test_the_request_page_in_four_states(
    client: Client, client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    made = request_absence(district, users.gail)
    refuse_all(made, users.olivia)
    url = reverse("amendments-portal-detail", args=[district.ann.pk, made.pk])
    wrong = reverse("amendments-portal-detail", args=[district.cara.pk, made.pk])
    page = _four_states(client, client_as, users, url, url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "The record is accurate." in html
    assert 'id="ask-hearing"' in html
    assert "right to a hearing" in html  # the decision letter
    # Hank's own child with Gail's request number: still not found.
    assert client_as(users.hank).get(wrong).status_code == 404


def test_the_family_asks_for_a_hearing_and_withdraws(
    client: Client, client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    made = request_absence(district, users.gail)
    refuse_all(made, users.olivia)
    url = reverse("amendments-portal-hearing", args=[district.ann.pk, made.pk])
    response = _four_states(client, client_as, users, url, url, method="post")
    assert response.status_code == 302
    hearing = Hearing.objects.get(request=made)
    assert hearing.requested_by == users.gail
    withdraw = reverse("amendments-portal-withdraw", args=[district.ann.pk, made.pk])
    assert client_as(users.gail).post(withdraw).status_code == 302
    made.refresh_from_db()
    assert made.status == Status.WITHDRAWN


def test_the_family_places_a_statement_after_the_hearing(
    client: Client,
    client_as: Login,
    users: SimpleNamespace,
    district: SimpleNamespace,
    clock: Any,
) -> None:
    made = request_absence(district, users.gail)
    heard(made, users, clock)
    item = made.items.get(position=1)
    url = reverse("amendments-portal-statement", args=[district.ann.pk, made.pk, item.pk])
    assert client.post(url, {"text": "x"})["Location"].startswith("/login/")
    assert client_as(users.teacher).post(url, {"text": "x"}).status_code == 403
    assert client_as(users.hank).post(url, {"text": "x"}).status_code == 404
    gail = client_as(users.gail)
    assert gail.post(url, {"text": "She was ill; we disagree."}).status_code == 302
    assert Statement.objects.get().text == "She was ill; we disagree."
    page = gail.get(reverse("amendments-portal-detail", args=[district.ann.pk, made.pk]))
    assert "She was ill; we disagree." in page.content.decode()


def test_a_letter_downloads_as_pdf(
    client: Client, client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    made = request_absence(district, users.gail)
    refuse_all(made, users.olivia)
    letter = made.letters.get()
    url = reverse("amendments-portal-letter", args=[district.ann.pk, made.pk, letter.pk])
    response = _four_states(client, client_as, users, url, url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    missing = reverse("amendments-portal-letter", args=[district.ann.pk, made.pk, letter.pk + 99])
    assert client_as(users.gail).get(missing).status_code == 404


def test_the_family_adds_material_with_a_pdf(
    client: Client, client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    url = reverse("amendments-portal-add", args=[district.ann.pk]) + "?part=health"
    page = _four_states(client, client_as, users, url, url)
    assert page.status_code == 200
    assert 'value="health" selected' in page.content.decode()
    upload = SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")
    response = client_as(users.gail).post(
        url, {"scope": "health", "title": "Allergy letter", "text": "", "document": upload}
    )
    assert response.status_code == 302
    addition = Addition.objects.get()
    assert addition.document is not None and addition.document.filename == "letter.pdf"
    bad = SimpleUploadedFile("photo.png", b"\x89PNG", content_type="image/png")
    refused = client_as(users.gail).post(url, {"scope": "health", "title": "x", "document": bad})
    assert refused.status_code == 400
    assert "only PDF" in refused.content.decode()
    assert Addition.objects.count() == 1


@pytest.mark.parametrize("scope", ["attendance", "discipline"])
def test_the_child_page_links_each_part_to_its_correction(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace, scope: str
) -> None:
    page = client_as(users.gail).get(reverse("portal-child", args=[district.ann.pk]))
    html = page.content.decode()
    assert f"/amendments/new/?part={scope}" in html
    assert 'id="amendments-link"' in html


def test_a_deleted_entry_cannot_be_chosen_any_more(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    code = f"c:records.DailyAttendance.status:{district.absence.pk}"
    DailyAttendance.objects.filter(pk=district.absence.pk).delete()
    url = reverse("amendments-portal-new", args=[district.ann.pk]) + "?part=attendance"
    form = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-item": code,
        "form-0-ground": "inaccurate",
        "form-0-problem": "Wrong.",
    }
    assert client_as(users.gail).post(url, form).status_code == 400
    assert not AmendmentRequest.objects.exists()
