"""Writes for data sharing agreements (R80, R107–R112; design.md §3 rule 2).

One function per transition, each in one transaction with its ledger entry (detail: the
agreement, the status before and after). A refused transition raises ValidationError naming
the current status, and writes nothing.

    DRAFT --activate--> ACTIVE --(90 days before the end)--> EXPIRING
    ACTIVE/EXPIRING --terminate--> TERMINATED --> DISPOSITION_PENDING (Exhibit D directive)
    ACTIVE/EXPIRING --expire (end date)--> EXPIRED [rests there if a renewal is active]
                                           EXPIRED --> DISPOSITION_PENDING
    DISPOSITION_PENDING --certificate--> DISPOSITION_CERTIFIED
    DISPOSITION_PENDING --(due date passed)--> DISPOSITION_OVERDUE --certificate--> CERTIFIED

An agreement runs from `start_date` until `end_date`: it expires on its end date. The end of
an agreement's life lives in `steward.vendors.actions.disposition`; its functions are
re-exported here so that callers need one module.

`by` is the acting Django user, which must be the privacy office; `None` stands for the system
(the sweep, the demo, a command run by the district's IT).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit.models import Action
from steward.catalog.elements import EXHIBIT_B
from steward.roster.models import Org, Section
from steward.roster.oneroster.spec import GRADES
from steward.vendors import documents
from steward.vendors.actions.disposition import (
    copy_back,
    expire_agreement,
    locked,
    mark_disposition_overdue,
    record,
    record_certificate,
    record_reminder,
    refuse_status,
    require_office,
    terminate_agreement,
)
from steward.vendors.mandatory import (
    DIRECT_CONTROL,
    direct_control_errors,
    exhibit_b_errors,
    grade_errors,
    missing_fields,
)
from steward.vendors.models import (
    EXPIRY_REMINDER_DAYS,
    SHARING_STATUSES,
    Agreement,
    AgreementStatus,
    Document,
    Product,
    Vendor,
)

__all__ = [
    "EXPIRING_DAYS",
    "activate_agreement",
    "adopt_exhibit_e",
    "attach_signed_document",
    "create_agreement",
    "expire_agreement",
    "mark_disposition_overdue",
    "mark_expiring",
    "record_certificate",
    "record_reminder",
    "renew_agreement",
    "terminate_agreement",
    "update_agreement",
]

Status = AgreementStatus
# An active agreement becomes EXPIRING this many days before its end (the first reminder).
EXPIRING_DAYS = max(EXPIRY_REMINDER_DAYS)

# The terms a draft's form edits; `create_agreement` and `update_agreement` accept these.
TERMS: tuple[str, ...] = (
    "title", "kind", "template", "ferpa_basis", "ma_basis", "purpose", "services",
    "data_elements", "scope_kind", "scope_grades", "scope_rule", "start_date", "end_date",
    "parent_access_days", "breach_notification_hours", "security_framework",
    "security_evidence", "direct_control", "representative", "activity_description",
    "study_scope", "study_duration", "irb_evidence", "destruction_terms",
    "disposition_window_days", "exhibit_e_offered", "exhibit_e_expires", "lea_name",
    "signed_on", "district_signatory", "provider_signatory",
)  # fmt: skip
RELATED: tuple[str, ...] = ("products", "scope_schools", "scope_sections")
# What a renewal or an adoption does not take over: it is signed anew.
_SIGNATURE = ("signed_on", "district_signatory", "provider_signatory")
_COUNTS = ("parent_access_days", "breach_notification_hours", "disposition_window_days")


def _normal(name: str, value: Any) -> Any:
    """A canonical form of one term: trimmed text, Exhibit B and grades in schedule order."""
    if isinstance(value, str):
        return value.strip()
    if name == "data_elements" and not exhibit_b_errors(value):
        chosen = {tuple(entry) for entry in value}
        return [[c, e] for c, names in EXHIBIT_B.items() for e in names if (c, e) in chosen]
    if name == "scope_grades" and not grade_errors(value):
        return [grade for grade in GRADES if grade in set(value)]
    if name == "direct_control" and not direct_control_errors(value):
        return [key for key in DIRECT_CONTROL if key in set(value)]
    return value


def _check(row: Agreement) -> dict[str, list[str]]:
    """Errors per field for terms no draft may hold (a draft may be incomplete)."""
    errors: dict[str, list[str]] = {}
    nullable = {"parent_access_days", "breach_notification_hours"}
    skip = {f.name for f in Agreement._meta.fields if f.name not in TERMS}
    skip |= {name for name in nullable if getattr(row, name) is None}
    try:
        row.clean_fields(exclude=skip)
    except ValidationError as error:
        errors.update({k: [str(m) for m in v] for k, v in error.message_dict.items()})
    for name, bad in (
        ("data_elements", exhibit_b_errors(row.data_elements)),
        ("scope_grades", grade_errors(row.scope_grades)),
        ("direct_control", direct_control_errors(row.direct_control)),
    ):
        if bad:
            errors.setdefault(name, []).append(_("Unknown: %(items)s.") % {"items": "; ".join(bad)})
    for name in _COUNTS:
        value = getattr(row, name)
        if value is not None and not (isinstance(value, int) and value >= 1):
            errors.setdefault(name, []).append(_("Give a whole number of at least 1."))
    if row.start_date and row.end_date and row.end_date <= row.start_date:
        errors.setdefault("end_date", []).append(_("The end date must be after the start date."))
    return errors


def _related_ids(
    vendor_id: int, fields: dict[str, Any], errors: dict[str, list[str]]
) -> dict[str, list[int]]:
    """The ids given for each related field, checked to exist (and to be the vendor's own
    products, and schools); adds to `errors` per field otherwise."""
    choices = {
        "products": Product.objects.filter(vendor_id=vendor_id),
        "scope_schools": Org.objects.filter(type=Org.Type.SCHOOL),
        "scope_sections": Section.objects.all(),
    }
    out: dict[str, list[int]] = {}
    for name in RELATED:
        if name not in fields:
            continue
        try:
            ids = sorted({int(getattr(item, "pk", item)) for item in fields[name]})
        except (TypeError, ValueError):
            ids = [-1]
        if choices[name].filter(pk__in=ids).count() != len(ids):
            errors[name] = [_("Choose among the listed options.")]
        out[name] = ids
    return out


def _apply(row: Agreement, fields: dict[str, Any]) -> tuple[list[str], dict[str, list[int]]]:
    """Set `fields` on `row` and check the result; returns the changed terms and the related
    ids to set. Unknown names are a programming error (TypeError)."""
    unknown = sorted(set(fields) - set(TERMS) - set(RELATED))
    if unknown:
        raise TypeError(f"not agreement terms: {', '.join(unknown)}")
    changed = []
    for name in TERMS:
        if name in fields:
            value = _normal(name, fields[name])
            if row.pk is None or getattr(row, name) != value:
                setattr(row, name, value)
                changed.append(name)
    errors = _check(row)
    related = _related_ids(row.vendor_id, fields, errors)
    if errors:
        raise ValidationError(errors)
    if row.pk is not None:
        related = {
            name: ids
            for name, ids in related.items()
            if set(getattr(row, name).values_list("pk", flat=True)) != set(ids)
        }
    return changed, related


@transaction.atomic
def create_agreement(
    vendor: Vendor, *, by: Any, request: HttpRequest | None = None, **fields: Any
) -> Agreement:
    """A new DRAFT agreement with `vendor`; `title` and `kind` are required, any other term
    (see `TERMS`, plus `products`, `scope_schools`, `scope_sections` as iterables) optional."""
    require_office(by)
    errors = {
        name: [_("This field is required.")]
        for name in ("title", "kind")
        if not str(fields.get(name) or "").strip()
    }
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    row = Agreement(vendor=vendor, status=Status.DRAFT, created_at=now, updated_at=now)
    changed, related = _apply(row, fields)
    row.save()
    for name, ids in related.items():
        getattr(row, name).set(ids)
    record(row, by=by, request=request, before="", action=Action.CREATE, changed=changed)
    return row


@transaction.atomic
def update_agreement(
    agreement: Agreement, *, by: Any, request: HttpRequest | None = None, **fields: Any
) -> Agreement:
    """Change terms of a DRAFT agreement (a signed one is changed only by a new agreement).
    Writes nothing, and no ledger entry, when nothing changes."""
    require_office(by)
    row = locked(agreement)
    refuse_status(
        row, {Status.DRAFT}, _("Only a draft can be edited; this agreement is %(status)s.")
    )
    changed, related = _apply(row, fields)
    if not changed and not related:
        return row
    row.updated_at = timezone.now()
    row.save(update_fields=[*changed, "updated_at"])
    for name, ids in related.items():
        getattr(row, name).set(ids)
    record(row, by=by, request=request, before=row.status, changed=changed + sorted(related))
    copy_back(agreement, row, [*changed, "updated_at"])
    return row


@transaction.atomic
def attach_signed_document(
    agreement: Agreement,
    data: bytes,
    filename: str,
    *,
    by: Any,
    request: HttpRequest | None = None,
) -> Document:
    """Store the signed agreement (a PDF, with its SHA-256) on a DRAFT; a second upload
    replaces the first (both stay in the database, and the ledger names both)."""
    require_office(by)
    row = locked(agreement)
    refuse_status(
        row,
        {Status.DRAFT},
        _("The signed document is attached before activation; this agreement is %(status)s."),
    )
    document = documents.store(data, filename, by=by)
    replaced = row.signed_document_id
    row.signed_document, row.updated_at = document, timezone.now()
    row.save(update_fields=["signed_document", "updated_at"])
    record(
        row,
        by=by,
        request=request,
        before=row.status,
        document=document.pk,
        sha256=document.sha256,
        filename=document.filename,
        replaces=replaced,
    )
    copy_back(agreement, row, ["signed_document_id", "updated_at"])
    return document


def _activation_problems(row: Agreement, today: dt.date) -> list[ValidationError]:
    problems = [ValidationError(m.label, code=m.key) for m in missing_fields(row)]
    if row.end_date is not None and row.end_date <= today:
        problems.append(
            ValidationError(
                _("End date: %(end)s has already come; the agreement would end at once.")
                % {"end": row.end_date.isoformat()},
                code="end_date",
            )
        )
    if row.signed_on is not None and row.signed_on > today:
        problems.append(
            ValidationError(_("Signed on: the date is in the future."), code="signed_on")
        )
    origin = row.originating_agreement
    offer_end = origin.exhibit_e_expires if origin is not None else None
    if offer_end is not None and row.signed_on is not None and row.signed_on > offer_end:
        problems.append(
            ValidationError(
                _("Signed on: the provider's offer expired on %(date)s (Exhibit E).")
                % {"date": offer_end.isoformat()},
                code="signed_on",
            )
        )
    return problems


@transaction.atomic
def activate_agreement(
    agreement: Agreement,
    *,
    by: Any,
    request: HttpRequest | None = None,
    today: dt.date | None = None,
) -> Agreement:
    """DRAFT → ACTIVE, or EXPIRING when it ends within `EXPIRING_DAYS` (R71, R80).

    Refused, with one message per missing or invalid term (`code` = the field,
    `steward.vendors.mandatory`), while anything mandatory for its kind is missing, when the
    end date has come or the signature date is in the future; then nothing changes. An
    agreement imported from another district never becomes active here.
    """
    require_office(by)
    today = today or timezone.localdate()
    row = locked(agreement)
    refuse_status(
        row, {Status.DRAFT}, _("Only a draft can be activated; this agreement is %(status)s.")
    )
    if row.external:
        raise ValidationError(
            _("This agreement was signed by another district; adopt its Exhibit E offer."),
            code="external",
        )
    problems = _activation_problems(row, today)
    if problems:
        raise ValidationError(problems)
    assert row.end_date is not None
    before, now = row.status, timezone.now()
    soon = (row.end_date - today).days <= EXPIRING_DAYS
    row.status = Status.EXPIRING if soon else Status.ACTIVE
    row.activated_at, row.updated_at = now, now
    row.save(update_fields=["status", "activated_at", "updated_at"])
    record(row, by=by, request=request, before=before, end_date=row.end_date.isoformat())
    copy_back(agreement, row, ["status", "activated_at", "updated_at"])
    return row


@transaction.atomic
def mark_expiring(
    agreement: Agreement, *, today: dt.date, by: Any = None, request: HttpRequest | None = None
) -> None:
    """ACTIVE → EXPIRING once the end date is `EXPIRING_DAYS` days away or closer."""
    require_office(by)
    row = locked(agreement)
    refuse_status(
        row, {Status.ACTIVE}, _("Only an active agreement can be expiring; this one is %(status)s.")
    )
    assert row.end_date is not None
    if (row.end_date - today).days > EXPIRING_DAYS:
        raise ValidationError(
            _("The agreement ends on %(end)s, more than %(days)d days away.")
            % {"end": row.end_date.isoformat(), "days": EXPIRING_DAYS},
            code="not_expiring",
        )
    before = row.status
    row.status, row.updated_at = Status.EXPIRING, timezone.now()
    row.save(update_fields=["status", "updated_at"])
    record(row, by=by, request=request, before=before, end_date=row.end_date.isoformat())
    copy_back(agreement, row, ["status", "updated_at"])


def _copy(
    source: Agreement, *, terms: Iterable[str], related: Iterable[str], **over: Any
) -> Agreement:
    """A new DRAFT with `source`'s `terms` and `related` rows, and the `over` values."""
    now = timezone.now()
    row = Agreement(vendor_id=source.vendor_id, status=Status.DRAFT, created_at=now, updated_at=now)
    for name in terms:
        value = getattr(source, name)
        setattr(row, name, list(value) if isinstance(value, list) else value)
    for name, value in over.items():
        setattr(row, name, value)
    row.save()
    for name in related:
        getattr(row, name).set(getattr(source, name).all())
    return row


