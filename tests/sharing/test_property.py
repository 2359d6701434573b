"""The sharing promise as a property (issue #7 acceptance; R71, R85–R88, R109).

Over random scopes, Exhibit B selections, guardian releases, directory and recruiter opt-outs,
OneRoster versions and pseudonymity, on a small roster whose every personal value is a unique
marker: an out-of-scope, unreleased or opted-out student never appears in any exported file
(neither their ids, real or pseudonymous, nor any of their values); a value whose Exhibit B
element the agreement does not list never appears; the password column is always empty.

The expectations are computed here from the generated roster, independently of the engine:
scope from the roster rows, elements from the data catalog's own Exhibit B mapping.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from steward.bases import FerpaBasis
from steward.catalog.elements import ELEMENTS, EXHIBIT_B, SCOPE_KEYS
from steward.consents.models import DirectoryOptOut
from steward.roster.models import Org, StaffRole, Student
from steward.sharing import package
from steward.sharing.engine import SharingRefused, plan_for
from steward.vendors.models import AppStatus, ScopeKind
from tests.sharing import factories as sf
from tests.web import factories as f

PAIRS = [(category, name) for category, names in EXHIBIT_B.items() for name in names]
CATALOG = {element.key: element.exhibit_b for element in ELEMENTS}
GRADES = ("03", "04", "07")
# Student fields whose values are unique markers, and the catalog element each is.
MARKED = {
    "username": "roster.Student.username",
    "given_name": "roster.Student.given_name",
    "family_name": "roster.Student.family_name",
    "email": "roster.Student.email",
    "phone": "roster.Student.phone",
    "identifier": "roster.Student.identifier",
}
DEMOGRAPHIC_MARKED = {"city_of_birth": "roster.StudentDemographics.city_of_birth"}
GUARDIAN_MARKED = {
    "given_name": "roster.Guardian.given_name",
    "email": "roster.Guardian.email",
    "phone": "roster.Guardian.phone",
}


class Rollback(Exception):
    """Raised to undo one example's consents, opt-outs and agreement."""


@pytest.fixture
def roster(db: None) -> SimpleNamespace:
    """Twelve students in two schools and three classes, each with a guardian, plus one
    student whose school and class ended last month (never current)."""
    run = f.import_run()
    r = SimpleNamespace(run=run, students=[], guardians={})
    r.district = f.org(run, "Marker District", Org.Type.DISTRICT)
    r.schools = [f.org(run, name, parent=r.district) for name in ("North", "South")]
    term = f.term(run, "Year")
    r.sections = []
    for number, school in enumerate((r.schools[0], r.schools[0], r.schools[1])):
        section = f.section(run, school, f"Class {number}", [term], course_title=f"C{number}")
        teacher = f.staff(run, f"Teach{number}", "Er")
        f.staff_role(run, teacher, school, StaffRole.Position.TEACHER)
        f.enroll(run, teacher, section)
        r.sections.append(section)
    for number in range(13):
        pupil = f.student(run, f"Given{number}x", f"Family{number}x", GRADES[number % 3])
        Student.objects.filter(pk=pupil.pk).update(
            username=f"user{number}x",
            email=f"mail{number}x@example.org",
            phone=f"555-01{number:02d}",
            identifier=f"SASID{number}x",
        )
        school = r.schools[0] if number % 2 else r.schools[1]
        section = r.sections[number % 3]
        ended = number == 12
        end = sf.days(-30) if ended else None
        f.attend(run, pupil, school, begin=sf.days(-300), end=end)
        f.enroll(run, pupil, section, begin=sf.days(-300), end=end)
        sf.demographics(run, pupil, city_of_birth=f"Birthcity{number}x")
        sf.indicators(run, pupil, iep=True)
        parent = f.guardian(run, f"Parent{number}x", f"Pfamily{number}x")
        type(parent).objects.filter(pk=parent.pk).update(
            email=f"parent{number}x@example.org", phone=f"555-02{number:02d}"
        )
        f.guardian_of(run, parent, pupil)
        pupil.refresh_from_db()
        parent.refresh_from_db()
        r.students.append(SimpleNamespace(row=pupil, school=school, section=section, ended=ended))
        r.guardians[pupil.pk] = parent
    r.vendor = sf.vendor("Marker Vendor")
    return r


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    n = 13
    kind = draw(st.sampled_from(list(ScopeKind.values)))
    return {
        "elements": draw(st.sets(st.sampled_from(PAIRS), max_size=len(PAIRS))),
        "kind": kind,
        "schools": draw(st.sets(st.integers(0, 1), min_size=1)),
        "grades": draw(st.sets(st.sampled_from(GRADES), min_size=1)),
        "sections": draw(st.sets(st.integers(0, 2), min_size=1)),
        "rule_and": draw(st.booleans()),
        "basis": draw(st.sampled_from([FerpaBasis.A1, FerpaBasis.A11])),
        "release_needed": draw(st.booleans()),
        "released": draw(st.sets(st.integers(0, n - 1))),
        "revoked_or_expired": draw(st.sets(st.integers(0, n - 1))),
        "opted_out": draw(st.sets(st.integers(0, n - 1))),
        "recruiter": draw(st.booleans()),
        "recruiter_opted_out": draw(st.sets(st.integers(0, n - 1))),
        "pseudonymous": draw(st.booleans()),
        "version": draw(st.sampled_from(["1.1", "1.2"])),
    }


