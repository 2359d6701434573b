"""Privacy-office pages around the queue: entering a written or walk-in request (R33), the
R18 letters to custodial parents, and the deadlines dashboard (issue #8 item 3)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.officer.views import privacy_office_only
from steward.requests import actions, deadlines, letters, notify
from steward.requests.forms import EnterRequestForm, LookupForm
from steward.requests.models import CustodialNotice
from steward.rights.selectors import holders_for
from steward.roster.models import Guardian, GuardianRelationship, Student

STUDENT = "student"


def _requesters(student: Student) -> list[tuple[str, str]]:
    """Who may be named as the requester: the student (a transcript at any age, R28; more
    once eligible) and each parent or guardian holding the right to inspect (R14, R17)."""
    holders = holders_for(student.pk)
    guardian_ids = [h.id for h in holders.inspect if h.kind == "guardian"]
    custody = dict(
        GuardianRelationship.objects.filter(
            student=student, guardian_id__in=guardian_ids, active=True
        )
        .order_by("custodial")
        .values_list("guardian_id", "custodial")
    )
    out = [(STUDENT, _("%(name)s (the student)") % {"name": student.display_name})]
    for guardian in Guardian.objects.filter(pk__in=guardian_ids).order_by(
        "family_name", "given_name"
    ):
        label = guardian.display_name
        if not custody.get(guardian.pk, True):
            label = _("%(name)s (no custody: 21-day notice applies)") % {"name": label}
        out.append((str(guardian.pk), label))
    return out


@privacy_office_only
@require_http_methods(["GET", "POST"])
def enter(request: HttpRequest) -> HttpResponse:
    """Find the student by number, then enter who asked, for what, and how identity was
    checked."""
    lookup = LookupForm(request.GET or None)
    student: Student | None = None
    if lookup.is_valid():
        wanted = lookup.cleaned_data["student"]
        student = Student.objects.filter(Q(identifier=wanted) | Q(sourced_id=wanted)).first()
        if student is None:
            lookup.add_error("student", _("No student has this number."))
    if student is None:
        return render(
            request,
            "requests/office/enter.html",
            {"lookup": lookup},
            status=400 if lookup.errors else 200,
        )
    if request.method == "GET":
        actions.do_record_lookup(student, request.user, request=request)
    form = EnterRequestForm(_requesters(student), request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        guardian = None
        if data["requester"] != STUDENT:
            guardian = Guardian.objects.filter(pk=int(data["requester"])).first()
        try:
            req = actions.do_enter_request(
                request.user,
                student,
                data["kind"],
                guardian=guardian,
                channel=data["channel"],
                identity_check=data["identity_check"],
                received_at=form.received_at(),
                details=data["details"],
                third_party_name=data["third_party_name"],
                third_party_affiliation=data["third_party_affiliation"],
                third_party_consent=data["third_party_consent"],
                affirmation=data["affirmation"],
                notice_language=data["notice_language"],
                request=request,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The request is entered; its clock has started."))
            return redirect("requests-detail", pk=req.pk)
    return render(
        request,
        "requests/office/enter.html",
        {"lookup": lookup, "student": student, "form": form},
        status=400 if form.errors else 200,
    )


def _notice(pk: int, notice_id: int) -> CustodialNotice:
    return get_object_or_404(
        CustodialNotice.objects.select_related("guardian", "request", "request__student"),
        pk=notice_id,
        request_id=pk,
    )


@privacy_office_only
@require_GET
def notice_letter(request: HttpRequest, pk: int, notice_id: int) -> HttpResponse:
    notice = _notice(pk, notice_id)
    link = notify.link("requests-portal-list")
    reply = HttpResponse(letters.custodial_letter(notice, link), content_type="application/pdf")
    reply["Content-Disposition"] = f'inline; filename="notice-{pk}-{notice_id}.pdf"'
    reply["X-Content-Type-Options"] = "nosniff"
    reply["Cache-Control"] = "private, no-store"
    return reply


@privacy_office_only
@require_POST
def notice_mailed(request: HttpRequest, pk: int, notice_id: int) -> HttpResponse:
    notice = _notice(pk, notice_id)
    try:
        actions.do_mark_notice_mailed(notice, request.user, request=request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.info(request, message)
    else:
        messages.success(request, _("The letter is recorded as mailed."))
    return redirect(reverse("requests-detail", args=[pk]) + "#notices")


@privacy_office_only
@require_GET
def deadlines_page(request: HttpRequest) -> HttpResponse:
    """Every open matter with its clock; what is late first."""
    today = timezone.localdate()
    rows = deadlines.rows(today)
    if request.GET.get("late") == "1":
        rows = [r for r in rows if r.late]
    late = sum(1 for r in rows if r.late)
    return render(
        request, "requests/office/deadlines.html", {"rows": rows, "today": today, "late": late}
    )
