"""A document the family added to the record (R37), for whoever may see its record part.

Families and staff alike: the document belongs to one record part, so it opens for exactly
those who may open that part, through `steward.access.record.open_record`, which logs the
read. Anonymous → login; a login with no district or family role → 403; no access → 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from steward.access.record import open_record
from steward.accounts.models import Account
from steward.amendments.models import Addition
from steward.vendors import documents


@login_required
@require_GET
def addition_document(request: HttpRequest, addition_id: int) -> HttpResponse:
    from steward.stewardship import rules

    account: Account | None = getattr(request.user, "account", None)
    if account is None or account.role == Account.Role.VENDOR:
        raise PermissionDenied
    if rules.record_access_blocked(request.user, timezone.now()):
        return render(request, "access/training_required.html", status=403)
    addition = (
        Addition.objects.filter(pk=addition_id, document__isnull=False)
        .select_related("document")
        .first()
    )
    if addition is None or addition.document is None:
        raise Http404
    record = open_record(request, request.user, addition.student_id, only={addition.scope})
    if record is None or not record.parts:
        raise Http404
    return documents.response(addition.document, download=True)
