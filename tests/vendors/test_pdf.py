"""Printable PDFs (issue #6 item 7; R80, R110): the agreement summary, the Exhibit D directive
and the deletion certificate. Each is parsed back (pypdf) and its fields looked for; Unicode
names survive; without the DejaVu fonts a PDF is still made, with a warning. Pages in four
states: anonymous → login, teacher → 403, officer → any agreement, vendor contact → only their
own vendor's (another's is 404)."""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format
from pypdf import PdfReader

from steward.vendors import pdf
from steward.vendors.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Extent,
    Nature,
    Schedule,
    ScopeKind,
)

from . import factories_public as fp


def text_of(data: bytes) -> str:
    """The PDF's text, pages joined, with line breaks as spaces (a long value may wrap)."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def day(value: dt.date) -> str:
    return date_format(value, "DATE_FORMAT")


@pytest.fixture
def people(db: None) -> SimpleNamespace:
    return fp.people()


@pytest.fixture
def ended(people: SimpleNamespace) -> Agreement:
    """An Acme agreement that ended, with its directive and certificate."""
    reader = fp.product(people.acme, "Acme Reader")
    agreement = fp.agreement(
        people.acme,
        [reader],
        title="Acme Reader DPA",
        status=AgreementStatus.DISPOSITION_CERTIFIED,
        purpose="Guided reading practice for grades 1–5",
        services="Leveled e-books, reading logs, teacher reports",
        data_elements=[
            ["Student Name", "First and/or last"],
            ["Enrollment", "Student grade level"],
            ["Student In App Performance", "Program/application performance"],
        ],
        scope_kind=ScopeKind.GRADES,
        scope_grades=["01", "02"],
        start_date=dt.date(2024, 7, 1),
        end_date=dt.date(2025, 6, 30),
        signed_on=dt.date(2024, 6, 20),
        district_signatory="Jean-Baptiste Désir",
        provider_signatory="Zoë Ngô",
        parent_access_days=30,
        breach_notification_hours=72,
        security_framework="NIST CSF",
        security_evidence="SOC 2 Type II report of 2024-03-01",
    )
    fp.directive(
        agreement,
        extent=Extent.PARTIAL,
        categories=["Student Name", "Enrollment"],
        nature=Nature.TRANSFER,
        transfer_to="Model District data office",
        schedule=Schedule.BY_DATE,
        due_date=dt.date(2025, 8, 29),
        authorized_by="Dana Director",
    )
    fp.certificate(
        agreement, signed_on=dt.date(2025, 8, 1), method="Secure overwrite (NIST 800-88)"
    )
    return agreement


def test_the_summary_names_parties_terms_data_dates_and_the_document_hash(
    ended: Agreement,
) -> None:
    text = text_of(pdf.summary(ended))
    for expected in [
        "Acme Reader DPA",
        fp.DISTRICT,
        "Acme Learning",
        "Acme Reader",
        "Jean-Baptiste Désir",
        "Zoë Ngô",
        "data privacy agreement with a school official",
        "A1: school official",
        "Guided reading practice for grades 1–5",
        "Leveled e-books, reading logs, teacher reports",
        "Student Name",
        "First and/or last",
        "Student grade level",
        "some grades; grades: 01, 02",
        day(dt.date(2024, 7, 1)),
        day(dt.date(2025, 6, 30)),
        day(dt.date(2024, 6, 20)),
        "within 30 days",
        "within 72 hours",
        "NIST CSF",
        "disposition certified",
        ended.signed_document.sha256,  # type: ignore[union-attr]
    ]:
        assert expected in text, expected


def test_the_summary_of_a_study_lists_its_mandatory_terms(people: SimpleNamespace) -> None:
    study = fp.agreement(
        people.globex,
        kind=AgreementKind.STUDY,
        ferpa_basis="A6",
        study_scope="Grade 3 reading outcomes",
        study_duration="Two school years",
        irb_evidence="IRB exemption 2025-17",
        destruction_terms="Destroyed within 30 days of the final report",
        signed=False,
    )
    text = text_of(pdf.summary(study))
    for expected in ["Grade 3 reading outcomes", "Two school years", "IRB exemption 2025-17"]:
        assert expected in text
    assert "study (99.31(a)(6))" in text


def test_the_directive_has_extent_nature_schedule_signature_and_a_blank_verification(
    ended: Agreement,
) -> None:
    text = text_of(pdf.directive(ended, ended.directive))
    for expected in [
        "Directive for disposition of data (Exhibit D)",
        "partial: the categories listed",
        "Student Name; Enrollment",
        "transfer",
        "Model District data office",
        "by a date",
        day(dt.date(2025, 8, 29)),
        "Dana Director",
        "Verification of disposition of data",
        "Method of disposition",
        "Signature",
    ]:
        assert expected in text, expected


def test_the_certificate_has_signer_title_date_method_scope_and_hash(ended: Agreement) -> None:
    verification = ended.certificate
    text = text_of(pdf.certificate(ended, verification))
    for expected in [
        "Certificate of disposition of data",
        "Zoë Ngô",
        "Chief Privacy Officer",
        day(dt.date(2025, 8, 1)),
        "Secure overwrite (NIST 800-88)",
        "All student data received under the agreement",
        verification.document.sha256,
    ]:
        assert expected in text, expected


def test_without_the_fonts_the_pdf_is_made_with_latin1_and_a_warning(
    ended: Agreement, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(pdf, "FONT_DIR", Path("/nonexistent"))
    ended.title = "Łukasz’s “DPA” — Zoë"
    with caplog.at_level(logging.WARNING, logger="steward.vendors.pdf"):
        text = text_of(pdf.summary(ended))
    assert "PDF fonts not found" in caplog.text
    assert '?ukasz\'s "DPA" - Zoë' in text
    assert "Jean-Baptiste Désir" in text  # Latin-1 is kept as it is


def test_latin1_keeps_what_it_can_and_decomposes_the_rest() -> None:
    assert pdf._latin1("Ngô Đức Œuvre ő “x”") == 'Ngô ?uc ?uvre o "x"'


# Pages ---------------------------------------------------------------------------------------


def urls(agreement: Agreement, who: str = "officer") -> list[str]:
    prefix = "vendors-pdf-" if who == "officer" else "vendors-pdf-vendor-"
    return [reverse(prefix + kind, args=[agreement.pk]) for kind in pdf_kinds()]


def pdf_kinds() -> tuple[str, ...]:
    from steward.vendors.views_pdf import KINDS

    return KINDS


def test_the_pdfs_live_under_the_officer_and_vendor_agreement_paths(ended: Agreement) -> None:
    pk = ended.pk
    assert urls(ended) == [
        f"/officer/agreements/{pk}/pdf/summary/",
        f"/officer/agreements/{pk}/pdf/directive/",
        f"/officer/agreements/{pk}/pdf/certificate/",
    ]
    assert urls(ended, "vendor")[0] == f"/vendor/agreements/{pk}/pdf/summary/"


def test_anonymous_visitors_go_to_the_login_page(client: Client, ended: Agreement) -> None:
    for url in urls(ended) + urls(ended, "vendor"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_teacher_is_forbidden_and_a_vendor_contact_cannot_use_the_office_paths(
    client: Client, people: SimpleNamespace, ended: Agreement
) -> None:
    client.force_login(people.teacher)
    for url in urls(ended) + urls(ended, "vendor"):
        assert client.get(url).status_code == 403
    client.force_login(people.contact)
    for url in urls(ended):
        assert client.get(url).status_code == 403


def test_the_officer_gets_each_pdf_inline_with_a_file_name(
    client: Client, people: SimpleNamespace, ended: Agreement
) -> None:
    client.force_login(people.officer)
    for url, name in zip(
        urls(ended),
        ["summary", "exhibit-d-directive", "deletion-certificate"],
        strict=True,
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'inline; filename="agreement-{ended.pk}-{name}.pdf"'
        )
        assert response.content.startswith(b"%PDF-")
        assert "Acme Reader DPA" in text_of(response.content)


def test_the_vendor_contact_gets_their_own_vendors_pdfs_only(
    client: Client, people: SimpleNamespace, ended: Agreement
) -> None:
    client.force_login(people.contact)
    for url in urls(ended, "vendor"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
    client.force_login(people.other_contact)
    for url in urls(ended, "vendor"):
        assert client.get(url).status_code == 404


def test_a_directive_or_certificate_not_issued_yet_is_not_found(
    client: Client, people: SimpleNamespace
) -> None:
    active = fp.agreement(people.acme, title="Active")
    client.force_login(people.officer)
    summary, directive, certificate = urls(active)
    assert client.get(summary).status_code == 200
    assert client.get(directive).status_code == 404
    assert client.get(certificate).status_code == 404
    assert client.get("/officer/agreements/999999/pdf/summary/").status_code == 404
