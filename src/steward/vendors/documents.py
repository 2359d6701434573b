"""Uploaded documents: checked on the way in, served with safe headers on the way out.

`store()` is called inside an action's transaction (it writes a `Document` row), so a failed
action keeps no orphan file. Accepted: PDF only (signed agreements, certificates, evidence),
recognised by its magic bytes rather than by the name or the browser's claim, at most
`STEWARD_UPLOAD_MAX_MB` (the checks and the headers are `steward.security.uploads`, shared by
every upload path). The stored SHA-256 lets anyone check a downloaded copy.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.utils import timezone

from steward.accounts.selectors import signed_in
from steward.security import uploads
from steward.vendors.models import Document

PDF = uploads.PDF
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


def check(data: bytes, filename: str) -> None:
    """Raise ValidationError naming the file and the reason unless `data` is a PDF we accept."""
    uploads.check_pdf(data, filename)


def safe_filename(filename: str) -> str:
    """A plain file name for storage and Content-Disposition (no paths, no quotes)."""
    name = _SAFE_NAME.sub("_", filename.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    if not name:
        name = "document"
    return name if name.lower().endswith(".pdf") else f"{name}.pdf"


def store(data: bytes, filename: str, *, by: Any = None) -> Document:
    """Check and save a document; the caller's transaction decides whether it stays."""
    check(data, filename)
    user = signed_in(by)
    return Document.objects.create(
        filename=safe_filename(filename),
        content_type=PDF,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        uploaded_by=user,
        uploaded_at=timezone.now(),
    )


def store_upload(upload: UploadedFile, *, by: Any = None) -> Document:
    """`store()` for a form upload; reads at most one byte over the limit."""
    return store(
        uploads.read(upload, uploads.document_limit()), upload.name or "document.pdf", by=by
    )


def response(document: Document, *, download: bool = False) -> HttpResponse:
    """The document as an HTTP response (`steward.security.uploads.document_response`): inline
    under a sandboxing CSP unless `download`, nosniff, never cached, the SHA-256 in a header so a
    reader can check the copy they received."""
    return uploads.document_response(
        bytes(document.content),
        filename=safe_filename(document.filename),
        content_type=document.content_type,
        sha256=document.sha256,
        download=download,
    )
