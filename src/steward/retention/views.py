"""The privacy office's retention pages (R100–R106): the calendar, a student's retention
file, exits, notices, legal holds, destruction and certificates.

Only the records custodian may open them (`privacy_office_only`: anonymous → login, other
roles → 403); an unknown student, notice, hold or certificate is a 404. Every write goes
through `steward.retention.actions`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.catalog.elements import SCOPE_BY_KEY
from steward.officer.views import privacy_office_only
from steward.retention import blockers as blocking
from steward.retention import calendar as cal
from steward.retention import documents
from steward.retention.actions import destruction, exits, holds, notices
from steward.retention.forms import (
    DeliveredForm,
    ExitForm,
    HoldForm,
    HorizonForm,
    LookupForm,
    ReasonForm,
    SentForm,
)
from steward.retention.models import Certificate, Exit, ExitNotice, Item, LegalHold
from steward.roster.models import Student


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _to_student(pk: int) -> HttpResponse:
    return redirect("retention-student", pk=pk)


@require_GET
@privacy_office_only
def calendar(request: HttpRequest) -> HttpResponse:
    form = HorizonForm(request.GET or None)
    days = 365
    if form.is_bound and form.is_valid() and form.cleaned_data["days"]:
        days = form.cleaned_data["days"]
    context = {
        "calendar": cal.calendar(timezone.localdate(), days),
        "form": form,
        "days": days,
        "lookup": LookupForm(),
    }
    return render(request, "retention/calendar.html", context)


@require_GET
@privacy_office_only
def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET)
    if form.is_valid():
        found = (
            Student.objects.filter(sourced_id=form.cleaned_data["student"].strip())
            .values_list("pk", flat=True)
            .first()
        )
        if found is not None:
            return _to_student(found)
    messages.error(request, _("No student has that ID."))
    return redirect("retention-calendar")


def _file(student: Student) -> dict[str, Any]:
    """Everything the student's retention file shows. Six queries."""
    exit_rows = list(
        Exit.objects.filter(student=student).select_related("recorded_by").order_by("-recorded_at")
    )
    items = list(
        Item.objects.filter(student=student).order_by("exit_id", "destroy_on", "scope", "ma_part")
    )
    for item in items:
        item.label = SCOPE_BY_KEY[item.scope].label  # type: ignore[attr-defined]
    notice_rows = {n.exit_id: n for n in ExitNotice.objects.filter(student=student)}
    for row in exit_rows:
        row.item_rows = [i for i in items if i.exit_id == row.pk]  # type: ignore[attr-defined]
        row.notice_row = notice_rows.get(row.pk)  # type: ignore[attr-defined]
    open_exit = next((row for row in exit_rows if row.cancelled_at is None), None)
    today = timezone.localdate()
    blocked = (
        blocking.blockers({student.pk: open_exit.pk}, today).get(student.pk, [])
        if open_exit
        else []
    )
    return {
        "student": student,
        "exits": exit_rows,
        "open_exit": open_exit,
        "due": open_exit is not None
        and any(i.destroyed_at is None and i.destroy_on <= today for i in open_exit.item_rows),  # type: ignore[attr-defined]
        "blockers": [blocking.LABELS[code] for code in blocked],
        "holds": list(
            LegalHold.objects.filter(student=student)
            .select_related("placed_by", "released_by")
            .order_by("-placed_at")
        ),
        "certificates": list(Certificate.objects.filter(student=student).order_by("-destroyed_at")),
        "hold_form": HoldForm(),
        "reason_form": ReasonForm(),
        "sent_form": SentForm(),
        "delivered_form": DeliveredForm(),
    }


@require_GET
@privacy_office_only
def student(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Student, pk=pk)
    return render(request, "retention/student.html", _file(found))


