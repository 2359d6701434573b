"""Stewardship pages (design.md P3; R44, R138).

* `/training/`: a staff member reads the district's privacy-training attestation and
  confirms it with an explicit tick. Staff roles and the privacy officer only: anonymous
  visitors go to the login page, everyone else (guardians, accounts without a role) gets 403,
  as on the privacy-office pages (the URL says nothing about any student).
* `/officer/training/` (and `.csv`): who is overdue. `/officer/custodians/`: each school's
  records custodian, naming one, and the history. Privacy office only
  (`steward.officer.views.privacy_office_only`).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from steward.audit.csvexport import guard
from steward.officer.views import privacy_office_only
from steward.security.reauth import recent_authentication_required
from steward.stewardship import actions, attestation, rules, selectors
from steward.stewardship.forms import ConfirmTrainingForm, NameCustodianForm

View = Callable[..., HttpResponseBase]

CSV_HEADER = ("username", "name", "role", "last_confirmed_at", "last_period")


def staff_only(view: View) -> View:
    """Let in accounts that must confirm the training; anonymous → login page, others → 403."""

    @login_required
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not rules.is_required(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


@staff_only
@require_http_methods(["GET", "POST"])
def training(request: HttpRequest) -> HttpResponse:
    """Show the attestation, the user's status and past confirmations; POST confirms."""
    user = request.user
    assert isinstance(user, AbstractBaseUser)  # staff_only let in a signed-in user
    text = attestation.current_text()
    digest = attestation.sha256(text)
    if request.method == "POST":
        form = ConfirmTrainingForm(request.POST)
        if form.is_valid():
            if form.cleaned_data["text_sha256"] == digest:
                actions.do_confirm_training(user, text, request)
                messages.success(
                    request, _("Thank you. Your privacy training confirmation is recorded.")
                )
                return redirect("stewardship-training")
            form.add_error(
                None,
                _("The attestation text changed after the page was shown. Read it again."),
            )
    else:
        form = ConfirmTrainingForm()
    now = timezone.now()
    context = {
        "account": rules.account_of(user),
        "form": form,
        "text": text,
        "digest": digest,
        "status": rules.training_status(user, now),
        "period": rules.training_period(now),
        "blocking": rules.enforcement() == rules.BLOCK,
        "attestations": selectors.attestations_of(user),
    }
    return render(request, "stewardship/training.html", context)


@privacy_office_only
@require_GET
def officer_training(request: HttpRequest) -> HttpResponse:
    """Staff accounts without a current confirmation, with their latest one; counts."""
    report = selectors.training_report(timezone.now())
    context = {"report": report, "blocking": rules.enforcement() == rules.BLOCK}
    return render(request, "stewardship/officer_training.html", context)


@privacy_office_only
@recent_authentication_required  # a bulk download (R33, #10)
@require_GET
def officer_training_csv(request: HttpRequest) -> HttpResponse:
    """The overdue list as CSV; column names are a stable contract, not translated."""
    now = timezone.now()
    report = selectors.training_report(now)
    filename = f"steward-training-overdue-{timezone.localdate(now).isoformat()}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for row in report.overdue:
        last = row.last_confirmed_at.isoformat() if row.last_confirmed_at else ""
        writer.writerow([guard(row.username), guard(row.name), row.role, last, row.last_period])
    return response


@privacy_office_only
@require_http_methods(["GET", "POST"])
def officer_custodians(request: HttpRequest) -> HttpResponse:
    """Each active school and its records custodian; POST names one (603 CMR 23.05, R44)."""
    status = 200
    if request.method == "POST":
        form = NameCustodianForm(request.POST)
        if form.is_valid():
            school, staff = form.cleaned_data["school"], form.cleaned_data["staff"]
            try:
                actions.do_name_records_custodian(school, staff, request.user, request)
            except ValidationError as error:
                form.add_error("staff", error)
            else:
                messages.success(
                    request,
                    _("%(name)s is the records custodian of %(school)s.")
                    % {"name": staff.display_name, "school": school.name},
                )
                return redirect("stewardship-officer-custodians")
        status = 400
    context = {
        "schools": selectors.school_custodians(timezone.localdate()),
        "history": selectors.custodian_history(),
        "errors": form.errors if request.method == "POST" else None,
    }
    return render(request, "stewardship/officer_custodians.html", context, status=status)
