"""Does each primary cell meet its protection rule? The engine shared by protect and audit.

For every primary cell (of the release and of the earlier releases of its series) the rule
asks the attacker's max to reach `high` and min to reach `low` (system.Requirement). The
evidence, cheapest first:

1. the exact pre-check: a cell the equations alone determine fails outright;
2. a hypercube move over suppressed cells (cubes.py), verified against the equations of the
   whole system (E·δ = 0 over every table, linked ones and history included) and the
   bounds: an explicit table the attacker cannot rule out, so a proven reach;
3. otherwise, or when `exact` is asked for, the attacker's LP (lp.py) on the cell's component.

A direction fails only on the LP's word; a witness can only prove protection, never refute
it. With `exact=True` every interval is the LP's exact [min, max].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from steward.reports.sdc.cubes import CubeContext, available_cube
from steward.reports.sdc.lp import AttackerLP, LocalLP
from steward.reports.sdc.precheck import precheck
from steward.reports.sdc.system import Requirement, System

TOLERANCE = 1e-6


@dataclass(frozen=True)
class Verdict:
    requirement: Requirement
    value: float
    low: float
    high: float
    low_exact: bool  # found by LP (the attacker's true min), not only reached by a move
    high_exact: bool
    disclosed: bool  # determined exactly by the equations

    @property
    def ok(self) -> bool:
        req = self.requirement
        return (
            not self.disclosed
            and self.high >= req.high - TOLERANCE
            and self.low <= req.low + TOLERANCE
        )


class Assessor:
    """Verdicts on a system. `exact`: LP intervals for every cell; `algebra`: run the linear
    algebra stage of the pre-check (protect() skips it: its LPs find exact disclosure too)."""

    def __init__(self, system: System, *, exact: bool = False, algebra: bool = True) -> None:
        self.system = system
        self.exact = exact
        self.reduced = system.reduced()
        self.lp = AttackerLP(self.reduced)
        self.local = LocalLP(system)
        self.algebra = algebra
        # Peeling now; the algebra stage once a cell lacks a proof (see `_determined`).
        self.pre = precheck(self.reduced, algebra=False)
        self._algebra_done = False
        self._csc = system.equations.tocsc()
        self._contexts: dict[int, CubeContext] = {}

    def _context(self, t: int) -> CubeContext:
        ctx = self._contexts.get(t)
        if ctx is None:
            system = self.system
            ids = system.var_of[t]
            usable = system.unknown[ids] & (system.linked[ids] == 1)
            ctx = CubeContext(
                table=system.published[t].table,
                value=system.truth[ids].astype(float),
                lower=system.lb[ids],
                upper=system.ub[ids],
                cost=np.where(usable, 0.0, np.inf),
            )
            self._contexts[t] = ctx
        return ctx

    def _verified(self, t: int, cells: np.ndarray, signs: np.ndarray) -> bool:
        """Is the move a null vector of every equation, over unknowns only?"""
        ids = self.system.var_of[t][cells]
        if not np.all(self.system.unknown[ids]):
            return False
        residual = self._csc[:, ids] @ signs.astype(float)
        return bool(np.all(np.abs(residual) < 1e-9))

    def _determined(self, pos: int) -> bool:
        """The algebra stage of the pre-check, run once for the whole system on first need:
        a cell that some move already shifts is not determined, so most audits never pay
        for the QR."""
        if not self.algebra:
            return False
        if not self._algebra_done:
            self.pre = precheck(self.reduced, algebra=True)
            self._algebra_done = True
        return bool(self.pre.determined[pos])

    def _neighbours(self, req: Requirement) -> np.ndarray:
        """Unknowns in the box spanned by the cell's suppressed lines, totals included."""
        system = self.system
        table = system.published[req.table].table
        ids = system.var_of[req.table]
        coords = table.coords(req.cell)
        strides = [int(np.prod(table.shape[k + 1 :])) for k in range(len(coords))]
        axes = []
        for axis, (dim, pos) in enumerate(zip(table.dims, coords, strict=True)):
            line = req.cell + (np.arange(len(dim.categories)) - pos) * strides[axis]
            chosen = set(np.flatnonzero(system.unknown[ids[line]]).tolist())
            chosen |= {pos, dim.root, *dim.ancestors(pos)}
            axes.append(np.array(sorted(chosen), dtype=np.int64))
        box = np.zeros(1, dtype=np.int64)
        for axis, cats in enumerate(axes):
            box = (box[:, None] + cats[None, :] * strides[axis]).ravel()
        vars_ = ids[box]
        return np.unique(vars_[system.unknown[vars_]])

    def verdict(self, req: Requirement) -> Verdict:
        system = self.system
        value = float(system.truth[req.var])
        pos = self.reduced.position[req.var]
        if pos < 0:  # published after all: the attacker reads it
            return Verdict(req, value, value, value, True, True, True)
        if self.pre.lone[pos] or (self.exact and self._determined(pos)):
            return Verdict(req, value, value, value, True, True, True)
        need_up = max(0.0, req.high - value)
        need_down = max(0.0, value - req.low)
        high = low = value
        high_exact = low_exact = False
        if not self.exact:
            ctx = self._context(req.table)
            for up, down in ((need_up, need_down), (need_up, 0.0), (0.0, need_down)):
                if high >= req.high - TOLERANCE and low <= req.low + TOLERANCE:
                    break
                cube = available_cube(ctx, req.cell, up, down)
                if cube is not None and self._verified(req.table, cube.cells, cube.signs):
                    high = max(high, value + cube.up)
                    low = min(low, value - cube.down)
            if high < req.high - TOLERANCE or low > req.low + TOLERANCE:
                local_low, local_high = self.local.extremes(req.var, self._neighbours(req))
                high, low = max(high, local_high), min(low, local_low)
        unmoved = high <= value + TOLERANCE and low >= value - TOLERANCE
        if not self.exact and unmoved and self._determined(pos):
            return Verdict(req, value, value, value, True, True, True)
        if self.exact or high < req.high - TOLERANCE:
            high, high_exact = self.lp.extreme(req.var, maximize=True), True
        if self.exact or low > req.low + TOLERANCE:
            low, low_exact = self.lp.extreme(req.var, maximize=False), True
        disclosed = high_exact and low_exact and high - low < TOLERANCE
        return Verdict(req, value, low, high, low_exact, high_exact, disclosed)

    def verdicts(self, requirements: list[Requirement]) -> list[Verdict]:
        return [self.verdict(r) for r in requirements]

    @property
    def lp_solved(self) -> int:
        return self.lp.solved + self.local.solved
