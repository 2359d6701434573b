"""Cross-check with τ-ARGUS (pytauargus, HiGHS; acceptance, #9).

On the same tables, with the same primary cells and protection levels: our pattern passes our
audit, and τ-ARGUS's Modular pattern passes our audit too. τ-ARGUS's own audit model knows
only that cells are non-negative, so its pattern is judged under that model
(`attacker_knows_nonzero=False`); how many of its cells the stricter default model (a "*" is
never 0 where zeros are shown) would refuse is reported beside the counts.

Runs in `make test` whenever pytauargus is installed (it is in the dev extras); skips otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from steward.reports.sdc import Rules, Table, audit, protect, tauargus
from steward.reports.sdc.primary import primary_suppression
from steward.reports.sdc.protect import publish_pattern
from steward.reports.sdc.synthetic import enrollment, random_table

pytestmark = [
    pytest.mark.tauargus,
    pytest.mark.skipif(not tauargus.available(), reason="pytauargus is not installed"),
]

TABLES = {
    "school × grade × race, 6 schools": lambda: enrollment(6, seed=11, scale=0.5),
    "school (by level) × grade × race, 6 schools": lambda: enrollment(
        6, seed=12, hierarchy=True, scale=0.5
    ),
    "random 5 × 4 × 3": lambda: random_table(np.random.default_rng(7), (5, 4, 3)),
}


@pytest.mark.parametrize("name", list(TABLES))
def test_both_patterns_pass_our_audit(
    name: str, record_property: Callable[[str, object], None]
) -> None:
    table: Table = TABLES[name]()
    rules = Rules(attacker_knows_nonzero=False)
    primary = primary_suppression(table, rules).primary
    lower, upper = tauargus.protection_levels(table, primary, rules)
    peer = tauargus.run(table, primary, lower, upper, method="MOD", max_minutes=5)
    assert np.all(peer.suppressed.ravel()[primary]), "τ-ARGUS left a primary cell shown"

    ours = protect([table], rules)
    our_report = audit(ours.tables, rules, exact=True)
    assert our_report.ok, our_report.failures

    theirs = publish_pattern(table, peer.suppressed, rules)
    their_report = audit([theirs], rules, exact=True)
    assert their_report.ok, their_report.failures

    strict = Rules()
    strict_failures = len(audit([publish_pattern(table, peer.suppressed, strict)], strict).failures)
    counts = (
        f"{name}: {table.size} cells, {int(primary.sum())} primary; suppressed: "
        f"steward {ours.suppressed_count}, τ-ARGUS MOD {int(peer.suppressed.sum())} "
        f"({peer.seconds:.1f} s); τ-ARGUS cells the strict model refuses: {strict_failures}"
    )
    record_property("tauargus cross-check", counts)  # printed by this folder's conftest
