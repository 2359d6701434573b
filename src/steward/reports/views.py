"""The privacy office's report pages: the index of series, the report builder, a series'
history (R90, R97). Releases and extracts have their own view modules.

Only the records custodian may open them (`privacy_office_only`: anonymous → login, other
roles → 403); an unknown series is a 404. Every write goes through `steward.reports.actions`.
The builder's preview counts in aggregate and stores nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from steward.officer.views import privacy_office_only
from steward.reports import build, method, present
from steward.reports.actions import releases as actions
from steward.reports.audit_view import audit_view
from steward.reports.forms import BuilderForm, NextReleaseForm, PrepareForm
from steward.reports.models import Release, ReleaseStatus, Series
from steward.reports.spec import ReportSpec


def errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_GET
@privacy_office_only
def index(request: HttpRequest) -> HttpResponse:
    """Series with their counts, and drafts awaiting a decision. Two queries."""
    approved = Q(releases__status=ReleaseStatus.APPROVED)
    series = Series.objects.annotate(
        approved_count=Count("releases", filter=approved),
        last_approved=Max("releases__approved_at", filter=approved),
    ).order_by("title")
    drafts = (
        Release.objects.filter(status=ReleaseStatus.DRAFT)
        .select_related("series", "prepared_by")
        .defer("tables", "audit", "published_csv", "spec", "rules")
        .order_by("-prepared_at")
    )
    return render(
        request, "reports/index.html", {"series_list": list(series), "drafts": list(drafts)}
    )


def _preview(spec: ReportSpec, built: build.Built) -> dict[str, Any]:
    stored = build.tables_as_json(built)["tables"][0]
    return {
        "view": present.table_view(stored, built.spec),
        "audit": audit_view(built.audit.to_dict(), [stored]),
        "note": method.note(built.spec, built.rules),
        "built_spec": built.spec,
    }


@require_GET
@privacy_office_only
def builder(request: HttpRequest) -> HttpResponse:
    """Pick what to count and how to protect it; see the protected, audited table."""
    bound = "measure" in request.GET
    form = BuilderForm(request.GET) if bound else BuilderForm(initial=BuilderForm.initial_data())
    context: dict[str, Any] = {"form": form}
    if bound and form.is_valid():
        try:
            built = build.build(form.cleaned_data["spec"], form.cleaned_data["rules"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            context |= _preview(form.cleaned_data["spec"], built)
            context["prepare"] = PrepareForm()
            context["query"] = request.GET.urlencode()
    return render(request, "reports/builder.html", context)


@require_POST
@privacy_office_only
def prepare(request: HttpRequest) -> HttpResponse:
    """The builder's table as a draft release of a series (the builder's parameters ride in
    the query string, the series in the form)."""
    form = BuilderForm(request.GET)
    choice = PrepareForm(request.POST)
    back = f"{reverse('reports-build')}?{request.GET.urlencode()}"
    if not form.is_valid() or not choice.is_valid():
        for problem in [*form.non_field_errors(), *choice.errors.get("new_title", [])]:
            messages.error(request, str(problem))
        if not form.is_valid() and not form.non_field_errors():
            messages.error(request, _("The report's parameters are not valid: build it again."))
        return redirect(back)
    try:
        release = actions.prepare_from_builder(
            form.cleaned_data["spec"],
            form.cleaned_data["rules"],
            series=choice.cleaned_data["series"],
            new_title=choice.cleaned_data["new_title"],
            user=request.user,
            request=request,
        )
    except ValidationError as exc:
        errors(request, exc)
        return redirect(back)
    return redirect("reports-release", pk=release.pk)


@require_GET
@privacy_office_only
def series(request: HttpRequest, pk: int) -> HttpResponse:
    """A series' shape, rules and every release, newest first. Two queries."""
    found = get_object_or_404(Series.objects.select_related("created_by"), pk=pk)
    releases = list(
        Release.objects.filter(series=found)
        .select_related("prepared_by", "approved_by")
        .defer("tables", "audit", "published_csv")
        .order_by("-number")
    )
    spec = ReportSpec.from_dict({**found.shape, "as_of": "2000-01-01"})
    return render(
        request,
        "reports/series.html",
        {
            "series": found,
            "releases": releases,
            "shape_title": spec.title(),
            "rules": found.rules,
            "form": NextReleaseForm(),
        },
    )


@require_POST
@privacy_office_only
def series_next(request: HttpRequest, pk: int) -> HttpResponse:
    """Prepare the series' next release as of a date."""
    found = get_object_or_404(Series, pk=pk)
    form = NextReleaseForm(request.POST)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for problem in field_errors:
                messages.error(request, str(problem))
        return redirect("reports-series", pk=found.pk)
    try:
        release = actions.prepare_release(
            found,
            form.cleaned_data["as_of"],
            school_days=form.cleaned_data["school_days"],
            user=request.user,
            request=request,
        )
    except ValidationError as exc:
        errors(request, exc)
        return redirect("reports-series", pk=found.pk)
    return redirect("reports-release", pk=release.pk)
