"""Files the upload tests send, and what a refusal must look like (#10 item 2, R116).

Every upload path is tried with the same four bad files: a Windows program renamed for the
path, a web page renamed likewise, a file one byte over a 1 MB limit the test sets, and an
empty file. A refusal names the file and the reason, and leaves no document and no ledger entry.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from steward.audit.models import Entry
from steward.vendors.models import Document

LIMIT = 1024 * 1024
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# The start of a Windows PE program: the MZ header, its NUL padding, the DOS stub's message.
EXECUTABLE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode.\r\r\n$"
)
WEB_PAGE = b"<!DOCTYPE html><html><body><script>fetch('/officer/')</script></body></html>"


@dataclass(frozen=True)
class Bad:
    """A file an upload path must refuse, and the reason its error must give."""

    case: str
    name: str
    data: bytes
    reason: str

    def upload(self) -> SimpleUploadedFile:
        # The browser's claim is the friendliest one: the check must not believe it.
        claimed = "application/pdf" if self.name.endswith(".pdf") else "text/csv"
        return SimpleUploadedFile(self.name, self.data, content_type=claimed)


def bad_pdfs() -> list[Bad]:
    return [
        Bad("executable", "setup.pdf", EXECUTABLE, "only PDF documents are accepted"),
        Bad("web page", "agreement.pdf", WEB_PAGE, "only PDF documents are accepted"),
        Bad("oversize", "big.pdf", PDF + b"0" * LIMIT, "the file is larger than 1 MB"),
        Bad("empty", "empty.pdf", b"", "the file is empty"),
    ]


def bad_registries() -> list[Bad]:
    return [
        Bad("executable", "registry.csv", EXECUTABLE, "not a text file (it holds binary data)"),
        Bad("web page", "registry.csv", WEB_PAGE, "a web page or other markup, not CSV or JSON"),
        Bad("oversize", "big.csv", b"vendor\n" + b"a\n" * (LIMIT // 2), "larger than 1 MB"),
        Bad("empty", "empty.csv", b"", "the file is empty"),
    ]


def ids(cases: list[Bad]) -> list[str]:
    return [case.case for case in cases]


@pytest.fixture
def controls_small_uploads(settings: Any) -> None:
    """Upload limits of 1 MB, so the oversize files stay small."""
    settings.STEWARD_UPLOAD_MAX_BYTES = LIMIT
    settings.STEWARD_REGISTRY_UPLOAD_MAX_BYTES = LIMIT


def assert_refused(response: Any, bad: Bad) -> None:
    """The page names the file and the reason (as one message)."""
    page = html.unescape(response.content.decode())
    assert f"{bad.name}: {bad.reason}" in page, page[:3000]


def watch_storage() -> Callable[[], None]:
    """Take the counts now; the returned check asserts that no document and no ledger entry
    have been added since (call it after the refused upload)."""
    documents, entries = Document.objects.count(), Entry.objects.count()

    def check() -> None:
        assert Document.objects.count() == documents
        assert Entry.objects.count() == entries

    return check


def assert_safe_download(response: Any, *, inline_pdf: bool) -> None:
    """The headers every served upload carries (uploads.document_response)."""
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;" if inline_pdf else "attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "private, no-store"
