"""How an agreement ends (R80, R110): termination, expiry, the Exhibit D directive, the
provider's verification of disposition, overdue escalation and the reminders the sweep sends.
When an agreement ends, its approved apps that no other agreement allowing sharing covers
become EXPIRED in the registry, in the same transaction (R71, R73).

Also the two steps every agreement transition shares (`steward.vendors.actions.agreements`
imports them): `locked()` re-reads the agreement under a row lock, so that two writers (an
officer and the nightly sweep) cannot both move it, and `record()` writes the transition's
ledger entry in the same transaction (design.md §3 rule 2).

`by` is the acting Django user; `None` stands for the system (the sweep, a command run by the
district's IT). Who may act is checked here as well as in the views: the privacy office for
termination, a vendor contact of the agreement's own vendor or the privacy office for the
certificate (PermissionDenied otherwise).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.accounts.models import Account
from steward.accounts.selectors import account_of, is_privacy_office
from steward.audit import ledger
from steward.audit.models import Action
from steward.catalog.elements import EXHIBIT_B
from steward.vendors import documents
from steward.vendors.actions import registry
from steward.vendors.models import (
    SHARING_STATUSES,
    Agreement,
    AgreementStatus,
    AppStatus,
    DispositionCertificate,
    DispositionDirective,
    Extent,
    Nature,
    Reminder,
    ReminderKind,
    Schedule,
    disposition_due,
)

PURPOSE = "data sharing agreement lifecycle (R80, R110)"
Status = AgreementStatus


def locked(agreement: Agreement) -> Agreement:
    """The agreement's current row, locked until the caller's transaction ends."""
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def record(
    agreement: Agreement,
    *,
    by: Any,
    request: HttpRequest | None,
    before: str,
    action: str = Action.CHANGE,
    **detail: Any,
) -> None:
    """The ledger entry of one transition from `before` to the agreement's status now."""
    ledger.record(
        action=action,
        **ledger.actor_of(by),
        **ledger.request_context(request),
        agreement_id=str(agreement.pk),
        purpose=PURPOSE,
        detail={"agreement": agreement.pk, "from": before, "to": agreement.status, **detail},
    )


def refuse_status(agreement: Agreement, allowed: Iterable[str], message: str) -> None:
    """ValidationError unless the status is one of `allowed`; `message` names the current
    status through its "%(status)s" placeholder."""
    if agreement.status not in allowed:
        raise ValidationError(message % {"status": Status(agreement.status).label}, code="status")


is_office = is_privacy_office  # the privacy office: a superuser or a privacy-officer login


def require_office(by: Any) -> None:
    """PermissionDenied unless `by` is the system (None) or the privacy office."""
    if by is not None and not is_office(by):
        raise PermissionDenied("only the privacy office changes agreements")


def copy_back(target: Agreement, source: Agreement, fields: Iterable[str]) -> None:
    """Show the caller's instance what the action wrote to the locked row."""
    for name in fields:
        setattr(target, name, getattr(source, name))


_END_FIELDS = ["status", "ended_at", "end_reason", "disposition_due", "updated_at"]


