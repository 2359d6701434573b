"""Property tests: the index agrees with the brute-force reference on random small rosters."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from steward.access.index import (
    AccessIndex,
    CaseloadLink,
    StaffSchool,
    StaffSection,
    StudentSchoolLink,
    StudentSection,
)
from steward.access.policy import ALL_SCOPES, DEFAULT_POLICY, Policy, Rule
from tests.access.reference import Roster, reference_can_access

BASE = dt.date(2026, 9, 1)
STAFF = st.integers(0, 4)
STUDENTS = st.integers(0, 5)
SECTIONS = st.integers(0, 3)
SCHOOLS = st.integers(0, 1)
SCOPES = st.sampled_from(sorted(ALL_SCOPES))
DAYS = st.builds(lambda n: BASE + dt.timedelta(days=n), st.integers(0, 120))
MAYBE_DAY = st.one_of(st.none(), DAYS)
POSITIONS = st.sampled_from(["teacher", "nurse", "principal", "districtAdministrator"])
KINDS = st.sampled_from(["counselor", "specialEducation"])

rosters = st.builds(
    Roster,
    staff_sections=st.lists(st.builds(StaffSection, STAFF, SECTIONS, MAYBE_DAY, MAYBE_DAY)),
    student_sections=st.lists(
        st.builds(StudentSection, STUDENTS, SECTIONS, MAYBE_DAY, MAYBE_DAY), max_size=15
    ),
    staff_schools=st.lists(
        st.builds(StaffSchool, STAFF, SCHOOLS, POSITIONS, MAYBE_DAY, MAYBE_DAY), max_size=5
    ),
    student_schools=st.lists(
        st.builds(StudentSchoolLink, STUDENTS, SCHOOLS, MAYBE_DAY, MAYBE_DAY), max_size=8
    ),
    caseloads=st.lists(
        st.builds(CaseloadLink, STAFF, STUDENTS, KINDS, MAYBE_DAY, MAYBE_DAY), max_size=6
    ),
)
policies = st.one_of(
    st.just(DEFAULT_POLICY),
    st.integers(0, 40).map(
        lambda grace: Policy(
            Rule(r.relation, r.scopes, r.qualifier, grace if r.relation == "section" else 0)
            for r in DEFAULT_POLICY.rules
        )
    ),
)
queries = st.lists(st.tuples(STAFF, STUDENTS, SCOPES, DAYS), min_size=1, max_size=30)


def build(roster: Roster, policy: Policy) -> AccessIndex:
    return AccessIndex.build(
        staff_sections=roster.staff_sections,
        student_sections=roster.student_sections,
        staff_schools=roster.staff_schools,
        student_schools=roster.student_schools,
        caseloads=roster.caseloads,
        policy=policy,
    )


@settings(max_examples=400, deadline=None)
@given(rosters, policies, queries)
def test_can_access_agrees_with_reference(roster: Roster, policy: Policy, qs: list) -> None:
    index = build(roster, policy)
    for actor, student, scope, at in qs:
        expected = reference_can_access(roster, actor, student, scope, at, policy)
        assert index.can_access(actor, student, scope, at) is expected
        assert bool(index.why(actor, student, scope, at)) is expected


@settings(max_examples=200, deadline=None)
@given(rosters, policies, SCOPES, DAYS)
def test_listings_equal_the_checks(roster: Roster, policy: Policy, scope: str, at: dt.date) -> None:
    index = build(roster, policy)
    for actor in range(5):
        expected = {s for s in range(6) if index.can_access(actor, s, scope, at)}
        assert index.visible_students(actor, scope, at) == expected
    for student in range(6):
        expected = {a for a in range(5) if index.can_access(a, student, scope, at)}
        assert index.who_can_access(student, scope, at) == expected
