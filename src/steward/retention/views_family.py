"""The family's view of an exit notice (R102): read it, download it, acknowledge it.

Only the parents and the student the notice is addressed to may open it (`guardians_only`:
anonymous → login, staff → 403; anyone else, or an unknown notice, → 404). Acknowledging
is what makes the notice delivered, which the destruction job requires.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from steward.accounts.models import Account
from steward.portal.views import guardians_only
from steward.retention import documents
from steward.retention.actions import notices
from steward.retention.models import ExitNotice


def _notice(account: Account, pk: int) -> ExitNotice:
    notice = ExitNotice.objects.filter(pk=pk, exit__cancelled_at__isnull=True).first()
    if notice is None or not notices.addressee(notice, account):
        raise Http404
    return notice


@require_http_methods(["GET", "POST"])
@guardians_only
def notice(request: HttpRequest, account: Account, pk: int) -> HttpResponse:
    found = _notice(account, pk)
    if request.method == "POST":
        try:
            notices.acknowledge(found, request.user, request=request)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Thank you: the district has your acknowledgement."))
        return redirect("retention-family-notice", pk=found.pk)
    paragraphs = found.text.split("\n\n")
    return render(
        request, "retention/family_notice.html", {"notice": found, "paragraphs": paragraphs}
    )


@require_GET
@guardians_only
def notice_pdf(request: HttpRequest, account: Account, pk: int) -> HttpResponse:
    found = _notice(account, pk)
    reply = HttpResponse(documents.notice_pdf(found), content_type="application/pdf")
    reply["Content-Disposition"] = f'attachment; filename="exit-notice-{found.pk}.pdf"'
    return reply
