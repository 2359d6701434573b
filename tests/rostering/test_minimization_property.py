"""The REST API's minimization as a property (issue #7 acceptance; R39, R55-R58, R63, R109).

Over the sharing property test's random scopes, Exhibit B selections, guardian releases,
directory and recruiter opt-outs, OneRoster versions and pseudonymity (its strategy, roster
and setup: `tests.sharing.test_property`), an API client of the agreement calls every
collection that can carry students, with a large `limit`: `/users`, `/students`,
`/enrollments`, `/demographics` (when the demographics scope can be granted), `/classes`,
`/classes/{id}/students` for every class, and `/users/{id}` and `/users/{id}/agents` for every
student of the roster (by the id the vendor would know: real, or its pseudonym). Then:

- an out-of-scope, unreleased or opted-out student never appears in any body: neither their
  sourcedId (real or pseudonymous), nor any of their marker values (names, e-mail, username,
  phone, state id, city of birth), nor their guardian; asking for them is the same 404 as
  asking for an id that does not exist;
- a value whose Exhibit B element the agreement does not list never appears (expected from
  the data catalog, independently of the engine), and no JSON field whose governing CSV column
  (`steward.rostering.fields`) the plan withholds for that kind of row carries a real value:
  it is absent, or the placeholder `minimize` sends for a required field ("" or
  `enabledUser: "true"`); roles never name a school when school enrollment is withheld;
- no `password` key is ever sent (the roster model holds no password to seed);
- in a pseudonymous feed no real sourcedId of a person, class or org appears;
- every response that carries students (their public id in the body) wrote exactly one
  RELEASE entry for the agreement naming exactly those students; any other wrote none.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.test import Client
from hypothesis import HealthCheck, event, example, given, settings

from steward.audit.models import Action, Entry, SubjectSet
from steward.bases import FerpaBasis
from steward.roster.models import Guardian, Org, Staff, Student
from steward.rostering import plans
from steward.rostering import scopes as sc
from steward.rostering.fields import FIELDS, FILE_OF
from steward.rostering.minimize import WITHHELD
from steward.rostering.plans import GUARDIAN, STAFF, STUDENT, View
from steward.sharing.columns import SCHOOL_ENROLLMENT
from steward.sharing.engine import LOCAL_ID, PARENT_ID, plan_for
from steward.vendors.models import ScopeKind
from tests.rostering.factories import Api, make_client, token_for
from tests.sharing.factories import ROSTER_ELEMENTS, agreement
from tests.sharing.test_property import (
    CATALOG,
    DEMOGRAPHIC_MARKED,
    GUARDIAN_MARKED,
    MARKED,
    _expected,
    _setup,
    cases,
    roster,  # noqa: F401  (the fixture)
)

LIMIT = 1000  # the API's largest page: every row of the roster on one page
# Schedule and guardians without "Student school enrollment": the schools are in the plan
# (the classes'), but no student's or guardian's role may name one (exports link to the
# district instead). Pinned as an explicit example: random draws rarely make it.
SCHOOLS_WITHHELD: dict[str, Any] = {
    "elements": {
        *(tuple(pair) for pair in ROSTER_ELEMENTS if tuple(pair) != SCHOOL_ENROLLMENT),
        ("Parent/Guardian Name", "First and/or last"),
    },
    "kind": ScopeKind.DISTRICT,
    "schools": {0},
    "grades": {"03"},
    "sections": {0},
    "rule_and": False,
    "basis": FerpaBasis.A1,
    "release_needed": False,
    "released": set(),
    "revoked_or_expired": set(),
    "opted_out": set(),
    "recruiter": False,
    "recruiter_opted_out": set(),
    "pseudonymous": False,
    "version": "1.2",
}


class Rollback(Exception):
    """Raised to undo one example's consents, opt-outs, agreement and client."""


def _last_seq() -> int:
    return int(Entry.objects.aggregate(top=Max("seq"))["top"] or 0)


