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

from steward.reports.sdc.system import Reduced


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
