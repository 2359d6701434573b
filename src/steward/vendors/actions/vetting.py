"""Vetting writes (design.md §3 rule 2; R74–R76, R127).

Each public function validates, writes its rows and one ledger entry in one transaction, and
raises ValidationError (writing nothing) when refused.

Rules decided here:

- One open vetting per product: `start_vetting` refuses a second; `update_terms` re-reads the
  terms into the open one instead of starting another.
- Starting a vetting never withdraws an approval: an approved app stays usable while it is
  re-vetted (the pages show "re-vetting"), because the yearly review or a wording change is
  not a finding against it. A NOT_APPROVED app goes UNDER_REVIEW again; an EXPIRED app stays
  EXPIRED (its agreement lapsed, and only the agreements part brings it back).
- `decide_vetting` is the only way to approve. It needs every rubric item rated; APPROVED is
  refused when the operator has a commercial purpose or children's consent is by each parent
  (R127: guardian release is mandatory then); no approval while a sale-of-data or advertising
  item "does not meet" (R75). An approval is due for re-vetting `REVETTING_DAYS` later.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from steward.accounts.selectors import signed_in as _user
from steward.audit import ledger
from steward.audit.models import Action
from steward.digest import sha256
from steward.vendors import documents, rubric, terms
from steward.vendors.models import (
    REVETTING_DAYS,
    AppRequest,
    AppRequestStatus,
    AppStatus,
    CoppaConsent,
    Product,
    Rating,
    Vetting,
    VettingAnswer,
    VettingDecision,
    VettingState,
    VettingTrigger,
)

PURPOSE = "vendor vetting (R74-R76, R127)"
# Statuses under which staff may use an app (R73).
APPROVALS = frozenset({AppStatus.APPROVED, AppStatus.APPROVED_WITH_GUARDIAN_RELEASE})
# What a vetting may decide.
DECISIONS = (AppStatus.APPROVED, AppStatus.APPROVED_WITH_GUARDIAN_RELEASE, AppStatus.NOT_APPROVED)


def _record(action: str, by: Any, request: HttpRequest | None, detail: dict[str, Any]) -> None:
    ledger.record(
        action=action,
        **ledger.actor_of(by),
        **ledger.request_context(request),
        purpose=PURPOSE,
        detail=detail,
    )


def terms_sha256(text: str) -> str:
    """SHA-256 of terms text over UTF-8, hex (the text as stored, already normalised)."""
    return sha256(text)


def normalise_terms(text: str) -> str:
    """Terms as stored: browser line endings made plain, outer blank space removed, so that
    saving the same text again is not a change."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def open_vetting_of(product: Product) -> Vetting | None:
    """The product's vetting in progress, if any."""
    return product.vettings.filter(state=VettingState.IN_PROGRESS).first()


def needs_guardian_release(product: Product) -> bool:
    """R127: an operator with a commercial purpose, or consent for children by each parent,
    can at most be APPROVED_WITH_GUARDIAN_RELEASE."""
    return product.commercial_purpose or product.coppa_consent == CoppaConsent.PARENT


def _snapshot_flags(text: str) -> list[dict[str, str | None]]:
    # Stored in the site's language (the record); pages translate by key for the reader.
    with translation.override(settings.LANGUAGE_CODE):
        return [flag.as_dict() for flag in terms.flag_terms(text)]


def open_vetting(product: Product, trigger: str, by: Any, now: dt.datetime) -> Vetting:
    """Start a vetting without a ledger entry: for actions that record it in their own entry.

    The caller holds the product row locked and has checked there is no open vetting. A
    NOT_APPROVED product goes UNDER_REVIEW; every other status stays (see the module)."""
    vetting = Vetting.objects.create(
        product=product,
        trigger=trigger,
        reviewer=_user(by),
        terms_sha256=product.terms_sha256,
        terms_flags=_snapshot_flags(product.terms_text),
        started_at=now,
    )
    if product.status == AppStatus.NOT_APPROVED:
        product.status = AppStatus.UNDER_REVIEW
        product.status_reason = ""
        product.status_changed_at = now
        product.save(update_fields=["status", "status_reason", "status_changed_at"])
    return vetting


