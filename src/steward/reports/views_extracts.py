"""Research extracts (R79, R91): the list and the form, an extract's preview, delivery,
discarding, and the delivered file.

Privacy office only; an unknown extract is a 404, and so is the file of an extract not
delivered: the file leaves only with its disclosure entry.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.officer.views import privacy_office_only
from steward.reports import extract_columns
from steward.reports.actions import extracts as actions
from steward.reports.forms import ExtractForm
from steward.reports.models import ExtractStatus, ResearchExtract
from steward.reports.views import errors
from steward.security.reauth import recent_authentication_required

PREVIEW_ROWS = 10


@require_http_methods(["GET", "POST"])
@privacy_office_only
def extracts(request: HttpRequest) -> HttpResponse:
    """Every extract, newest first (one query), and the form to prepare one."""
    form = ExtractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            extract = actions.prepare_extract(
                form.cleaned_data["agreement"],
                form.cleaned_data["title"],
                form.spec(),
                user=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("reports-extract", pk=extract.pk)
    rows = list(
        ResearchExtract.objects.select_related("agreement__vendor", "prepared_by")
        .defer("content")
        .order_by("-prepared_at", "-id")
    )
    return render(request, "reports/extracts.html", {"extracts": rows, "form": form})


def _extract(pk: int) -> ResearchExtract:
    return get_object_or_404(
        ResearchExtract.objects.select_related("agreement__vendor", "prepared_by", "delivered_by"),
        pk=pk,
    )


def _levels(extract: ResearchExtract) -> list[dict[str, Any]]:
    out = []
    for key, level in extract.result.get("levels", {}).items():
        column = extract_columns.BY_KEY[key]
        out.append({"label": column.label, "key": key, "released": column.level_label(level)})
    return out


@require_GET
@privacy_office_only
def extract(request: HttpRequest, pk: int) -> HttpResponse:
    found = _extract(pk)
    reader = csv.reader(io.StringIO(bytes(found.content).decode()))
    sample = [row for _i, row in zip(range(PREVIEW_ROWS + 1), reader, strict=False)]
    spec = found.spec
    return render(
        request,
        "reports/extract.html",
        {
            "extract": found,
            "levels": _levels(found),
            "header": sample[0] if sample else [],
            "sample": sample[1:],
            "attributes": [extract_columns.BY_KEY[k].label for k in spec.get("attributes", [])],
            "sensitive": [extract_columns.BY_KEY[k].label for k in spec.get("sensitive", [])],
            "is_draft": found.status == ExtractStatus.DRAFT,
            "is_delivered": found.status == ExtractStatus.DELIVERED,
        },
    )


@require_POST
@privacy_office_only
def deliver(request: HttpRequest, pk: int) -> HttpResponse:
    found = _extract(pk)
    try:
        actions.deliver_extract(found, user=request.user, request=request)
    except ValidationError as exc:
        errors(request, exc)
    return redirect("reports-extract", pk=found.pk)


@require_POST
@privacy_office_only
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    found = _extract(pk)
    try:
        actions.discard_extract(found, user=request.user, request=request)
    except ValidationError as exc:
        errors(request, exc)
    return redirect("reports-extract", pk=found.pk)


@require_GET
@privacy_office_only
@recent_authentication_required  # a bulk download (R33, #10)
def extract_csv(request: HttpRequest, pk: int) -> HttpResponse:
    found = _extract(pk)
    if found.status != ExtractStatus.DELIVERED:
        raise Http404("not delivered")
    reply = HttpResponse(bytes(found.content), content_type="text/csv; charset=utf-8")
    reply["Content-Disposition"] = f'attachment; filename="research-extract-{found.pk}.csv"'
    return reply
