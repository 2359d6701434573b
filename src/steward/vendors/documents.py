"""Uploaded documents: checked on the way in, served with safe headers on the way out.

`store()` is called inside an action's transaction (it writes a `Document` row), so a failed
action keeps no orphan file. Accepted: PDF only (signed agreements, certificates, evidence),
recognised by its magic bytes rather than by the name or the browser's claim, at most
`MAX_DOCUMENT_BYTES`. The stored SHA-256 lets anyone check a downloaded copy.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.accounts.selectors import signed_in
from steward.vendors.models import MAX_DOCUMENT_BYTES, Document

PDF = "application/pdf"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


def check(data: bytes, filename: str) -> None:
    """Raise ValidationError naming the file and the reason unless `data` is a PDF we accept."""
    if not data:
        raise ValidationError(_("%(name)s: the file is empty.") % {"name": filename})
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("%(name)s: the file is larger than %(limit)d MB.")
            % {"name": filename, "limit": MAX_DOCUMENT_BYTES // (1024 * 1024)}
        )
    if not data.startswith(b"%PDF-"):
        raise ValidationError(_("%(name)s: only PDF documents are accepted.") % {"name": filename})


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
    upload.seek(0)
    data = upload.read(MAX_DOCUMENT_BYTES + 1)
    return store(bytes(data), upload.name or "document.pdf", by=by)


def response(document: Document, *, download: bool = False) -> HttpResponse:
    """The document as an HTTP response: the stored type, nosniff, a sandboxing CSP, and the
    SHA-256 in a header so a reader can check the copy they received."""
    reply = HttpResponse(bytes(document.content), content_type=document.content_type)
    disposition = "attachment" if download else "inline"
    reply["Content-Disposition"] = f'{disposition}; filename="{safe_filename(document.filename)}"'
    reply["X-Content-Type-Options"] = "nosniff"
    reply["Content-Security-Policy"] = "sandbox; default-src 'none'"
    reply["Cache-Control"] = "private, no-store"
    reply["Digest"] = f"sha-256={document.sha256}"
    return reply