def _in_scope(r: SimpleNamespace, case: dict[str, Any], s: SimpleNamespace) -> bool:
    school = r.schools.index(s.school)
    section = r.sections.index(s.section)
    if s.ended:
        return False
    kind = case["kind"]
    if kind == ScopeKind.DISTRICT:
        return True
    if kind == ScopeKind.SCHOOLS:
        return school in case["schools"]
    if kind == ScopeKind.GRADES:
        return s.row.grade in case["grades"]
    if kind == ScopeKind.SECTIONS:
        return section in case["sections"]
    by_grade = s.row.grade in case["grades"]
    by_school = school in case["schools"]
    return (by_grade and by_school) if case["rule_and"] else (by_grade or by_school)


def _rule(r: SimpleNamespace, case: dict[str, Any]) -> str:
    grades = ", ".join(sorted(case["grades"]))
    schools = ", ".join(f'"{r.schools[i].name}"' for i in sorted(case["schools"]))
    joiner = "and" if case["rule_and"] else "or"
    return f"grade in ({grades}) {joiner} (school in ({schools}))"


def _setup(r: SimpleNamespace, case: dict[str, Any]) -> Any:
    products = []
    if case["release_needed"]:
        products = [sf.product(r.vendor, AppStatus.APPROVED_WITH_GUARDIAN_RELEASE, "Marker App")]
    agreement = sf.agreement(
        r.vendor,
        elements=sorted(case["elements"]),
        scope=case["kind"],
        basis=case["basis"],
        products=products,
        scope_grades=sorted(case["grades"]),
        scope_rule=_rule(r, case),
    )
    agreement.scope_schools.set([r.schools[i] for i in case["schools"]])
    agreement.scope_sections.set([r.sections[i] for i in case["sections"]])
    sf.feed(agreement, pseudonymous=case["pseudonymous"], version=case["version"],
            recruiter=case["recruiter"])  # fmt: skip
    for i in case["released"]:
        lapsed = i in case["revoked_or_expired"]
        sf.release(
            r.students[i].row,
            "Marker App" if i % 2 else "marker  VENDOR",
            sorted(SCOPE_KEYS),
            signed_at=sf.now() + dt.timedelta(days=1) if lapsed else sf.now() - dt.timedelta(1),
        )
    for i in case["opted_out"]:
        sf.opt_out(r.students[i].row, DirectoryOptOut.Kind.ALL)
    for i in case["recruiter_opted_out"]:
        sf.opt_out(r.students[i].row, DirectoryOptOut.Kind.RECRUITERS)
    sf.directory_notice()
    return agreement


def _expected(r: SimpleNamespace, case: dict[str, Any]) -> set[int]:
    out = set()
    for i, s in enumerate(r.students):
        if not _in_scope(r, case, s):
            continue
        if case["release_needed"] and (
            i not in case["released"] or i in case["revoked_or_expired"]
        ):
            continue
        if case["basis"] == FerpaBasis.A11 and i in case["opted_out"]:
            continue
        if case["recruiter"] and i in case["recruiter_opted_out"]:
            continue
        out.add(i)
    return out


def _cells(path: Path) -> tuple[set[str], dict[str, list[dict[str, str]]]]:
    files = sf.read_package(path)
    with zipfile.ZipFile(path) as archive:
        assert "userProfiles.csv" not in archive.namelist()
    cells = {value for rows in files.values() for row in rows for value in row.values()}
    cells |= {part for value in list(cells) for part in value.split(",")}
    return cells, files


def _check(r: SimpleNamespace, case: dict[str, Any], agreement: Any, path: Path) -> None:
    try:
        plan = plan_for(agreement)
    except SharingRefused as exc:  # the roster has a district: nothing should refuse here
        raise AssertionError(exc.messages) from exc
    event(f"{len(plan.student_ids)} students planned")
    allowed = _expected(r, case)
    package.write(plan, path)
    cells, files = _cells(path)
    for row in files.get("users.csv", ()):
        assert row["password"] == ""
    elements = set(case["elements"])
    for i, s in enumerate(r.students):
        pupil = s.row
        ids = {pupil.sourced_id, plan.sourced_id("users", pupil.sourced_id)}
        markers = {getattr(pupil, field) for field in MARKED} | {f"Birthcity{i}x"}
        if i not in allowed:
            assert not (ids | markers) & cells, f"student {i} appears"
            parent = r.guardians[pupil.pk]
            assert parent.given_name not in cells
            continue
        for field, key in MARKED.items():
            if CATALOG[key] not in elements:
                assert getattr(pupil, field) not in cells, (field, CATALOG[key])
        if CATALOG[DEMOGRAPHIC_MARKED["city_of_birth"]] not in elements:
            assert f"Birthcity{i}x" not in cells
        parent = r.guardians[pupil.pk]
        for field, key in GUARDIAN_MARKED.items():
            if CATALOG[key] not in elements:
                assert getattr(parent, field) not in cells, (field, CATALOG[key])
    if case["basis"] == FerpaBasis.A1:  # nothing else can leave anyone out: exact
        sent = {
            i
            for i, s in enumerate(r.students)
            if plan.sourced_id("users", s.row.sourced_id) in cells
        }
        assert sent == allowed
    iep = ("Special Indicator", "Specialized education services (IEP or 504)")
    header = files["demographics.csv"][0] if files.get("demographics.csv") else {}
    assert ("metadata.steward.iep" in header) == (iep in elements and bool(header))


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=cases())
def test_no_student_or_value_leaves_that_the_agreement_and_the_families_do_not_allow(
    roster: SimpleNamespace, tmp_path: Path, case: dict[str, Any]
) -> None:
    try:
        with transaction.atomic():
            agreement = _setup(roster, case)
            _check(roster, case, agreement, tmp_path / "package.zip")
            raise Rollback
    except Rollback:
        pass
