"""Public pages, no login (R77, R113): the approved apps and what data each receives, the
signed agreements, and the SDPC-style registry as CSV and JSON."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from steward.vendors import documents, public, sdpc


@require_GET
def apps(request: HttpRequest) -> HttpResponse:
    """Approved apps with the data they receive, then ended agreements. Four queries."""
    context = {
        "apps": public.approved_apps(),
        "ended": public.ended_agreements(),
        "today": timezone.localdate(),
    }
    return render(request, "vendors/public/apps.html", context)


@require_GET
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed PDF of a published agreement; 404 for a draft or another district's."""
    signed = public.published_document(pk)
    if signed is None:
        raise Http404
    reply = documents.response(signed)
    # Public, and a stored document never changes: let browsers and proxies keep it.
    reply["Cache-Control"] = "public, max-age=86400"
    return reply


def registry_csv_response(registry: list[sdpc.Entry], filename: str) -> HttpResponse:
    reply = HttpResponse(sdpc.as_csv(registry), content_type="text/csv; charset=utf-8")
    reply["Content-Disposition"] = f'attachment; filename="{filename}"'
    return reply


def registry_json_response(registry: list[sdpc.Entry]) -> HttpResponse:
    return HttpResponse(sdpc.as_json(registry), content_type="application/json; charset=utf-8")


@require_GET
def registry_csv(request: HttpRequest) -> HttpResponse:
    """This district's published agreements as the SDPC-style registry, CSV."""
    return registry_csv_response(sdpc.entries(sdpc.public_agreements()), "steward-registry.csv")


@require_GET
def registry_json(request: HttpRequest) -> HttpResponse:
    """This district's published agreements as the SDPC-style registry, JSON."""
    return registry_json_response(sdpc.entries(sdpc.public_agreements()))