def _locked(product: Product) -> Product:
    return Product.objects.select_for_update().get(pk=product.pk)


def _refuse_if_open(product: Product) -> None:
    current = open_vetting_of(product)
    if current is not None:
        raise ValidationError(
            _("%(app)s is already being vetted (since %(date)s); finish that vetting first.")
            % {"app": product.name, "date": timezone.localdate(current.started_at).isoformat()}
        )


@transaction.atomic
def start_vetting(
    product: Product, *, trigger: str, by: Any, request: HttpRequest | None = None
) -> Vetting:
    """Open a vetting of `product` (R74), snapshotting its terms' SHA-256 and R75 flags.

    Refuses an unknown trigger and a product that already has a vetting in progress."""
    if trigger not in VettingTrigger.values:
        raise ValidationError(_("Unknown reason for vetting: %(trigger)s.") % {"trigger": trigger})
    product = _locked(product)
    _refuse_if_open(product)
    status_before = product.status
    vetting = open_vetting(product, trigger, by, timezone.now())
    _record(
        Action.CREATE,
        by,
        request,
        {
            "vetting": vetting.pk,
            "product": product.pk,
            "trigger": trigger,
            "terms_sha256": vetting.terms_sha256,
            "flags": [flag["key"] for flag in vetting.terms_flags],
            "status": {"from": status_before, "to": product.status},
        },
    )
    return vetting


def _check_evidence(rating: str, note: str, url: str, data: bytes | None) -> None:
    if rating not in Rating.values:
        raise ValidationError(
            _("Choose a rating: meets, meets with reservations or does not meet.")
        )
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ValidationError(
                _("The evidence link must be a web address (http or https).")
            ) from None
    if rating != Rating.MEETS and not (note or url or data is not None):
        raise ValidationError(
            _(
                "Give evidence (a note, a link or a document) for a rating of 'meets with "
                "reservations' or 'does not meet'."
            )
        )


def _locked_in_progress(vetting: Vetting) -> Vetting:
    vetting = Vetting.objects.select_for_update().select_related("product").get(pk=vetting.pk)
    if vetting.state != VettingState.IN_PROGRESS:
        raise ValidationError(
            _("This vetting is already decided; start a new one to review again.")
        )
    return vetting


@transaction.atomic
def rate_item(
    vetting: Vetting,
    item: str,
    *,
    rating: str,
    evidence_note: str = "",
    evidence_url: str = "",
    evidence_data: bytes | None = None,
    evidence_filename: str = "",
    by: Any,
    request: HttpRequest | None = None,
) -> VettingAnswer:
    """Rate one rubric item of a vetting in progress, with evidence (R74).

    Evidence (a note, a link or a PDF) is required for "meets with reservations" and "does not
    meet". A re-rating is a new row; the latest counts. Refuses an unknown item or rating, a
    decided vetting, a link that is not http(s) and a document `documents.check` rejects."""
    vetting = _locked_in_progress(vetting)
    if item not in rubric.ITEMS:
        raise ValidationError(_("Unknown rubric item: %(item)s.") % {"item": item})
    note, url = evidence_note.strip(), evidence_url.strip()
    _check_evidence(rating, note, url, evidence_data)
    document = None
    if evidence_data is not None:
        document = documents.store(evidence_data, evidence_filename or "evidence.pdf", by=by)
    answer = VettingAnswer.objects.create(
        vetting=vetting,
        item=item,
        rating=rating,
        evidence_note=note,
        evidence_url=url,
        evidence_document=document,
        rated_by=_user(by),
        rated_at=timezone.now(),
    )
    _record(
        Action.CREATE,
        by,
        request,
        {
            "vetting": vetting.pk,
            "product": vetting.product_id,
            "item": item,
            "rating": rating,
            "evidence": {
                "note": bool(note),
                "url": url,
                "document_sha256": document.sha256 if document else "",
            },
        },
    )
    return answer


