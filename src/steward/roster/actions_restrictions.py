"""Writes for guardian restriction documents (R17, R116; design.md §3 rule 2).

`do_upload_restriction_document` stores a document and, in the same transaction, restricts the
guardian link it documents: from the commit on, the guardian no longer reaches the child in the
family portal, the record pages, rights requests or vendor feeds (they all read
`access_restricted`), and every worker's access index rebuilds (the link's save bumps the
roster stamp, `steward.roster.signals`). `do_withdraw_restriction_document` withdraws one and,
only when asked and no other document remains in force, lifts the restriction.
`do_record_restriction_read` logs each time the privacy office opens a document.

Every write names the student and the guardian in the ledger, never the document's contents:
no note, no file name, no reason (the family sees CREATE and CHANGE entries about their child,
R66). A refused call raises ValidationError (PermissionDenied for anyone but the privacy office)
and leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.accounts.selectors import is_privacy_office
from steward.audit.ledger import actor_of, record, request_context
from steward.audit.models import Action
from steward.roster.models import GuardianRelationship
from steward.roster.models_restrictions import NOTE_MAX, REASON_MAX, RestrictionDocument
from steward.security import uploads

SCOPES = ("guardian_contact",)
BASIS = "603 CMR 23.07(5)(a); M.G.L. c.71 §34H (R17)"
# Ledger wording: shown to the family in the child's log (CREATE and CHANGE entries, R66), so it
# says what happened to the record and never which document or why.
FILED = "a legal document restricting a parent's access to the record was filed"
RESTRICTED = "a parent's access to the record was restricted under a documented legal order"
WITHDRAWN = "a legal document restricting a parent's access was withdrawn"
RESTORED = "a parent's access to the record was restored"
READ = "privacy office reviewing a restriction document"
REVIEW = "privacy office reviewing restrictions of parents' access"
INTEREST = "records custodian deciding a parent's access to the record (603 CMR 23.07(5))"


@dataclass(frozen=True)
class Particulars:
    """What the privacy office states about a document, as typed into the upload form."""

    kind: str
    issued_on: dt.date
    issuer: str
    effective_on: dt.date | None = None
    expires_on: dt.date | None = None
    note: str = ""


def _require_office(by: Any) -> None:
    if not is_privacy_office(by):
        raise PermissionDenied("only the privacy office files or withdraws restriction documents")


def _check(facts: Particulars, today: dt.date) -> None:
    """ValidationError (by field) unless the particulars make sense; see the upload form."""
    errors: dict[str, str] = {}
    if facts.kind not in RestrictionDocument.Kind.values:
        errors["kind"] = _("Choose the kind of document.")
    if facts.issued_on > today:
        errors["issued_on"] = _("A document cannot be issued in the future.")
    if not facts.issuer.strip():
        errors["issuer"] = _("Name the court or authority that issued the document.")
    if len(facts.issuer) > 255:
        errors["issuer"] = _("At most 255 characters.")
    if len(facts.note) > NOTE_MAX:
        errors["note"] = _("At most %(n)d characters.") % {"n": NOTE_MAX}
    starts = max(facts.issued_on, facts.effective_on or facts.issued_on)
    if facts.expires_on is not None and facts.expires_on < starts:
        errors["expires_on"] = _("The expiry date comes before the document takes effect.")
    if errors:
        raise ValidationError(errors)


def _event(link: GuardianRelationship, document: RestrictionDocument, name: str) -> dict[str, Any]:
    return {
        "event": name,
        "document": document.pk,
        "relationship": link.pk,
        "guardian": link.guardian_id,
    }


def _log(
    action: str,
    purpose: str,
    link: GuardianRelationship,
    detail: dict[str, Any],
    by: Any,
    request: HttpRequest | None,
) -> None:
    record(
        action=action,
        **actor_of(by),
        **request_context(request),
        students=[link.student_id],
        scopes=SCOPES,
        purpose=purpose,
        legitimate_interest=INTEREST,
        detail=detail | {"authority": BASIS},
    )


def _set_restricted(link: GuardianRelationship, restricted: bool) -> None:
    # `save` (not a queryset update) so that the roster stamp is bumped in this transaction
    # and every process rebuilds its access index before its next decision.
    link.access_restricted = restricted
    link.save(update_fields=["access_restricted"])


@transaction.atomic
def do_upload_restriction_document(
    link: GuardianRelationship,
    facts: Particulars,
    data: bytes,
    filename: str,
    *,
    by: Any,
    request: HttpRequest | None = None,
) -> RestrictionDocument:
    """Store `data` (a PDF within the district's limit, checked again here) as a document of
    `link`, encrypted, and restrict the link if it is not restricted yet; one CREATE entry,
    and one CHANGE entry when the restriction is new. Returns the stored document."""
    _require_office(by)
    uploads.check_pdf(data, filename)
    now = timezone.now()
    _check(facts, timezone.localdate(now))
    row = GuardianRelationship.objects.select_for_update().get(pk=link.pk)
    document = RestrictionDocument.objects.create(
        link=row,
        kind=facts.kind,
        issued_on=facts.issued_on,
        effective_on=facts.effective_on,
        expires_on=facts.expires_on,
        issuer=facts.issuer.strip(),
        note=facts.note.strip(),
        filename=(filename.replace("\\", "/").rsplit("/", 1)[-1] or "document.pdf")[:255],
        content=data,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=by,
        uploaded_at=now,
    )
    newly = not row.access_restricted
    detail = _event(row, document, "restriction_document_filed")
    _log(Action.CREATE, FILED, row, detail | {"sha256": document.sha256}, by, request)
    if newly:
        _set_restricted(row, True)
        _log(
            Action.CHANGE, RESTRICTED, row, _event(row, document, "access_restricted"), by, request
        )
    link.access_restricted = row.access_restricted
    return document


@transaction.atomic
def do_withdraw_restriction_document(
    document: RestrictionDocument,
    reason: str,
    *,
    lift: bool = False,
    by: Any,
    request: HttpRequest | None = None,
) -> RestrictionDocument:
    """Mark `document` withdrawn with `reason` (required; kept encrypted). With `lift`, also
    give the guardian their access back, which is refused while another document of the same
    link is still on file and not withdrawn. The restriction is never lifted silently: an order
    that ends still leaves the link restricted until the office lifts it or the student
    information system no longer sends it."""
    _require_office(by)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the document is withdrawn.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": REASON_MAX}})
    # The link first, then the document: the order uploads take too, so no two writers wait
    # for each other, and no upload can slip a new document in between the check and the lift.
    link = GuardianRelationship.objects.select_for_update().get(pk=document.link_id)
    row = RestrictionDocument.objects.select_for_update().defer("content").get(pk=document.pk)
    if row.withdrawn_at is not None:
        raise ValidationError(_("This document was already withdrawn."), code="withdrawn")
    others = link.restriction_documents.filter(withdrawn_at__isnull=True).exclude(pk=row.pk)
    if lift and others.exists():
        raise ValidationError(
            {
                "lift": _(
                    "Another document restricting this parent is still on file: withdraw it "
                    "too before giving access back."
                )
            }
        )
    row.withdrawn_at, row.withdrawn_by, row.withdrawn_reason = timezone.now(), by, reason
    row.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    _log(
        Action.CHANGE,
        WITHDRAWN,
        link,
        _event(link, row, "restriction_document_withdrawn") | {"lifted": lift},
        by,
        request,
    )
    if lift and link.access_restricted:
        _set_restricted(link, False)
        _log(Action.CHANGE, RESTORED, link, _event(link, row, "access_restored"), by, request)
    document.withdrawn_at, document.withdrawn_by = row.withdrawn_at, row.withdrawn_by
    document.withdrawn_reason = row.withdrawn_reason
    return row


@transaction.atomic
def do_record_restriction_read(
    document: RestrictionDocument, *, by: Any, request: HttpRequest | None = None
) -> None:
    """The READ entry for one opening of a document by the privacy office (R56, R63)."""
    _require_office(by)
    link = document.link
    _log(Action.READ, READ, link, _event(link, document, "restriction_document_read"), by, request)


@transaction.atomic
def do_record_restriction_review(
    student_ids: list[int],
    page: str,
    *,
    by: Any,
    request: HttpRequest | None = None,
) -> None:
    """The READ entry for a restriction page showing the privacy office which parents of
    `student_ids` are restricted (their names and the documents' particulars); none when the
    page names no student."""
    _require_office(by)
    if not student_ids:
        return
    record(
        action=Action.READ,
        **actor_of(by),
        **request_context(request),
        students=sorted(set(student_ids)),
        scopes=("directory", *SCOPES),
        purpose=REVIEW,
        legitimate_interest=INTEREST,
        detail={"event": "restrictions_reviewed", "page": page, "authority": BASIS},
    )
