"""Matrix rows: the family portal (R24–R37, R50, R102, R130–R135): the portal itself, amendment
and access requests, consents and choices, exit notices.

Families only (`portal.views.guardians_only`): a guardian, or a student with their own login;
every other account gets 403. A child the login may not act for, or another family's request,
notice, consent or event, is a 404 whether or not it exists. Gail's right objects are Ana's
(her exit notice is Eli's, whose parent she also is), Eli's are his own, and Dee's are
everyone's wrong ones.
"""

from __future__ import annotations

from typing import Any

from .url_matrix_spec import FAMILY, Args, Spec, to
from .url_matrix_world import World
from .url_matrix_world_family import family_key


def _child(w: World, role: str, right: bool) -> dict[str, Any]:
    return {"pk": w.student_for(role, right).pk}


def _amendment(with_item: bool = False, with_letter: bool = False) -> Args:
    """The role's own child and request; the wrong object is Dee's request (and its item or
    letter) asked about under the role's own child."""

    def build(w: World, role: str, right: bool) -> dict[str, Any]:
        case = w.amend[family_key(w, role, right)]
        out = {"pk": w.right_student(role).pk, "request_id": case.request.pk}
        if with_item:
            out["item_id"] = case.item.pk
        if with_letter:
            out["letter_id"] = case.letter.pk
        return out

    return build


def _access_request(fmt: str | None = None) -> Args:
    def build(w: World, role: str, right: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"pk": w.access[family_key(w, role, right)].pk}
        if fmt:
            out["fmt"] = fmt
        return out

    return build


def _event(w: World, role: str, right: bool) -> dict[str, Any]:
    own = w.eli_event if role == "student" else w.event
    return {"pk": w.right_student(role).pk, "event_id": (own if right else w.dee_event).pk}


def _consent(w: World, role: str, right: bool) -> dict[str, Any]:
    consent = w.consent[family_key(w, role, right)]
    return {"pk": w.right_student(role).pk, "consent_id": consent.pk}


def _media_use(w: World, role: str, right: bool) -> dict[str, Any]:
    return {"pk": w.student_for(role, right).pk, "key": w.media_use.key}


def _exit_notice(w: World, role: str, right: bool) -> dict[str, Any]:
    # Gail is Eli's parent too: his exit notice is addressed to both of them (R102).
    return {"pk": w.exit["eli" if right else "dee"].notice.pk}


def _children(w: World, role: str) -> tuple[str, str]:
    return w.right_student(role).display_name, w.dee.display_name


def _detail(w: World, role: str, kwargs: dict[str, Any]) -> str:
    return to("amendments-portal-detail", "pk", "request_id")(w, role, kwargs)


# Eli (15) reads his choices but may not sign or revoke them: consent under FERPA is his
# parents' until he is 18 (R9, R15), so the page refuses with 403 after finding his record.
SEES_BUT_MAY_NOT_SIGN = {"student": 403}

SPECS = [
    # --- the portal and the child's record (R24, R61, R66) --------------------------------
    Spec("portal-home", FAMILY, lists=_children),
    Spec("portal-child", FAMILY, args=_child, wrong=404),
    Spec("portal-child-log", FAMILY, args=_child, wrong=404),
    Spec("portal-notices", FAMILY),
    # --- choices: media release, directory information, events, consents (R21–R23, R50) ----
    Spec("portal-media", FAMILY, args=_child, wrong=404),
    Spec(
        "portal-media-revoke",
        FAMILY,
        post=True,
        args=_media_use,
        ok=302,
        goes_to=to("portal-media", "pk"),
        wrong=404,
        ok_for=SEES_BUT_MAY_NOT_SIGN,
    ),
    Spec("portal-directory", FAMILY, args=_child, wrong=404),
    Spec("portal-event", FAMILY, args=_event, wrong=404),
    Spec("portal-consents", FAMILY, args=_child, wrong=404),
    Spec(
        "portal-consent-revoke",
        FAMILY,
        post=True,
        args=_consent,
        ok=302,
        goes_to=to("portal-consents", "pk"),
        wrong=404,
        ok_for=SEES_BUT_MAY_NOT_SIGN,
    ),
    # --- amendments (R34–R37) ---------------------------------------------------------------
    Spec("amendments-portal-list", FAMILY, args=_child, wrong=404),
    Spec("amendments-portal-new", FAMILY, args=_child, query="?part=directory", wrong=404),
    Spec("amendments-portal-add", FAMILY, args=_child, wrong=404),
    Spec("amendments-portal-detail", FAMILY, args=_amendment(), wrong=404),
    Spec(
        "amendments-portal-hearing",
        FAMILY,
        post=True,
        args=_amendment(),
        ok=302,
        goes_to=_detail,
        wrong=404,
    ),
    Spec(
        "amendments-portal-withdraw",
        FAMILY,
        post=True,
        args=_amendment(),
        ok=302,
        goes_to=_detail,
        wrong=404,
    ),
    Spec(
        "amendments-portal-statement",
        FAMILY,
        post=True,
        args=_amendment(with_item=True),
        ok=302,
        goes_to=_detail,
        wrong=404,
    ),
    Spec("amendments-portal-letter", FAMILY, args=_amendment(with_letter=True), wrong=404),
    # --- access requests and copies (R24–R33, R18) ------------------------------------------
    Spec("requests-portal-list", FAMILY, lists=_children),
    Spec("requests-portal-new", FAMILY),
    Spec("requests-portal-detail", FAMILY, args=_access_request(), wrong=404),
    Spec(
        "requests-portal-withdraw",
        FAMILY,
        post=True,
        args=_access_request(),
        ok=302,
        goes_to=to("requests-portal-detail", "pk"),
        wrong=404,
    ),
    Spec("requests-portal-download", FAMILY, args=_access_request("pdf"), wrong=404),
    # --- exit notices (R102) ----------------------------------------------------------------
    Spec("retention-family-notice", FAMILY, args=_exit_notice, wrong=404),
    Spec("retention-family-notice-pdf", FAMILY, args=_exit_notice, wrong=404),
]
