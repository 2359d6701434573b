"""The attacker's linear programs: how low and how high can a suppressed cell be?

For a variable y_p, min and max of y_p subject to the published equations A y = b and the
attacker's bounds lb ≤ y ≤ ub, solved with HiGHS through scipy (disclosure-avoidance.md
§1.4). Only the component of the equation graph holding y_p takes part: the rest of the
release cannot move it, and small LPs solve much faster than one big one.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from steward.reports.sdc.system import Reduced, System


class AttackerLP:
    """Caches each component's matrix so many cells of one component reuse it."""

    def __init__(self, reduced: Reduced) -> None:
        self.reduced = reduced
        self._cache: dict[int, tuple[np.ndarray, sp.csr_matrix, np.ndarray, np.ndarray]] = {}
        self.solved = 0

    def _component(self, var: int) -> tuple[np.ndarray, sp.csr_matrix, np.ndarray, np.ndarray]:
        red = self.reduced
        label = int(red.component[red.position[var]])
        hit = self._cache.get(label)
        if hit is None:
            cols, a, rhs = red.component_of(var)
            system = red.system
            ids = red.unknown[cols]
            bounds = np.column_stack([system.lb[ids], system.ub[ids]])
            hit = (cols, a, rhs, bounds)
            self._cache[label] = hit
        return hit

    def extreme(self, var: int, maximize: bool) -> float:
        """The attacker's best bound on `var` in one direction (±inf when unbounded)."""
        red = self.reduced
        if red.position[var] < 0:
            return float(red.system.truth[var])  # published: the attacker knows it
        cols, a, rhs, bounds = self._component(var)
        local = int(np.searchsorted(cols, red.position[var]))
        c = np.zeros(cols.size)
        c[local] = -1.0 if maximize else 1.0
        if a.shape[0] == 0:
            return float(bounds[local, 1] if maximize else bounds[local, 0])
        result = linprog(c, A_eq=a, b_eq=rhs, bounds=bounds, method="highs")
        self.solved += 1
        if result.status == 3:  # unbounded
            return float(np.inf if maximize else -np.inf)
        if result.status != 0:
            raise RuntimeError(f"the attacker LP failed: {result.message}")
        value = float(result.x[local])
        return value

    def interval(self, var: int) -> tuple[float, float]:
        return self.extreme(var, maximize=False), self.extreme(var, maximize=True)


class LocalLP:
    """The attacker's LP over a few unknowns, every other cell held at its true value.

    Its feasible set is a slice of the attacker's, so its max is a value the attacker cannot
    rule out (at most the true max): enough to prove a cell protected, never to refute it.
    Small LPs solve in a few milliseconds where the whole component takes tens.
    """

    def __init__(self, system: System) -> None:
        self.system = system
        self.csc = system.equations.tocsc()
        self.solved = 0

    def extremes(self, var: int, neighbours: np.ndarray) -> tuple[float, float]:
        """(min, max) of `var` when only `neighbours` (unknown variables, var among them)
        may move."""
        system = self.system
        cols = np.unique(np.append(neighbours, var))
        sub = self.csc[:, cols].tocsr()
        rows = np.flatnonzero(np.diff(sub.indptr) > 0)
        a = sub[rows]
        rhs = a @ system.truth[cols]
        bounds = np.column_stack([system.lb[cols], system.ub[cols]])
        local = int(np.searchsorted(cols, var))
        out = []
        for sign in (1.0, -1.0):
            c = np.zeros(cols.size)
            c[local] = sign
            result = linprog(c, A_eq=a, b_eq=rhs, bounds=bounds, method="highs")
            self.solved += 1
            if result.status == 3:
                out.append(-np.inf if sign > 0 else np.inf)
            elif result.status == 0:
                out.append(float(result.x[local]))
            else:  # numerically troubled: prove nothing
                out.append(float(system.truth[var]))
        return out[0], out[1]
