"""Privacy-office pages: the vendor dashboard, and the SDPC registry export and import
(R71, R73, R74, R80, R110, R113). Privacy office only: anonymous → login, others → 403."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from steward.officer.views import privacy_office_only
from steward.security import uploads
from steward.security.reauth import recent_authentication_required
from steward.vendors import dashboard as selectors
from steward.vendors import sdpc
from steward.vendors.actions.sdpc_import import do_import_registry
from steward.vendors.views_public import registry_csv_response, registry_json_response


@privacy_office_only
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """What needs action, and the charts. A fixed number of queries."""
    return render(request, "vendors/dashboard/dashboard.html", {"board": selectors.build()})


@privacy_office_only
@recent_authentication_required  # a bulk download (R33, #10)
@require_GET
def registry_csv(request: HttpRequest) -> HttpResponse:
    """Every agreement (drafts and imported ones too) as the registry, CSV."""
    return registry_csv_response(sdpc.entries(sdpc.all_agreements()), "steward-registry-all.csv")


@privacy_office_only
@recent_authentication_required  # a bulk download (R33, #10)
@require_GET
def registry_json(request: HttpRequest) -> HttpResponse:
    """Every agreement (drafts and imported ones too) as the registry, JSON."""
    return registry_json_response(sdpc.entries(sdpc.all_agreements()))


class RegistryImportForm(forms.Form):
    file = uploads.TextUploadField(
        label=gettext_lazy("Registry file (CSV or JSON)"),
        help_text=gettext_lazy("The SDPC-style registry another district published."),
    )


@privacy_office_only
@require_http_methods(["GET", "POST"])
def registry_import(request: HttpRequest) -> HttpResponseBase:
    """Upload another district's registry; every problem is listed and nothing is written
    unless the whole file is valid."""
    form = RegistryImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = uploads.read(upload, uploads.registry_limit())
        try:
            result = do_import_registry(
                data, upload.name or "registry", user=request.user, request=request
            )
        except ValidationError as error:
            problems = list(error.messages)
        else:
            messages.success(
                request,
                _(
                    "Registry imported (%(entries)d entries). Agreements added: %(created)d; "
                    "updated: %(updated)d; unchanged: %(unchanged)d. Vendors added: "
                    "%(vendors)d; apps added, as not approved: %(products)d."
                )
                % {
                    "entries": result.entries,
                    "created": len(result.created),
                    "updated": len(result.updated),
                    "unchanged": len(result.unchanged),
                    "vendors": result.vendors_created,
                    "products": result.products_created,
                },
            )
            return redirect("vendors-dashboard-registry-import")
    return render(
        request,
        "vendors/dashboard/registry_import.html",
        {"form": form, "problems": problems, "columns": sdpc.COLUMNS},
    )
