"""Serving a stored copy: only the file asked for is read from the database, with headers
that keep it private and let the reader check it (its SHA-256)."""

from __future__ import annotations

from django.http import HttpResponse

from steward.requests.models import AccessRequest, RequestCopy

CONTENT_TYPES = {"pdf": "application/pdf", "zip": "application/zip"}


def copy_response(req: AccessRequest, copy_id: int, fmt: str) -> HttpResponse:
    """The copy `copy_id` of `req` as an attachment named for the request."""
    field, digest = ("pdf", "pdf_sha256") if fmt == "pdf" else ("archive", "archive_sha256")
    data, sha256 = (
        RequestCopy.objects.filter(pk=copy_id, request=req).values_list(field, digest).get()
    )
    reply = HttpResponse(bytes(data), content_type=CONTENT_TYPES[fmt])
    name = f"record-copy-request-{req.pk}.{fmt}"
    reply["Content-Disposition"] = f'attachment; filename="{name}"'
    reply["X-Content-Type-Options"] = "nosniff"
    reply["Content-Security-Policy"] = "sandbox; default-src 'none'"
    reply["Cache-Control"] = "private, no-store"
    reply["Digest"] = f"sha-256={sha256}"
    return reply