@transaction.atomic
def terminate_agreement(
    agreement: Agreement,
    *,
    reason: str,
    by: Any,
    request: HttpRequest | None = None,
    extent: str = Extent.COMPLETE,
    categories: Iterable[str] = (),
    nature: str = Nature.DESTROY,
    transfer_to: str = "",
    schedule: str = Schedule.BY_DATE,
    due_date: dt.date | None = None,
    authorized_by: str,
) -> DispositionDirective:
    """End an ACTIVE or EXPIRING agreement early and direct the provider's disposition (R110).

    Records TERMINATED, then in the same transaction issues the Exhibit D directive (partial
    or complete; destroy or transfer; as soon as practicable or by a date; signed for the
    district by `authorized_by`) and moves to DISPOSITION_PENDING. The due date defaults to
    today plus the agreement's disposition window (NDPA IV.6: 60 days). Two ledger entries,
    one per step. A partial directive names Exhibit B categories the agreement covers.
    """
    require_office(by)
    row = locked(agreement)
    refuse_status(
        row,
        SHARING_STATUSES,
        _("Only an active or expiring agreement can be terminated; this one is %(status)s."),
    )
    today = timezone.localdate()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for terminating the agreement.")]})
    directive = _directive_terms(
        row,
        extent=extent,
        categories=categories,
        nature=nature,
        transfer_to=transfer_to,
        schedule=schedule,
        due_date=due_date or disposition_due(today, row.disposition_window_days),
        authorized_by=authorized_by,
        today=today,
    )
    before, now = row.status, timezone.now()
    row.status, row.ended_at, row.end_reason, row.updated_at = Status.TERMINATED, now, reason, now
    row.save(update_fields=_END_FIELDS)
    record(row, by=by, request=request, before=before, reason=reason)
    _lapse_products(row, by=by, request=request)
    made = _issue(row, directive, by=by, request=request)
    copy_back(agreement, row, _END_FIELDS)
    return made


@transaction.atomic
def expire_agreement(
    agreement: Agreement, *, today: dt.date, by: Any = None, request: HttpRequest | None = None
) -> DispositionDirective | None:
    """End an ACTIVE or EXPIRING agreement on or after its end date.

    If a renewal of it (`renewal_of`) allows sharing, the data stays with the provider under
    the renewal: the agreement rests at EXPIRED and no directive is issued (returns None).
    Otherwise the default directive (complete, destroy, by the end date plus the disposition
    window) is issued and the agreement moves to DISPOSITION_PENDING.
    """
    require_office(by)
    row = locked(agreement)
    refuse_status(
        row,
        SHARING_STATUSES,
        _("Only an active or expiring agreement can expire; this one is %(status)s."),
    )
    assert row.end_date is not None  # activation requires it
    if today < row.end_date:
        raise ValidationError(
            _("The agreement runs until %(end)s; it cannot expire before then.")
            % {"end": row.end_date.isoformat()},
            code="not_ended",
        )
    renewal = row.renewals.filter(status__in=SHARING_STATUSES, external=False).first()
    before, now = row.status, timezone.now()
    row.status, row.ended_at, row.updated_at = Status.EXPIRED, now, now
    row.save(update_fields=_END_FIELDS)
    record(row, by=by, request=request, before=before, renewal=renewal.pk if renewal else None)
    _lapse_products(row, by=by, request=request)
    made = None
    if renewal is None:
        terms = DispositionDirective(
            agreement=row,
            extent=Extent.COMPLETE,
            nature=Nature.DESTROY,
            schedule=Schedule.BY_DATE,
            due_date=disposition_due(row.end_date, row.disposition_window_days),
            # The district's signatory of the agreement speaks for the district here too.
            authorized_by=row.district_signatory or "privacy office",
        )
        made = _issue(row, terms, by=by, request=request)
    copy_back(agreement, row, _END_FIELDS)
    return made


def _lapse_products(row: Agreement, *, by: Any, request: HttpRequest | None) -> None:
    """Set EXPIRED (R73) each approved app of the ended agreement that no other agreement
    allowing sharing covers, so that staff stop using it and the public list drops it (R71)."""
    approved = [AppStatus.APPROVED, AppStatus.APPROVED_WITH_GUARDIAN_RELEASE]
    covered = Agreement.objects.filter(
        products=OuterRef("pk"), status__in=SHARING_STATUSES, external=False
    ).exclude(pk=row.pk)
    lapsed = row.products.filter(status__in=approved).exclude(Exists(covered))
    reason = _("The agreement “%(title)s” ended and no other agreement covers this app.") % {
        "title": row.title
    }
    for product in lapsed.order_by("pk"):
        registry.set_product_status(
            product, AppStatus.EXPIRED, reason=reason, by=by, request=request
        )


