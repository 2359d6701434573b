"""Uploaded files: what Steward accepts, and how it serves them back (issue #10 item 2, R116).

Every upload path goes through here: signed agreements and verifications of disposition (the
privacy office and the vendor portal), vetting evidence, what a family adds to a record, the
hearing officer's attestation (PDF documents), and another district's registry (CSV or JSON
text). The type is judged by the bytes, never by the file's name or the browser's
Content-Type; the size against a limit set by the district (`STEWARD_UPLOAD_MAX_MB`,
`STEWARD_REGISTRY_UPLOAD_MAX_MB`). A refusal names the file and the reason. The form fields
below refuse before any action runs, and the actions check again inside their transaction, so a
refused file is never stored whichever way it comes in.

On the way out a stored document is served by `document_response()`: a PDF inline only under a
sandboxing CSP, anything else as an attachment; never sniffed, never cached.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

PDF = "application/pdf"
PDF_MAGIC = b"%PDF-"
# Scripts, plugins, forms and navigation are off, and the document may not pull anything in:
# a crafted file opened in the browser cannot act as a page of Steward's origin.
SANDBOX_CSP = "sandbox; default-src 'none'"


def document_limit() -> int:
    """Largest PDF document accepted, in bytes (`STEWARD_UPLOAD_MAX_MB`, default 20)."""
    return int(settings.STEWARD_UPLOAD_MAX_BYTES)


def registry_limit() -> int:
    """Largest registry file accepted, in bytes (`STEWARD_REGISTRY_UPLOAD_MAX_MB`, default 10)."""
    return int(settings.STEWARD_REGISTRY_UPLOAD_MAX_BYTES)


def _megabytes(limit: int) -> int:
    return max(1, limit // (1024 * 1024))


def read(upload: UploadedFile, limit: int) -> bytes:
    """The upload's bytes, at most one over `limit` (enough for the size check to refuse it)."""
    upload.seek(0)
    data = bytes(upload.read(limit + 1))
    upload.seek(0)
    return data


def check_pdf(data: bytes, filename: str, *, limit: int | None = None) -> None:
    """Raise ValidationError naming `filename` and the reason unless `data` is a PDF within the
    limit (`document_limit()` unless given): not empty, and starting with the PDF header — a
    program or a web page renamed `.pdf` does not."""
    limit = document_limit() if limit is None else limit
    if not data:
        raise ValidationError(_("%(name)s: the file is empty.") % {"name": filename})
    if len(data) > limit:
        raise ValidationError(
            _("%(name)s: the file is larger than %(limit)d MB.")
            % {"name": filename, "limit": _megabytes(limit)}
        )
    if not data.startswith(PDF_MAGIC):
        raise ValidationError(_("%(name)s: only PDF documents are accepted.") % {"name": filename})


def text_problem(data: bytes, *, limit: int | None = None) -> str:
    """Why `data` is not a plain-text data file (CSV or JSON) within the limit
    (`registry_limit()` unless given), or "" when it is. UTF-8 text with no NUL byte, not
    blank, and not markup: a program or an HTML page renamed `.csv` is refused by its bytes."""
    limit = registry_limit() if limit is None else limit
    if len(data) > limit:
        return _("larger than %(mb)d MB") % {"mb": _megabytes(limit)}
    if b"\x00" in data:  # every executable and archive holds one; no CSV or JSON does
        return _("not a text file (it holds binary data)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return _("not UTF-8 text (byte %(at)d)") % {"at": error.start}
    if not text.strip():
        return _("the file is empty")
    if text.lstrip().startswith("<"):
        return _("a web page or other markup, not CSV or JSON")
    return ""


class PdfField(forms.FileField):
    """A PDF upload, checked by `check_pdf` when the form is validated; the error names the file.

    Empty files reach the check (instead of Django's nameless "The submitted file is empty")."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if isinstance(upload, UploadedFile):
            check_pdf(read(upload, document_limit()), upload.name or "document.pdf")
        return upload


class TextUploadField(forms.FileField):
    """A CSV or JSON upload, checked by `text_problem` when the form is validated."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if isinstance(upload, UploadedFile):
            problem = text_problem(read(upload, registry_limit()))
            if problem:
                raise ValidationError(
                    _("%(name)s: %(reason)s") % {"name": upload.name, "reason": problem}
                )
        return upload


def document_response(
    content: bytes, *, filename: str, content_type: str, sha256: str = "", download: bool = False
) -> HttpResponse:
    """A stored upload as a response. A PDF is shown inline unless `download`; any other type is
    always an attachment. Always: `X-Content-Type-Options: nosniff` (the browser keeps to the
    stored type), a sandboxing CSP (kept by the site-wide CSP middleware, which never replaces a
    policy already set), `Cache-Control: private, no-store`, and the SHA-256 of the bytes in
    `Digest` so a reader can check their copy."""
    reply = HttpResponse(content, content_type=content_type)
    inline = content_type == PDF and not download
    # None only for an inline response without a name; there is always a name here.
    reply["Content-Disposition"] = content_disposition_header(not inline, filename) or ""
    reply["X-Content-Type-Options"] = "nosniff"
    reply["Content-Security-Policy"] = SANDBOX_CSP
    reply["Cache-Control"] = "private, no-store"
    if sha256:
        reply["Digest"] = f"sha-256={sha256}"
    return reply