def _students_of(entry: Entry) -> set[int]:
    if entry.subject_set_id is None:
        return {entry.subject_student} if entry.subject_student is not None else set()
    members = SubjectSet.objects.get(pk=entry.subject_set_id).members
    return {int(pk) for pk in members.split(",") if pk}


class Probe:
    """One example: the agreement's client, every call it makes, and the checks on each."""

    def __init__(self, r: SimpleNamespace, case: dict[str, Any], deal: Any, http: Client) -> None:
        self.r = r
        self.case = case
        self.deal = deal
        self.plan = plan_for(deal)
        self.view = View(self.plan)
        self.demographics = any(category == "Demographics" for category, _e in case["elements"])
        scopes = [sc.CORE, sc.ROSTER] + ([sc.DEMOGRAPHICS] if self.demographics else [])
        made, secret = make_client(deal, scopes, name="Property")
        self.api = Api(http, token_for(http, made, secret))
        # Public sourcedId -> kind of row, for every person of the roster.
        self.kinds: dict[str, str] = {}
        for kind, model in ((STUDENT, Student), (STAFF, Staff), (GUARDIAN, Guardian)):
            for real in model.objects.values_list("sourced_id", flat=True):
                self.kinds[self.view.public("users", real)] = kind
        # Every roster student's public id (the one a vendor would know), by primary key.
        self.public = {s.row.pk: self.view.public("users", s.row.sourced_id) for s in r.students}
        self.schools = {self.view.public("orgs", school.sourced_id) for school in r.schools}
        self.bodies: list[tuple[str, str]] = []
        self.missing_404 = self.api.get("/users/no-such-user").content

    # -- calling ---------------------------------------------------------------------------

    def call(self, path: str, type_: str, *, ok: tuple[int, ...] = (200,)) -> Any:
        """GET `path` with a large limit; check its body's fields and its disclosure entry."""
        before = _last_seq()
        response = self.api.get(path, limit=LIMIT)
        text = response.content.decode()
        assert response.status_code in ok, (path, response.status_code, text[:300])
        self.bodies.append((path, text))
        assert '"password"' not in text, path
        self._check_disclosure(path, text, before)
        if response.status_code != 200:
            return None
        data = response.json()
        key = next(iter(data))
        objects = data[key] if isinstance(data[key], list) else [data[key]]
        for obj in objects:
            self._check_fields(path, obj, type_)
        return data[key]

    def _check_disclosure(self, path: str, text: str, before: int) -> None:
        carried = {pk for pk, public in self.public.items() if public in text}
        entries = list(Entry.objects.filter(seq__gt=before, action=Action.RELEASE))
        if not carried:
            assert entries == [], f"{path}: a disclosure without students in the body"
            return
        assert len(entries) == 1, f"{path}: {len(entries)} disclosure entries"
        (entry,) = entries
        assert entry.agreement_id == str(self.deal.pk)
        assert _students_of(entry) == carried, path
        assert entry.subject_count == len(carried)
        elements = {tuple(pair) for pair in json.loads(entry.detail)["elements"]}
        agreed = set(self.case["elements"])
        if not self.case["pseudonymous"]:  # real sourcedIds are the SIS ids, always sent
            agreed |= {LOCAL_ID, PARENT_ID}
        assert elements <= agreed, (path, elements)

    def _kind(self, obj: dict[str, Any], type_: str) -> str:
        if type_ == "user":
            return self.kinds[obj["sourcedId"]]
        if type_ == "enrollment":
            return self.kinds[obj["user"]["sourcedId"]]
        return STUDENT if type_ == "demographics" else ""

    def _check_fields(self, path: str, obj: dict[str, Any], type_: str) -> None:
        """No field the plan withholds for this kind of row carries a real value."""
        kind = self._kind(obj, type_)
        specs = FIELDS[type_]
        for name, value in obj.items():
            spec = specs.get(name)
            assert spec is not None, (path, type_, name)
            where = (path, type_, kind, name, value)
            if name == "metadata":
                file = spec.file or FILE_OF[type_]
                for key in value:
                    assert self.view.allows(file, f"metadata.{key}", kind), where
                continue
            if spec.file is None or spec.column is None:
                continue
            if name == "roles":
                if not self.view.school_links(kind):  # only the district, and no dates
                    named = {role["org"]["sourcedId"] for role in value}
                    assert not named & self.schools, where
                    assert not any({"beginDate", "endDate"} & set(role) for role in value), where
                continue
            if not self.view.allows(spec.file, spec.column, kind):
                assert spec.required and spec.text, where
                assert value == WITHHELD.get(name, ""), where

    # -- the calls -------------------------------------------------------------------------

    def run(self) -> None:
        self.call("/users", "user")
        self.call("/students", "user")
        self.call("/enrollments", "enrollment")
        if self.demographics:
            self.call("/demographics", "demographics")
        shown = {c["sourcedId"] for c in self.call("/classes", "class")}
        for section in self.r.sections:
            public = self.view.public("classes", section.sourced_id)
            self.call(
                f"/classes/{public}/students", "user", ok=(200,) if public in shown else (404,)
            )
        listed = self._listed_students()
        for pk, public in self.public.items():
            ok = (200,) if pk in listed else (404,)
            self.call(f"/users/{public}", "user", ok=ok)
            if pk not in listed:  # the same answer as for an id that does not exist
                assert self.bodies[-1][1].encode() == self.missing_404
            self.call(f"/users/{public}/agents", "user", ok=ok)

    def _listed_students(self) -> set[int]:
        text = next(body for path, body in self.bodies if path == "/students")
        users = json.loads(text)["users"]
        return {
            pk for pk, public in self.public.items() if public in {u["sourcedId"] for u in users}
        }

    # -- the promise, over every body --------------------------------------------------------

    def check(self) -> None:
        r, case, plan = self.r, self.case, self.plan
        allowed = _expected(r, case)
        listed = self._listed_students()
        event(f"{len(listed)} listed, {len(allowed)} expected, {case['basis']}")
        assert listed <= {r.students[i].row.pk for i in allowed}
        if case["basis"] == FerpaBasis.A1:  # nothing else can leave anyone out: exact
            assert listed == {r.students[i].row.pk for i in allowed}
        elements = set(case["elements"])
        for i, s in enumerate(r.students):
            pupil, parent = s.row, r.guardians[s.row.pk]
            if i not in allowed:
                values = {pupil.sourced_id, plan.sourced_id("users", pupil.sourced_id)}
                values |= {getattr(pupil, field) for field in MARKED} | {f"Birthcity{i}x"}
                values |= {parent.sourced_id, plan.sourced_id("users", parent.sourced_id)}
                values |= {getattr(parent, field) for field in GUARDIAN_MARKED}
                self._absent(values, f"left-out student {i}")
                continue
            for field, key in MARKED.items():
                if CATALOG[key] not in elements:
                    self._absent({getattr(pupil, field)}, f"student {i} {field}")
            if CATALOG[DEMOGRAPHIC_MARKED["city_of_birth"]] not in elements:
                self._absent({f"Birthcity{i}x"}, f"student {i} city of birth")
            for field, key in GUARDIAN_MARKED.items():
                if CATALOG[key] not in elements:
                    self._absent({getattr(parent, field)}, f"guardian of {i} {field}")
        if case["pseudonymous"]:
            reals = {
                *Student.objects.values_list("sourced_id", flat=True),
                *Staff.objects.values_list("sourced_id", flat=True),
                *Guardian.objects.values_list("sourced_id", flat=True),
                *Org.objects.values_list("sourced_id", flat=True),
                *(section.sourced_id for section in r.sections),
            }
            self._absent(reals, "a real sourcedId in a pseudonymous feed")

    def _absent(self, values: set[str], what: str) -> None:
        for path, text in self.bodies:
            found = sorted(value for value in values if value and value in text)
            assert not found, f"{what}: {found} in {path}"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=cases())