def _directive_terms(
    agreement: Agreement,
    *,
    extent: str,
    categories: Iterable[str],
    nature: str,
    transfer_to: str,
    schedule: str,
    due_date: dt.date,
    authorized_by: str,
    today: dt.date,
) -> DispositionDirective:
    """An unsaved directive with checked terms; ValidationError per field otherwise."""
    errors: dict[str, list[str]] = {}
    chosen = list(dict.fromkeys(categories))
    covered = {category for category, _element in agreement.data_elements}
    if extent not in Extent.values:
        errors["extent"] = [_("Choose complete or partial disposition.")]
    elif extent == Extent.PARTIAL and not chosen:
        errors["categories"] = [_("A partial disposition lists the categories it covers.")]
    elif extent == Extent.COMPLETE:
        chosen = []
    unknown = [c for c in chosen if c not in EXHIBIT_B or c not in covered]
    if unknown:
        errors["categories"] = [
            _("Not a category this agreement shares: %(items)s.") % {"items": "; ".join(unknown)}
        ]
    if nature not in Nature.values:
        errors["nature"] = [_("Choose destruction or transfer.")]
    transfer_to = (transfer_to or "").strip()
    if nature == Nature.TRANSFER and not transfer_to:
        errors["transfer_to"] = [_("Say where the data is to be transferred.")]
    if schedule not in Schedule.values:
        errors["schedule"] = [_("Choose when the disposition is due.")]
    if due_date < today:
        errors["due_date"] = [_("The due date is in the past.")]
    authorized_by = (authorized_by or "").strip()
    if not authorized_by:
        errors["authorized_by"] = [_("Name the district's authorized representative.")]
    if errors:
        raise ValidationError(errors)
    return DispositionDirective(
        agreement=agreement,
        extent=extent,
        categories=chosen,
        nature=nature,
        transfer_to=transfer_to if nature == Nature.TRANSFER else "",
        schedule=schedule,
        due_date=due_date,
        authorized_by=authorized_by,
    )


def _issue(
    row: Agreement, directive: DispositionDirective, *, by: Any, request: HttpRequest | None
) -> DispositionDirective:
    """Save the directive and move the (locked, ended) agreement to DISPOSITION_PENDING."""
    now = timezone.now()
    directive.issued_by = by if getattr(by, "is_authenticated", False) else None
    directive.issued_at = now
    directive.save()
    before = row.status
    row.status, row.disposition_due, row.updated_at = (
        Status.DISPOSITION_PENDING,
        directive.due_date,
        now,
    )
    row.save(update_fields=["status", "disposition_due", "updated_at"])
    record(
        row,
        by=by,
        request=request,
        before=before,
        action=Action.CREATE,
        directive=directive.pk,
        extent=directive.extent,
        categories=directive.categories,
        nature=directive.nature,
        schedule=directive.schedule,
        due_date=directive.due_date.isoformat(),
    )
    return directive


def _may_certify(by: Any, agreement: Agreement) -> bool:
    if by is None or is_office(by):
        return True
    account = account_of(by)
    if account is None or account.role != Account.Role.VENDOR:
        return False
    contact = account.vendor_contact
    return contact is not None and contact.vendor_id == agreement.vendor_id


