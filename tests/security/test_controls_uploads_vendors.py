"""Uploads on the vendor pages refuse files by their bytes and size, and serve what they keep with
safe headers (#10 item 2, R116): the signed agreement and the verification of disposition (the
privacy office, and the vendor's own portal), vetting evidence, and another district's registry.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from steward.vendors.actions import agreements as actions
from steward.vendors.actions import vetting as vetting_actions
from steward.vendors.models import Agreement, Rating, VettingTrigger
from tests.vendors.factories_agreements import (
    ag_client,
    ag_world,
    complete_terms,
    draft,
    ended,
    today,
)
from tests.vendors.factories_registry import reg_client, reg_world

from .controls_fixtures import (
    LIMIT,
    PDF,
    Bad,
    assert_refused,
    assert_safe_download,
    bad_pdfs,
    bad_registries,
    controls_small_uploads,
    ids,
    watch_storage,
)

__all__ = ["ag_client", "ag_world", "controls_small_uploads", "reg_client", "reg_world"]
Login = Callable[[User], Client]
pytestmark = pytest.mark.usefixtures("controls_small_uploads")


def _certificate(document: SimpleUploadedFile) -> dict[str, object]:
    return {
        "signer_name": "Ada Acme",
        "signer_title": "Chief Privacy Officer",
        "signed_on": today().isoformat(),
        "method": "Cryptographic erasure",
        "scope": "All of the district's student data",
        "document": document,
    }


def _unsigned(w: SimpleNamespace) -> Agreement:
    return actions.create_agreement(w.acme, by=w.officer, **complete_terms(w))


@pytest.mark.parametrize("bad", bad_pdfs(), ids=ids(bad_pdfs()))
def test_the_signed_agreement_upload_refuses_what_is_not_a_pdf_within_the_limit(
    ag_world: SimpleNamespace, ag_client: Login, bad: Bad
) -> None:
    agreement = _unsigned(ag_world)
    officer = ag_client(ag_world.officer)
    unchanged = watch_storage()
    response = officer.post(
        reverse("vendors-agreement-upload", args=[agreement.pk]), {"document": bad.upload()}
    )
    assert_refused(response, bad)
    unchanged()
    agreement.refresh_from_db()
    assert agreement.signed_document_id is None


@pytest.mark.parametrize("bad", bad_pdfs(), ids=ids(bad_pdfs()))
def test_the_officers_certificate_upload_refuses_bad_files(
    ag_world: SimpleNamespace, ag_client: Login, bad: Bad
) -> None:
    agreement = ended(ag_world)
    officer = ag_client(ag_world.officer)
    unchanged = watch_storage()
    response = officer.post(
        reverse("vendors-agreement-certificate", args=[agreement.pk]), _certificate(bad.upload())
    )
    assert_refused(response, bad)
    unchanged()


@pytest.mark.parametrize("bad", bad_pdfs(), ids=ids(bad_pdfs()))
def test_the_vendor_portal_certificate_upload_refuses_bad_files(
    ag_world: SimpleNamespace, ag_client: Login, bad: Bad
) -> None:
    agreement = ended(ag_world)
    vendor = ag_client(ag_world.ada)
    unchanged = watch_storage()
    response = vendor.post(
        reverse("vendors-portal-certificate", args=[agreement.pk]), _certificate(bad.upload())
    )
    assert_refused(response, bad)
    unchanged()


@pytest.mark.parametrize("bad", bad_pdfs(), ids=ids(bad_pdfs()))
def test_vetting_evidence_upload_refuses_bad_files(
    reg_world: SimpleNamespace, reg_client: Callable[[User | None], Client], bad: Bad
) -> None:
    vetting = vetting_actions.start_vetting(
        reg_world.quizzo, trigger=VettingTrigger.INITIAL, by=reg_world.officer
    )
    officer = reg_client(reg_world.officer)
    unchanged = watch_storage()
    response = officer.post(
        reverse("vendors-vetting-rate", args=[vetting.pk]),
        {"item": "breach.notify", "rating": Rating.MEETS, "evidence_file": bad.upload()},
    )
    assert response.status_code == 400
    assert_refused(response, bad)
    unchanged()
    assert not vetting.answers.exists()


@pytest.mark.parametrize("bad", bad_registries(), ids=ids(bad_registries()))
def test_the_registry_import_refuses_what_is_not_csv_or_json_within_the_limit(
    ag_world: SimpleNamespace, ag_client: Login, bad: Bad
) -> None:
    agreements = Agreement.objects.count()
    officer = ag_client(ag_world.officer)
    unchanged = watch_storage()
    response = officer.post(reverse("vendors-dashboard-registry-import"), {"file": bad.upload()})
    assert_refused(response, bad)
    unchanged()
    assert Agreement.objects.count() == agreements


def test_a_document_under_a_raised_limit_is_kept_whole(
    ag_world: SimpleNamespace, ag_client: Login, settings: object
) -> None:
    """The limit is read where the bytes are read: a district that raises it gets whole files,
    never ones cut at an older, smaller limit."""
    settings.STEWARD_UPLOAD_MAX_BYTES = 3 * LIMIT  # type: ignore[attr-defined]
    agreement = _unsigned(ag_world)
    big = PDF + b"%" + b"0" * (2 * LIMIT)
    response = ag_client(ag_world.officer).post(
        reverse("vendors-agreement-upload", args=[agreement.pk]),
        {"document": SimpleUploadedFile("long.pdf", big, content_type="application/pdf")},
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.signed_document is not None
    assert bytes(agreement.signed_document.content) == big


def test_stored_vendor_documents_are_served_with_safe_headers(
    ag_world: SimpleNamespace, ag_client: Login
) -> None:
    agreement = ended(ag_world)
    officer = ag_client(ag_world.officer)
    officer.post(
        reverse("vendors-agreement-certificate", args=[agreement.pk]),
        _certificate(SimpleUploadedFile("verification.pdf", PDF + b"v")),
    )
    for name in ("vendors-agreement-document", "vendors-agreement-certificate-document"):
        assert_safe_download(officer.get(reverse(name, args=[agreement.pk])), inline_pdf=True)
    vendor = ag_client(ag_world.ada)
    served = vendor.get(reverse("vendors-portal-document", args=[agreement.pk]))
    assert_safe_download(served, inline_pdf=True)
    assert served.content == PDF


def test_vetting_evidence_is_served_with_safe_headers(
    reg_world: SimpleNamespace, reg_client: Callable[[User | None], Client]
) -> None:
    vetting = vetting_actions.start_vetting(
        reg_world.quizzo, trigger=VettingTrigger.INITIAL, by=reg_world.officer
    )
    answer = vetting_actions.rate_item(
        vetting,
        "security.program",
        rating=Rating.MEETS,
        evidence_data=PDF,
        evidence_filename="soc2.pdf",
        by=reg_world.officer,
    )
    served = reg_client(reg_world.officer).get(
        reverse("vendors-vetting-evidence", args=[vetting.pk, answer.pk])
    )
    assert_safe_download(served, inline_pdf=True)


def test_the_published_agreement_keeps_the_safe_headers_and_may_be_cached_publicly(
    ag_world: SimpleNamespace, client: Client
) -> None:
    """The one public document (R77): the same sandbox and nosniff, and cacheable, because
    it is published for anyone and never changes once stored."""
    agreement = draft(ag_world)
    actions.activate_agreement(agreement, by=ag_world.officer)
    served = client.get(reverse("vendors-public-document", args=[agreement.pk]))
    assert served.status_code == 200
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert served["Cache-Control"] == "public, max-age=86400"
