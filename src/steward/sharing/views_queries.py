"""The privacy office's disclosure questions (R55, R61(2)), mounted at /officer/sharing/.

"What exactly did vendor X receive about student Y, and when" and "which students' data did
vendor X receive in period P" (with a CSV download). Reviewing the log is itself an access:
each answer writes a READ entry, as the audit page does.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from steward.audit import ledger
from steward.audit.models import Action
from steward.officer.views import REVIEW_INTEREST, REVIEW_PURPOSE, REVIEW_SCOPE, privacy_office_only
from steward.security.reauth import recent_authentication_required
from steward.sharing import queries
from steward.sharing.forms import ReceivedForm, RecipientsForm
from steward.sharing.preview import element_label

PER_PAGE = 100


def _record(request: HttpRequest, students: list[int], detail: dict[str, Any]) -> None:
    ledger.record(
        action=Action.READ,
        **ledger.actor_of(request.user),
        **ledger.request_context(request),
        students=students,
        scopes=[REVIEW_SCOPE],
        purpose=REVIEW_PURPOSE,
        legitimate_interest=REVIEW_INTEREST,
        detail=detail,
    )


@privacy_office_only
@require_GET
def received(request: HttpRequest) -> HttpResponse:
    """What exactly did vendor X receive about student Y, and when."""
    form = ReceivedForm(request.GET or None)
    rows: list[tuple[queries.Received, list[str]]] = []
    searched = form.is_bound and form.is_valid()
    if searched:
        vendor, student = form.cleaned_data["vendor"], form.student_pk
        assert student is not None
        found = queries.received(vendor, student)
        rows = [(item, [element_label(pair) for pair in item.elements]) for item in found]
        _record(request, [student], {"question": "received", "vendor": vendor.pk})
    status = 400 if form.is_bound and not searched else 200
    context = {"form": form, "rows": rows, "searched": searched}
    return render(request, "sharing/received.html", context, status=status)


@privacy_office_only
@require_GET
def recipients(request: HttpRequest) -> HttpResponse:
    """Which students' data did vendor X receive in period P."""
    form = RecipientsForm(request.GET or None)
    searched = form.is_bound and form.is_valid()
    page = None
    if searched:
        found = _recipients(form)
        page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
        _record(request, [r.student_id for r in page], _question(form, "recipients"))
    status = 400 if form.is_bound and not searched else 200
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "searched": searched, "query": query.urlencode()}
    return render(request, "sharing/recipients.html", context, status=status)


@privacy_office_only
@recent_authentication_required  # a bulk download (R33, #10)
@require_GET
def recipients_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    form = RecipientsForm(request.GET)
    if not form.is_valid():
        return HttpResponse(_("Choose a vendor and a valid period."), status=400)
    found = _recipients(form)
    _record(request, [r.student_id for r in found], _question(form, "recipients.csv"))
    vendor = form.cleaned_data["vendor"]
    response = StreamingHttpResponse(_csv_lines(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="received-by-vendor-{vendor.pk}.csv"'
    return response


def _recipients(form: RecipientsForm) -> list[queries.Recipient]:
    data = form.cleaned_data
    return queries.recipients(data["vendor"], data.get("since"), data.get("until"))


def _question(form: RecipientsForm, name: str) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "question": name,
        "vendor": data["vendor"].pk,
        "since": data["since"].isoformat() if data.get("since") else None,
        "until": data["until"].isoformat() if data.get("until") else None,
    }


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(found: list[queries.Recipient]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(["sourcedId", "name", "first_received", "last_received", "disclosures"])
    for row in found:
        yield writer.writerow(
            [
                row.sourced_id,
                row.name,
                row.first.isoformat(),
                row.last.isoformat(),
                row.disclosures,
            ]
        )
