"""The demo vendors (issue #6): built through the actions, in every registry status and
lifecycle stage, with a public page that has something to show; a second run adds nothing."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from steward.audit.models import Entry
from steward.vendors import dashboard, sdpc
from steward.vendors.demo import build_demo_vendors
from steward.vendors.models import Agreement, AgreementStatus, AppStatus, Product, Vendor


def test_the_demo_builds_vendors_apps_and_agreements_at_every_stage(
    client: Client, db: None
) -> None:
    build_demo_vendors(timezone.localdate())

    assert Vendor.objects.count() == 5
    statuses = set(Product.objects.values_list("status", flat=True))
    assert statuses == {
        AppStatus.APPROVED,
        AppStatus.APPROVED_WITH_GUARDIAN_RELEASE,
        AppStatus.NOT_APPROVED,
        AppStatus.UNDER_REVIEW,
        AppStatus.EXPIRED,  # Coursewell Classroom: its only agreement was terminated
    }
    stages = set(Agreement.objects.values_list("status", flat=True))
    assert stages == {
        AgreementStatus.ACTIVE,
        AgreementStatus.EXPIRING,
        AgreementStatus.DISPOSITION_PENDING,
        AgreementStatus.DISPOSITION_CERTIFIED,
    }
    assert all(a.signed_document_id for a in Agreement.objects.all())
    assert Entry.objects.filter(purpose__contains="vendor registry").exists()  # via the actions

    html = client.get("/privacy/apps/").content.decode()
    assert "Brightleaf Reader" in html and "Numberline Math Practice" in html
    assert "data-guardian-release" in html
    assert "Deletion certified on" in html
    assert "Numberline Arcade" not in html  # not approved

    board = dashboard.build()
    assert board.expiring and board.dispositions and board.under_review
    assert board.in_use_without_agreement  # Brightleaf Library, in use while under review
    assert len(sdpc.entries(sdpc.public_agreements())) == 6


def test_running_the_demo_again_adds_nothing(db: None) -> None:
    build_demo_vendors(timezone.localdate())
    counts = (Vendor.objects.count(), Agreement.objects.count(), Entry.objects.count())
    build_demo_vendors(timezone.localdate())
    assert (Vendor.objects.count(), Agreement.objects.count(), Entry.objects.count()) == counts
