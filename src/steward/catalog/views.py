"""The public "What we collect and why" page and its downloads (R137). No login, no queries."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from steward.catalog import elements, export


@require_GET
def data_page(request: HttpRequest) -> HttpResponse:
    """Every record part with the elements Steward holds in it, generated from the catalog."""
    context = {
        "parts": elements.by_scope(),
        "element_count": len(elements.ELEMENTS),
    }
    return render(request, "catalog/data.html", context)


@require_GET
def data_json(request: HttpRequest) -> HttpResponse:
    return HttpResponse(export.as_json(), content_type="application/json; charset=utf-8")


@require_GET
def data_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(export.as_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="steward-data-catalog.csv"'
    return response
