"""The agreement pages link the printable PDFs that exist for the agreement (R80, R110)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.vendors import factories_agreements as fa

pytestmark = pytest.mark.django_db


def page(user: object, url: str) -> str:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    reply = client.get(url)
    assert reply.status_code == 200
    return reply.content.decode()


def test_an_active_agreement_links_only_its_summary() -> None:
    w = fa.build_world()
    agreement = fa.active(w)
    html = page(w.officer, reverse("vendors-agreement-detail", args=[agreement.pk]))
    assert reverse("vendors-pdf-summary", args=[agreement.pk]) in html
    assert reverse("vendors-pdf-directive", args=[agreement.pk]) not in html


def test_an_ended_agreement_links_its_directive_for_the_office_and_the_vendor() -> None:
    w = fa.build_world()
    agreement = fa.ended(w)
    officer = page(w.officer, reverse("vendors-agreement-detail", args=[agreement.pk]))
    assert reverse("vendors-pdf-directive", args=[agreement.pk]) in officer
    vendor = page(w.ada, reverse("vendors-portal-agreement", args=[agreement.pk]))
    assert reverse("vendors-pdf-vendor-directive", args=[agreement.pk]) in vendor
    assert reverse("vendors-pdf-vendor-summary", args=[agreement.pk]) in vendor
    assert reverse("vendors-pdf-directive", args=[agreement.pk]) not in vendor
