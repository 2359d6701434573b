"""Sharing pages for the privacy office, mounted at /officer/sharing/ (issue #7).

Anonymous visitors go to the login page; every role but the privacy office (teachers, vendor
contacts, families) gets 403 (`privacy_office_only`); an agreement of another district, or
one that does not exist, is 404. Writes go through `steward.sharing.actions`.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Max, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.audit import ledger
from steward.audit.models import Action
from steward.officer.views import privacy_office_only
from steward.security.reauth import recent_authentication_required
from steward.sharing import actions
from steward.sharing.engine import feed_settings
from steward.sharing.forms import ExportForm, FeedForm, feed_initial
from steward.sharing.models import Export
from steward.sharing.preview import preview as make_preview
from steward.vendors.models import Agreement

DOWNLOAD_PURPOSE = "download of a vendor export package by the privacy office"


def _agreements() -> QuerySet[Agreement]:
    """This district's agreements (another district's never allow sharing here)."""
    return Agreement.objects.filter(external=False).select_related("vendor")


@privacy_office_only
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Every agreement with whether it allows sharing now and its latest export (2 queries)."""
    agreements = (
        _agreements()
        .select_related("feed")
        .annotate(last_export=Max("exports__at"))
        .order_by("vendor__name", "title")
    )
    return render(request, "sharing/index.html", {"agreements": agreements})


@privacy_office_only
@require_GET
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(_agreements(), pk=pk)
    form = FeedForm(initial=feed_initial(feed_settings(agreement)))
    return _preview_page(request, agreement, form)


def _preview_page(
    request: HttpRequest, agreement: Agreement, form: FeedForm, status: int = 200
) -> HttpResponse:
    shown = make_preview(agreement)
    context = {"agreement": agreement, "preview": shown, "form": form, "export_form": ExportForm()}
    return render(request, "sharing/preview.html", context, status=status)


@privacy_office_only
@require_POST
def feed(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the feed settings (version, pseudonyms, recruiter, requested columns)."""
    agreement = get_object_or_404(_agreements(), pk=pk)
    form = FeedForm(request.POST)
    if form.is_valid():
        try:
            actions.do_save_feed(
                agreement,
                version=form.cleaned_data["version"],
                pseudonymous=form.cleaned_data["pseudonymous"],
                recruiter=form.cleaned_data["recruiter"],
                requested_columns=form.requested_columns(),
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The feed settings are saved."))
            return redirect("sharing-preview", pk=agreement.pk)
    return _preview_page(request, agreement, form, status=400)


@privacy_office_only
@recent_authentication_required  # an export to a vendor (R33, #10)
@require_http_methods(["GET", "POST"])
def exports(request: HttpRequest, pk: int) -> HttpResponse:
    """The agreement's exports, newest first, and the form that runs one (bulk or delta)."""
    agreement = get_object_or_404(_agreements(), pk=pk)
    form = ExportForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            made = actions.do_export(
                agreement,
                delta=form.cleaned_data["mode"] == "delta",
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("Export #%(id)d is ready: %(students)d student(s).")
                % {"id": made.pk, "students": made.student_count},
            )
            return redirect("sharing-exports", pk=agreement.pk)
    made_list = Export.objects.filter(agreement=agreement).select_related("by")
    context = {"agreement": agreement, "form": form, "error": error, "exports": made_list}
    status = 400 if request.method == "POST" else 200
    return render(request, "sharing/exports.html", context, status=status)


@privacy_office_only
@recent_authentication_required  # an export package (R33, #10)
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The package of one export, as an attachment; the download is itself in the ledger."""
    made = get_object_or_404(Export.objects.filter(agreement__external=False), pk=pk)
    path = Path(made.path)
    if not path.is_file():
        raise Http404(_("The package file is no longer on this server."))
    ledger.record(
        action=Action.READ,
        **ledger.actor_of(request.user),
        **ledger.request_context(request),
        scopes=["vendor_export"],
        purpose=DOWNLOAD_PURPOSE,
        agreement_id=str(made.agreement_id),
        detail={"export": made.pk, "sha256": made.sha256},
    )
    return FileResponse(path.open("rb"), as_attachment=True, filename=made.filename)
