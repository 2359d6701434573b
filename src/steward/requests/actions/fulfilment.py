"""Fulfilling a request: the complete copy (R25, R27, R28, R30, R18), its release (R32) and
every download of it (R32), and the close of an inspection, explanation or meeting (R26, R31).

Making the copy is a read of the whole record by the records custodian: one ledger entry names
every record part read (design.md §3 rule 1). Releasing it is a release to the requester
(R32, R63), or to the third party for an R31 inspection. A release is refused while the
requester no longer holds the right (R17) or, for a parent without custody, before day 21
after the custodial parents were notified (R18).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from steward.audit import ledger
from steward.audit.models import Action
from steward.audit.queries import position_label
from steward.catalog.elements import SCOPE_KEYS
from steward.requests import contents, copy_pdf, formats, notify
from steward.requests.actions.base import (
    COPY_PURPOSE,
    CUSTODIAN_INTEREST,
    DOWNLOAD_PURPOSE,
    HANDLED_PURPOSE,
    RELEASE_PURPOSE,
    THIRD_PARTY_PURPOSE,
    is_office,
    log,
    now_or,
    require_office,
    require_open,
    save,
    step,
)
from steward.requests.actions.handling import _begin
from steward.requests.eligibility import is_requester, still_entitled
from steward.requests.models import (
    COPY_KINDS,
    AccessRequest,
    Kind,
    RequestCopy,
    RequesterKind,
    Status,
    Step,
)
from steward.roster.models import GuardianRelationship

FORMATS = ("pdf", "zip")


def _entitled(req: AccessRequest) -> None:
    """R17: a restriction that arrived after the request blocks everything but a refusal."""
    if not still_entitled(req.kind, req.requester_kind, req.requester_guardian_id, req.student_id):
        raise ValidationError(
            _(
                "The requester no longer holds the right to this record (for example, a court "
                "order now restricts their access). Refuse the request, with the reasons."
            ),
            code="not_entitled",
        )


def _release_day(req: AccessRequest, today: dt.date) -> None:
    if req.release_on is not None and today < req.release_on:
        raise ValidationError(
            _(
                "A parent without custody may receive the record from %(day)s, 21 days after "
                "the custodial parents were notified (603 CMR 23.07(5))."
            ),
            code="too_early",
            params={"day": date_format(req.release_on, "DATE_FORMAT")},
        )


@transaction.atomic
def do_make_copy(
    req: AccessRequest,
    by: Any,
    *,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> RequestCopy:
    """Make the complete copy for `req` (PDF and zip), store it with its SHA-256s, and log the
    read of every part. The office previews it before release; a newer copy supersedes it."""
    require_office(by)
    require_open(req)
    _entitled(req)
    moment = now_or(now)
    built = contents.build(req, moment)
    pdf = copy_pdf.render(built)
    archive = formats.archive(built, moment)
    made = RequestCopy.objects.create(
        request=req,
        generated_at=moment,
        generated_by=by,
        scopes=built.scopes,
        redactions=built.redactions,
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        archive=archive,
        archive_sha256=hashlib.sha256(archive).hexdigest(),
    )
    fields = _begin(req, by)
    if fields:
        save(req, moment, *fields)
    detail = {
        "copy": made.pk,
        "pdf_sha256": made.pdf_sha256,
        "zip_sha256": made.archive_sha256,
        "redactions": built.redactions,
        "consent_history": bool(built.consents),
        "access_log": bool(built.log),
    }
    step(req, Step.COPY_MADE, by, moment, detail=detail)
    log(
        req,
        Action.READ,
        by,
        request,
        COPY_PURPOSE,
        moment,
        scopes=built.scopes,
        interest=CUSTODIAN_INTEREST,
        detail=detail,
    )
    return made


def latest_copy(req: AccessRequest) -> RequestCopy | None:
    """The newest copy made for `req`, without its files (they are read only to be served)."""
    return req.copies.defer("pdf", "archive").order_by("-generated_at", "-pk").first()


def _released(req: AccessRequest) -> RequestCopy | None:
    if req.released_copy_id is None:
        return None
    return RequestCopy.objects.defer("pdf", "archive").filter(pk=req.released_copy_id).first()


def _relationship(req: AccessRequest) -> str:
    if req.requester_kind == RequesterKind.STUDENT:
        return str(RequesterKind.STUDENT.label)
    kind = (
        GuardianRelationship.objects.filter(
            guardian_id=req.requester_guardian_id or 0, student_id=req.student_id
        )
        .values_list("kind", flat=True)
        .first()
    )
    labels = dict(GuardianRelationship.Kind.choices)
    return str(labels.get(kind or "", RequesterKind.GUARDIAN.label))


def _release(req: AccessRequest, by: Any) -> ledger.Release:
    """R63: who released, to whom; for R31 the third party with their affiliation."""
    actor = ledger.actor_of(by)
    if req.kind == Kind.THIRD_PARTY:
        recipient = (req.third_party_name, "", req.third_party_affiliation)
    else:
        recipient = (contents.requester_name(req), _relationship(req), "")
    return ledger.Release(
        releaser_name=str(actor["actor_name"]),
        releaser_position=position_label(str(actor["actor_role"])),
        releaser_signature=f"user:{actor['actor_user_id']}",
        recipient_name=recipient[0],
        recipient_position=recipient[1],
        recipient_affiliation=recipient[2],
    )


@transaction.atomic
def do_fulfil_request(
    req: AccessRequest,
    by: Any,
    *,
    outcome: str = "",
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> AccessRequest:
    """Close `req` as fulfilled on the response date `now` (R32).

    A copy or transcript request releases the latest copy (ValidationError without one). An
    inspection, explanation, meeting or third-party inspection needs its meeting scheduled
    and an `outcome` note (R26). Refused while the requester is no longer entitled (R17) or
    before a non-custodial parent's release day (R18).
    """
    require_office(by)
    require_open(req)
    _entitled(req)
    moment = now_or(now)
    _release_day(req, timezone.localdate(moment))
    copy = latest_copy(req)
    if req.kind in COPY_KINDS and copy is None:
        raise ValidationError(_("Make the copy and check it before releasing it."), code="no_copy")
    if req.kind not in COPY_KINDS:
        errors = {}
        if req.meeting_at is None:
            errors["meeting"] = _("Schedule the meeting first (when, where and with whom).")
        if not outcome.strip():
            errors["outcome"] = _("Write down what took place.")
        if errors:
            raise ValidationError(errors)
    req.status, req.closed_at, req.outcome = Status.FULFILLED, moment, outcome.strip()
    fields = ["status", "closed_at", "outcome"]
    if copy is not None:
        req.released_copy = copy
        fields.append("released_copy")
    save(req, moment, *fields)
    detail: dict[str, Any] = {"response_date": timezone.localdate(moment).isoformat()}
    if copy is not None:
        detail |= {
            "copy": copy.pk,
            "pdf_sha256": copy.pdf_sha256,
            "zip_sha256": copy.archive_sha256,
        }
    step(req, Step.FULFILLED, by, moment, note=req.outcome, detail=detail)
    if req.kind in COPY_KINDS or req.kind == Kind.THIRD_PARTY:
        scopes = copy.scopes if copy is not None else sorted(SCOPE_KEYS)
        purpose = THIRD_PARTY_PURPOSE if req.kind == Kind.THIRD_PARTY else RELEASE_PURPOSE
        release = _release(req, by)
        log(
            req,
            Action.RELEASE,
            by,
            request,
            purpose,
            moment,
            scopes=scopes,
            release=release,
            detail=detail,
        )
    else:
        log(req, Action.CHANGE, by, request, HANDLED_PURPOSE, moment, detail=detail)
    transaction.on_commit(lambda: notify.requester_update(req.pk, "fulfilled"))
    return req


def may_download(req: AccessRequest, user: Any) -> RequestCopy | None:
    """The copy `user` may download for `req`: the office any latest copy (to check or hand
    over on paper), the requester the released one. None otherwise."""
    if is_office(user):
        return _released(req) or latest_copy(req)
    if is_requester(req, user) and req.status == Status.FULFILLED:
        return _released(req)
    return None


@transaction.atomic
def do_record_download(
    req: AccessRequest,
    copy: RequestCopy,
    by: Any,
    fmt: str,
    *,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> RequestCopy:
    """Log one download of `copy` in format `fmt` ("pdf" or "zip") by `by` (R32).

    The requester downloads only the released copy and only while still entitled (R17);
    PermissionDenied otherwise.
    """
    if fmt not in FORMATS:
        raise ValidationError(_("Unknown format."), code="format")
    if may_download(req, by) != copy:
        raise PermissionDenied("this copy is not available to this login")
    if not is_office(by) and not still_entitled(
        req.kind, req.requester_kind, req.requester_guardian_id, req.student_id
    ):
        raise PermissionDenied("the requester no longer holds the right to this record")
    moment = now_or(now)
    sha = copy.pdf_sha256 if fmt == "pdf" else copy.archive_sha256
    detail = {"copy": copy.pk, "format": fmt, "sha256": sha}
    step(req, Step.DOWNLOADED, by, moment, detail=detail)
    interest = CUSTODIAN_INTEREST if is_office(by) else "the family's own copy (R27)"
    log(
        req,
        Action.READ,
        by,
        request,
        DOWNLOAD_PURPOSE,
        moment,
        scopes=copy.scopes,
        interest=interest,
        detail=detail,
    )
    return copy


PREVIEW_PURPOSE = "copy of the record checked before release (R30, R32)"


@transaction.atomic
def do_record_preview(
    req: AccessRequest, copy: RequestCopy, by: Any, *, request: HttpRequest | None = None
) -> RequestCopy:
    """Log the office's on-screen preview of `copy`: it shows the whole record again."""
    require_office(by)
    if copy.request_id != req.pk:
        raise PermissionDenied("the copy belongs to another request")
    log(
        req,
        Action.READ,
        by,
        request,
        PREVIEW_PURPOSE,
        now_or(None),
        scopes=copy.scopes,
        interest=CUSTODIAN_INTEREST,
        detail={"copy": copy.pk, "format": "preview"},
    )
    return copy
