"""Protection by LP where hypercubes cannot reach: linked tables, history, rate tables.

For a primary cell p that must be able to move by `need` (up, or down), find a change δ of the
whole system (every table of the release and the history) that keeps every equation, moves p
by exactly `need`, stays within the attacker's bounds, and touches as few published cells as
possible. δ = f + g⁺ − g⁻: f moves unknown cells within what the attacker already allows
(free), g moves publishable cells that would have to be suppressed (paid, at the cell's cost
per unit of `need`: the LP relaxation of "pay once per suppressed cell"). The cells with
g ≠ 0 are then suppressed, and δ itself is the proof that p can move by `need`: this is the
Fischetti–Salazar attacker problem turned around (disclosure-avoidance.md §1.2).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from steward.reports.sdc.system import System

EPS = 1e-7


class CannotProtect(ValueError):
    """No pattern of the allowed cells protects this cell (the history gives it away)."""


def repair_direction(
    system: System,
    var: int,
    move: float,
    candidates: np.ndarray,
    cost: np.ndarray,
    suppressed_lower: np.ndarray,
    suppressed_upper: np.ndarray,
) -> np.ndarray:
    """Variables to suppress so that `var` can move by `move` (signed); raises CannotProtect.

    `candidates`: variables that may be suppressed; `cost` their cost; `suppressed_lower` and
    `suppressed_upper` the attacker's bounds on each once suppressed.
    """
    truth = system.truth
    # The cell itself moves by exactly `move`, whether or not the attacker knows it now (a
    # suppressed count pinned by a percentage shown elsewhere is known, and must be hidden
    # there too).
    movable = system.unknown.copy()
    movable[var] = True
    free_low = np.where(movable, system.lb - truth, 0.0)
    free_high = np.where(movable, system.ub - truth, 0.0)
    free_low[var] = free_high[var] = move
    paid = np.flatnonzero(candidates & ~movable)
    free = np.flatnonzero(movable)
    free_low, free_high = free_low[free], free_high[free]
    e = system.equations.tocsc()
    a = sp.hstack([e[:, free], e[:, paid], -e[:, paid]], format="csr")
    keep = np.diff(a.indptr) > 0
    a = a[keep]
    scale = max(abs(move), 1.0)
    c = np.concatenate([np.zeros(free.size), cost[paid] / scale, cost[paid] / scale])
    up_room = suppressed_upper[paid] - truth[paid]
    down_room = truth[paid] - suppressed_lower[paid]
    bounds = np.column_stack(
        [
            np.concatenate([free_low, np.zeros(2 * paid.size)]),
            np.concatenate([free_high, up_room, down_room]),
        ]
    )
    bounds[~np.isfinite(bounds[:, 1]), 1] = np.inf
    result = linprog(c, A_eq=a, b_eq=np.zeros(a.shape[0]), bounds=bounds, method="highs")
    if result.status != 0:
        raise CannotProtect(result.message)
    g = result.x[free.size :]
    moved = (np.abs(g[: paid.size]) > EPS) | (np.abs(g[paid.size :]) > EPS)
    chosen = paid[moved]
    if not system.unknown[var]:
        chosen = np.append(chosen, var)
    return chosen
