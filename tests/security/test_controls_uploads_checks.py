"""The shared upload checks and download headers (`steward.security.uploads`; #10 item 2, R116):
the bytes decide, never the name or the browser's claim."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from steward.security import uploads

from .controls_fixtures import EXECUTABLE, PDF, WEB_PAGE


class _Form(forms.Form):
    document = uploads.PdfField()


def _form(name: str, data: bytes, claimed: str) -> _Form:
    return _Form(files={"document": SimpleUploadedFile(name, data, content_type=claimed)})


def test_a_pdf_is_accepted_whatever_its_name_or_claimed_type() -> None:
    form = _form("scan.png", PDF, "image/png")
    assert form.is_valid(), form.errors
    # The check reads the file and puts it back, for the view to read from the start.
    assert form.cleaned_data["document"].read() == PDF


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("setup.pdf", EXECUTABLE, "only PDF documents are accepted"),
        ("agreement.pdf", WEB_PAGE, "only PDF documents are accepted"),
        ("late.pdf", b" %PDF-1.4", "only PDF documents are accepted"),
        ("empty.pdf", b"", "the file is empty"),
    ],
)
def test_the_pdf_field_names_the_file_and_the_reason(name: str, data: bytes, reason: str) -> None:
    form = _form(name, data, "application/pdf")
    assert not form.is_valid()
    assert form.errors["document"] == [f"{name}: {reason}."]


def test_the_pdf_limit_is_the_districts(settings: Any) -> None:
    settings.STEWARD_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    uploads.check_pdf(PDF + b"0" * (2 * 1024 * 1024 - len(PDF)), "exactly.pdf")
    with pytest.raises(ValidationError, match=r"over\.pdf: the file is larger than 2 MB\."):
        uploads.check_pdf(PDF + b"0" * (2 * 1024 * 1024), "over.pdf")


@pytest.mark.parametrize(
    "data",
    [b"vendor,product\nAcme,Reader\n", b'[{"vendor": "Acme"}]', b"\xef\xbb\xbfvendor\nAcme\n"],
    ids=["csv", "json", "csv with a byte order mark"],
)
def test_plain_text_data_files_pass(data: bytes) -> None:
    assert uploads.text_problem(data, limit=1024) == ""


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"a,b\n" * 300, "larger than 1 MB"),
        (b"vendor,\x00product\n", "not a text file (it holds binary data)"),
        ("vendor\nÉcole".encode("latin-1"), "not UTF-8 text (byte 7)"),
        (b" \r\n\t", "the file is empty"),
        (b"\n  <?xml version='1.0'?><r/>", "a web page or other markup, not CSV or JSON"),
    ],
    ids=["oversize", "binary", "latin-1", "blank", "markup"],
)
def test_what_is_not_a_plain_text_data_file_is_refused(data: bytes, reason: str) -> None:
    assert uploads.text_problem(data, limit=1024) == reason


def test_the_text_field_names_the_file_and_the_reason() -> None:
    class RegistryForm(forms.Form):
        file = uploads.TextUploadField()

    form = RegistryForm(files={"file": SimpleUploadedFile("r.csv", EXECUTABLE, "text/csv")})
    assert not form.is_valid()
    assert form.errors["file"] == ["r.csv: not a text file (it holds binary data)"]


def test_anything_but_a_pdf_is_served_as_an_attachment_even_when_shown() -> None:
    reply = uploads.document_response(b"a,b\n", filename="list.csv", content_type="text/csv")
    assert reply["Content-Disposition"] == 'attachment; filename="list.csv"'
    assert reply["X-Content-Type-Options"] == "nosniff"
    assert reply["Content-Security-Policy"] == uploads.SANDBOX_CSP
    assert reply["Cache-Control"] == "private, no-store"
    assert "Digest" not in reply


def test_a_pdf_is_inline_unless_downloaded_and_names_survive_intact() -> None:
    shown = uploads.document_response(
        PDF, filename="lettre d'école.pdf", content_type=uploads.PDF, sha256="ab" * 32
    )
    assert shown["Content-Disposition"].startswith("inline; filename*=utf-8''lettre")
    assert shown["Digest"] == "sha-256=" + "ab" * 32
    kept = uploads.document_response(PDF, filename="a.pdf", content_type=uploads.PDF, download=True)
    assert kept["Content-Disposition"] == 'attachment; filename="a.pdf"'