@example(case=SCHOOLS_WITHHELD)
@example(case={**SCHOOLS_WITHHELD, "version": "1.1", "pseudonymous": True})
def test_the_api_sends_no_student_or_value_that_the_agreement_and_families_do_not_allow(
    roster: SimpleNamespace,  # noqa: F811
    client: Client,
    case: dict[str, Any],
) -> None:
    cache.clear()  # token-endpoint rate limit: a fresh window for every example
    plans.reset()  # primary keys repeat after each rollback: no stale cached plan
    try:
        with transaction.atomic():
            deal = _setup(roster, case)
            probe = Probe(roster, case, deal, client)
            probe.run()
            probe.check()
            raise Rollback
    except Rollback:
        pass


def test_roles_name_the_district_not_a_school_when_school_enrollment_is_withheld(
    world: SimpleNamespace, client: Client
) -> None:
    """Regression (found by the property above): with "Schedule" but without "Student school
    enrollment", the classes' schools are in the plan, and students' and guardians' roles
    named them, with the dates of the school enrollment. Exports link such rows to the
    district; so does the API now."""
    elements = [pair for pair in ROSTER_ELEMENTS if tuple(pair) != SCHOOL_ENROLLMENT]
    deal = agreement(
        world.beta, elements=[*elements, ["Parent/Guardian Name", "First and/or last"]]
    )
    made, secret = make_client(deal)
    api = Api(client, token_for(client, made, secret))
    schools = {world.adams.sourced_id, world.lincoln.sourced_id}
    people = [
        user
        for user in api.get("/users", limit=LIMIT).json()["users"]
        if user["roles"][0]["role"] in ("student", "parent", "guardian", "relative")
    ]
    assert {user["givenName"] for user in people} == {"Ana", "Ben", "Cal", "Dee", "Gail", "Gus"}
    for user in people:
        assert [role["org"]["sourcedId"] for role in user["roles"]] == [world.district.sourced_id]
        assert "beginDate" not in user["roles"][0] and "primaryOrg" not in user
        assert not schools & set(json.dumps(user).split('"'))
    ana = api.get(f"/students/{world.ana.sourced_id}").json()["user"]
    assert ana["roles"][0]["org"]["sourcedId"] == world.district.sourced_id


