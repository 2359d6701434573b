"""Privacy-office pages. Only the records custodian (R61(2)) — an `Account` with the
privacy-officer role, or a superuser — may open them: anonymous visitors are sent to the
login page, every other role gets 403 (these URLs reveal nothing about any one student)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from steward.accounts.selectors import is_privacy_office
from steward.audit import csvexport, ledger, queries
from steward.audit.models import Action, Entry
from steward.officer.forms import AuditFilterForm
from steward.security.reauth import recent_authentication_required

View = Callable[..., HttpResponseBase]
PER_PAGE = 50

# What this page's own ledger entries say (R56, R63): reviewing the log is itself an access.
REVIEW_PURPOSE = "audit review"
REVIEW_INTEREST = "records custodian reviewing the access and disclosure log (R61(2))"
REVIEW_SCOPE = "audit_log"


def privacy_office_only(view: View) -> View:
    """Let in superusers and privacy officers; anonymous → login page, others → 403."""

    @login_required
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Through the user's own relation, so `ledger.actor_of` finds it cached.
        if not is_privacy_office(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


def _record_review(request: HttpRequest, form: AuditFilterForm, fmt: str) -> Entry:
    detail: dict[str, Any] = {"filters": form.detail(), "format": fmt}
    if fmt == "html":
        detail["page"] = str(request.GET.get("page", "1"))[:16]
    return ledger.record(
        action=Action.READ.value,
        **ledger.actor_of(request.user),
        **ledger.request_context(request),
        students=[form.student_pk] if form.student_pk is not None else [],
        scopes=[REVIEW_SCOPE],
        purpose=REVIEW_PURPOSE,
        legitimate_interest=REVIEW_INTEREST,
        detail=detail,
    )


def _entries(form: AuditFilterForm, own: Entry) -> tuple[QuerySet[Entry], int]:
    upto = form.cleaned_data["upto"]
    if upto is None:
        upto = own.seq
    entries = queries.search(**form.search_filters()).filter(seq__lte=upto)
    return entries.defer("prev_hash", "digest", "detail"), upto


def _query(form: AuditFilterForm, upto: int) -> str:
    params = {name: value for name, value in form.data.items() if name in form.fields and value}
    params["upto"] = str(upto)
    return urlencode(sorted(params.items()))


@privacy_office_only
@require_GET
def audit(request: HttpRequest) -> HttpResponse:
    """Search the ledger; 50 entries a page, newest first. Each view is itself recorded."""
    form = AuditFilterForm(request.GET)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        own = _record_review(request, form, "html")
        entries, upto = _entries(form, own)
        page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
        query = _query(form, upto)
        context |= {
            "searched": True,
            "page": page,
            "rows": [
                (entry, queries.release_of(entry), queries.position_label(entry.actor_role))
                for entry in page
            ],
            "query": query,
            "csv_url": f"{reverse('officer-audit-csv')}?{query}",
        }
    return render(request, "officer/audit.html", context)


@privacy_office_only
@recent_authentication_required  # a bulk download (R33, #10)
@require_GET
def audit_csv(request: HttpRequest) -> HttpResponseBase:
    """The same search as the page, every matching entry, as a streamed CSV download."""
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(
            _("The filters are not valid; correct them on the audit log page."),
            content_type="text/plain; charset=utf-8",
        )
    own = _record_review(request, form, "csv")
    entries, _upto = _entries(form, own)
    filename = f"steward-audit-{timezone.localdate().isoformat()}.csv"
    return csvexport.response(entries, filename)
