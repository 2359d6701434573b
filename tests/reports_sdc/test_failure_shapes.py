"""The known ways a suppression pattern fails (R94), each caught by the audit and each
repaired by protect()."""

from __future__ import annotations

import numpy as np

from steward.reports.sdc import Rules, audit, build_table, protect
from steward.reports.sdc.patterns import KIND_ROUNDED, KIND_TRIPLE, KIND_ZEROS
from steward.reports.sdc.protect import publish_pattern
from tests.reports_sdc.factories import audited, cell, flat, grid, pattern

BIG = 40


def test_a_lone_suppression_in_a_line_is_given_away_by_its_total() -> None:
    # R94(a): one small cell hidden, its row total shown.
    table = grid([[30, 4, 25], [20, 30, 40], [35, 22, 27]])
    _pub, report = audited(table, pattern(table, [("r0", "c1")]))
    assert not report.ok
    (only,) = report.cells
    assert only.cell == "r=r0, c=c1"
    assert only.disclosed and only.lone
    assert only.low == only.high == 4


def test_protect_repairs_the_lone_suppression() -> None:
    table = grid([[30, 4, 25], [20, 30, 40], [35, 22, 27]])
    protection = protect([table], Rules())
    report = audit(protection.tables, Rules(), exact=True)
    assert report.ok
    assert protection.tables[0].cells[1, 2] == "*"  # r0, c1 (index 0 is the total)
    assert protection.suppressed_count >= 4  # a cycle of suppressed cells, at the least


def test_suppressed_cells_that_are_all_zero_beside_a_published_total_are_refused() -> None:
    # R94(b): "no student of group X passed": zeros are sensitive here, yet the row shows
    # a total equal to the shown cell, so the hidden ones are all 0.
    table = grid([[0, 0, 15], [12, 14, 20], [18, 25, 30]], sensitive_zeros=True)
    mask = pattern(table, [("r0", "c0"), ("r0", "c1")])
    _pub, report = audited(table, mask)
    assert not report.ok
    assert {f.kind for f in report.findings} == {KIND_ZEROS}
    # The row total gives both away, and so does each column's total.
    assert {f.cell for f in report.findings} == {"r=r0, c=Total", "r=Total, c=c0", "r=Total, c=c1"}
    assert all(c.disclosed for c in report.cells if c.cell in ("r=r0, c=c0", "r=r0, c=c1"))


def test_protect_hides_sensitive_zeros_behind_nonzero_cells() -> None:
    table = grid([[0, 0, 15], [12, 14, 20], [18, 25, 30]], sensitive_zeros=True)
    protection = protect([table], Rules())
    report = audit(protection.tables, Rules(), exact=True)
    assert report.ok, report.failures
    assert not report.findings


def _pass_rate_release(counts_suppressed: bool) -> tuple:
    dims = (flat("school", 2), flat("grade", 2))
    tested = build_table("tested", dims, np.array([[40, 30], [25, 50]]), measure="tested")
    passed = build_table("passed", dims, np.array([[38, 4], [20, 45]]), measure="passed")
    rate = build_table(
        "pass rate",
        dims,
        np.array([[38, 4], [20, 45]]),
        np.array([[40, 30], [25, 50]]),
        measure="passed",
        denominator_measure="tested",
    )
    rules = Rules()
    shown_tested = publish_pattern(tested, np.zeros(tested.shape, dtype=bool), rules)
    rate_pub = publish_pattern(rate, np.zeros(rate.shape, dtype=bool), rules)
    release = [shown_tested, rate_pub]
    if counts_suppressed:
        hidden = pattern(passed, [("school0", "grade1")])
        release.append(publish_pattern(passed, hidden, rules))
    return release, rules


def test_numerator_denominator_and_percentage_all_shown_is_refused() -> None:
    # R94(c): the count of 4 is hidden, but 13% of the 30 shown beside it can only be 4.
    release, rules = _pass_rate_release(counts_suppressed=True)
    report = audit(release, rules)
    assert not report.ok
    triple = [f for f in report.findings if f.kind == KIND_TRIPLE]
    assert [f.cell for f in triple] == ["school=school0, grade=grade1"]
    failing = {c.cell for c in report.failures}
    assert "school=school0, grade=grade1" in failing


def test_rounded_percentages_next_to_a_published_n_are_refused() -> None:
    release, rules = _pass_rate_release(counts_suppressed=False)
    report = audit(release, rules)
    assert not report.ok
    kinds = {f.kind for f in report.findings}
    assert kinds == {KIND_ROUNDED}
    # 50% of 40 shown… 20 students: every uncoded percentage over a shown group of ≤100.
    assert any("school=school0, grade=Total" in f.cell for f in report.findings)


def test_two_suppressed_rectangles_joined_by_a_bridge_cell_give_the_bridge_away() -> None:
    # Every row and column holds at least two suppressions, yet the bridge cell lies on no
    # cycle of suppressed cells, so the equations determine it exactly.
    values = np.full((5, 5), BIG)
    values[0, 0], values[0, 1], values[1, 0], values[1, 1] = 3, 4, 5, 2
    values[2, 2], values[2, 3], values[3, 2], values[3, 3] = 6, 3, 2, 7
    values[0, 2] = 4  # the bridge: row r0 with the first rectangle, column c2 with the second
    table = grid(values.tolist())
    mask = (table.counts > 0) & (table.counts < 10)
    for line in mask[1:, 1:]:
        assert line.sum() in (0, 2, 3)
    _pub, report = audited(table, mask)
    bridge = next(c for c in report.cells if c.cell == "r=r0, c=c2")
    assert bridge.disclosed and not bridge.lone
    assert bridge.low == bridge.high == 4
    assert not report.ok
    # The cells of the rectangles are not given away exactly.
    assert sum(c.disclosed for c in report.cells) == 1


def test_protect_repairs_the_bridge() -> None:
    values = np.full((5, 5), BIG)
    values[0, 0], values[0, 1], values[1, 0], values[1, 1] = 3, 4, 5, 2
    values[2, 2], values[2, 3], values[3, 2], values[3, 3] = 6, 3, 2, 7
    values[0, 2] = 4
    table = grid(values.tolist())
    protection = protect([table], Rules())
    report = audit(protection.tables, Rules(), exact=True)
    assert report.ok, report.failures
    assert cell(table, "r0", "c2") in np.flatnonzero(protection.tables[0].suppressed.ravel())
