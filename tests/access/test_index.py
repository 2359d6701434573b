"""The access index: each default rule with date boundaries, withdrawals, section changes,
two roles, the explanations, and listings."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.access.index import (
    AccessIndex,
    CaseloadLink,
    StaffSchool,
    StaffSection,
    StudentSchoolLink,
    StudentSection,
)
from steward.access.policy import (
    ALL_SCOPES,
    ATTENDANCE,
    DEFAULT_POLICY,
    DIRECTORY,
    DISCIPLINE,
    GRADES_TRANSCRIPT,
    HEALTH,
    PRINCIPAL_SCOPES,
    SPECIAL_EDUCATION,
    TEACHER_SCOPES,
    Policy,
    Rule,
)

D = dt.date
DAY = dt.timedelta(days=1)
BEGIN = D(2026, 9, 2)
END = D(2027, 1, 24)
GRACE_LAST = END + 30 * DAY

TEACHER, COUNSELOR, NURSE, PRINCIPAL, SPED, SUPER = 1, 2, 3, 4, 5, 6
ALICE, BOB, CARA = 101, 102, 103
ALG, BIO = 11, 12
SCHOOL_A, SCHOOL_B = 21, 22


def teacher_index(**extra: list) -> AccessIndex:
    return AccessIndex.build(
        staff_sections=[StaffSection(TEACHER, ALG, BEGIN, END)],
        student_sections=[StudentSection(ALICE, ALG, BEGIN, END)],
        **extra,
    )


@pytest.mark.parametrize(
    ("day", "allowed"),
    [
        (BEGIN - DAY, False),
        (BEGIN, True),
        (END, True),
        (GRACE_LAST, True),
        (GRACE_LAST + DAY, False),
    ],
)
def test_teacher_section_boundaries(day: dt.date, allowed: bool) -> None:
    index = teacher_index()
    assert index.can_access(TEACHER, ALICE, ATTENDANCE, day) is allowed
    assert (index.visible_students(TEACHER, ATTENDANCE, day) == {ALICE}) is allowed
    assert (index.who_can_access(ALICE, ATTENDANCE, day) == {TEACHER}) is allowed
    assert bool(index.why(TEACHER, ALICE, ATTENDANCE, day)) is allowed


def test_teacher_default_scopes() -> None:
    index = teacher_index()
    for scope in sorted(ALL_SCOPES):
        assert index.can_access(TEACHER, ALICE, scope, BEGIN) is (scope in TEACHER_SCOPES), scope
    assert not index.can_access(TEACHER, ALICE, HEALTH, BEGIN)
    assert not index.can_access(TEACHER, ALICE, DISCIPLINE, BEGIN)
    assert not index.can_access(TEACHER, BOB, ATTENDANCE, BEGIN)  # not on the roster


def test_why_explains_the_section_and_grace() -> None:
    (reason,) = teacher_index().why(TEACHER, ALICE, GRADES_TRANSCRIPT, D(2026, 10, 1))
    assert reason.via == ALG
    assert str(reason) == (
        "via section 11, enrolled 2026-09-02 to 2027-01-24, grace period to 2027-02-23"
    )


def test_withdrawal_ends_access_after_grace() -> None:
    withdrawn = D(2026, 11, 13)
    index = AccessIndex.build(
        staff_sections=[StaffSection(TEACHER, ALG, BEGIN, END)],
        student_sections=[StudentSection(ALICE, ALG, BEGIN, withdrawn)],
    )
    assert index.can_access(TEACHER, ALICE, ATTENDANCE, withdrawn)
    assert index.can_access(TEACHER, ALICE, ATTENDANCE, withdrawn + 30 * DAY)
    assert not index.can_access(TEACHER, ALICE, ATTENDANCE, withdrawn + 31 * DAY)
    assert not index.can_access(TEACHER, ALICE, ATTENDANCE, END)
    (reason,) = index.why(TEACHER, ALICE, ATTENDANCE, withdrawn)
    assert reason.end == withdrawn


def test_mid_year_section_change() -> None:
    switch = D(2026, 11, 2)
    other_teacher = 7
    index = AccessIndex.build(
        staff_sections=[
            StaffSection(TEACHER, ALG, BEGIN, END),
            StaffSection(other_teacher, BIO, BEGIN, END),
        ],
        student_sections=[
            StudentSection(ALICE, ALG, BEGIN, switch - DAY),
            StudentSection(ALICE, BIO, switch, END),
        ],
    )
    assert index.can_access(TEACHER, ALICE, ATTENDANCE, switch - DAY)
    assert not index.can_access(other_teacher, ALICE, ATTENDANCE, switch - DAY)
    assert index.can_access(other_teacher, ALICE, ATTENDANCE, switch)
    # the first teacher keeps the grace period after the move, then loses access
    assert index.can_access(TEACHER, ALICE, ATTENDANCE, switch - DAY + 30 * DAY)
    assert not index.can_access(TEACHER, ALICE, ATTENDANCE, switch + 30 * DAY)
    assert index.who_can_access(ALICE, ATTENDANCE, switch + 30 * DAY) == {other_teacher}


def test_non_overlapping_enrollments_grant_nothing() -> None:
    # the teacher left the section before the student joined it
    index = AccessIndex.build(
        staff_sections=[StaffSection(TEACHER, ALG, BEGIN, D(2026, 10, 1))],
        student_sections=[StudentSection(ALICE, ALG, D(2026, 10, 2), END)],
    )
    for day in (D(2026, 10, 1), D(2026, 10, 2), D(2026, 10, 20)):
        assert not index.can_access(TEACHER, ALICE, ATTENDANCE, day)
    assert index.visible_students(TEACHER, ATTENDANCE, D(2026, 10, 2)) == set()


@pytest.mark.parametrize(
    ("day", "allowed"),
    [(BEGIN - DAY, False), (BEGIN, True), (END, True), (END + DAY, False)],
)
def test_counselor_caseload_boundaries(day: dt.date, allowed: bool) -> None:
    index = AccessIndex.build(caseloads=[CaseloadLink(COUNSELOR, BOB, "counselor", BEGIN, END)])
    assert index.can_access(COUNSELOR, BOB, DISCIPLINE, day) is allowed
    assert not index.can_access(COUNSELOR, BOB, HEALTH, day)
    assert not index.can_access(COUNSELOR, BOB, SPECIAL_EDUCATION, day)
    assert not index.can_access(COUNSELOR, ALICE, DISCIPLINE, day)
    assert (index.visible_students(COUNSELOR, DISCIPLINE, day) == {BOB}) is allowed


@pytest.mark.parametrize(
    ("day", "allowed"),
    [(BEGIN - DAY, False), (BEGIN, True), (END, True), (END + DAY, False)],
)
def test_special_education_caseload_boundaries(day: dt.date, allowed: bool) -> None:
    index = AccessIndex.build(caseloads=[CaseloadLink(SPED, BOB, "specialEducation", BEGIN, END)])
    assert index.can_access(SPED, BOB, SPECIAL_EDUCATION, day) is allowed
    assert not index.can_access(SPED, BOB, DISCIPLINE, day)
    assert not index.can_access(SPED, BOB, HEALTH, day)
    reasons = index.why(SPED, BOB, SPECIAL_EDUCATION, day)
    assert [r.qualifier for r in reasons] == (["specialEducation"] if allowed else [])


def school_index(position: str, staff: int) -> AccessIndex:
    return AccessIndex.build(
        staff_schools=[StaffSchool(staff, SCHOOL_A, position, BEGIN, None)],
        student_schools=[
            StudentSchoolLink(ALICE, SCHOOL_A, BEGIN, END),
            StudentSchoolLink(BOB, SCHOOL_B, BEGIN, END),
            StudentSchoolLink(CARA, SCHOOL_A, None, None),
        ],
    )


@pytest.mark.parametrize(
    ("day", "allowed"),
    [(BEGIN - DAY, False), (BEGIN, True), (END, True), (END + DAY, False)],
)
def test_nurse_school_boundaries(day: dt.date, allowed: bool) -> None:
    index = school_index("nurse", NURSE)
    assert index.can_access(NURSE, ALICE, HEALTH, day) is allowed
    assert index.can_access(NURSE, ALICE, DIRECTORY, day) is allowed
    assert not index.can_access(NURSE, ALICE, ATTENDANCE, day)
    assert not index.can_access(NURSE, BOB, HEALTH, day)  # another school
    expected = ({ALICE} if allowed else set()) | ({CARA} if day >= BEGIN else set())
    assert index.visible_students(NURSE, HEALTH, day) == expected


@pytest.mark.parametrize(
    ("day", "allowed"),
    [(BEGIN - DAY, False), (BEGIN, True), (END, True), (END + DAY, False)],
)
def test_principal_school_boundaries(day: dt.date, allowed: bool) -> None:
    index = school_index("principal", PRINCIPAL)
    for scope in sorted(ALL_SCOPES):
        expected = allowed and scope in PRINCIPAL_SCOPES
        assert index.can_access(PRINCIPAL, ALICE, scope, day) is expected, scope
    assert not index.can_access(PRINCIPAL, ALICE, HEALTH, day)
    assert not index.can_access(PRINCIPAL, BOB, DIRECTORY, day)
    if allowed:
        (reason,) = index.why(PRINCIPAL, ALICE, DISCIPLINE, day)
        assert str(reason) == "as principal at school 21, enrolled 2026-09-02 to 2027-01-24"


def test_district_roles_get_nothing_by_default() -> None:
    index = AccessIndex.build(
        staff_schools=[
            StaffSchool(SUPER, SCHOOL_A, "districtAdministrator"),
            StaffSchool(SUPER, SCHOOL_A, "recordsCustodian"),
            StaffSchool(SUPER, SCHOOL_A, "teacher"),  # a teacher role alone grants nothing
        ],
        student_schools=[StudentSchoolLink(ALICE, SCHOOL_A)],
    )
    for scope in sorted(ALL_SCOPES):
        assert not index.can_access(SUPER, ALICE, scope, BEGIN)
        assert index.visible_students(SUPER, scope, BEGIN) == set()
        assert index.who_can_access(ALICE, scope, BEGIN) == set()


def test_staff_member_with_two_roles() -> None:
    # teaches Alice's section and is Bob's counselor
    index = AccessIndex.build(
        staff_sections=[StaffSection(TEACHER, ALG, BEGIN, END)],
        student_sections=[StudentSection(ALICE, ALG, BEGIN, END)],
        caseloads=[CaseloadLink(TEACHER, BOB, "counselor", BEGIN, None)],
    )
    day = D(2026, 10, 1)
    assert index.can_access(TEACHER, ALICE, ATTENDANCE, day)
    assert not index.can_access(TEACHER, ALICE, DISCIPLINE, day)  # teacher path: no discipline
    assert index.can_access(TEACHER, BOB, DISCIPLINE, day)
    assert index.visible_students(TEACHER, ATTENDANCE, day) == {ALICE, BOB}
    assert index.visible_students(TEACHER, DISCIPLINE, day) == {BOB}
    # both paths to the same student give two reasons
    both = AccessIndex.build(
        staff_sections=[StaffSection(TEACHER, ALG, BEGIN, END)],
        student_sections=[StudentSection(ALICE, ALG, BEGIN, END)],
        caseloads=[CaseloadLink(TEACHER, ALICE, "counselor", BEGIN, None)],
    )
    reasons = both.why(TEACHER, ALICE, ATTENDANCE, day)
    assert [r.relation for r in reasons] == ["section", "caseload"]
    assert str(reasons[1]) == "via counselor caseload (counselor), assigned 2026-09-02 to open"


def test_grace_period_is_configuration() -> None:
    policy = Policy(
        Rule(r.relation, r.scopes, r.qualifier, 0, r.label) for r in DEFAULT_POLICY.rules
    )
    index = AccessIndex.build(
        staff_sections=[StaffSection(TEACHER, ALG, BEGIN, END)],
        student_sections=[StudentSection(ALICE, ALG, BEGIN, END)],
        policy=policy,
    )
    assert index.can_access(TEACHER, ALICE, ATTENDANCE, END)
    assert not index.can_access(TEACHER, ALICE, ATTENDANCE, END + DAY)
    assert index.why(TEACHER, ALICE, ATTENDANCE, END)[0].grace_until is None


def test_policy_round_trips_as_data() -> None:
    assert Policy.from_dict(DEFAULT_POLICY.to_dict()) == DEFAULT_POLICY


@pytest.mark.parametrize(
    "bad",
    [
        {"relation": "friendship", "scopes": [], "qualifier": "x"},
        {"relation": "section", "scopes": ["gossip"]},
        {"relation": "school", "scopes": ["health"]},
        {"relation": "caseload", "scopes": ["health"], "qualifier": "counselor", "grace_days": 3},
    ],
)
def test_policy_rejects_bad_rules(bad: dict) -> None:
    with pytest.raises(ValueError):
        Rule.from_dict(bad)


def test_record_with_begin_after_end_grants_nothing() -> None:
    index = AccessIndex.build(
        caseloads=[CaseloadLink(COUNSELOR, BOB, "counselor", END, BEGIN)],
    )
    assert not index.can_access(COUNSELOR, BOB, DIRECTORY, D(2026, 12, 1))
