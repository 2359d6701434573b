"""Property test over the database: for random rosters written to the roster tables, the
loaded index agrees with the SQL oracle on random questions (issue #4)."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings

from steward.access import oracle, service
from steward.access.loader import load_index
from steward.access.policy import DEFAULT_POLICY
from tests.access.reference import Roster
from tests.access.test_properties import queries, rosters
from tests.web import factories as f


def _write(roster: Roster) -> tuple[dict[int, int], dict[int, int]]:
    """Write `roster` (small integer ids) to the database; return staff and student pk maps.

    The tables hold one school membership, staff position and caseload entry per key, so
    later duplicates in the random roster are dropped: both sides read the same tables.
    """
    run = f.import_run()
    schools = {n: f.org(run, f"School {n}") for n in range(2)}
    sections = {n: f.section(run, schools[n % 2], f"Section {n}") for n in range(4)}
    staff = {n: f.staff(run, f"Staff{n}", "S") for n in range(5)}
    students = {n: f.student(run, f"Kid{n}", "K") for n in range(6)}
    for r in roster.staff_sections:
        f.enroll(run, staff[r.staff], sections[r.section], r.begin, r.end)
    for s in roster.student_sections:
        f.enroll(run, students[s.student], sections[s.section], s.begin, s.end)
    seen: set[tuple[object, ...]] = set()
    for ss in roster.staff_schools:
        if ("role", ss.staff, ss.school, ss.position) not in seen:
            seen.add(("role", ss.staff, ss.school, ss.position))
            f.staff_role(run, staff[ss.staff], schools[ss.school], ss.position, ss.begin, ss.end)
    for link in roster.student_schools:
        if ("school", link.student, link.school) not in seen:
            seen.add(("school", link.student, link.school))
            f.attend(run, students[link.student], schools[link.school], link.begin, link.end)
    for c in roster.caseloads:
        if ("caseload", c.staff, c.student, c.kind) not in seen:
            seen.add(("caseload", c.staff, c.student, c.kind))
            f.caseload(run, staff[c.staff], students[c.student], c.kind, c.begin, c.end)
    return {n: s.pk for n, s in staff.items()}, {n: s.pk for n, s in students.items()}


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roster=rosters, questions=queries)
def test_the_loaded_index_agrees_with_the_sql_oracle(roster: Roster, questions: list) -> None:
    with transaction.atomic():
        staff, students = _write(roster)
        index = load_index(DEFAULT_POLICY)
        for member, pupil, scope, day in questions:
            expected = oracle.can_access(DEFAULT_POLICY, staff[member], students[pupil], scope, day)
            got = index.can_access(staff[member], students[pupil], scope, day)
            assert got == expected, (member, pupil, scope, day)
            visible = index.visible_students(staff[member], scope, day)
            assert (students[pupil] in visible) == expected
        transaction.set_rollback(True)
    service.reset()
