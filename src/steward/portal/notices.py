"""The annual notices in the family portal (R19–R23): FERPA rights, Massachusetts rights,
directory information with the opt-out window, and PPRA, for the current school year, each
with "I have read this notice" (`notice_actions.do_acknowledge_notice`, one ledger entry)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from steward.accounts.models import Account
from steward.consents.models import DirectoryNotice
from steward.consents.rules import school_year_of
from steward.media.selectors import school_year
from steward.portal import notice_actions
from steward.portal.models import AnnualNotice, NoticeAcknowledgement, NoticeKind
from steward.portal.views import _children, guardians_only


@dataclass(frozen=True)
class ShownNotice:
    notice: AnnualNotice
    title: str
    paragraphs: list[str]
    acknowledged_on: str  # "" until acknowledged


@guardians_only
@require_http_methods(["GET", "POST"])
def notices(request: HttpRequest, account: Account) -> HttpResponse:
    # Acknowledgements are the parents' (one per guardian); a student's own login reads them.
    can_acknowledge = account.guardian_id is not None
    now = timezone.now()
    year = school_year(now)
    current = notice_actions.latest_notices(year)
    if request.method == "POST":
        if not can_acknowledge:
            raise PermissionDenied
        chosen = next((n for n in current if str(n.pk) == request.POST.get("notice", "")), None)
        if chosen is None:
            raise Http404
        try:
            notice_actions.do_acknowledge_notice(chosen, request.user, request=request)
        except ValidationError as exc:
            for message in exc.messages:
                messages.info(request, message)
        else:
            title, _text = notice_actions.shown(chosen)
            messages.success(
                request, _("Thank you. You have acknowledged “%(title)s”.") % {"title": title}
            )
        return redirect("portal-notices")
    acknowledged = (
        dict(
            NoticeAcknowledgement.objects.filter(
                guardian_id=account.guardian_id, notice__in=[n.pk for n in current]
            ).values_list("notice_id", "acknowledged_at")
        )
        if account.guardian_id is not None
        else {}
    )
    shown = []
    for notice in current:
        title, text = notice_actions.shown(notice)
        when = acknowledged.get(notice.pk)
        shown.append(
            ShownNotice(
                notice=notice,
                title=title,
                paragraphs=[p.strip() for p in text.split("\n\n") if p.strip()],
                acknowledged_on=(
                    date_format(timezone.localtime(when), "DATE_FORMAT") if when else ""
                ),
            )
        )
    today = timezone.localdate()
    directory_notice = (
        DirectoryNotice.objects.filter(school_year=school_year_of(today))
        .order_by("-published_at", "-pk")
        .first()
    )
    has_directory = any(n.notice.kind == NoticeKind.DIRECTORY for n in shown)
    return render(
        request,
        "portal/notices.html",
        {
            "year": year,
            "notices": shown,
            "can_acknowledge": can_acknowledge,
            "children": _children(account) if has_directory else [],
            "window_ends": (
                date_format(directory_notice.opt_out_ends_on, "DATE_FORMAT")
                if directory_notice is not None
                else ""
            ),
        },
    )