def latest_answers(vetting: Vetting) -> dict[str, VettingAnswer]:
    """The latest rating of each rated item, with its document (not its bytes) and rater,
    in one query."""
    latest: dict[str, VettingAnswer] = {}
    for answer in vetting.answers.select_related("evidence_document", "rated_by").defer(
        "evidence_document__content"
    ):
        latest.setdefault(answer.item, answer)  # ordered newest first within each item
    return latest


def _item_names(keys: list[str]) -> str:
    return "; ".join(
        f"{rubric.AREA_OF[key].title}: {rubric.ITEMS[key].question}"
        for key in keys
        if key in rubric.ITEMS
    )


def _check_decision(vetting: Vetting, status: str, reasons: str) -> None:
    if status not in DECISIONS:
        raise ValidationError(
            _("A vetting decides: approved, approved with guardian release, or not approved.")
        )
    if not reasons:
        raise ValidationError(_("Give the reasons for the decision."))
    latest = latest_answers(vetting)
    missing = [key for key in rubric.ITEMS if key not in latest]
    if missing:
        raise ValidationError(
            _("Rate every item before deciding. Not rated yet: %(items)s")
            % {"items": _item_names(missing)}
        )
    if status == AppStatus.APPROVED and needs_guardian_release(vetting.product):
        raise ValidationError(
            _(
                "This app can only be approved with guardian release: the operator has a "
                "commercial purpose beyond the school's use, or each parent consents for "
                "children under 13 (R127)."
            )
        )
    failing = [
        key for key in sorted(rubric.BLOCKING_ITEMS) if latest[key].rating == Rating.DOES_NOT_MEET
    ]
    if status in APPROVALS and failing:
        raise ValidationError(
            _(
                "An app that does not meet the sale-of-data or advertising items cannot be "
                "approved (R75): %(items)s"
            )
            % {"items": _item_names(failing)}
        )


@transaction.atomic
def decide_vetting(
    vetting: Vetting,
    *,
    status: str,
    reasons: str,
    by: Any,
    request: HttpRequest | None = None,
) -> VettingDecision:
    """Decide a vetting (R74, R127): the app's registry status, with reasons.

    Sets the product's status and reason, `last_vetted_at`, and `revetting_due`
    (`REVETTING_DAYS` after an approval; none otherwise), and answers the staff requests
    waiting on this app (approved or declined, with the reasons). Refusals: see the module."""
    vetting = _locked_in_progress(vetting)
    product = _locked(vetting.product)
    vetting.product = product
    reasons = reasons.strip()
    _check_decision(vetting, status, reasons)
    now = timezone.now()
    decision = VettingDecision.objects.create(
        vetting=vetting, status=status, reasons=reasons, decided_by=_user(by), decided_at=now
    )
    vetting.state = VettingState.DECIDED
    vetting.save(update_fields=["state"])
    status_before = product.status
    product.status = status
    product.status_reason = reasons
    product.status_changed_at = now
    product.last_vetted_at = now
    product.revetting_due = (
        timezone.localdate(now) + dt.timedelta(days=REVETTING_DAYS) if status in APPROVALS else None
    )
    product.save(
        update_fields=[
            "status",
            "status_reason",
            "status_changed_at",
            "last_vetted_at",
            "revetting_due",
        ]
    )
    waiting = AppRequest.objects.filter(
        product=product, status__in=[AppRequestStatus.OPEN, AppRequestStatus.IN_REVIEW]
    )
    answered = sorted(waiting.values_list("pk", flat=True))
    waiting.update(
        status=AppRequestStatus.APPROVED if status in APPROVALS else AppRequestStatus.DECLINED,
        decision_reason=reasons,
        decided_by=_user(by),
        decided_at=now,
    )
    _record(
        Action.CHANGE,
        by,
        request,
        {
            "vetting": vetting.pk,
            "product": product.pk,
            "decision": status,
            "status": {"from": status_before, "to": status},
            "revetting_due": product.revetting_due.isoformat() if product.revetting_due else "",
            "requests_answered": answered,
        },
    )
    return decision


