"""Property tests (acceptance, #9): on random tables — 2-D, 3-D, with a hierarchy — after
protect() the audit never finds a primary cell whose interval is narrower than the rule.

The audit here runs with `exact=True`: every interval is the attacker's LP min and max,
independent of the hypercube moves protect() used to build the pattern.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.reports.sdc import Rules, audit, protect
from steward.reports.sdc.lp import AttackerLP
from steward.reports.sdc.precheck import precheck
from steward.reports.sdc.protect import publish_pattern
from steward.reports.sdc.synthetic import random_table
from steward.reports.sdc.system import System

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
seeds = st.integers(min_value=0, max_value=2**32 - 1)


def _assert_protected(table, rules: Rules) -> None:  # type: ignore[no-untyped-def]
    protection = protect([table], rules)
    report = audit(protection.tables, rules, exact=True)
    narrow = [c for c in report.failures]
    assert not narrow, narrow
    assert not report.findings
    pub = protection.tables[0]
    # Every primary is hidden and no zero of a zero-showing table is.
    assert np.all(pub.suppressed[pub.primary])
    assert not np.any(pub.suppressed & (table.counts == 0))


@SETTINGS
@given(seed=seeds, rows=st.integers(2, 6), cols=st.integers(2, 6))
def test_protected_2d_tables_pass_the_exact_audit(seed: int, rows: int, cols: int) -> None:
    rng = np.random.default_rng(seed)
    _assert_protected(random_table(rng, (rows, cols)), Rules())


@SETTINGS
@given(seed=seeds, sizes=st.tuples(st.integers(2, 4), st.integers(2, 4), st.integers(2, 3)))
def test_protected_3d_tables_pass_the_exact_audit(seed: int, sizes: tuple[int, ...]) -> None:
    rng = np.random.default_rng(seed)
    _assert_protected(random_table(rng, sizes, small_share=0.35), Rules())


@SETTINGS
@given(
    seed=seeds, split=st.sampled_from([(2, 2), (2, 3), (3, 3), (1, 2, 2)]), cols=st.integers(2, 4)
)
def test_protected_hierarchical_tables_pass_the_exact_audit(
    seed: int, split: tuple[int, ...], cols: int
) -> None:
    rng = np.random.default_rng(seed)
    table = random_table(rng, (sum(split), cols), hierarchy=split)
    _assert_protected(table, Rules())


@SETTINGS
@given(seed=seeds, depth=st.integers(2, 3))
def test_protected_3d_tables_with_a_hierarchy_pass_under_strict_rules(
    seed: int, depth: int
) -> None:
    rng = np.random.default_rng(seed)
    table = random_table(rng, (4, 3, depth), hierarchy=(2, 2))
    _assert_protected(table, Rules(threshold=12, protection=0.5))


@SETTINGS
@given(seed=seeds, share=st.floats(0.1, 0.6))
def test_the_fast_audit_agrees_with_the_exact_one(seed: int, share: float) -> None:
    # Random suppression patterns, many of them unsafe: the moves that speed the default
    # audit up may only prove protection, never hide a failure the LPs find.
    rng = np.random.default_rng(seed)
    table = random_table(rng, (4, 3, 3), small_share=0.3)
    mask = (rng.random(table.shape) < share) & (table.counts > 0)
    mask |= (table.counts > 0) & (table.counts < 10)
    pub = publish_pattern(table, mask, Rules())
    fast = audit([pub], Rules())
    exact = audit([pub], Rules(), exact=True)
    assert fast.ok == exact.ok
    assert {c.cell for c in fast.failures} == {c.cell for c in exact.failures}
    for f, e in zip(fast.cells, exact.cells, strict=True):
        assert e.low <= f.low + 1e-6 and f.high <= e.high + 1e-6


@SETTINGS
@given(seed=seeds, share=st.floats(0.05, 0.5))
def test_the_exact_precheck_agrees_with_the_lps(seed: int, share: float) -> None:
    # Every suppressed cell, primary or not: given away by the pre-check iff its LP interval
    # has width 0. With attacker_knows_nonzero off the only bounds are y ≥ 0, and every
    # suppressed cell is positive, so bounds alone can never pin one.
    rng = np.random.default_rng(seed)
    table = random_table(rng, (4, 4), small_share=0.3)
    mask = (rng.random(table.shape) < share) & (table.counts > 0)
    mask |= (table.counts > 0) & (table.counts < 10)
    rules = Rules(attacker_knows_nonzero=False)
    system = System([publish_pattern(table, mask, rules)], rules)
    reduced = system.reduced()
    pre = precheck(reduced)
    lp = AttackerLP(reduced)
    for pos, var in enumerate(reduced.unknown):
        low, high = lp.interval(int(var))
        assert bool(pre.determined[pos]) == (high - low < 1e-6), table.label(int(var))
        if pre.lone[pos]:
            assert pre.determined[pos]
