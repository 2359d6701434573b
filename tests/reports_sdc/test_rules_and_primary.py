"""Rules, primary suppression, the complement rule and percentage coding (R92–R95, R98)."""

from __future__ import annotations

import numpy as np
import pytest

from steward.reports.sdc import Dimension, Rules, Tier, build_table, protect
from steward.reports.sdc.primary import coded_percentages, primary_suppression
from steward.reports.sdc.published import count_bounds_of_percent, format_percent
from tests.reports_sdc.factories import cell, flat, grid


def test_it_refuses_a_threshold_below_five() -> None:
    with pytest.raises(ValueError, match="below 5"):
        Rules(threshold=4)
    assert Rules(threshold=5).threshold == 5


def test_it_refuses_a_rare_threshold_below_the_threshold() -> None:
    with pytest.raises(ValueError, match="rare"):
        Rules(threshold=15, rare_threshold=12)


def test_the_protection_level_is_a_share_of_the_tables_threshold() -> None:
    rules = Rules()
    assert rules.protection_level(rare=False) == 3
    assert rules.protection_level(rare=True) == 6
    assert Rules(threshold=5, protection=0.1).protection_level(rare=False) == 1


def test_overlapping_coding_tiers_are_refused() -> None:
    with pytest.raises(ValueError, match="overlap"):
        Rules(top_bottom=(Tier(0, 50, 10, 90), Tier(40, None, 5, 95)))
    with pytest.raises(ValueError, match="bottom < top"):
        Tier(0, 10, 60, 40)


def test_rules_survive_a_round_trip_through_json() -> None:
    rules = Rules(threshold=11, rare_threshold=25, top_bottom=(Tier(0, None, 3, 97),))
    assert Rules.from_dict(rules.to_dict()) == rules


def test_counts_from_one_to_threshold_minus_one_are_primary_and_zeros_are_not() -> None:
    table = grid([[0, 1, 9], [10, 25, 30]])
    primary = primary_suppression(table, Rules()).primary.reshape(table.shape)
    assert primary[1, 2] and primary[1, 3]  # 1 and 9
    assert not primary[1, 1]  # a true zero is published
    assert not primary[2, 1]  # 10 is not below the threshold
    assert not primary[0, 1]  # the column total, 0 + 10
    assert primary.sum() == int(((table.counts > 0) & (table.counts < 10)).sum())


def test_rare_tables_use_the_stricter_threshold() -> None:
    table = grid([[12, 25], [30, 40]], rare=True)
    primary = primary_suppression(table, Rules()).primary
    assert primary[cell(table, "r0", "c0")]  # 12 < 20
    assert not primary[cell(table, "r0", "c1")]


def test_sensitive_zeros_are_primary() -> None:
    table = grid([[0, 25], [30, 40]], sensitive_zeros=True)
    assert primary_suppression(table, Rules()).primary[cell(table, "r0", "c0")]


def test_the_complement_rule_hides_the_other_category_of_a_pair() -> None:
    # EL / not EL under each school: 3 EL students force the 45 others.
    dims = (flat("school", 3), Dimension("el", ("All", "EL", "Not EL"), None, "All"))
    table = build_table("el", dims, np.array([[3, 45], [20, 30], [15, 25]]))
    result = primary_suppression(table, Rules())
    assert result.primary[cell(table, "school0", "EL")]
    assert result.complement[cell(table, "school0", "Not EL")]
    assert not result.complement[cell(table, "school1", "Not EL")]
    published = protect([table], Rules()).tables[0]
    assert published.cells[1, 2] == "*"  # school0, Not EL
    assert published.complement[1, 2] and not published.primary[1, 2]


def test_the_complement_rule_can_be_turned_off() -> None:
    dims = (flat("school", 2), Dimension("el", ("All", "EL", "Not EL"), None, "All"))
    table = build_table("el", dims, np.array([[3, 45], [20, 30]]))
    assert not primary_suppression(table, Rules(complement=False)).complement.any()


def _rates(counts: list[list[int]], sizes: list[list[int]]):  # type: ignore[no-untyped-def]
    dims = (flat("school", len(counts)), flat("grade", len(counts[0])))
    return build_table("rate", dims, np.array(counts), np.array(sizes))


def test_a_rate_over_a_small_group_is_primary_and_an_empty_group_has_none() -> None:
    table = _rates([[3, 20], [0, 30]], [[7, 40], [0, 60]])
    primary = primary_suppression(table, Rules()).primary
    assert primary[cell(table, "school0", "grade0")]  # 7 students
    assert not primary[cell(table, "school1", "grade0")]  # nobody: nothing to protect
    cells = protect([table], Rules()).tables[0].cells
    assert cells[2, 1] == "–"


def test_percentages_are_top_and_bottom_coded_by_denominator_tier() -> None:
    table = _rates([[49, 1, 25], [19, 60, 150]], [[50, 50, 50], [20, 300, 300]])
    cells, coded = coded_percentages(table, Rules())
    cells = cells.reshape(table.shape)
    assert cells[1, 1] == "≥95%"  # 98% of 50
    assert cells[1, 2] == "≤5%"  # 2% of 50
    assert cells[1, 3] == "50%"
    assert cells[2, 1] == "≥90%"  # 95% of 20: the lowest tier is wider
    assert cells[2, 2] == "20%"
    assert coded.reshape(table.shape)[1, 1]


def test_coding_tiers_are_configuration() -> None:
    table = _rates([[49]], [[50]])
    rules = Rules(top_bottom=(Tier(0, None, 1, 99),))
    cells, coded = coded_percentages(table, rules)
    assert cells.reshape(table.shape)[1, 1] == "98%"
    assert not coded.any()


def test_percentages_round_half_up() -> None:
    assert format_percent(1, 8, 0) == "13%"  # 12.5: banker's rounding would print 12%
    assert format_percent(1, 3, 1) == "33.3%"
    assert format_percent(2, 3, 1) == "66.7%"


def test_a_printed_percentage_bounds_the_numerator() -> None:
    assert count_bounds_of_percent("13%", 30) == (4, 4)
    assert count_bounds_of_percent("≤10%", 40) == (0, 4)
    assert count_bounds_of_percent("≥95%", 60) == (57, 60)
    assert count_bounds_of_percent("50%", 1000) == (495, 504)
    assert count_bounds_of_percent("*", 30) is None
