"""Receiving a request: from the family portal, or entered by the office for a written or
walk-in request (R24, R25, R28, R31, R33), and the R18 notice to the custodial parents.

Each runs in one transaction: the request, its first history step, the notices and the ledger
entry (R32: the request is logged) commit together or not at all; e-mail goes only after the
commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.models import Action
from steward.requests import notify, policy
from steward.requests.actions.base import RECEIVED_PURPOSE, log, now_or, require_office, step
from steward.requests.eligibility import (
    Requester,
    custodial_guardians,
    is_non_custodial,
    may_request,
    requester_of,
)
from steward.requests.models import (
    AccessRequest,
    Channel,
    CustodialNotice,
    Kind,
    RequesterKind,
    Step,
)
from steward.roster.models import Guardian, Student

STAFF_CHANNELS = (Channel.PAPER, Channel.IN_PERSON)


def _check_terms(kind: str, third_party_name: str, third_party_consent: str) -> None:
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose what is asked for.")})
    if kind == Kind.THIRD_PARTY:
        errors = {}
        if not third_party_name.strip():
            errors["third_party_name"] = _("Name the person who will inspect the record.")
        if not third_party_consent.strip():
            errors["third_party_consent"] = _(
                "A third party inspects the record only with the specific written consent of "
                "the parent or eligible student (603 CMR 23.07(2)(d))."
            )
        if errors:
            raise ValidationError(errors)


def _create(
    *,
    student: Student,
    kind: str,
    requester: Requester,
    channel: str,
    by: Any,
    received_at: dt.datetime,
    now: dt.datetime,
    request: HttpRequest | None,
    requester_user: Any = None,
    identity_check: str = "",
    details: str = "",
    third_party_name: str = "",
    third_party_affiliation: str = "",
    third_party_consent: str = "",
    affirmation: str = "",
    notice_language: str = "en",
) -> AccessRequest:
    _check_terms(kind, third_party_name, third_party_consent)
    non_custodial = requester.guardian_id is not None and is_non_custodial(
        requester.guardian_id, student.pk
    )
    if non_custodial and not affirmation.strip():
        raise ValidationError(
            {
                "affirmation": _(
                    "A parent without custody states that no court order or other document "
                    "limits their access to the record (603 CMR 23.07(5))."
                )
            }
        )
    received_day = timezone.localdate(received_at)
    release_on = policy.release_date(timezone.localdate(now)) if non_custodial else None
    req = AccessRequest.objects.create(
        student=student,
        kind=kind,
        channel=channel,
        requester_kind=requester.kind,
        requester_guardian_id=requester.guardian_id,
        requester_user=requester_user,
        entered_by=None if channel == Channel.PORTAL else by,
        identity_check=identity_check.strip(),
        details=details.strip(),
        third_party_name=third_party_name.strip(),
        third_party_affiliation=third_party_affiliation.strip(),
        third_party_consent=third_party_consent.strip(),
        non_custodial=non_custodial,
        affirmation=affirmation.strip() if non_custodial else "",
        notice_language=notice_language,
        received_at=received_at,
        due_on=policy.due_date(received_day, non_custodial=non_custodial),
        ceiling_on=policy.ceiling(received_day),
        release_on=release_on,
        updated_at=now,
    )
    step(req, Step.RECEIVED, by, now, detail={"channel": channel})
    notified: list[Guardian] = []
    if non_custodial:
        # R18: "immediately" on receipt; day 0 of the 21 days is today.
        notified = custodial_guardians(student.pk, besides=requester.guardian_id)
        CustodialNotice.objects.bulk_create(
            [
                CustodialNotice(request=req, guardian=g, sent_at=now, emailed_to=g.email.strip())
                for g in notified
            ]
        )
        step(
            req,
            Step.NOTICE_SENT,
            by,
            now,
            detail={"guardians": [g.sourced_id for g in notified], "release_on": str(release_on)},
        )
    log(
        req,
        Action.CREATE,
        by,
        request,
        RECEIVED_PURPOSE,
        now,
        detail={
            "channel": channel,
            "requester": requester.kind,
            "received_at": received_at.isoformat(),
            "due_on": req.due_on.isoformat(),
            "ceiling_on": req.ceiling_on.isoformat(),
            "non_custodial": non_custodial,
            "release_on": release_on.isoformat() if release_on else None,
            "custodial_notices": [g.sourced_id for g in notified],
        },
    )
    transaction.on_commit(lambda: notify.after_receipt(req.pk))
    return req


@transaction.atomic
def do_submit_request(
    user: Any,
    student: Student,
    kind: str,
    *,
    details: str = "",
    third_party_name: str = "",
    third_party_affiliation: str = "",
    third_party_consent: str = "",
    affirmation: str = "",
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> AccessRequest:
    """A rights holder's request made in the family portal (identity: their login, R33).

    PermissionDenied unless `user` is a guardian or student login that may make a request of
    `kind` about `student` (`eligibility.may_request`). ValidationError for missing terms: the
    third party and the written consent (R31), the no-restriction statement of a parent
    without custody (R18).
    """
    moment = now_or(now)
    requester = requester_of(user)
    if requester is None or not may_request(
        requester, student.pk, kind, timezone.localdate(moment)
    ):
        raise PermissionDenied("this login may not make that request about this student")
    return _create(
        student=student,
        kind=kind,
        requester=requester,
        channel=Channel.PORTAL,
        by=user,
        received_at=moment,
        now=moment,
        request=request,
        requester_user=user,
        details=details,
        third_party_name=third_party_name,
        third_party_affiliation=third_party_affiliation,
        third_party_consent=third_party_consent,
        affirmation=affirmation,
    )


@transaction.atomic
def do_enter_request(
    by: Any,
    student: Student,
    kind: str,
    *,
    guardian: Guardian | None,
    channel: str,
    identity_check: str,
    received_at: dt.datetime | None = None,
    details: str = "",
    third_party_name: str = "",
    third_party_affiliation: str = "",
    third_party_consent: str = "",
    affirmation: str = "",
    notice_language: str = "en",
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> AccessRequest:
    """A written or walk-in request, entered by the privacy office.

    The requester is `guardian`, or the student when `guardian` is None; they must hold the
    right (ValidationError naming them otherwise). `identity_check` says how staff checked who
    they are (R33) and is required. `received_at` is when the letter arrived (default now;
    never in the future): the clock runs from it.
    """
    require_office(by)
    moment = now_or(now)
    received = now_or(received_at) if received_at is not None else moment
    errors: dict[str, str] = {}
    if channel not in STAFF_CHANNELS:
        errors["channel"] = _("Say how the request arrived: in writing or in person.")
    if not identity_check.strip():
        errors["identity_check"] = _(
            "Say how you checked the requester's identity (34 CFR 99.31(c))."
        )
    if received > moment:
        errors["received_at"] = _("The date of receipt cannot be in the future.")
    if notice_language not in {code for code, _name in settings.LANGUAGES}:
        errors["notice_language"] = _("Choose one of the district's languages.")
    if errors:
        raise ValidationError(errors)
    if guardian is not None:
        requester = Requester(RequesterKind.GUARDIAN, guardian_id=guardian.pk)
        name = guardian.display_name
    else:
        requester = Requester(RequesterKind.STUDENT, student_id=student.pk)
        name = student.display_name
    if not may_request(requester, student.pk, kind, timezone.localdate(moment)):
        raise ValidationError(
            {
                "requester": _(
                    "%(name)s does not hold the right to make this request about %(student)s."
                )
                % {"name": name, "student": student.display_name}
            }
        )
    return _create(
        student=student,
        kind=kind,
        requester=requester,
        channel=channel,
        by=by,
        received_at=received,
        now=moment,
        request=request,
        identity_check=identity_check,
        details=details,
        third_party_name=third_party_name,
        third_party_affiliation=third_party_affiliation,
        third_party_consent=third_party_consent,
        affirmation=affirmation,
        notice_language=notice_language,
    )
