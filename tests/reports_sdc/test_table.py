"""Tables, dimensions and hierarchies, their equations, and the JSON form a release keeps."""

from __future__ import annotations

import numpy as np
import pytest

from steward.reports.sdc import Dimension, PublishedTable, Rules, Table, build_table, protect
from steward.reports.sdc.synthetic import enrollment, school_dimension
from tests.reports_sdc.factories import flat, grid


def test_a_dimension_needs_its_total() -> None:
    with pytest.raises(ValueError, match="total"):
        Dimension("sex", ("F", "M"))


def test_a_hierarchy_must_reach_the_total_without_cycles() -> None:
    with pytest.raises(ValueError, match="cycle"):
        Dimension("x", ("Total", "a", "b"), {"a": "b", "b": "a"})
    with pytest.raises(ValueError, match="no group"):
        Dimension("x", ("Total", "a", "b"), {"a": "Total"})


def test_a_hierarchy_knows_its_groups_and_leaves() -> None:
    dim = school_dimension(5, hierarchy=True)
    elementary = dim.index["Elementary"]
    assert [dim.categories[i] for i in dim.children[elementary]] == [
        "School 001",
        "School 002",
        "School 003",
    ]
    assert len(dim.leaves) == 5
    assert dim.ancestors(dim.index["School 004"]) == [dim.index["Middle"], dim.root]


def test_counts_must_add_up_along_every_axis() -> None:
    table = grid([[1, 2], [3, 4]])
    broken = table.counts.copy()
    broken[0, 0] += 1
    with pytest.raises(ValueError, match="not additive"):
        Table("broken", table.dims, broken)


def test_counts_cannot_be_negative_or_fractional() -> None:
    dims = (flat("r", 1),)
    with pytest.raises(ValueError, match="negative"):
        Table("t", dims, np.array([-1, -1]))
    with pytest.raises(ValueError, match="whole"):
        Table("t", dims, np.array([1.5, 1.5]))


def test_a_count_cannot_exceed_its_denominator() -> None:
    dims = (flat("r", 1),)
    with pytest.raises(ValueError, match="exceeds"):
        build_table("t", dims, np.array([5]), np.array([4]))


def test_equations_hold_one_row_per_margin_cell_and_axis() -> None:
    table = enrollment(6, hierarchy=True, seed=3)
    assert not np.any(table.equations @ table.counts.ravel())
    # school: 3 groups (district + 2 levels present) × 14 × 8; grade: 1 × 9 × 8; race: 9 × 14
    groups = [sum(1 for k in d.children if k) for d in table.dims]
    expected = sum(
        g * int(np.prod(table.shape)) // n for g, n in zip(groups, table.shape, strict=True)
    )
    assert table.equations.shape[0] == expected


def test_cells_of_one_measure_link_across_tables_by_their_categories() -> None:
    by_grade = enrollment(3, seed=1)
    label = by_grade.cell_key(0)
    assert label == ("enrollment", frozenset())
    other = build_table(
        "by school", (by_grade.dims[0],), by_grade.counts[1:, 0, 0], measure="enrollment"
    )
    assert other.cell_key(1) == by_grade.cell_key(
        int(np.ravel_multi_index((1, 0, 0), by_grade.shape))
    )


def test_a_published_table_survives_a_round_trip_through_json() -> None:
    table = enrollment(4, hierarchy=True, seed=9)
    pub = protect([table], Rules()).tables[0]
    again = PublishedTable.from_dict(pub.to_dict())
    assert np.array_equal(again.table.counts, table.counts)
    assert again.table.dims[0].parents == table.dims[0].parents
    assert np.array_equal(again.cells, pub.cells)
    for mask in ("suppressed", "primary", "complement", "coded"):
        assert np.array_equal(getattr(again, mask), getattr(pub, mask))
    assert again.rows()[0] == (("District", "Total", "Total"), str(table.counts.flat[0]))
