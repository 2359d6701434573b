"""Matrix rows: sign-in and home, the public pages, and the staff pages (students, media
release, training, apps, family documents in the record).

Staff pages answer 403 to any account not acting as a member of staff (guardians, students,
vendor contacts, the privacy office, a login without a role), and 404 for a student or
section the staff member has no relationship with, whether or not it exists (R39). The
student record itself hides existence from everyone (404, never 403).
"""

from __future__ import annotations

from typing import Any

from .url_matrix_spec import (
    EVERYONE,
    OFFICE,
    SIGNED_IN,
    STAFF,
    Spec,
    student_pk,
    to,
)
from .url_matrix_world import MISSING, World
from .url_matrix_world_family import family_key

PUBLIC = EVERYONE  # no sign-in needed, and a session changes nothing


def _addition(w: World, role: str, right: bool) -> dict[str, Any]:
    return {"addition_id": w.addition[family_key(w, role, right)].pk}


def _section(w: World, role: str, right: bool) -> dict[str, Any]:
    return {"section_id": (w.homeroom if right else w.algebra).pk}


def _published(w: World, role: str, right: bool) -> dict[str, Any]:
    return {"item_id": (w.published if right else w.dee_published).pk}


def _event(w: World, role: str, right: bool) -> dict[str, Any]:
    return {"event_id": (w.event if right else w.dee_event).pk}


def _app_request(w: World, role: str, right: bool) -> dict[str, Any]:
    """A staff member's own request for an app; Lena's is everyone's wrong one. The office
    may open every request, so its wrong object is an unknown one."""
    if role in OFFICE:
        return {"pk": w.app_requests["teacher"].pk if right else MISSING}
    own = w.app_requests.get(role, w.app_requests["teacher"])
    return {"pk": (own if right else w.lena_app_request).pk}


def _welcome(w: World, role: str, right: bool) -> dict[str, Any]:
    return {"uidb64": w.welcome_uid, "token": w.welcome_token if right else "bad-token"}


def _language(w: World, role: str) -> dict[str, Any]:
    return {"language": "es", "next": "/privacy/data/"}


HOME_REDIRECTS = {"student": 302, "vendor": 302}


def _numbers(w: World, role: str) -> tuple[str, str]:
    return w.ana.identifier, w.dee.identifier


def _taught(w: World, role: str) -> tuple[str, str] | None:
    # Only a teacher has classes of their own; Tess's summer class with Dee has ended.
    return (w.homeroom.title, w.summer.title) if role == "teacher" else None


def _posts(w: World, role: str) -> tuple[str, str]:
    return w.published.title, w.dee_published.title


def _events(w: World, role: str) -> tuple[str, str] | None:
    return (w.event.title, w.dee_event.title) if role == "teacher" else None


RECORD_ROLES = STAFF | {"guardian", "student"}

SPECS = [
    # --- signing in and out, home, language ------------------------------------------------
    Spec("home", SIGNED_IN, ok_for=HOME_REDIRECTS),
    Spec("login", PUBLIC, ok=302, ok_for={"anonymous": 200, "api_client": 200, "api_core": 200}),
    Spec("logout", PUBLIC, post=True, ok=302, goes_to=to("login")),
    Spec("set_language", PUBLIC, post=True, get=302, data=_language, ok=302),
    Spec(
        "portal-activate",
        PUBLIC,
        ok=302,
        goes_to=to("portal-home"),
        ok_for={"anonymous": 200, "api_client": 200, "api_core": 200},
    ),
    Spec("vendors-registry-welcome", PUBLIC, args=_welcome, wrong=400),
    # --- public pages (R137; the transparency page, R76) -----------------------------------
    Spec("catalog-data", PUBLIC),
    Spec("catalog-data-json", PUBLIC),
    Spec("catalog-data-csv", PUBLIC),
    Spec("vendors-public-apps", PUBLIC),
    Spec("vendors-public-registry-csv", PUBLIC),
    Spec("vendors-public-registry-json", PUBLIC),
    # A draft's document is not published: 404.
    Spec(
        "vendors-public-document",
        PUBLIC,
        args=lambda w, role, right: {"pk": (w.active if right else w.draft).pk},
        wrong=404,
    ),
    # --- staff: students and the record (R38–R44) ------------------------------------------
    Spec("my-students", STAFF, lists=_numbers),
    Spec("break-glass", STAFF),
    Spec("student-record", RECORD_ROLES, args=student_pk(), wrong=404, denied=404),
    Spec(
        "amendments-addition-document",
        RECORD_ROLES,
        args=_addition,
        wrong=404,
        denied_for={"privacy_officer": 404},
    ),
    # --- staff: media release (R129–R134) --------------------------------------------------
    Spec("media-can-i-post", STAFF, lists=_taught),
    Spec("media-section-roster", STAFF, args=_section, wrong=404),
    Spec("media-published", STAFF, lists=_posts),
    Spec(
        "media-take-down",
        STAFF,
        post=True,
        args=_published,
        ok=302,
        goes_to=to("media-published"),
        wrong=404,
    ),
    Spec("media-events", STAFF, lists=_events),
    Spec("media-event", STAFF, args=_event, wrong=404),
    # --- staff: training (R44, R138) and apps (R73) ----------------------------------------
    Spec("stewardship-training", STAFF | {"privacy_officer"}),
    Spec("vendors-apps", STAFF | OFFICE),
    Spec("vendors-apps-request-new", STAFF | OFFICE),
    Spec("vendors-apps-request", STAFF | OFFICE, args=_app_request, wrong=404),
    Spec(
        "vendors-apps-request-withdraw",
        STAFF | OFFICE,
        post=True,
        args=_app_request,
        ok=302,
        goes_to=to("vendors-apps-request", "pk"),
        wrong=404,
    ),
]