def test_a_page_of_enrollments_writes_one_disclosure_naming_its_students(
    api: Api, world: SimpleNamespace
) -> None:
    """Regression (found by the property above): enrollment rows are served by kind (student,
    staff) but their students were looked up under no kind, so `/enrollments` and
    `/enrollments/{id}` sent students' class schedules without a disclosure entry."""
    before = _last_seq()
    listed = api.get("/enrollments", limit=LIMIT).json()["enrollments"]
    (entry,) = Entry.objects.filter(seq__gt=before, action=Action.RELEASE)
    pupils = {world.ana, world.ben, world.cal, world.dee}
    assert {e["user"]["sourcedId"] for e in listed} >= {p.sourced_id for p in pupils}
    assert _students_of(entry) == {p.pk for p in pupils}
    assert ["Schedule", "Student scheduled courses"] in json.loads(entry.detail)["elements"]
    dee = next(e for e in listed if e["user"]["sourcedId"] == world.dee.sourced_id)
    before = _last_seq()
    assert api.get(f"/enrollments/{dee['sourcedId']}").status_code == 200
    (entry,) = Entry.objects.filter(seq__gt=before, action=Action.RELEASE)
    assert entry.subject_student == world.dee.pk
    teacher = next(e for e in listed if e["user"]["sourcedId"] == world.tess.sourced_id)
    before = _last_seq()
    assert api.get(f"/enrollments/{teacher['sourcedId']}").status_code == 200
    assert not Entry.objects.filter(seq__gt=before, action=Action.RELEASE).exists()
