"""Disclosures in the ledger: one RELEASE entry per export or API response (R55–R58, R63–R65).

`record_disclosure` writes, inside the caller's transaction, the entry that FERPA 99.32 and
603 CMR 23.07(1) ask for: the recipient (vendor name and affiliation), the agreement, the
FERPA basis code and the Massachusetts basis, the purpose and legitimate interest, the record
parts and Exhibit B elements sent, the students concerned (the ledger stores a bulk set once,
content-addressed), and the release fields (who released: name, position, signature; who
received: name, position, affiliation). Families see it in the portal (`steward.audit.family`),
the privacy office through `steward.sharing.queries`.

The releaser is the signed-in person who ran the export; an automated release (the REST API,
a scheduled export) is made under the agreement's standing authorization, signed by the
district's signatory named on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from steward.audit import ledger
from steward.audit.models import Action, Entry
from steward.audit.queries import position_label
from steward.catalog.elements import ELEMENTS
from steward.sharing import notice
from steward.sharing.columns import TEACHER_NAMES, Pair
from steward.sharing.engine import Plan
from steward.vendors.models import Agreement

CHANNELS = ("export", "api")
PURPOSE_PREFIX = "disclosure to a vendor under a data sharing agreement"

# Exhibit B pair -> the record parts (catalog scope keys) it belongs to.
_PARTS: dict[Pair, set[str]] = {}
for _element in ELEMENTS:
    _PARTS.setdefault(_element.exhibit_b, set()).add(_element.scope)
_PARTS.setdefault(TEACHER_NAMES, set()).add("enrollment_schedule")


def parts_of(elements: Iterable[Pair]) -> list[str]:
    """The record parts (catalog scope keys) the Exhibit B `elements` belong to."""
    return sorted(set().union(*(_PARTS.get(tuple(pair), set()) for pair in elements)))  # type: ignore[arg-type]


def record_disclosure(
    plan: Plan,
    *,
    channel: str,
    student_ids: Iterable[int],
    elements: Iterable[tuple[str, str]],
    by: Any = None,
    request: HttpRequest | None = None,
    detail: Mapping[str, Any] | None = None,
) -> Entry:
    """Write the disclosure entry for data sent under `plan`; returns the entry.

    Must run inside the transaction that commits the release (an `Export` row, an API
    response's own bookkeeping): a failure after it rolls both back. Raises ValueError, which
    the caller must let abort the release, for an unknown channel, or students or elements
    outside the plan: recording them would mean they were sent. An export must carry the
    redisclosure notice (R69): `detail["redisclosure_notice_sha256"]`.
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown disclosure channel {channel!r}")
    students = sorted({int(s) for s in student_ids})
    outside = [s for s in students if s not in plan.student_ids]
    if outside:
        raise ValueError(f"{len(outside)} student(s) outside the plan, e.g. {outside[:3]}")
    pairs = sorted({(str(c), str(e)) for c, e in elements})
    extra = [pair for pair in pairs if pair not in plan.elements]
    if extra:
        raise ValueError(f"elements outside the plan: {extra}")
    extra_detail = dict(detail or {})
    if channel == "export" and not extra_detail.get("redisclosure_notice_sha256"):
        raise ValueError("an export must carry the redisclosure notice (R69)")
    if not transaction.get_connection().in_atomic_block:
        raise ValueError("record_disclosure must run inside the release's transaction")

    agreement = Agreement.objects.select_related("vendor").get(pk=plan.agreement_id)
    vendor = agreement.vendor
    actor = ledger.actor_of(by)
    if actor["actor_user_id"] is None:
        actor = {"actor_user_id": None, "actor_name": "Steward", "actor_role": "system"}
    release = _release(agreement, actor)
    return ledger.record(
        action=Action.RELEASE,
        **actor,
        **ledger.request_context(request),
        students=students,
        scopes=parts_of(pairs),
        purpose=(agreement.purpose or agreement.title)[:1000],
        legitimate_interest=(agreement.services or "")[:1000],
        basis=agreement.ferpa_basis,
        agreement_id=str(agreement.pk),
        release=release,
        detail={
            "channel": channel,
            "vendor_id": vendor.pk,
            "vendor": vendor.name,
            "agreement": agreement.title,
            "ma_basis": agreement.ma_basis,
            "elements": [list(pair) for pair in pairs],
            "plan_at": plan.at.isoformat(),
            "version": plan.version,
            "pseudonymous": plan.pseudonymous,
            "notice_exempt": agreement.ferpa_basis in notice.EXEMPT_BASES,
            **extra_detail,
        },
    )


def _release(agreement: Agreement, actor: Mapping[str, Any]) -> ledger.Release:
    vendor = agreement.vendor
    if actor["actor_user_id"] is not None:
        releaser = (
            str(actor["actor_name"]),
            position_label(str(actor["actor_role"])),
            f"user:{actor['actor_user_id']}",
        )
    else:
        releaser = (
            agreement.district_signatory or "Steward",
            "district signatory of the agreement (standing authorization)",
            f"agreement:{agreement.pk}",
        )
    return ledger.Release(
        releaser_name=releaser[0],
        releaser_position=releaser[1],
        releaser_signature=releaser[2],
        recipient_name=vendor.name,
        recipient_position=f"operator under “{agreement.title}”"[:255],
        recipient_affiliation=vendor.name,
    )