@transaction.atomic
def record_certificate(
    agreement: Agreement,
    *,
    signer_name: str,
    signer_title: str,
    signed_on: dt.date,
    method: str,
    scope: str,
    data: bytes,
    filename: str,
    by: Any,
    request: HttpRequest | None = None,
) -> DispositionCertificate:
    """Record the provider's verification of disposition (Exhibit D part 5; R80, R110) and
    close the agreement as DISPOSITION_CERTIFIED.

    Only while DISPOSITION_PENDING or DISPOSITION_OVERDUE, by the privacy office or a vendor
    contact of this agreement's vendor. Signer, title, method and scope are required; the date
    is neither in the future nor before the agreement ended; the document is a PDF.
    """
    if not _may_certify(by, agreement):
        raise PermissionDenied("only the provider or the privacy office certifies disposition")
    row = locked(agreement)
    refuse_status(
        row,
        {Status.DISPOSITION_PENDING, Status.DISPOSITION_OVERDUE},
        _(
            "A certificate is recorded only while disposition is pending or overdue; this "
            "agreement is %(status)s."
        ),
    )
    texts = {
        "signer_name": (signer_name or "").strip(),
        "signer_title": (signer_title or "").strip(),
        "method": (method or "").strip(),
        "scope": (scope or "").strip(),
    }
    errors = {name: [_("This field is required.")] for name, value in texts.items() if not value}
    ended = timezone.localdate(row.ended_at) if row.ended_at else None
    if signed_on > timezone.localdate():
        errors["signed_on"] = [_("The date is in the future.")]
    elif ended is not None and signed_on < ended:
        errors["signed_on"] = [
            _("The date is before the agreement ended (%(ended)s).") % {"ended": ended.isoformat()}
        ]
    if errors:
        raise ValidationError(errors)
    document = documents.store(data, filename, by=by)
    now = timezone.now()
    certificate = DispositionCertificate.objects.create(
        agreement=row,
        signed_on=signed_on,
        document=document,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
        recorded_at=now,
        **texts,
    )
    before = row.status
    row.status, row.updated_at = Status.DISPOSITION_CERTIFIED, now
    row.save(update_fields=["status", "updated_at"])
    record(
        row,
        by=by,
        request=request,
        before=before,
        action=Action.CREATE,
        certificate=certificate.pk,
        document_sha256=document.sha256,
        signer=texts["signer_name"],
        signed_on=signed_on.isoformat(),
    )
    copy_back(agreement, row, ["status", "updated_at"])
    return certificate


@transaction.atomic
def mark_disposition_overdue(
    agreement: Agreement, *, today: dt.date, by: Any = None, request: HttpRequest | None = None
) -> None:
    """DISPOSITION_PENDING → DISPOSITION_OVERDUE once the directive's due date has passed
    without a certificate (R80, R110); `escalated_at` marks the escalation. The sweep then
    sends the escalation reminder."""
    require_office(by)
    row = locked(agreement)
    refuse_status(
        row,
        {Status.DISPOSITION_PENDING},
        _("Only a pending disposition can become overdue; this agreement is %(status)s."),
    )
    due = DispositionDirective.objects.get(agreement=row).due_date
    if today <= due:
        raise ValidationError(
            _("Disposition is due by %(due)s; it is not overdue yet.") % {"due": due.isoformat()},
            code="not_due",
        )
    before, now = row.status, timezone.now()
    row.status, row.escalated_at, row.updated_at = Status.DISPOSITION_OVERDUE, now, now
    row.save(update_fields=["status", "escalated_at", "updated_at"])
    record(row, by=by, request=request, before=before, due_date=due.isoformat())
    copy_back(agreement, row, ["status", "escalated_at", "updated_at"])


@transaction.atomic
def record_reminder(
    agreement: Agreement, kind: str, *, recipients: Iterable[str], by: Any = None
) -> Reminder | None:
    """Record that reminder `kind` about `agreement` went to `recipients`; None if it had been
    recorded already (one per agreement and kind, so the sweep never repeats one)."""
    if kind not in ReminderKind.values:
        raise ValidationError(_("Unknown reminder."), code="kind")
    if Reminder.objects.filter(agreement=agreement, kind=kind).exists():
        return None
    sent_to = sorted(set(recipients))
    reminder = Reminder.objects.create(
        agreement=agreement, kind=kind, recipients="\n".join(sent_to), sent_at=timezone.now()
    )
    ledger.record(
        action=Action.CREATE,
        **ledger.actor_of(by),
        agreement_id=str(agreement.pk),
        purpose=PURPOSE,
        detail={"agreement": agreement.pk, "reminder": kind, "recipients": len(sent_to)},
    )
    return reminder
