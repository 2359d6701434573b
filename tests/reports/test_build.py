"""The report builder end to end: SQL counts laid out with every margin, protected and
audited (R90–R98)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from steward.reports import build
from steward.reports.sdc.published import SUPPRESSED
from steward.reports.sdc.rules import Rules
from steward.reports.spec import Family, Geography, Grades, Measure, ReportSpec
from steward.roster.models import StudentSchool

from .factories import AS_OF, district

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> SimpleNamespace:
    return district(seed=5, students=180)


def test_enrollment_by_school_grade_and_race_is_protected_and_passes_its_audit(
    world: SimpleNamespace,
) -> None:
    spec = ReportSpec(Measure.ENROLLMENT, Geography.SCHOOL, Grades.BAND, Family.RACE, AS_OF)
    built = build.build(spec, Rules())
    table = built.table
    assert [d.name for d in table.dims] == ["geography", "grade", "subgroup"]
    geography = table.dims[0]
    assert geography.categories[0] == "district"
    assert {geography.parents[f"school:{s.pk}"] for s in world.schools.values()} == {
        "level:elementary",
        "level:middle",
        "level:high",
    }
    # The grand total is every counted student, and it is published.
    assert table.counts[0, 0, 0] == 180
    assert built.published.cells[0, 0, 0] == "180"
    pub = built.published
    small = (table.counts > 0) & (table.counts < 10)
    assert np.all(pub.suppressed[small])
    assert np.all(pub.cells[pub.suppressed] == SUPPRESSED)
    assert pub.secondary.any()
    assert built.audit.ok
    assert built.labels["geography"]["district"] == "Model District"
    assert built.labels["subgroup"]["race:asian"] == "Asian"


def test_a_rate_is_published_as_coded_percentages_and_never_beside_its_group_size(
    world: SimpleNamespace,
) -> None:
    spec = ReportSpec(
        Measure.PROFICIENCY, Geography.LEVEL, Grades.ALL, Family.LOW_INCOME, AS_OF, subject="ela"
    )
    built = build.build(spec, Rules())
    pub = built.published
    shown = [str(c) for c in pub.cells.ravel() if c != SUPPRESSED]
    assert shown and all(c.endswith("%") or c == "–" for c in shown)
    assert built.table.is_rate
    assert built.table.rare  # low income: the stricter threshold (R98)
    assert built.audit.ok


def test_a_spec_with_no_breakdown_is_refused(world: SimpleNamespace) -> None:
    spec = ReportSpec(Measure.ENROLLMENT, Geography.DISTRICT, Grades.ALL, Family.NONE, AS_OF)
    with pytest.raises(ValidationError, match="Break the table down"):
        build.build(spec, Rules())


def test_a_date_with_nobody_enrolled_is_refused(world: SimpleNamespace) -> None:
    StudentSchool.objects.all().delete()
    spec = ReportSpec(Measure.ENROLLMENT, Geography.SCHOOL, Grades.ALL, Family.NONE, AS_OF)
    with pytest.raises(ValidationError, match="No student is counted"):
        build.build(spec, Rules())
