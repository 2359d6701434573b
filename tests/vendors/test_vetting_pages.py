"""The privacy office's app and vetting pages (R73–R76, R127): an app with its terms, R75
flags and vetting history; a vetting with the rubric, ratings, evidence and the decision.
Anonymous → login page; staff, guardians, vendor contacts → 403; unknown or another
vetting's evidence → 404."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from steward.vendors import rubric, terms
from steward.vendors.actions import vetting as actions
from steward.vendors.models import (
    AppStatus,
    Product,
    Rating,
    Vetting,
    VettingAnswer,
    VettingState,
    VettingTrigger,
)

from .factories_registry import PDF, entries, rate_all, reg_client, reg_world

__all__ = ["reg_client", "reg_world"]

SignIn = Callable[[User | None], Client]
NumQueries = Callable[[int], AbstractContextManager[object]]
TERMS = "We may share your information with our partners. We never sell student data."


def open_vetting(w: SimpleNamespace) -> Vetting:
    return actions.start_vetting(w.quizzo, trigger=VettingTrigger.INITIAL, by=w.officer)


def with_evidence(w: SimpleNamespace) -> tuple[Vetting, VettingAnswer]:
    vetting = open_vetting(w)
    answer = actions.rate_item(
        vetting,
        "security.program",
        rating=Rating.MEETS,
        evidence_data=PDF,
        evidence_filename="soc2.pdf",
        by=w.officer,
    )
    return vetting, answer


def pages(w: SimpleNamespace) -> list[str]:
    vetting, answer = with_evidence(w)
    return [
        reverse("vendors-registry-product-create", args=[w.acme.pk]),
        reverse("vendors-registry-product", args=[w.quizzo.pk]),
        reverse("vendors-registry-product-edit", args=[w.quizzo.pk]),
        reverse("vendors-vetting", args=[vetting.pk]),
        reverse("vendors-vetting-evidence", args=[vetting.pk, answer.pk]),
    ]


def posts(w: SimpleNamespace) -> list[str]:
    vetting = w.quizzo.vettings.get()
    return [
        reverse("vendors-registry-product-terms", args=[w.quizzo.pk]),
        reverse("vendors-registry-product-status", args=[w.quizzo.pk]),
        reverse("vendors-vetting-start", args=[w.mathly.pk]),
        reverse("vendors-vetting-rate", args=[vetting.pk]),
        reverse("vendors-vetting-decide", args=[vetting.pk]),
    ]


def test_anonymous_visitors_go_to_the_login_page(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    client = reg_client(None)
    for url in pages(reg_world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{reverse('login')}?next="), url
    for url in posts(reg_world):
        assert client.post(url).status_code == 302, url


@pytest.mark.parametrize("role", ["teacher", "guardian", "vendor"])
def test_staff_guardians_and_vendor_contacts_are_forbidden(
    reg_world: SimpleNamespace, reg_client: SignIn, role: str
) -> None:
    w = reg_world
    client = reg_client(getattr(w, role))
    for url in pages(w):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"%PDF" not in response.content
    before = entries()
    for url in posts(w):
        response = client.post(
            url, {"text": TERMS, "status": AppStatus.NOT_APPROVED, "reason": "No."}
        )
        assert response.status_code == 403, url
    assert entries() == before
    w.quizzo.refresh_from_db()
    assert w.quizzo.status == AppStatus.UNDER_REVIEW


def test_the_privacy_office_opens_every_page(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    client = reg_client(reg_world.officer)
    for url in pages(reg_world):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "name", ["vendors-registry-product", "vendors-registry-product-edit", "vendors-vetting"]
)
def test_an_unknown_app_or_vetting_is_a_404(
    reg_world: SimpleNamespace, reg_client: SignIn, name: str
) -> None:
    assert reg_client(reg_world.officer).get(reverse(name, args=[999_999])).status_code == 404


def test_evidence_is_served_only_through_its_own_vetting(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    vetting, answer = with_evidence(w)
    other = w.mathly.vettings.get()
    client = reg_client(w.officer)
    response = client.get(reverse("vendors-vetting-evidence", args=[vetting.pk, answer.pk]))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        client.get(reverse("vendors-vetting-evidence", args=[other.pk, answer.pk])).status_code
        == 404
    )
    no_document = other.answers.first()
    assert no_document is not None
    url = reverse("vendors-vetting-evidence", args=[other.pk, no_document.pk])
    assert client.get(url).status_code == 404


# --- apps -------------------------------------------------------------------------------------


def test_the_officer_adds_an_app_with_its_coppa_facts(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    response = reg_client(w.officer).post(
        reverse("vendors-registry-product-create", args=[w.acme.pk]),
        {"name": "Spellio", "used_under_13": "on", "coppa_consent": "school", "in_use": "on"},
    )
    spellio = Product.objects.get(name="Spellio")
    assert response["Location"] == reverse("vendors-registry-product", args=[spellio.pk])
    assert (spellio.status, spellio.coppa_consent, spellio.in_use) == (
        AppStatus.UNDER_REVIEW,
        "school",
        True,
    )


def test_school_consent_with_a_commercial_purpose_is_refused_on_the_form(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    response = reg_client(w.officer).post(
        reverse("vendors-registry-product-create", args=[w.acme.pk]),
        {
            "name": "Spellio",
            "used_under_13": "on",
            "coppa_consent": "school",
            "commercial_purpose": "on",
        },
    )
    assert response.status_code == 400
    assert "R125" in response.content.decode()
    assert not Product.objects.filter(name="Spellio").exists()


def test_the_app_page_shows_facts_flags_history_and_requests(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    actions.update_terms(w.mathly, TERMS, by=w.officer)
    html = (
        reg_client(w.officer)
        .get(reverse("vendors-registry-product", args=[w.mathly.pk]))
        .content.decode()
    )
    assert 'data-status="approved"' in html
    assert 'data-revetting="1"' in html  # approved, and being vetted again
    assert f'data-flag="{terms.SALE_OR_SHARING}"' in html
    assert "We may share your information with our partners." in html
    assert "Meets every item." in html  # the first vetting's reasons
    assert "terms changed" in html  # the new vetting's reason


def test_new_terms_lead_to_the_vetting_that_reviews_them(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    client = reg_client(w.officer)
    url = reverse("vendors-registry-product-terms", args=[w.quizzo.pk])
    response = client.post(url, {"text": TERMS})
    vetting = w.quizzo.vettings.get()
    assert response["Location"] == reverse("vendors-vetting", args=[vetting.pk])
    response = client.post(url, {"text": TERMS}, follow=True)
    assert "The terms are unchanged." in response.content.decode()
    assert w.quizzo.vettings.count() == 1


def test_blank_terms_are_refused_on_the_form(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    url = reverse("vendors-registry-product-terms", args=[w.quizzo.pk])
    response = reg_client(w.officer).post(url, {"text": "   "})
    assert response.status_code == 400
    assert not w.quizzo.vettings.exists()


def test_the_officer_sets_an_app_not_approved_with_a_reason(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    client = reg_client(w.officer)
    url = reverse("vendors-registry-product-status", args=[w.mathly.pk])
    assert client.post(url, {"status": AppStatus.NOT_APPROVED, "reason": ""}).status_code == 400
    refused = client.post(url, {"status": AppStatus.APPROVED, "reason": "Because."})
    assert refused.status_code == 400
    response = client.post(
        url, {"status": AppStatus.NOT_APPROVED, "reason": "It now shows ads."}, follow=True
    )
    w.mathly.refresh_from_db()
    assert (w.mathly.status, w.mathly.status_reason) == (
        AppStatus.NOT_APPROVED,
        "It now shows ads.",
    )
    assert "It now shows ads." in response.content.decode()


def test_the_officer_starts_a_vetting_and_a_second_is_refused(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    client = reg_client(w.officer)
    url = reverse("vendors-vetting-start", args=[w.mathly.pk])
    response = client.post(url, {"trigger": VettingTrigger.ANNUAL})
    vetting = w.mathly.vettings.get(state=VettingState.IN_PROGRESS)
    assert response["Location"] == reverse("vendors-vetting", args=[vetting.pk])
    again = client.post(url, {"trigger": VettingTrigger.ANNUAL}, follow=True)
    assert "already being vetted" in again.content.decode()


# --- the vetting page -------------------------------------------------------------------------


def test_the_vetting_page_shows_the_flags_and_every_area_with_its_items(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    actions.update_terms(w.quizzo, TERMS, by=w.officer)
    vetting = w.quizzo.vettings.get()
    actions.rate_item(
        vetting,
        "sale.never",
        rating=Rating.MEETS_WITH_RESERVATIONS,
        evidence_url="https://quizzo.example/privacy",
        by=w.officer,
    )
    html = reg_client(w.officer).get(reverse("vendors-vetting", args=[vetting.pk])).content
    text = html.decode()
    assert text.index('id="terms-flags"') < text.index('id="area-collected"')  # flags first
    assert f'data-flag="{terms.SALE_OR_SHARING}"' in text
    for area in rubric.AREAS:
        assert f'id="area-{area.key}"' in text
    assert text.count('class="rubric-item"') == len(rubric.ITEMS)
    assert 'data-rating="reservations"' in text
    assert "https://quizzo.example/privacy" in text
    assert f"1 of {len(rubric.ITEMS)} items rated." in text
    assert 'id="decision-form"' in text


def test_the_vetting_page_costs_the_same_queries_however_many_ratings(
    reg_world: SimpleNamespace, reg_client: SignIn, django_assert_num_queries: NumQueries
) -> None:
    w = reg_world
    vetting, _answer = with_evidence(w)
    client = reg_client(w.officer)
    url = reverse("vendors-vetting", args=[vetting.pk])
    # session, user, the second factor's device, account; vetting with app, vendor, reviewer
    # and decision; answers
    expected = 6
    with django_assert_num_queries(expected):
        client.get(url)
    rate_all(vetting, w.officer, Rating.MEETS_WITH_RESERVATIONS)
    with django_assert_num_queries(expected):
        client.get(url)


def test_the_officer_rates_an_item_with_a_document(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    vetting = open_vetting(w)
    response = reg_client(w.officer).post(
        reverse("vendors-vetting-rate", args=[vetting.pk]),
        {
            "item": "breach.notify",
            "rating": Rating.MEETS_WITH_RESERVATIONS,
            "evidence_file": SimpleUploadedFile("dpa.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#item-breach-notify")
    answer = vetting.answers.get()
    assert answer.evidence_document is not None
    assert answer.evidence_document.filename == "dpa.pdf"


def test_a_rating_without_needed_evidence_comes_back_with_what_was_typed(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    vetting = open_vetting(w)
    response = reg_client(w.officer).post(
        reverse("vendors-vetting-rate", args=[vetting.pk]),
        {"item": "sale.never", "rating": Rating.DOES_NOT_MEET, "evidence_url": ""},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Give evidence" in text
    # The bound form keeps the chosen rating; no other item's form has one.
    assert len(re.findall(r'value="does_not_meet"[^>]*checked', text)) == 1
    assert len(re.findall(r"<input[^>]*\bchecked\b", text)) == 1
    assert not vetting.answers.exists()


def test_rating_an_unknown_item_is_a_404(reg_world: SimpleNamespace, reg_client: SignIn) -> None:
    vetting = open_vetting(reg_world)
    response = reg_client(reg_world.officer).post(
        reverse("vendors-vetting-rate", args=[vetting.pk]),
        {"item": "vibes.good", "rating": Rating.MEETS},
    )
    assert response.status_code == 404


def test_the_decision_is_refused_until_every_item_is_rated_then_recorded(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    vetting = open_vetting(w)
    client = reg_client(w.officer)
    url = reverse("vendors-vetting-decide", args=[vetting.pk])
    decision = {"status": AppStatus.APPROVED, "reasons": "Meets the rubric."}
    refused = client.post(url, decision)
    assert refused.status_code == 400
    assert "Not rated yet" in refused.content.decode()
    rate_all(vetting, w.officer)
    response = client.post(url, decision)
    assert response["Location"] == reverse("vendors-registry-product", args=[w.quizzo.pk])
    w.quizzo.refresh_from_db()
    assert w.quizzo.status == AppStatus.APPROVED
    html = client.get(reverse("vendors-vetting", args=[vetting.pk])).content.decode()
    assert 'id="vetting-decision"' in html and "Meets the rubric." in html
    assert 'id="decision-form"' not in html
    assert "Rate again" not in html  # a decided vetting takes no ratings
