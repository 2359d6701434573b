"""protect(): primary suppression, coding and complementary suppression for a release.

The algorithm, for the tables of one release (history fixed, R97):

1. Primary suppression, the complement rule and percentage coding (primary.py).
2. Hypercube pass, per table: for each primary cell, largest first, keep it if a move over
   cells already suppressed protects it both ways (cubes.available_cube); otherwise add the
   cheapest move's cells (cubes.best_cube; one move per direction if no single move does
   both). Cells shown by another table or by the history are left out of moves: changing them
   would have to be matched there.
3. Joint check: every primary not proved safe by step 2 (and every primary of the history) is
   assessed on the system of all tables and history (assess.py). A failing direction is
   repaired by LP (repair.py), which may suppress cells of any table in the release.
4. Repeat 3 until every primary passes. Adding suppressions only widens the attacker's
   feasible set, so each repair keeps what was proved before; the loop ends because each
   round suppresses at least one more cell, or raises CannotProtect.

Cell cost: one per suppressed cell, plus a little for its size and more for a margin, so that
the pattern hides as few cells as it can, small ones first, totals last.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from steward.reports.sdc.assess import Assessor, Verdict
from steward.reports.sdc.cubes import CubeContext
from steward.reports.sdc.primary import coded_percentages, primary_suppression
from steward.reports.sdc.published import NOT_APPLICABLE, SUPPRESSED, PublishedTable
from steward.reports.sdc.repair import CannotProtect, repair_direction
from steward.reports.sdc.rules import Rules, Tier
from steward.reports.sdc.secondary import cube_pass
from steward.reports.sdc.system import System
from steward.reports.sdc.table import Table, fill_margins

__all__ = ["CannotProtect", "Protection", "Rules", "Tier", "protect", "publish_pattern"]

MAX_ROUNDS = 50


@dataclass(frozen=True)
class Protection:
    """The protected release: one PublishedTable per input table, in input order."""

    tables: tuple[PublishedTable, ...]
    rules: Rules
    stats: dict[str, float] = field(default_factory=dict)

    def table(self, name: str) -> PublishedTable:
        for pub in self.tables:
            if pub.name == name:
                return pub
        raise KeyError(name)

    @property
    def suppressed_count(self) -> int:
        return int(sum(int(p.suppressed.sum()) for p in self.tables))


@dataclass
class _State:
    table: Table
    primary: np.ndarray
    complement: np.ndarray
    suppressed: np.ndarray
    percent_cells: np.ndarray | None
    coded: np.ndarray
    linked: np.ndarray  # cells whose number another table (or the history) also shows
    apriori: np.ndarray  # the least each cell can be on the publication policy alone
    knows_nonzero: bool

    def published(self) -> PublishedTable:
        table = self.table
        if self.percent_cells is None:
            cells = np.where(self.suppressed, SUPPRESSED, table.counts.ravel().astype(str))
        else:
            cells = np.where(self.suppressed, SUPPRESSED, self.percent_cells)
        shape = table.shape
        return PublishedTable(
            table=table,
            cells=cells.astype(object).reshape(shape),
            suppressed=self.suppressed.reshape(shape),
            primary=self.primary.reshape(shape),
            complement=self.complement.reshape(shape),
            coded=(self.coded & ~self.suppressed).reshape(shape),
        )

    def floor(self) -> float:
        """The least a suppressed cell can be, as the attacker knows it."""
        if (
            self.knows_nonzero
            and self.table.denominators is None
            and not self.table.sensitive_zeros
        ):
            return 1.0
        return 0.0

    def candidates(self) -> np.ndarray:
        table = self.table
        if table.denominators is not None:
            ok = table.denominators.ravel() > 0
        elif table.sensitive_zeros:
            ok = np.ones(table.size, dtype=bool)
        else:
            ok = table.counts.ravel() > 0
        return ok & ~self.suppressed

    def costs(self) -> np.ndarray:
        values = self.table.counts.ravel().astype(float)
        if self.table.denominators is not None:
            values = self.table.denominators.ravel().astype(float)
        size = np.log1p(values) / np.log1p(max(float(values.max()), 1.0))
        return 1.0 + 0.5 * size + 0.5 * self.table.margin_mask


def protect(
    tables: Sequence[Table], rules: Rules, *, history: Sequence[PublishedTable] = ()
) -> Protection:
    """Protect the tables of one release, given the earlier releases of the series.

    Returns the published view of every table; a following `audit` of the result passes.
    Raises CannotProtect when the history alone already gives a cell away, and ValueError
    for inconsistent input (repeated table names, a linked cell with two different values).
    """
    started = time.perf_counter()
    names = [t.name for t in tables]
    if len(set(names)) != len(names):
        raise ValueError("table names in a release must be unique")
    key_count: Counter[object] = Counter()
    for table in [*tables, *(h.table for h in history)]:
        for flat in range(table.size):
            key_count[table.cell_key(flat)] += 1
    states = [_initial_state(t, rules, key_count) for t in tables]
    certified: list[set[int]] = []
    for state in states:
        certified.append(_cube_pass(state, rules))
    rounds = _joint_rounds(states, certified, rules, list(history))
    elapsed = time.perf_counter() - started
    protection = Protection(
        tables=tuple(s.published() for s in states),
        rules=rules,
        stats={
            "primary": float(sum(int(s.primary.sum()) for s in states)),
            "suppressed": float(sum(int(s.suppressed.sum()) for s in states)),
            "rounds": float(rounds),
            "seconds": elapsed,
        },
    )
    return protection


def publish_pattern(table: Table, suppressed: np.ndarray, rules: Rules) -> PublishedTable:
    """The published view of a suppression pattern made elsewhere (by hand, by τ-ARGUS, by
    an earlier system), with our primary cells and coding, ready for `audit`."""
    state = _initial_state(table, rules, Counter())
    mask = np.asarray(suppressed, dtype=bool).ravel()
    if mask.size != table.size:
        raise ValueError(f"table {table.name!r}: the pattern has the wrong size")
    state.suppressed = mask.copy()
    state.primary &= mask
    state.complement &= mask
    return state.published()


def _initial_state(table: Table, rules: Rules, key_count: Counter[object]) -> _State:
    prim = primary_suppression(table, rules)
    percent_cells, coded = None, np.zeros(table.size, dtype=bool)
    if table.denominators is not None:
        percent_cells, coded = coded_percentages(table, rules)
        percent_cells = np.where(table.denominators.ravel() == 0, NOT_APPLICABLE, percent_cells)
    linked = np.array([key_count[table.cell_key(f)] > 1 for f in range(table.size)], dtype=bool)
    return _State(
        table=table,
        primary=prim.primary.copy(),
        complement=prim.complement.copy(),
        suppressed=prim.primary | prim.complement,
        percent_cells=percent_cells,
        coded=coded,
        linked=linked,
        apriori=_apriori_floor(table, rules),
        knows_nonzero=rules.attacker_knows_nonzero,
    )


def _apriori_floor(table: Table, rules: Rules) -> np.ndarray:
    """See System.a_priori_floor: protect never suppresses a zero of a zero-showing table."""
    if table.denominators is not None or table.sensitive_zeros or not rules.attacker_knows_nonzero:
        return np.zeros(table.size)
    leaves = np.ix_(*[np.array(d.leaves) for d in table.dims])
    return fill_margins(table.dims, (table.counts[leaves] > 0).astype(np.int64)).ravel()


def _needs(state: _State, rules: Rules, flat: int) -> tuple[float, float]:
    table = state.table
    level = rules.protection_level(table.rare)
    value = float(table.counts.flat[flat])
    if table.denominators is None:
        return float(level), max(0.0, min(level, value - float(state.apriori[flat])))
    den = float(table.denominators.flat[flat])
    return max(0.0, min(level, den - value)), max(0.0, min(level, value))


def _cube_pass(state: _State, rules: Rules) -> set[int]:
    """Step 2 for one table; returns the primaries a move over unlinked cells protects."""
    table = state.table
    value = table.counts.ravel().astype(float)
    upper = (
        np.full(table.size, np.inf)
        if table.denominators is None
        else table.denominators.ravel().astype(float)
    )
    usable = ~state.linked
    price = np.where(state.candidates() & usable, state.costs(), np.inf)
    cost = np.where(state.suppressed & usable, 0.0, price)
    ctx = CubeContext(table, value, np.full(table.size, state.floor()), upper, cost)
    order = [
        int(f)
        for f in sorted(np.flatnonzero(state.primary), key=lambda f: (-value[f], f))
        if not state.linked[f]
    ]
    return cube_pass(
        ctx,
        state.suppressed,
        order,
        lambda flat: _needs(state, rules, flat),
        state.primary | state.complement,
        price,
    )


def _joint_rounds(
    states: list[_State], certified: list[set[int]], rules: Rules, history: list[PublishedTable]
) -> int:
    for round_no in range(1, MAX_ROUNDS + 1):
        open_tables = [
            t
            for t, s in enumerate(states)
            if set(np.flatnonzero(s.primary).tolist()) - certified[t]
        ]
        if not open_tables and not any(h.primary.any() for h in history):
            return round_no - 1
        published = [s.published() for s in states]
        system = System([*published, *history], rules)
        history_tables = list(range(len(states), len(states) + len(history)))
        reqs = [
            r
            for r in system.requirements([*open_tables, *history_tables])
            if r.table >= len(states) or r.cell not in certified[r.table]
        ]
        assessor = Assessor(system, algebra=False)
        failing = [v for v in assessor.verdicts(reqs) if not v.ok]
        if not failing:
            return round_no
        added = _repair(system, states, failing)
        if not added:
            raise CannotProtect("no further suppression protects the remaining cells")
    raise CannotProtect(f"not protected after {MAX_ROUNDS} rounds")


def _repair(system: System, states: list[_State], failing: list[Verdict]) -> int:
    n_release = len(states)
    candidates = np.zeros(system.n, dtype=bool)
    blocked = np.zeros(system.n, dtype=bool)
    cost = np.zeros(system.n)
    lower = np.zeros(system.n)
    upper = np.full(system.n, np.inf)
    for t, state in enumerate(states):
        ids = system.var_of[t]
        cand = state.candidates()
        candidates[ids[cand]] = True
        blocked[ids[~cand & ~state.suppressed]] = True
        np.maximum.at(cost, ids, state.costs())
        np.maximum.at(lower, ids, np.full(ids.size, state.floor()))
        if state.table.denominators is not None:
            np.minimum.at(upper, ids, state.table.denominators.ravel().astype(float))
    for t in range(n_release, len(system.published)):
        pub = system.published[t]
        blocked[system.var_of[t][~pub.suppressed.ravel()]] = True  # history is printed
    candidates &= ~blocked
    added = 0
    for verdict in failing:
        req = verdict.requirement
        moves = []
        if verdict.high < req.high - 1e-6:
            moves.append(req.high - verdict.value)
        if verdict.low > req.low + 1e-6:
            moves.append(req.low - verdict.value)
        if verdict.disclosed and not moves:
            moves.append(req.high - verdict.value)
        for move in moves:
            chosen = repair_direction(system, req.var, move, candidates, cost, lower, upper)
            for t, state in enumerate(states):
                hit = np.isin(system.var_of[t], chosen) & ~state.suppressed
                if hit.any():
                    state.suppressed |= hit
                    added += int(hit.sum())
            cost[chosen] = 0.0  # suppressed now: free for the next repair
    return added
