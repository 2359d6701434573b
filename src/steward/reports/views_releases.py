"""A release's page (the protected table, its chart, the audit, the determination), the
approve and discard buttons, and the published CSV and PDF (R90, R97).

Privacy office only; an unknown release is a 404, and so are the files of a release that is
not approved: nothing is published before the determination.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from steward.officer.views import privacy_office_only
from steward.reports import method, present, publish
from steward.reports.actions import releases as actions
from steward.reports.audit_view import audit_view
from steward.reports.forms import ApproveForm
from steward.reports.models import Release, ReleaseStatus
from steward.reports.sdc.rules import Rules
from steward.reports.spec import ReportSpec
from steward.reports.views import errors
from steward.security.reauth import recent_authentication_required


def _release(pk: int) -> Release:
    return get_object_or_404(
        Release.objects.select_related("series", "prepared_by", "approved_by"), pk=pk
    )


@require_GET
@privacy_office_only
def release(request: HttpRequest, pk: int) -> HttpResponse:
    found = _release(pk)
    spec = ReportSpec.from_dict(found.spec)
    stored = found.tables["tables"]
    considered = list(
        Release.objects.filter(pk__in=found.considered).only("pk", "number").order_by("number")
    )
    return render(
        request,
        "reports/release.html",
        {
            "release": found,
            "views": [present.table_view(item, spec) for item in stored],
            "audit": audit_view(found.audit, stored),
            "note": method.note(spec, Rules.from_dict(found.rules)),
            "considered": considered,
            "approve": ApproveForm(),
            "is_draft": found.status == ReleaseStatus.DRAFT,
            "is_approved": found.status == ReleaseStatus.APPROVED,
        },
    )


@require_POST
@privacy_office_only
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    found = _release(pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(form.errors["determination"][0]))
        return redirect("reports-release", pk=found.pk)
    try:
        actions.approve_release(
            found, form.cleaned_data["determination"], user=request.user, request=request
        )
    except ValidationError as exc:
        errors(request, exc)
    return redirect("reports-release", pk=found.pk)


@require_POST
@privacy_office_only
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    found = _release(pk)
    try:
        actions.discard_release(found, user=request.user, request=request)
    except ValidationError as exc:
        errors(request, exc)
    return redirect("reports-release", pk=found.pk)


def _published(pk: int) -> Release:
    found = _release(pk)
    if found.status != ReleaseStatus.APPROVED:
        raise Http404("not published")
    return found


def _filename(found: Release, extension: str) -> str:
    return f"release-{found.series_id}-{found.number}.{extension}"


@require_GET
@privacy_office_only
@recent_authentication_required  # a bulk download (R33, #10)
def release_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The CSV exactly as published (stored on approval)."""
    found = _published(pk)
    reply = HttpResponse(found.published_csv, content_type="text/csv; charset=utf-8")
    reply["Content-Disposition"] = f'attachment; filename="{_filename(found, "csv")}"'
    return reply


@require_GET
@privacy_office_only
def release_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    found = _published(pk)
    reply = HttpResponse(publish.pdf(found), content_type="application/pdf")
    reply["Content-Disposition"] = f'attachment; filename="{_filename(found, "pdf")}"'
    return reply
