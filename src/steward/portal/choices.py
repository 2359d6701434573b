"""The family portal's choices (issue #5 item 6): the media release (R128–R135), directory
information opt-outs (R21, R23, R85–R89) and event releases (R130).

Every page is for guardians only (`guardians_only`) and a child the guardian may inspect
(`_child`; any other child is a 404). Only a holder of the "consent" right
(`steward.rights.selectors.can_act`) may sign, opt out or withdraw: a parent until the child
turns 18 (R9, R15, R135), never a parent barred by a court order (R17). Other guardians who may
inspect the record (a parent of an 18-year-old) see the choices read-only, with the reason.
Every write goes through the owning app's actions, each with its ledger entry (design.md §3).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from steward.accounts.models import Account
from steward.accounts.selectors import current
from steward.consents import actions as consent_actions
from steward.consents.models import DirectoryCategory, DirectoryNotice, DirectoryOptOut
from steward.consents.rules import school_year_of
from steward.digest import sha256 as _sha256
from steward.media import actions as media_actions
from steward.media import defaults
from steward.media import selectors as media
from steward.media.models import EventRelease, EventReleaseRequest, MediaRelease, MediaUse
from steward.portal.forms_choices import EventReleaseForm, MediaReleaseForm, field_name
from steward.portal.views import _child, guardians_only
from steward.rights.selectors import can_act
from steward.roster.models import Enrollment, Student, StudentSchool


def _status_label(status: str) -> str:
    if status == media.Status.ALLOWED:
        return _("Allowed")
    if status == media.Status.DENIED:
        return _("Not allowed")
    if status == media.Status.REVOKED:
        return _("Revoked")
    return _("No answer yet")


def _day(when: dt.date | dt.datetime) -> str:
    if isinstance(when, dt.datetime):
        when = timezone.localtime(when).date()
    return date_format(when, "DATE_FORMAT")


def _why_read_only(account: Account, child: Student) -> str:
    """Why a guardian who may see the child may not sign for them (R9, R15, R135)."""
    return _(
        "%(name)s is 18 or older, so under FERPA only %(name)s may sign releases and make "
        "these choices. You can still see the choices on file."
    ) % {"name": child.display_name}


def _may_sign(account: Account, child: Student) -> bool:
    return can_act(account, child.pk, "consent")


# ---------------------------------------------------------------------------------------------
# Media release


def release_paragraphs(child: Student, year: str, uses: list[MediaUse]) -> list[str]:
    """The release as shown, paragraph by paragraph: the district's standard wording, then
    every use with its description."""
    paragraphs = [
        _("Media release for %(student)s, school year %(year)s.")
        % {"student": child.display_name, "year": year},
        _(
            "School staff, volunteers, chaperones, student teachers, interns and the district's "
            "contracted vendors may record, film, photograph or tape a student's image, voice, "
            "spoken words, work, performance or movement only with a written release; verbal "
            "permission is not accepted. In Massachusetts a photograph is not directory "
            "information, so the district asks for your permission before using one."
        ),
        _(
            "Answer yes or no for each use below; nothing is allowed unless you answer yes. Your "
            "answers apply for the school year named above. Media is kept only in storage the "
            "district controls, under the same privacy rules as the rest of the student record."
        ),
        _(
            "You may withdraw any use at any time in the family portal or by writing to the "
            "school. A withdrawal applies from then on: the school stops new uses and takes "
            "down what it can, but cannot recall what was already printed or broadcast."
        ),
    ]
    for number, use in enumerate(uses, start=1):
        if use.description:
            description = use.description
            default = defaults.DESCRIPTIONS.get(use.key)
            if default is not None:
                with translation.override(None):
                    english = str(default)
                if description == english:
                    description = str(default)
            paragraphs.append(
                _("%(number)d. %(use)s: %(description)s")
                % {"number": number, "use": use.display_label, "description": description}
            )
        else:
            paragraphs.append(
                _("%(number)d. %(use)s") % {"number": number, "use": use.display_label}
            )
    return paragraphs


@dataclass(frozen=True)
class UseRow:
    use: MediaUse
    status: str
    label: str
    field: str
    answer: str  # "yes", "no" or "" for the form


@guardians_only
@require_http_methods(["GET", "POST"])
def media_release(request: HttpRequest, account: Account, pk: int) -> HttpResponse:
    """The current school year's media release: sign (or sign again), see the status, revoke."""
    child = _child(account, pk)
    may_sign = _may_sign(account, child)
    now = timezone.now()
    year = media.school_year(now)
    uses = media.active_uses()
    paragraphs = release_paragraphs(child, year, uses)
    text = "\n\n".join(paragraphs)
    text_sha256 = _sha256(text)
    status = media.status_for([child.pk], year, now, uses=uses)[child.pk]
    has_release = any(value != media.Status.NO_RELEASE for value in status.values())
    if request.method == "POST":
        if not may_sign:
            raise PermissionDenied
        form = MediaReleaseForm(request.POST, uses=uses, text_sha256=text_sha256)
        if form.is_valid():
            try:
                media_actions.do_sign_media_release(
                    child, year, form.choices(), text, request.user, request=request
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("Thank you. The media release is signed."))
                return redirect("portal-media", pk=child.pk)
    else:
        form = MediaReleaseForm(uses=uses, text_sha256=text_sha256)
    answers = {
        media.Status.ALLOWED: "yes",
        media.Status.DENIED: "no",
        media.Status.REVOKED: "no",
    }
    posted = request.POST if request.method == "POST" else None
    rows = [
        UseRow(
            use=use,
            status=str(status[use.key]),
            label=_status_label(status[use.key]),
            field=field_name(use),
            answer=(
                posted.get(field_name(use), "")
                if posted is not None
                else answers.get(status[use.key], "")
            ),
        )
        for use in uses
    ]
    release = (
        MediaRelease.objects.filter(student_id=child.pk, school_year=year, signed_at__lte=now)
        .order_by("-signed_at", "-pk")
        .only("pk", "signed_at", "method")
        .first()
        if has_release
        else None
    )
    return render(
        request,
        "portal/media.html",
        {
            "child": child,
            "year": year,
            "rows": rows,
            "form": form,
            "paragraphs": paragraphs,
            "text_sha256": text_sha256,
            "may_sign": may_sign,
            "why_read_only": "" if may_sign else _why_read_only(account, child),
            "has_release": has_release,
            "release": release,
            "use_errors": form.use_errors() if form.is_bound else [],
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@guardians_only
@require_POST
def media_revoke(request: HttpRequest, account: Account, pk: int, key: str) -> HttpResponse:
    """Withdraw one use of the current release from now on (R134)."""
    child = _child(account, pk)
    if not _may_sign(account, child):
        raise PermissionDenied
    use = MediaUse.objects.filter(key=key, active=True).first()
    if use is None:
        raise Http404
    try:
        media_actions.do_revoke_media_use(child, key, request.user, request=request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("“%(use)s” is withdrawn from now on.") % {"use": use.display_label},
        )
    return redirect("portal-media", pk=child.pk)


# ---------------------------------------------------------------------------------------------
# Directory information


@dataclass(frozen=True)
class CategoryRow:
    key: str
    label: str
    opted_out_on: str  # "" when not opted out


def _open_opt_outs(child: Student) -> list[DirectoryOptOut]:
    return list(
        DirectoryOptOut.objects.filter(student=child, withdrawal__isnull=True)
        .select_related("category")
        .order_by("made_at", "pk")
    )


def _opt_out_key(opt_out: DirectoryOptOut) -> str:
    if opt_out.kind == DirectoryOptOut.Kind.CATEGORY and opt_out.category is not None:
        return opt_out.category.key
    return str(opt_out.kind)  # "all" or "recruiters"


@guardians_only
@require_http_methods(["GET", "POST"])
def directory(request: HttpRequest, account: Account, pk: int) -> HttpResponse:
    """Directory information: each designated category, opted out or not; opt out or
    withdraw an opt-out per category, for all categories, and for recruiters (R21, R23)."""
    child = _child(account, pk)
    may_sign = _may_sign(account, child)
    categories = [c for c in DirectoryCategory.objects.filter(designated=True) if c.effective]
    keys = {c.key for c in categories}
    open_by_key: dict[str, DirectoryOptOut] = {}
    for opt_out in _open_opt_outs(child):
        open_by_key.setdefault(_opt_out_key(opt_out), opt_out)
    if request.method == "POST":
        if not may_sign:
            raise PermissionDenied
        key = request.POST.get("opt_out") or request.POST.get("withdraw") or ""
        if key not in keys | {"all", "recruiters"}:
            raise Http404
        try:
            if "opt_out" in request.POST:
                if key not in open_by_key:
                    consent_actions.do_opt_out_directory(
                        child,
                        request.user,
                        category_key=key if key in keys else None,
                        recruiters=key == "recruiters",
                        request=request,
                    )
                messages.success(request, _("Your opt-out is recorded."))
            else:
                withdrawn = open_by_key.get(key)
                if withdrawn is not None:
                    consent_actions.do_withdraw_directory_opt_out(
                        withdrawn, request.user, request=request
                    )
                messages.success(request, _("Your opt-out is withdrawn."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("portal-directory", pk=child.pk)
    today = timezone.localdate()
    notice = (
        DirectoryNotice.objects.filter(school_year=school_year_of(today))
        .order_by("-published_at", "-pk")
        .first()
    )

    def made_on(key: str) -> str:
        opt_out = open_by_key.get(key)
        return _day(opt_out.made_at) if opt_out is not None else ""

    rows = [CategoryRow(c.key, str(c.label), made_on(c.key)) for c in categories]
    return render(
        request,
        "portal/directory.html",
        {
            "child": child,
            "rows": rows,
            "all_on": made_on("all"),
            "recruiters_on": made_on("recruiters"),
            "notice": notice,
            "window_ends": _day(notice.opt_out_ends_on) if notice is not None else "",
            "window_open": notice is not None and notice.opt_out_ends_on >= today,
            "may_sign": may_sign,
            "why_read_only": "" if may_sign else _why_read_only(account, child),
        },
    )


# ---------------------------------------------------------------------------------------------
# Event releases


def _concerning(child: Student, at: dt.date) -> Q:
    """Event requests addressed to the child: one of their current sections, or their school."""
    sections = Enrollment.objects.filter(
        current(at), student=child, role=Enrollment.Role.STUDENT, active=True
    ).values("section_id")
    schools = StudentSchool.objects.filter(current(at), student=child).values("school_id")
    return Q(section_id__in=sections) | Q(school_id__in=schools)


def event_requests(child: Student, at: dt.date | None = None) -> list[EventReleaseRequest]:
    """The event requests of today and later addressed to the child, with `answer` set to the
    latest answer (True, False) or None when unanswered. Two queries."""
    day = at if at is not None else timezone.localdate()
    found = list(
        EventReleaseRequest.objects.filter(_concerning(child, day), date__gte=day).order_by(
            "date", "pk"
        )
    )
    latest: dict[int, bool] = {}
    for request_id, allowed in (
        EventRelease.objects.filter(request__in=[e.pk for e in found], student=child)
        .order_by("signed_at", "pk")
        .values_list("request_id", "allowed")
    ):
        latest[request_id] = allowed
    for event in found:
        event.answer = latest.get(event.pk)  # type: ignore[attr-defined]
    return found


def pending_event_requests(child: Student) -> list[EventReleaseRequest]:
    """Event requests for the child not answered yet."""
    return [e for e in event_requests(child) if e.answer is None]  # type: ignore[attr-defined]


def event_paragraphs(child: Student, event: EventReleaseRequest) -> list[str]:
    uses = ", ".join(use.display_label for use in event.uses.all())
    return [
        _("Event media release for %(student)s: %(event)s, on %(day)s.")
        % {"student": child.display_name, "event": event.title, "day": _day(event.date)},
        _("The school asks to record and share media of your child at this event for: %(uses)s.")
        % {"uses": uses},
        _(
            "This release covers this event only. Media is kept only in storage the district "
            "controls. You may change your answer until the event."
        ),
    ]


@guardians_only
@require_http_methods(["GET", "POST"])
def event_release(request: HttpRequest, account: Account, pk: int, event_id: int) -> HttpResponse:
    """Answer one event release request for the child (R130)."""
    child = _child(account, pk)
    today = timezone.localdate()
    event = EventReleaseRequest.objects.filter(_concerning(child, today), pk=event_id).first()
    if event is None:
        raise Http404
    may_sign = _may_sign(account, child)
    paragraphs = event_paragraphs(child, event)
    text = "\n\n".join(paragraphs)
    text_sha256 = _sha256(text)
    if request.method == "POST":
        if not may_sign:
            raise PermissionDenied
        form = EventReleaseForm(request.POST, text_sha256=text_sha256)
        if form.is_valid():
            try:
                media_actions.do_sign_event_release(
                    event,
                    child,
                    form.cleaned_data["allowed"] == "yes",
                    text,
                    request.user,
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("Thank you. Your answer is recorded."))
                return redirect("portal-event", pk=child.pk, event_id=event.pk)
    else:
        form = EventReleaseForm(text_sha256=text_sha256)
    answer = (
        EventRelease.objects.filter(request=event, student=child)
        .order_by("-signed_at", "-pk")
        .first()
    )
    return render(
        request,
        "portal/event.html",
        {
            "child": child,
            "event": event,
            "event_day": _day(event.date),
            "paragraphs": paragraphs,
            "text_sha256": text_sha256,
            "form": form,
            "answer": answer,
            "answered_on": _day(answer.signed_at) if answer is not None else "",
            "chosen": request.POST.get("allowed", "") if form.is_bound else "",
            "may_sign": may_sign,
            "why_read_only": "" if may_sign else _why_read_only(account, child),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
