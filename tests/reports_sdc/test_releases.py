"""Releases of several tables and series of releases: linked cells and history (R97)."""

from __future__ import annotations

import numpy as np
import pytest

from steward.reports.sdc import CannotProtect, Rules, audit, build_table, protect
from steward.reports.sdc.protect import publish_pattern
from steward.reports.sdc.synthetic import enrollment
from tests.reports_sdc.factories import flat, grid, pattern

VALUES = [[4, 30, 22], [25, 40, 31], [28, 35, 26]]


def _history():  # type: ignore[no-untyped-def]
    """Last year's release of the same numbers, protected by one rectangle."""
    table = grid(VALUES, "by row and column", measure="enrollment 2025")
    mask = pattern(table, [("r0", "c0"), ("r0", "c1"), ("r1", "c0"), ("r1", "c1")])
    return table, publish_pattern(table, mask, Rules())


def test_each_release_alone_passes_but_together_they_give_a_cell_away() -> None:
    _table, history = _history()
    assert audit([history], Rules()).ok
    # A re-release of the same numbers, protected by another rectangle.
    again = grid(VALUES, "by row and column, revised", measure="enrollment 2025")
    mask = pattern(again, [("r0", "c0"), ("r0", "c2"), ("r2", "c0"), ("r2", "c2")])
    release = publish_pattern(again, mask, Rules())
    assert audit([release], Rules()).ok
    joint = audit([release], Rules(), history=[history])
    assert not joint.ok
    given_away = {c.cell for c in joint.exact_disclosures}
    assert "r=r0, c=c0" in given_away
    # The history's own cell is re-audited as well.
    assert any(c.history for c in joint.cells)


def test_protect_takes_the_history_into_account() -> None:
    _table, history = _history()
    again = grid(VALUES, "by row and column, revised", measure="enrollment 2025")
    protection = protect([again], Rules(), history=[history])
    report = audit(protection.tables, Rules(), history=[history], exact=True)
    assert report.ok, report.failures


def test_a_measure_of_another_period_is_not_linked() -> None:
    _table, history = _history()
    next_year = grid(VALUES, "next year", measure="enrollment 2026")
    mask = pattern(next_year, [("r0", "c0"), ("r0", "c2"), ("r2", "c0"), ("r2", "c2")])
    release = publish_pattern(next_year, mask, Rules())
    assert audit([release], Rules(), history=[history]).ok


def test_tables_of_one_release_that_share_margins_are_protected_together() -> None:
    school = flat("school", 4)
    by_grade = build_table(
        "by grade",
        (school, flat("grade", 3)),
        np.array([[3, 25, 30], [20, 24, 26], [30, 8, 28], [22, 21, 27]]),
        measure="enrollment",
    )
    by_sex = build_table(
        "by sex",
        (school, flat("sex", 2)),
        np.array([[1, 57], [35, 35], [30, 36], [40, 30]]),
        measure="enrollment",
    )
    rules = Rules()
    protection = protect([by_grade, by_sex], rules)
    report = audit(protection.tables, rules, exact=True)
    assert report.ok, report.failures
    assert {c.table for c in report.cells} == {"by grade", "by sex"}
    # A school total is one number: hidden in both tables or shown in both.
    grade_pub, sex_pub = protection.tables
    assert np.array_equal(grade_pub.suppressed[:, 0], sex_pub.suppressed[:, 0])


def test_a_cell_the_history_already_gives_away_cannot_be_protected() -> None:
    table = grid(VALUES, "leaky", measure="enrollment 2025")
    leaky = publish_pattern(table, pattern(table, [("r0", "c0")]), Rules())
    again = grid(VALUES, "again", measure="enrollment 2025")
    with pytest.raises(CannotProtect):
        protect([again], Rules(), history=[leaky])


def test_table_names_in_a_release_must_be_unique() -> None:
    with pytest.raises(ValueError, match="unique"):
        protect([grid(VALUES, "t"), grid(VALUES, "t")], Rules())


def test_a_rate_table_is_protected_on_its_numerators() -> None:
    # Attendance-style rates with small groups: the engine assumes group sizes are public.
    rng = np.random.default_rng(5)
    sizes = rng.integers(4, 60, size=(5, 4))
    counts = (sizes * rng.uniform(0.5, 1.0, size=sizes.shape)).astype(int)
    dims = (flat("school", 5), flat("group", 4))
    table = build_table("rates", dims, counts, sizes, measure="present", denominator_measure="n")
    rules = Rules()
    protection = protect([table], rules)
    pub = protection.tables[0]
    den = table.denominators
    assert den is not None
    assert np.all(pub.suppressed[(den > 0) & (den < 10)])
    assert all(str(c).endswith("%") or c in ("*", "–") for c in pub.cells.ravel())
    report = audit(protection.tables, rules, exact=True)
    assert report.ok, report.failures


def test_the_release_report_is_json_ready() -> None:
    table = enrollment(5, seed=4)
    protection = protect([table], Rules())
    data = audit(protection.tables, Rules()).to_dict()
    assert data["ok"] is True
    assert data["failures"] == 0
    assert data["rules"] == Rules().to_dict()
    assert len(data["cells"]) == int(protection.tables[0].primary.sum())  # type: ignore[arg-type]
