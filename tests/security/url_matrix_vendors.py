"""Matrix rows: vendors and agreements (R71–R81, R107–R114): the privacy office's registry,
vetting, app requests and agreements, and the vendor contact's own pages.

The office's pages are `privacy_office_only` (403 to every other role). A vendor contact's
pages (`vendor_contact_only`) answer 403 to everyone else, and 404 for another vendor's
agreement (Pat, Acme's contact, never learns whether Beta's exists, R117) and for Acme's own
while it is an unsigned draft.
"""

from __future__ import annotations

from typing import Any

from .url_matrix_spec import OFFICE, Args, Spec, office_pk, to
from .url_matrix_world import MISSING, World

VENDOR = frozenset({"vendor"})


def _theirs(attr: str) -> Args:
    """Acme's agreement `attr` for its contact; Beta's is the wrong one."""

    def build(w: World, role: str, right: bool) -> dict[str, Any]:
        return {"pk": (getattr(w, attr) if right else w.beta_agreement).pk}

    return build


def _draft(w: World, role: str, right: bool) -> dict[str, Any]:
    """Acme's own agreement, still a draft: not signed, so not the contact's to see."""
    return {"pk": w.draft.pk}


def vendor(key: str, attr: str | None = None, **over: Any) -> Spec:
    """A vendor contact's page; with `attr`, about that agreement of Acme's (Beta's, and
    Acme's unsigned draft, are the wrong ones)."""
    if attr is not None:
        over = {"args": _theirs(attr), "wrong": 404, "also_wrong": _draft} | over
    return Spec(key, VENDOR, **over)


def _evidence(w: World, role: str, right: bool) -> dict[str, Any]:
    return {"pk": w.vetting.pk, "answer": w.evidence.pk if right else MISSING}


def _vendor_page(w: World, role: str, kwargs: dict[str, Any]) -> str:
    return to("vendors-registry-vendor", pk=w.acme.pk)(w, role, kwargs)


def _detail(w: World, role: str, kwargs: dict[str, Any]) -> str:
    return to("vendors-agreement-detail", "pk")(w, role, kwargs)


def _terms(w: World, role: str) -> dict[str, Any]:
    return {"text": "Acme Quiz terms of service, version 2."}


def _status(w: World, role: str) -> dict[str, Any]:
    return {"status": "not_approved", "reason": "Sells student data to advertisers."}


def _trigger(w: World, role: str) -> dict[str, Any]:
    return {"trigger": "initial"}


def _rating(w: World, role: str) -> dict[str, Any]:
    from steward.vendors import rubric

    return {"item": next(iter(rubric.ITEMS)), "rating": "meets"}


def _vetting(w: World, role: str, kwargs: dict[str, Any]) -> str:
    return to("vendors-vetting", pk=w.vetting.pk)(w, role, kwargs)


def office(key: str, attr: str | None = None, **over: Any) -> Spec:
    """An office page; with `attr`, about that row (an unknown one is the wrong object)."""
    if attr is not None:
        over = {"args": office_pk(attr), "wrong": 404} | over
    return Spec(key, OFFICE, **over)


def office_post(key: str, attr: str, **over: Any) -> Spec:
    return office(key, attr, **({"post": True, "ok": 302} | over))


SPECS = [
    # --- the registry (R74, R117) -------------------------------------------------------------
    office("vendors-registry"),
    office("vendors-registry-vendor-create"),
    office("vendors-registry-vendor", "acme"),
    office("vendors-registry-vendor-edit", "acme"),
    office("vendors-registry-contact-add", "acme"),
    office("vendors-registry-contact-edit", "acme_contact"),
    office_post("vendors-registry-contact-remove", "acme_contact", goes_to=_vendor_page),
    # The one-time link is shown once, on its own page.
    office_post("vendors-registry-contact-login", "acme_contact", ok=200),
    office_post("vendors-registry-contact-revoke", "acme_contact", goes_to=_vendor_page),
    office("vendors-registry-subprocessor-add", "acme"),
    office("vendors-registry-subprocessor-edit", "subprocessor"),
    office_post("vendors-registry-subprocessor-remove", "subprocessor", goes_to=_vendor_page),
    office("vendors-registry-storage-add", "acme"),
    office("vendors-registry-storage-edit", "storage"),
    office_post("vendors-registry-storage-remove", "storage", goes_to=_vendor_page),
    # --- apps and their vetting (R73–R75) -----------------------------------------------------
    office("vendors-registry-product-create", "acme"),
    office("vendors-registry-product", "quiz"),
    office("vendors-registry-product-edit", "quiz"),
    # New terms re-open the vetting in progress.
    office_post("vendors-registry-product-terms", "quiz", data=_terms, goes_to=_vetting),
    office_post(
        "vendors-registry-product-status",
        "quiz",
        data=_status,
        goes_to=to("vendors-registry-product", "pk"),
    ),
    # Quiz is being vetted already: refused with a message, back to the app.
    office_post(
        "vendors-vetting-start", "quiz", data=_trigger, goes_to=to("vendors-registry-product", "pk")
    ),
    office("vendors-vetting", "vetting"),
    office_post(
        "vendors-vetting-rate", "vetting", data=_rating, goes_to=to("vendors-vetting", "pk")
    ),
    # No status chosen: the decision form comes back with its errors.
    office_post("vendors-vetting-decide", "vetting", ok=400),
    Spec("vendors-vetting-evidence", OFFICE, args=_evidence, wrong=404),
    office("vendors-apps-queue"),
    office_post("vendors-apps-queue-review", "lena_app_request"),
    office_post("vendors-apps-queue-decline", "lena_app_request", goes_to=to("vendors-apps-queue")),
    office("vendors-dashboard"),
    office("vendors-dashboard-registry-csv"),
    office("vendors-dashboard-registry-json"),
    office("vendors-dashboard-registry-import"),
    # --- agreements (R71, R72, R77–R81) -------------------------------------------------------
    office("vendors-agreement-list"),
    office("vendors-agreement-create"),
    office("vendors-agreement-detail", "active"),
    office("vendors-agreement-edit", "draft"),
    office_post("vendors-agreement-upload", "draft", ok=200),
    office_post("vendors-agreement-activate", "draft", goes_to=_detail),
    office_post("vendors-agreement-terminate", "active", ok=200),
    office_post("vendors-agreement-certificate", "pending", ok=200),
    office_post("vendors-agreement-renew", "active"),
    office_post("vendors-agreement-adopt", "offer"),
    office("vendors-agreement-document", "active"),
    office("vendors-agreement-certificate-document", "certified"),
    office("vendors-pdf-summary", "active"),
    office("vendors-pdf-directive", "pending"),
    office("vendors-pdf-certificate", "certified"),
    # --- the vendor contact's pages (R80, R110) ----------------------------------------------
    vendor("vendors-portal-home", lists=lambda w, role: (w.active.title, w.beta_agreement.title)),
    vendor("vendors-portal-agreement", "active"),
    vendor("vendors-portal-document", "active"),
    # An empty form is shown again on the agreement's page.
    vendor("vendors-portal-certificate", "pending", post=True),
    vendor("vendors-pdf-vendor-summary", "active"),
    vendor("vendors-pdf-vendor-directive", "pending"),
    vendor("vendors-pdf-vendor-certificate", "certified"),
]
