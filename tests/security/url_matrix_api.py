"""Matrix rows: the OneRoster 1.2 rostering service and its token endpoint (R55–R58, R71,
R116(1)(2); issue #7 item 3), and the office's page for API clients.

The API knows no sessions: with no bearer token every caller, signed in or not, gets 401
(RFC 6750). A token lacking the operation's scope gets 403: roster-core opens the collections
and single objects, the nested paths need roster.readonly, /demographics its own scope. The
agreement covers Adams Elementary only, so Lincoln's school, classes, people and enrollments
are the wrong objects: 404, the same as rows that do not exist.
"""

from __future__ import annotations

import base64
from typing import Any

from .url_matrix_spec import (
    API_CLIENTS,
    EVERYONE,
    OFFICE,
    SIGNED_IN,
    Args,
    Lists,
    Spec,
    fixed,
    office_pk,
)
from .url_matrix_world import World

ALL = API_CLIENTS
ROSTER_ONLY = frozenset({"api_client"})
NO_SESSION = dict.fromkeys(SIGNED_IN, 401)
UNKNOWN = "no-such-sourced-id"


def _ids(w: World) -> dict[str, tuple[str, str]]:
    """Each kind of object: (a row the agreement covers, one it does not)."""
    return {
        "academicSessions": (w.term.sourced_id, UNKNOWN),
        "classes": (w.homeroom.sourced_id, w.algebra.sourced_id),
        "courses": (w.homeroom.course.sourced_id, w.algebra.course.sourced_id),
        "enrollments": (w.ana_enrollment.sourced_id, w.dee_enrollment.sourced_id),
        "gradingPeriods": (w.grading_period.sourced_id, UNKNOWN),
        "orgs": (w.adams.sourced_id, w.lincoln.sourced_id),
        "schools": (w.adams.sourced_id, w.lincoln.sourced_id),
        "students": (w.ana.sourced_id, w.dee.sourced_id),
        "teachers": (w.tess.sourced_id, w.lena.sourced_id),
        "terms": (w.term.sourced_id, UNKNOWN),
        "users": (w.ana.sourced_id, w.dee.sourced_id),
        "demographics": (w.ana.sourced_id, w.dee.sourced_id),
        "guardians": (w.gail.sourced_id, w.dora.sourced_id),
    }


def sourced(**params: str) -> Args:
    """Path parameters named `param=kind`: the kind's covered row, or its uncovered one."""

    def build(w: World, role: str, right: bool) -> dict[str, Any]:
        ids = _ids(w)
        return {param: ids[kind][0 if right else 1] for param, kind in params.items()}

    return build


def _listed(kind: str) -> Lists:
    """A collection lists the covered row, never the uncovered one (terms and sessions are
    the district's: none is outside the agreement)."""

    def marks(w: World, role: str) -> tuple[str, str] | None:
        covered, uncovered = _ids(w)[kind]
        return None if uncovered == UNKNOWN else (covered, uncovered)

    return marks


def api(name: str, allowed: frozenset[str] = ALL, **over: Any) -> Spec:
    return Spec(
        f"oneroster:{name}", allowed, api=True, anonymous=401, denied=401,
        denied_for={"api_core": 403}, **over,
    )  # fmt: skip


def _basic(w: World, role: str, right: bool) -> dict[str, str]:
    client_id, secret = w.api_credentials[role]
    pair = f"{client_id}:{secret if right else 'wrong-secret'}".encode()
    return {"Authorization": "Basic " + base64.b64encode(pair).decode()}


def _reason(w: World, role: str) -> dict[str, Any]:
    return {"reason": "The contract has ended."}


def _grant(w: World, role: str) -> dict[str, Any]:
    return {"grant_type": "client_credentials"}


TOP = ("academicSessions", "classes", "courses", "enrollments", "gradingPeriods", "orgs",
       "schools", "students", "teachers", "terms", "users")  # fmt: skip
NESTED = (
    ("classes_classSourcedId_students", {"classSourcedId": "classes"}),
    ("classes_classSourcedId_teachers", {"classSourcedId": "classes"}),
    ("courses_courseSourcedId_classes", {"courseSourcedId": "courses"}),
    ("schools_schoolSourcedId_classes", {"schoolSourcedId": "schools"}),
    ("schools_schoolSourcedId_classes_classSourcedId_enrollments",
     {"schoolSourcedId": "schools", "classSourcedId": "classes"}),
    ("schools_schoolSourcedId_classes_classSourcedId_students",
     {"schoolSourcedId": "schools", "classSourcedId": "classes"}),
    ("schools_schoolSourcedId_classes_classSourcedId_teachers",
     {"schoolSourcedId": "schools", "classSourcedId": "classes"}),
    ("schools_schoolSourcedId_courses", {"schoolSourcedId": "schools"}),
    ("schools_schoolSourcedId_enrollments", {"schoolSourcedId": "schools"}),
    ("schools_schoolSourcedId_students", {"schoolSourcedId": "schools"}),
    ("schools_schoolSourcedId_teachers", {"schoolSourcedId": "schools"}),
    ("schools_schoolSourcedId_terms", {"schoolSourcedId": "schools"}),
    ("students_studentSourcedId_classes", {"studentSourcedId": "students"}),
    ("teachers_teacherSourcedId_classes", {"teacherSourcedId": "teachers"}),
    ("terms_termSourcedId_classes", {"termSourcedId": "terms"}),
    ("terms_termSourcedId_gradingPeriods", {"termSourcedId": "terms"}),
    ("users_userSourcedId_classes", {"userSourcedId": "users"}),
    ("users_userSourcedId_agents", {"userSourcedId": "users"}),
    ("users_userSourcedId_agentFor", {"userSourcedId": "guardians"}),
)  # fmt: skip

SPECS = [
    # The token endpoint: the client authenticates with its secret (HTTP Basic); a wrong
    # secret, or none (a session is no credential), is 401.
    Spec(
        "oneroster-token",
        ALL,
        api=True,
        post=True,
        data=_grant,
        headers=_basic,
        wrong=401,
        anonymous=401,
        denied=401,
    ),
    *(api(f"op_{kind}", lists=_listed(kind)) for kind in TOP),
    *(api(f"one_{kind}", args=sourced(sourcedId=kind), wrong=404) for kind in TOP),
    api("op_demographics", ROSTER_ONLY, lists=_listed("demographics")),
    api("one_demographics", ROSTER_ONLY, args=sourced(sourcedId="demographics"), wrong=404),
    *(api(f"op_{name}", ROSTER_ONLY, args=sourced(**params), wrong=404) for name, params in NESTED),
    # A path no operation serves: the caller authenticates first, so a stranger learns
    # nothing of which paths exist (401), then the imsx 404, whatever the token's scopes.
    Spec(
        "oneroster-unrouted",
        ALL,
        api=True,
        args=fixed(rest="users/a/b"),
        ok=404,
        anonymous=401,
        denied=401,
    ),
    # With its documentation pages off, the API's root is nothing, to everyone.
    Spec("oneroster:api-root", EVERYONE, ok=404),
    # --- the office's API clients (R117: oversight of providers' access) ------------------
    Spec("rostering-clients", OFFICE),
    Spec(
        "rostering-client-rotate",
        OFFICE,
        post=True,
        args=office_pk("api_client", "client_id"),
        wrong=404,
    ),
    Spec(
        "rostering-client-deactivate",
        OFFICE,
        post=True,
        args=office_pk("api_client", "client_id"),
        data=_reason,
        wrong=404,
    ),
]
