"""Research extracts for study agreements (R79, R91): prepare, deliver, discard.

- `prepare_extract` anonymizes the students the agreement covers (`steward.reports.extracts`)
  and stores the file and the key from each random surrogate id to its student (DRAFT). Its
  ledger entry is a CREATE naming no student: nothing has left the district.
- `deliver_extract` is the disclosure: a RELEASE entry under the agreement, basis A6, with
  the students whose rows the file holds (one bulk set), the record parts and Exhibit B
  elements it carries, and the FERPA/Massachusetts release fields (R56–R58). The agreement
  must still allow sharing at that moment.
- `discard_extract` sets a draft aside; its file and key table are deleted (the key holds
  student ids and the file was never sent), its counts and digest kept.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.accounts.selectors import signed_in as _user
from steward.audit import ledger
from steward.audit.models import Action
from steward.audit.queries import position_label
from steward.reports import extracts
from steward.reports.models import ExtractKey, ExtractStatus, ResearchExtract
from steward.sharing.disclosure import parts_of
from steward.vendors.models import Agreement

PREPARE_PURPOSE = "research extract prepared: de-identified, not yet delivered (R91)"
DISCARD_PURPOSE = "research extract discarded before delivery"
DELIVERY_INTEREST = "de-identified student-level data for a study under 99.31(a)(6) (R79, R91)"


def prepare_extract(
    agreement: Agreement,
    title: str,
    spec: extracts.ExtractSpec,
    *,
    user: Any,
    request: HttpRequest | None = None,
) -> ResearchExtract:
    """Anonymize and store an extract for `agreement` (see the module docstring)."""
    title = title.strip()
    if not title:
        raise ValidationError(_("Name the extract."), code="title")
    prepared = extracts.prepare(agreement, spec)
    content = prepared.csv_text.encode()
    with transaction.atomic():
        extract = ResearchExtract.objects.create(
            agreement=agreement,
            title=title[:200],
            spec=spec.as_dict(),
            result=prepared.result | {"elements": [list(pair) for pair in prepared.elements]},
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            prepared_at=timezone.now(),
            prepared_by=_user(user),
        )
        ExtractKey.objects.bulk_create(
            [
                ExtractKey(extract=extract, surrogate=surrogate, student_id=student)
                for surrogate, student in prepared.keys.items()
            ],
            batch_size=2_000,
        )
        ledger.record(
            action=Action.CREATE,
            **ledger.actor_of(user),
            **ledger.request_context(request),
            scopes=parts_of(prepared.elements),
            purpose=PREPARE_PURPOSE,
            agreement_id=str(agreement.pk),
            detail={"extract": extract.pk, **extract.result, "sha256": extract.sha256},
        )
    return extract


def deliver_extract(
    extract: ResearchExtract, *, user: Any, request: HttpRequest | None = None
) -> ResearchExtract:
    """Record the delivery of a prepared extract to the study's organization: the disclosure
    entry in the ledger, in the same transaction as the status change."""
    with transaction.atomic():
        current = (
            ResearchExtract.objects.select_for_update()
            .select_related("agreement__vendor")
            .get(pk=extract.pk)
        )
        if current.status != ExtractStatus.DRAFT:
            raise ValidationError(_("Only a prepared extract can be delivered."), code="status")
        agreement = current.agreement
        extracts.check_agreement(agreement)
        students = list(
            ExtractKey.objects.filter(extract=current).values_list("student_id", flat=True)
        )
        if not students:
            raise ValidationError(_("The extract holds no rows."), code="empty")
        elements = [tuple(pair) for pair in current.result.get("elements", [])]
        actor = ledger.actor_of(user)
        vendor = agreement.vendor
        entry = ledger.record(
            action=Action.RELEASE,
            **actor,
            **ledger.request_context(request),
            students=students,
            scopes=parts_of(elements),
            purpose=(agreement.purpose or agreement.title)[:1000],
            legitimate_interest=DELIVERY_INTEREST,
            basis=agreement.ferpa_basis,
            agreement_id=str(agreement.pk),
            release=ledger.Release(
                releaser_name=str(actor["actor_name"]),
                releaser_position=position_label(str(actor["actor_role"])),
                releaser_signature=f"user:{actor['actor_user_id']}",
                recipient_name=agreement.representative or vendor.name,
                recipient_position=f"study under “{agreement.title}”"[:255],
                recipient_affiliation=vendor.name,
            ),
            detail={
                "channel": "research_extract",
                "extract": current.pk,
                "title": current.title,
                "vendor_id": vendor.pk,
                "vendor": vendor.name,
                "agreement": agreement.title,
                "ma_basis": agreement.ma_basis,
                "elements": [list(pair) for pair in elements],
                "de_identified": True,
                "surrogate_ids": "random, keyed by the district (R91)",
                "k": current.spec.get("k"),
                "l": current.spec.get("l"),
                "rows": current.result.get("rows"),
                "suppressed": current.result.get("suppressed"),
                "sha256": current.sha256,
            },
        )
        current.status = ExtractStatus.DELIVERED
        current.delivered_at = timezone.now()
        current.delivered_by = _user(user)
        current.delivery_entry = entry.seq
        current.save(update_fields=["status", "delivered_at", "delivered_by", "delivery_entry"])
    return current


def discard_extract(
    extract: ResearchExtract, *, user: Any, request: HttpRequest | None = None
) -> ResearchExtract:
    with transaction.atomic():
        current = ResearchExtract.objects.select_for_update().get(pk=extract.pk)
        if current.status != ExtractStatus.DRAFT:
            raise ValidationError(_("Only a prepared extract can be discarded."), code="status")
        ExtractKey.objects.filter(extract=current).delete()
        current.status = ExtractStatus.DISCARDED
        current.discarded_at = timezone.now()
        current.content = b""  # never sent: nothing to keep but its digest
        current.save(update_fields=["status", "discarded_at", "content"])
        ledger.record(
            action=Action.CHANGE,
            **ledger.actor_of(user),
            **ledger.request_context(request),
            purpose=DISCARD_PURPOSE,
            agreement_id=str(current.agreement_id),
            detail={"extract": current.pk},
        )
    return current
