"""Matrix rows: the privacy office's pages (the records custodian, R61(2)): the audit log,
access and break-glass review, training, requests, amendments and hearings, parents restricted
by a court order. Retention, reports and sharing are in `url_matrix_office_data`.

`privacy_office_only`: a privacy officer or a superuser; anonymous → the sign-in page, every
other role → 403 (these pages say nothing about one student to anyone else). The office may
open every row, so its wrong object is an unknown one, or a row in a state the page refuses
(a draft release has no CSV yet, another district's agreement is never shared from here).
The current hearing officer of a case (Paula the principal for Ana's, Carl the counselor for
Eli's, which Paula had before) may also record its decision, and only for that case (R35,
R36).
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from .url_matrix_spec import OFFICE, Args, Spec, office_pk, to
from .url_matrix_world import MISSING, World
from .url_matrix_world_family import PDF


def _case(*extra: str) -> Args:
    """Ana's amendment case (with its item, letter or schedule); an unknown case is wrong."""

    def build(w: World, role: str, right: bool) -> dict[str, Any]:
        case = w.amend["ana"]
        out: dict[str, Any] = {"request_id": case.request.pk if right else MISSING}
        if "item_id" in extra:
            out["item_id"] = case.item.pk
        if "letter_id" in extra:
            out["letter_id"] = case.letter.pk
        if "schedule_id" in extra:
            out["schedule_id"] = w.schedule.pk
        return out

    return build


def _hearing(w: World, role: str, right: bool) -> dict[str, Any]:
    # Paula hears Ana's case; Eli's was hers until it moved to Carl, who hears it now. Each
    # gets 403 on the other's case: only the current hearing officer decides (R36).
    if role in HEARING_OFFICERS:
        own, other = HEARING_OFFICERS[role]
        return {"request_id": w.amend[own if right else other].request.pk}
    return {"request_id": w.amend["ana"].request.pk if right else MISSING}


HEARING_OFFICERS = {"principal": ("ana", "eli"), "counselor": ("eli", "ana")}


def _request(*extra: str, action: str = "start") -> Args:
    """Ana's access request (Nick's, for the R18 notice); an unknown request is wrong."""

    def build(w: World, role: str, right: bool) -> dict[str, Any]:
        req = w.nick_request if "notice_id" in extra else w.access["ana"]
        out: dict[str, Any] = {"pk": req.pk if right else MISSING}
        if "fmt" in extra:
            out["fmt"] = "pdf"
        if "action" in extra:
            out["action"] = action
        if "notice_id" in extra:
            out["notice_id"] = w.custodial_notice.pk
        return out

    return build


def _restriction_link(w: World, role: str, kwargs: dict[str, Any]) -> str:
    return reverse("roster-restriction-link", kwargs={"pk": w.restricted_link.pk})


def _order(w: World, role: str) -> dict[str, Any]:
    return {
        "kind": "court_order",
        "issuer": "Hampden Probate and Family Court",
        "issued_on": "2026-01-05",
        "document": SimpleUploadedFile("order.pdf", PDF, content_type="application/pdf"),
    }


def _documents(w: World, role: str) -> tuple[str, str]:
    # On file by default; a withdrawn document only when asked for.
    return f'id="document-{w.restriction.pk}"', f'id="document-{w.withdrawn_restriction.pk}"'


SPECS = [
    # --- the audit log (R56, R61, R63) ------------------------------------------------------
    Spec("officer-audit", OFFICE),
    Spec("officer-audit-csv", OFFICE),
    # --- access: who can see a student, the policy, break-glass review (R38–R44, R82, R83) --
    Spec("officer-access-lookup", OFFICE),
    Spec("officer-who-can-see", OFFICE, args=office_pk("ana"), wrong=404),
    Spec("officer-access-policy", OFFICE),
    Spec("officer-break-glass", OFFICE),
    Spec("officer-break-glass-review", OFFICE, args=office_pk("grant"), wrong=404),
    # --- training and custodians (R44, R138) ------------------------------------------------
    Spec("stewardship-officer-training", OFFICE),
    Spec("stewardship-officer-training-csv", OFFICE),
    Spec("stewardship-officer-custodians", OFFICE),
    # --- access requests (R24–R33, R18) -----------------------------------------------------
    Spec("requests-queue", OFFICE),
    Spec("requests-enter", OFFICE),
    Spec("requests-deadlines", OFFICE),
    Spec("requests-detail", OFFICE, args=_request(), wrong=404),
    Spec("requests-preview", OFFICE, args=_request(), wrong=404),
    Spec("requests-download", OFFICE, args=_request("fmt"), wrong=404),
    # "start" on a fulfilled request is refused with a message, back to the request.
    Spec(
        "requests-act",
        OFFICE,
        post=True,
        args=_request("action"),
        ok=302,
        goes_to=to("requests-detail", "pk"),
        wrong=404,
    ),
    Spec("requests-notice-letter", OFFICE, args=_request("notice_id"), wrong=404),
    Spec(
        "requests-notice-mailed",
        OFFICE,
        post=True,
        args=_request("notice_id"),
        ok=302,
        goes_to=lambda w, role, kw: to("requests-detail", "pk")(w, role, kw),
        wrong=404,
    ),
    # --- amendments and hearings (R34–R37) ----------------------------------------------------
    Spec("amendments-office-queue", OFFICE),
    Spec("amendments-office-case", OFFICE, args=_case(), wrong=404),
    # An item already decided: the form comes back with its errors (400).
    Spec("amendments-office-decide", OFFICE, post=True, args=_case("item_id"), ok=400, wrong=404),
    Spec("amendments-office-schedule", OFFICE, args=_case(), wrong=404),
    Spec(
        "amendments-office-hearing-decision",
        OFFICE | set(HEARING_OFFICERS),
        args=_hearing,
        wrong=404,
        wrong_for=dict.fromkeys(HEARING_OFFICERS, 403),
    ),
    Spec("amendments-office-letter", OFFICE, args=_case("letter_id"), wrong=404),
    Spec("amendments-office-attestation", OFFICE, args=_case("schedule_id"), wrong=404),
    # --- parents restricted by a court order (R17): the documents are encrypted (R116) -------
    Spec("roster-restrictions", OFFICE, lists=_documents),
    Spec("roster-restriction-link", OFFICE, args=office_pk("restricted_link"), wrong=404),
    Spec(
        "roster-restriction-upload",
        OFFICE,
        post=True,
        args=office_pk("restricted_link"),
        data=_order,
        ok=302,
        goes_to=_restriction_link,
        wrong=404,
    ),
    Spec(
        "roster-restriction-withdraw",
        OFFICE,
        post=True,
        args=office_pk("restriction"),
        data=lambda w, role: {"reason": "The court vacated the order."},
        ok=302,
        goes_to=_restriction_link,
        wrong=404,
    ),
    Spec("roster-restriction-document", OFFICE, args=office_pk("restriction"), wrong=404),
]