@require_http_methods(["GET", "POST"])
@privacy_office_only
def exit_new(request: HttpRequest) -> HttpResponse:
    form = ExitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = Student.objects.filter(sourced_id=form.cleaned_data["student"].strip()).first()
        if found is None:
            form.add_error("student", _("No student has that ID."))
        else:
            try:
                exits.record_exit(
                    found,
                    form.cleaned_data["kind"],
                    form.cleaned_data["exit_date"],
                    user=request.user,
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Exit recorded; the notice to the family is ready."))
                return _to_student(found.pk)
    return render(request, "retention/exit_new.html", {"form": form})


def _post(
    request: HttpRequest,
    student_id: int,
    form: Any,
    act: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return _to_student(student_id)
    try:
        act(form.cleaned_data)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, done)
    return _to_student(student_id)


@require_POST
@privacy_office_only
def exit_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(Exit, pk=pk)
    return _post(
        request,
        row.student_id,
        ReasonForm(request.POST),
        lambda data: exits.cancel_exit(row, data["reason"], user=request.user, request=request),
        _("Exit cancelled."),
    )


@require_POST
@privacy_office_only
def hold_place(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Student, pk=pk)
    return _post(
        request,
        found.pk,
        HoldForm(request.POST),
        lambda data: holds.place_hold(
            found, data["kind"], data["reason"], user=request.user, request=request
        ),
        _("Legal hold placed: nothing of this record will be destroyed until it is released."),
    )


@require_POST
@privacy_office_only
def hold_release(request: HttpRequest, pk: int) -> HttpResponse:
    hold = get_object_or_404(LegalHold, pk=pk)
    return _post(
        request,
        hold.student_id,
        ReasonForm(request.POST),
        lambda data: holds.release_hold(hold, data["reason"], user=request.user, request=request),
        _("Legal hold released."),
    )


@require_POST
@privacy_office_only
def notice_sent(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(ExitNotice, pk=pk)
    return _post(
        request,
        notice.student_id,
        SentForm(request.POST),
        lambda data: notices.mark_sent(notice, data["method"], user=request.user, request=request),
        _("Notice marked as sent."),
    )


@require_POST
@privacy_office_only
def notice_delivered(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(ExitNotice, pk=pk)
    return _post(
        request,
        notice.student_id,
        DeliveredForm(request.POST),
        lambda data: notices.record_delivery(
            notice, data["evidence"], user=request.user, request=request
        ),
        _("Delivery recorded."),
    )


@require_POST
@privacy_office_only
def destroy(request: HttpRequest, pk: int) -> HttpResponse:
    """Destroy the student's due parts now, rather than at the next nightly run."""
    found = get_object_or_404(Student, pk=pk)
    try:
        cert = destruction.destroy_student(
            found.pk, today=timezone.localdate(), user=request.user, request=request
        )
    except ValidationError as error:
        _errors(request, error)
        return _to_student(found.pk)
    if cert is None:
        messages.error(request, _("Nothing of this record is due for destruction."))
        return _to_student(found.pk)
    messages.success(request, _("Destroyed; the certificate is below."))
    return redirect("retention-certificate", pk=cert.pk)


def _pdf(content: bytes, name: str) -> HttpResponse:
    reply = HttpResponse(content, content_type="application/pdf")
    reply["Content-Disposition"] = f'attachment; filename="{name}"'
    return reply


@require_GET
@privacy_office_only
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(ExitNotice, pk=pk)
    return _pdf(documents.notice_pdf(notice), f"exit-notice-{notice.pk}.pdf")


def _labels() -> dict[str, str]:
    return {key: str(scope.label) for key, scope in SCOPE_BY_KEY.items()}


@require_GET
@privacy_office_only
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    cert = get_object_or_404(Certificate, pk=pk)
    labels = _labels()
    lines = [{**item, "label": labels.get(item["scope"], item["scope"])} for item in cert.items]
    return render(request, "retention/certificate.html", {"certificate": cert, "lines": lines})


@require_GET
@privacy_office_only
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    cert = get_object_or_404(Certificate, pk=pk)
    return _pdf(documents.certificate_pdf(cert, _labels()), f"certificate-{cert.pk}.pdf")