@transaction.atomic
def renew_agreement(
    agreement: Agreement, *, by: Any, request: HttpRequest | None = None
) -> Agreement:
    """A new DRAFT copying every term of an ACTIVE or EXPIRING agreement, linked by
    `renewal_of`, running for the same length from the old end date. It is signed anew (no
    document, date or signatories). Refused when a renewal already exists."""
    require_office(by)
    row = locked(agreement)
    refuse_status(
        row,
        SHARING_STATUSES,
        _("Only an active or expiring agreement can be renewed; this one is %(status)s."),
    )
    existing = row.renewals.first()
    if existing is not None:
        raise ValidationError(
            _("This agreement is already renewed by “%(title)s” (%(status)s).")
            % {"title": existing.title, "status": Status(existing.status).label},
            code="renewed",
        )
    assert row.start_date is not None and row.end_date is not None
    terms = [name for name in TERMS if name not in (*_SIGNATURE, "start_date", "end_date")]
    renewal = _copy(
        row,
        terms=terms,
        related=RELATED,
        renewal_of=row,
        start_date=row.end_date,
        end_date=row.end_date + (row.end_date - row.start_date),
    )
    record(renewal, by=by, request=request, before="", action=Action.CREATE, renewal_of=row.pk)
    return renewal


@transaction.atomic
def adopt_exhibit_e(
    originating: Agreement, *, by: Any, request: HttpRequest | None = None
) -> Agreement:
    """Adopt another district's general offer (Exhibit E, R111): a new DRAFT for this district
    with the originating agreement's terms, from today to its end date, linked by
    `originating_agreement`. It activates only once this district's own signed Exhibit E is
    attached. The offer must stand (offered, not expired) and not be adopted already."""
    require_office(by)
    origin = locked(originating)
    today = timezone.localdate()
    if not origin.external:
        raise ValidationError(
            _("This district signed that agreement itself; renew it instead."), code="own"
        )
    if not origin.exhibit_e_offered:
        raise ValidationError(_("The provider made no general offer (Exhibit E)."), code="offer")
    if origin.exhibit_e_expires is not None and origin.exhibit_e_expires < today:
        raise ValidationError(
            _("The provider's offer expired on %(date)s.")
            % {"date": origin.exhibit_e_expires.isoformat()},
            code="offer_expired",
        )
    taken = origin.adoptions.filter(external=False, status__in=[Status.DRAFT, *SHARING_STATUSES])
    if taken.exists():
        raise ValidationError(_("This offer is already adopted by this district."), code="adopted")
    # The offer is the provider's to other districts, not this district's to make again.
    own = (*_SIGNATURE, "start_date", "exhibit_e_offered", "exhibit_e_expires", "lea_name")
    terms = [name for name in TERMS if name not in own]
    adoption = _copy(
        origin,
        terms=terms,
        related=("products",),
        originating_agreement=origin,
        start_date=today,
    )
    record(adoption, by=by, request=request, before="", action=Action.CREATE, originating=origin.pk)
    return adoption
