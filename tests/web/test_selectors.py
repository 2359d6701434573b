"""Selector contracts: what "current" means, and query counts that do not grow with the data."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest

from steward.accounts import selectors
from steward.roster.models import Caseload, StaffRole

from . import factories as f

CountQueries = Callable[[int], object]


def test_it_counts_a_row_current_on_its_first_and_last_day(district: SimpleNamespace) -> None:
    d = district
    f.staff_role(d.run, d.nina, d.north, StaffRole.Position.NURSE, f.today(), f.today())
    at = f.today()
    assert [s.name for s in selectors.staff_schools(d.nina, at)] == [
        "Adams Elementary",
        "Baker Middle",
    ]
    assert selectors.staff_schools(d.nina, f.days(1)) == [
        selectors.SchoolRow(sourced_id=d.south.sourced_id, name="Baker Middle")
    ]


def test_it_does_not_count_a_role_that_starts_tomorrow(district: SimpleNamespace) -> None:
    d = district
    f.staff_role(d.run, d.tess, d.south, StaffRole.Position.PRINCIPAL, f.days(1))
    assert selectors.principal_schools(d.tess, f.today()) == []
    assert [s.name for s in selectors.principal_schools(d.tess, f.days(1))] == ["Baker Middle"]


def test_it_ignores_an_inactive_staff_enrollment_even_without_an_end_date(
    district: SimpleNamespace,
) -> None:
    d = district
    f.enroll(d.run, d.tess, d.science, active=False)
    assert [s.title for s in selectors.taught_sections(d.tess, f.today())] == ["Grade 3 Math"]


def test_it_returns_nothing_for_an_account_without_a_staff_row(db: None) -> None:
    at = f.today()
    assert selectors.staff_schools(None, at) == []
    assert selectors.principal_schools(None, at) == []
    assert selectors.taught_sections(None, at) == []
    assert selectors.caseload_size(None, at, Caseload.Kind.COUNSELOR) == 0
    assert selectors.sections_by_school([]) == []


def test_it_keeps_the_teacher_query_count_flat_as_sections_grow(
    district: SimpleNamespace, django_assert_num_queries: Callable[..., object]
) -> None:
    d = district
    for n in range(10):
        s = f.section(d.run, d.north, f"Extra {n}", [d.fall, d.spring], course_title=f"C{n}")
        f.enroll(d.run, d.tess, s)
    with django_assert_num_queries(2):  # type: ignore[attr-defined]
        sections = selectors.taught_sections(d.tess, f.today())
    assert len(sections) == 11


def test_it_keeps_the_principal_query_count_flat_as_sections_grow(
    district: SimpleNamespace, django_assert_num_queries: Callable[..., object]
) -> None:
    d = district
    for n in range(10):
        f.section(d.run, d.north, f"Extra {n}", [d.fall], course_title=f"C{n}")
    with django_assert_num_queries(3):  # type: ignore[attr-defined]
        groups = selectors.sections_by_school(selectors.principal_schools(d.paula, f.today()))
    assert len(groups[0].sections) == 14


def test_it_keeps_the_guardian_query_count_flat_as_children_grow(
    district: SimpleNamespace, django_assert_num_queries: Callable[..., object]
) -> None:
    d = district
    for n in range(5):
        child = f.student(d.run, f"Kid{n}", "Avery")
        f.attend(d.run, child, d.north)
        f.guardian_of(d.run, d.gail, child)
        for on in [d.math, d.reading, d.advisory]:
            f.enroll(d.run, child, on)
    with django_assert_num_queries(4):  # type: ignore[attr-defined]
        children = selectors.guardian_children(d.gail, f.today())
    assert len(children) == 7
    assert all(len(c.sections) == 3 for c in children if c.name.startswith("Kid"))


def test_it_counts_schools_for_the_officer_in_one_query(
    district: SimpleNamespace, django_assert_num_queries: Callable[..., object]
) -> None:
    with django_assert_num_queries(1):  # type: ignore[attr-defined]
        assert len(selectors.district_schools(f.today())) == 2


@pytest.mark.parametrize("kind", [Caseload.Kind.COUNSELOR, Caseload.Kind.SPECIAL_EDUCATION])
def test_it_counts_a_caseload_in_one_query(
    district: SimpleNamespace, django_assert_num_queries: Callable[..., object], kind: str
) -> None:
    with django_assert_num_queries(1):  # type: ignore[attr-defined]
        selectors.caseload_size(district.carl, f.today(), kind)


def test_it_shows_a_section_once_for_a_child_enrolled_twice(district: SimpleNamespace) -> None:
    d = district
    f.enroll(d.run, d.ann, d.math, f.days(-5))
    [ann, _ben] = selectors.guardian_children(d.gail, f.today())
    assert [s.title for s in ann.sections] == ["Grade 3 Math", "Grade 3 Reading"]


def test_it_leaves_out_an_inactive_student(district: SimpleNamespace) -> None:
    d = district
    d.ben.active = False
    d.ben.save(update_fields=["active"])
    assert [c.name for c in selectors.guardian_children(d.gail, f.today())] == ["Ann Avery"]
