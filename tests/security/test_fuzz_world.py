"""The district the API fuzzer runs against, who calls, and what every answer must satisfy
beyond schemathesis' own checks (#10 item 5).

The district is the sharing tests' Model District (`tests.sharing.factories`) with a grading
period under its term, so that every collection has rows. Two agreements are active: Acme's
sends roster, guardians and demographics with real sourcedIds to a client holding every
scope; Beta's sends the roster only, pseudonymously, to a client holding the core scope only
(its demographics requests are 403). Strangers call with no token, an unknown token, or
Basic credentials where a bearer token belongs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from steward.roster.models import AcademicSession
from steward.rostering import plans
from steward.rostering import scopes as sc
from tests.rostering import schema as oneroster
from tests.rostering.factories import FULL, basic, make_client, token_for
from tests.sharing.factories import ROSTER_ELEMENTS, agreement, build_district, feed

BASE = "/ims/oneroster/rostering/v1p2"
# Each collection a path can name, and the key its objects come under in a response.
COLLECTIONS = {
    "academicSessions": "academicSessions",
    "gradingPeriods": "academicSessions",
    "terms": "academicSessions",
    "classes": "classes",
    "courses": "courses",
    "demographics": "demographics",
    "enrollments": "enrollments",
    "orgs": "orgs",
    "schools": "orgs",
    "students": "users",
    "teachers": "users",
    "users": "users",
}
_PARAMETER_COLLECTION = {
    "classSourcedId": "classes",
    "courseSourcedId": "courses",
    "schoolSourcedId": "schools",
    "studentSourcedId": "students",
    "teacherSourcedId": "teachers",
    "termSourcedId": "terms",
    "userSourcedId": "users",
}
QUERY_REFUSALS = {"invalid_filter_field", "invalid_selection_field", "invaliddata"}
QUERY_PARAMETERS = {"filter", "sort", "orderBy", "fields", "limit", "offset"}


@dataclass(frozen=True)
class Identity:
    """Who a case is sent as: its headers, and the sourcedIds it can see per collection."""

    name: str
    headers: dict[str, str]
    valid: bool
    pools: dict[str, list[str]] = field(default_factory=dict)

    def ids_for(self, path: str, parameter: str) -> list[str]:
        """Ids this identity sees for a path parameter (`sourcedId`: the path's collection)."""
        if parameter == "sourcedId":
            collection = path.strip("/").split("/")[0]
        else:
            collection = _PARAMETER_COLLECTION[parameter]
        return self.pools.get(collection, [])


def _pools(http: Client, token: str) -> dict[str, list[str]]:
    pools = {}
    for collection, key in COLLECTIONS.items():
        response = http.get(
            f"{BASE}/{collection}", {"limit": "1000"}, HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        body = response.json()
        pools[collection] = [o["sourcedId"] for o in body.get(key, [])]
    return pools


def build_fuzz_world(http: Client, settings: Any) -> SimpleNamespace:
    """The district, its two clients and the strangers; rate limits out of the way."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The fuzzer sends a few thousand requests a minute from one client and one address.
    settings.STEWARD_ROSTERING_CLIENT_RATE = (1_000_000, 60)
    settings.STEWARD_ROSTERING_TOKEN_RATE = (1_000_000, 60)
    cache.clear()
    plans.reset()
    d = build_district()
    AcademicSession.objects.create(
        sourced_id="fuzz-q1",
        last_import=d.run,
        title="Quarter 1",
        type="gradingPeriod",
        parent=d.term,
        parent_sourced_id=d.term.sourced_id,
        start_date=d.term.start_date,
        end_date=d.term.end_date,
        school_year=d.term.school_year,
    )
    acme_client, acme_secret = make_client(agreement(d.acme, elements=FULL), sc.ALL)
    beta_deal = agreement(d.beta, elements=ROSTER_ELEMENTS)
    feed(beta_deal, pseudonymous=True)
    beta_client, beta_secret = make_client(beta_deal, [sc.CORE])
    d.acme_client, d.acme_secret = acme_client, acme_secret
    acme_token = token_for(http, acme_client, acme_secret)
    beta_token = token_for(http, beta_client, beta_secret)
    acme_pools = _pools(http, acme_token)
    d.acme = Identity("Acme", {"Authorization": f"Bearer {acme_token}"}, True, acme_pools)
    d.beta = Identity("Beta", {"Authorization": f"Bearer {beta_token}"}, True,
                      _pools(http, beta_token))  # fmt: skip
    d.strangers = [
        Identity("no token", {}, False, acme_pools),
        Identity("unknown token", {"Authorization": "Bearer fuzz-not-a-token"}, False, acme_pools),
        Identity(
            "Basic", {"Authorization": basic(acme_client.client_id, acme_secret)}, False, acme_pools
        ),
    ]
    return d


class Loopback:
    """The WSGI application as `steward serve` runs it: waitress always sets REMOTE_ADDR (the
    token endpoint's rate limit counts by it); werkzeug's test client, which schemathesis
    uses in-process, does not."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        environ.setdefault("REMOTE_ADDR", "127.0.0.1")
        return self.handler(environ, start_response)


@contextmanager
def in_process() -> Iterator[None]:
    """Serve requests through the WSGI handler inside the test's transaction.

    Django closes the connection when a request starts and finishes; inside the test's atomic
    block that would end the test's transaction (on PostgreSQL; SQLite's in-memory test
    database ignores it). Django's own test client disconnects the same receiver.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _component(path: str) -> str:
    if path in oneroster.document()["paths"]:
        return oneroster.response_component(path)
    return "UserSetDType"  # Steward's agents and agentFor answer with users


def check_case(case: Any, response: Any, who: Identity) -> list[str]:
    """What schemathesis cannot know about this API; [] when the answer is right."""
    status = response.status_code
    sent = case.query or {}
    where = f"{status} for GET {case.formatted_path}?{sent}"
    if status == 429:
        return [f"rate limited ({where}): the test's rate override did not take"]
    if not who.valid:
        challenge = response.headers.get("www-authenticate", [""])[0]
        if status != 401 or not challenge.startswith("Bearer"):
            return [f"a request without a valid token was not refused with 401 ({where})"]
        return []
    if status == 400:
        minor = json.loads(response.content)["imsx_CodeMinor"]["imsx_codeMinorField"][0]
        if minor["imsx_codeMinorFieldValue"] not in QUERY_REFUSALS:
            return [f"400 with an unexpected code minor ({where})"]
        if not QUERY_PARAMETERS & set(sent):
            return [f"a request with no query parameter was refused ({where})"]
    if status == 200:
        try:
            body = json.loads(response.content)
            oneroster.validate(body, _component(case.operation.path), partial="fields" in sent)
        except Exception as error:  # reported with the case, whatever it is
            return [f"the body breaks the 1EdTech schema ({where}): {error}"]
    return []
