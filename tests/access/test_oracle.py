"""The in-process index agrees with the SQL oracle on real roster tables (issue #4;
access-control.md §5: 100% agreement, date boundaries included)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from steward.access import oracle, service
from steward.access.loader import current_policy
from steward.access.policy import ALL_SCOPES, DEFAULT_POLICY
from steward.roster.importer import import_package
from steward.roster.models import Caseload, Enrollment, Staff, StaffRole, Student, StudentSchool
from steward.roster.oneroster.generate import generate_package

DAY = dt.timedelta(days=1)


@pytest.fixture
def generated(db: None, tmp_path: Path) -> None:
    generate_package(tmp_path / "pkg", students=300, seed=11)
    import_package(tmp_path / "pkg")


def _boundary_days() -> list[dt.date]:
    """Every begin and end date in the roster, with the days either side and the grace edges."""
    days: set[dt.date] = set()
    for model in (Enrollment, StaffRole, StudentSchool, Caseload):
        for begin, end in model.objects.values_list("begin_date", "end_date").distinct():
            for day in (begin, end):
                if day is not None:
                    days |= {day - DAY, day, day + DAY}
            if end is not None:
                days |= {end + 30 * DAY, end + 31 * DAY}
    return sorted(days)


@pytest.mark.slow
def test_the_index_agrees_with_the_sql_oracle_on_a_generated_district(generated: None) -> None:
    rng = random.Random(5)
    staff = list(Staff.objects.values_list("pk", flat=True))
    students = list(Student.objects.values_list("pk", flat=True))
    # Likely-allowed pairs too, or almost every random pair would be a plain "no".
    pairs = list(Enrollment.objects.filter(role="teacher").values_list("staff_id", "section_id"))
    by_section: dict[int, list[int]] = {}
    for student, section in Enrollment.objects.filter(student__isnull=False).values_list(
        "student_id", "section_id"
    ):
        by_section.setdefault(section, []).append(student)
    days = _boundary_days()
    scopes = sorted(ALL_SCOPES)
    index = service.current_index()
    policy = current_policy()
    assert policy == DEFAULT_POLICY
    allowed = checked = 0
    for n in range(2_000):
        if n % 2 and pairs:
            member, section = rng.choice(pairs)
            pupil = rng.choice(by_section.get(section, students))
        else:
            member, pupil = rng.choice(staff), rng.choice(students)
        day, scope = rng.choice(days), rng.choice(scopes)
        expected = oracle.can_access(policy, member, pupil, scope, day)
        assert index.can_access(member, pupil, scope, day) == expected, (member, pupil, scope, day)
        allowed += expected
        checked += 1
    assert 0.1 < allowed / checked < 0.9  # the sample exercises both answers


@pytest.mark.slow
def test_visible_students_is_exactly_the_set_the_oracle_allows(generated: None) -> None:
    rng = random.Random(8)
    students = list(Student.objects.values_list("pk", flat=True))
    teachers = list(
        Enrollment.objects.filter(role="teacher").values_list("staff_id", flat=True).distinct()
    )
    others = list(StaffRole.objects.exclude(position="teacher").values_list("staff_id", flat=True))
    index = service.current_index()
    days = _boundary_days()
    for member in rng.sample(teachers, 3) + rng.sample(others, min(3, len(others))):
        day = rng.choice(days)
        for scope in ("directory", "health", "special_education"):
            expected = {
                s for s in students if oracle.can_access(DEFAULT_POLICY, member, s, scope, day)
            }
            assert index.visible_students(member, scope, day) == expected, (member, scope, day)