@transaction.atomic
def update_terms(
    product: Product, text: str, *, by: Any, request: HttpRequest | None = None
) -> Vetting | None:
    """Store new terms of service / privacy policy text for `product` (R75, R74 re-vetting).

    Unchanged text (after `normalise_terms`) writes nothing and returns None. Changed text is
    stored with its SHA-256 and time, and reviewed: the open vetting, if any, re-reads the
    terms (their SHA-256 and R75 flags); otherwise a vetting starts (TERMS_CHANGED, or INITIAL
    for a product never vetted). An approved app keeps its status meanwhile (see the module).
    Returns the vetting that reviews the new text. Refuses blank text."""
    text = normalise_terms(text)
    if not text:
        raise ValidationError(_("Paste the text of the terms of service or privacy policy."))
    product = _locked(product)
    digest = terms_sha256(text)
    if digest == product.terms_sha256:
        return None
    previous = product.terms_sha256
    now = timezone.now()
    product.terms_text, product.terms_sha256, product.terms_updated_at = text, digest, now
    product.save(update_fields=["terms_text", "terms_sha256", "terms_updated_at"])
    vetting = open_vetting_of(product)
    started = vetting is None
    if vetting is None:
        trigger = (
            VettingTrigger.TERMS_CHANGED if product.vettings.exists() else VettingTrigger.INITIAL
        )
        vetting = open_vetting(product, trigger, by, now)
    else:
        vetting.terms_sha256 = digest
        vetting.terms_flags = _snapshot_flags(text)
        vetting.save(update_fields=["terms_sha256", "terms_flags"])
    _record(
        Action.CHANGE,
        by,
        request,
        {
            "product": product.pk,
            "terms_sha256": {"from": previous, "to": digest},
            "vetting": vetting.pk,
            "vetting_started": started,
            "flags": [flag["key"] for flag in vetting.terms_flags],
        },
    )
    return vetting


@transaction.atomic
def start_due_revettings(
    today: dt.date, *, by: Any = None, request: HttpRequest | None = None
) -> list[Vetting]:
    """Start the yearly re-vetting (trigger ANNUAL) of every approved app whose
    `revetting_due` is on or before `today` and that has no vetting in progress (R74).

    Idempotent: a second run the same day starts nothing. One ledger entry per vetting."""
    open_vettings = Vetting.objects.filter(product=OuterRef("pk"), state=VettingState.IN_PROGRESS)
    due = (
        Product.objects.select_for_update()
        .filter(revetting_due__lte=today, status__in=APPROVALS)
        .filter(~Exists(open_vettings))
        .order_by("pk")
    )
    now = timezone.now()
    actor = ledger.actor_of(by) if _user(by) else {"actor_name": "steward (yearly re-vetting)"}
    context = ledger.request_context(request)
    started: list[Vetting] = []
    events: list[ledger.Event] = []
    for product in due:
        vetting = open_vetting(product, VettingTrigger.ANNUAL, by, now)
        started.append(vetting)
        events.append(
            ledger.Event(
                action=Action.CREATE,
                **actor,
                **context,
                purpose=PURPOSE,
                detail={
                    "vetting": vetting.pk,
                    "product": product.pk,
                    "trigger": VettingTrigger.ANNUAL.value,
                    "revetting_due": product.revetting_due.isoformat()
                    if product.revetting_due
                    else "",
                },
                at=now,
            )
        )
    ledger.record_many(events)
    return started
