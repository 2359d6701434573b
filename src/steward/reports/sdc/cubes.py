"""Hypercube moves: explicit tables an attacker cannot rule out.

Along one axis, a change that keeps every "group = sum of members" equation is a signed set
of categories: swap one unit between two leaves (+1 on one side of their lowest common group,
−1 on the other), or add one unit to a leaf and every group above it. The tensor product of
one such pattern per axis keeps every equation of the whole table. Adding t times that move
to the true table gives another table consistent with everything published, as long as every
cell it touches is suppressed and stays within the attacker's bounds. So a move through a
primary cell p with step t proves the attacker's max is at least a_p + t (and, negated, the
min at most a_p − t): a certificate, checked cell by cell, that needs no LP.

The suppression engine uses moves to choose complementary cells (cheapest move that protects
a primary: the hypercube method, generalised to hierarchies and margins); the audit uses them
to certify cells quickly, verifying each move against the equations before trusting it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from steward.reports.sdc.table import Dimension, Table

Pattern = tuple[tuple[int, ...], tuple[int, ...]]  # categories, signs (+1 on the cell's own side)


def axis_patterns(dim: Dimension, pos: int) -> list[Pattern]:
    """Every elementary one-axis move whose support holds category `pos` with sign +1."""
    out: list[Pattern] = []
    ancestors = dim.ancestors(pos)
    if not dim.children[pos]:
        # A leaf: up the chain, or swap with another leaf.
        out.append(((pos, *ancestors), (1,) * (1 + len(ancestors))))
        mine = {pos, *ancestors}
        for other in dim.leaves:
            if other == pos:
                continue
            theirs = [other, *dim.ancestors(other)]
            common = next(a for a in theirs if a in mine)
            own_side = [pos, *ancestors[: ancestors.index(common)]] if common != pos else []
            other_side = theirs[: theirs.index(common)]
            out.append(
                (tuple(own_side + other_side), (1,) * len(own_side) + (-1,) * len(other_side))
            )
        return out
    # A group: one leaf below it carries the change up through it.
    inside = set(dim.leaves_under(pos))
    for leaf in sorted(inside):
        below = [leaf, *dim.ancestors(leaf)]
        below = below[: below.index(pos)]
        out.append(((*below, pos, *ancestors), (1,) * (len(below) + 1 + len(ancestors))))
        for other in dim.leaves:
            if other in inside:
                continue
            theirs = [other, *dim.ancestors(other)]
            mine = {pos, *ancestors}
            common = next(a for a in theirs if a in mine)
            up = [pos, *ancestors[: ancestors.index(common)]]
            other_side = theirs[: theirs.index(common)]
            own = below + up
            out.append((tuple(own + other_side), (1,) * len(own) + (-1,) * len(other_side)))
    return out


@dataclass
class CubeContext:
    """Per-cell data of one table for a cube search (flat arrays).

    `lower`/`upper`: the attacker's bounds on each cell once it is suppressed; `cost`: what it
    costs to suppress it (0 if it already is, inf if it may not be).
    """

    table: Table
    value: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    cost: np.ndarray

    def __post_init__(self) -> None:
        self.strides = np.array(
            [int(np.prod(self.table.shape[k + 1 :])) for k in range(len(self.table.shape))],
            dtype=np.int64,
        )
        self._patterns: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}

    def patterns(self, axis: int, pos: int) -> tuple[np.ndarray, np.ndarray]:
        """The axis patterns through `pos` as padded arrays: categories and signs (0 = pad)."""
        key = (axis, pos)
        hit = self._patterns.get(key)
        if hit is None:
            found = axis_patterns(self.table.dims[axis], pos)
            width = max(len(c) for c, _s in found)
            cats = np.full((len(found), width), pos, dtype=np.int64)
            signs = np.zeros((len(found), width), dtype=np.int64)
            for i, (c, sg) in enumerate(found):
                cats[i, : len(c)] = c
                signs[i, : len(sg)] = sg
            hit = (cats, signs)
            self._patterns[key] = hit
        return hit

    def line_costs(self, flat: int, axis: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each pattern through `flat` along `axis`: its categories, signs, and the cost
        of the cells it touches on the primary's own line."""
        coords = self.table.coords(flat)
        cats, signs = self.patterns(axis, coords[axis])
        stride = int(self.strides[axis])
        cells = (flat - coords[axis] * stride) + cats * stride
        cost = np.where(signs != 0, self.cost[cells], 0.0).sum(axis=1)
        return cats, signs, cost


@dataclass(frozen=True)
class Cube:
    cells: np.ndarray  # flat cell indices
    signs: np.ndarray  # +1 / −1, the primary's own sign +1
    cost: float
    up: float  # how far the primary can go up along this move
    down: float  # and down


def best_cube(
    ctx: CubeContext,
    flat: int,
    need_up: float,
    need_down: float,
    *,
    per_axis: int = 12,
) -> Cube | None:
    """The cheapest move through `flat` reaching need_up above and need_down below it.

    Per axis only the `per_axis` cheapest patterns (by the cost of the cells on the primary's
    own lines) are combined: the full product is the hypercube method's exponential search,
    and the cheap lines are where the cheap cubes are.
    """
    per_dim: list[tuple[np.ndarray, np.ndarray]] = []
    for axis in range(len(ctx.table.dims)):
        cats, signs, cost = ctx.line_costs(flat, axis)
        finite = np.flatnonzero(np.isfinite(cost))
        if finite.size == 0:
            return None
        keep = finite[np.argsort(cost[finite], kind="stable")[:per_axis]]
        per_dim.append((cats[keep], signs[keep]))
    return _best_of_product(ctx, per_dim, need_up, need_down)


def _best_of_product(
    ctx: CubeContext,
    per_dim: list[tuple[np.ndarray, np.ndarray]],
    need_up: float,
    need_down: float,
) -> Cube | None:
    d = len(per_dim)
    cell_parts, sign_parts = [], []
    for axis, (cats, signs) in enumerate(per_dim):
        shape = [1] * (2 * d)
        shape[axis] = cats.shape[0]
        shape[d + axis] = cats.shape[1]
        cell_parts.append(cats.reshape(shape) * ctx.strides[axis])
        sign_parts.append(signs.reshape(shape))
    cells = sum(cell_parts[1:], cell_parts[0])
    signs = sign_parts[0]
    for part in sign_parts[1:]:
        signs = signs * part
    cells, signs = np.broadcast_arrays(cells, signs)
    n_combos = int(np.prod([c.shape[0] for c, _s in per_dim]))
    cells = cells.reshape(n_combos, -1)
    signs = signs.reshape(n_combos, -1)
    active = signs != 0
    value = ctx.value[cells]
    room_down = value - ctx.lower[cells]
    room_up = ctx.upper[cells] - value
    # Moving the primary up by t moves +cells up and −cells down; moving it down, the reverse.
    up = np.min(np.where(signs > 0, room_up, np.where(signs < 0, room_down, np.inf)), axis=1)
    down = np.min(np.where(signs > 0, room_down, np.where(signs < 0, room_up, np.inf)), axis=1)
    cost = np.where(active, ctx.cost[cells], 0.0).sum(axis=1)
    ok = (up >= need_up - 1e-9) & (down >= need_down - 1e-9) & np.isfinite(cost)
    if not np.any(ok):
        return None
    # Cheapest first; among equals, the one with the most room to spare.
    slack = np.minimum(up / max(need_up, 1e-9), down / max(need_down, 1e-9))
    order = np.lexsort((-slack, np.where(ok, cost, np.inf)))
    best = int(order[0])
    keep = active[best]
    return Cube(
        cells=cells[best][keep],
        signs=signs[best][keep],
        cost=float(cost[best]),
        up=float(up[best]),
        down=float(down[best]),
    )


def available_cube(
    ctx: CubeContext, flat: int, need_up: float, need_down: float, *, limit: int = 40
) -> Cube | None:
    """A move through `flat` over cells that are all already suppressed (cost 0), if any.

    Only patterns whose cells on the primary's own lines are all suppressed can lead to one,
    which keeps the search small; `limit` caps each axis's list.
    """
    per_dim: list[tuple[np.ndarray, np.ndarray]] = []
    for axis in range(len(ctx.table.dims)):
        cats, signs, cost = ctx.line_costs(flat, axis)
        usable = np.flatnonzero(cost == 0.0)[:limit]
        if usable.size == 0:
            return None
        per_dim.append((cats[usable], signs[usable]))
    if int(np.prod([c.shape[0] for c, _s in per_dim])) > 200_000:
        per_dim = [(c[:12], s[:12]) for c, s in per_dim]
    found = _best_of_product(ctx, per_dim, need_up, need_down)
    if found is None or found.cost > 0:
        return None
    return found


def single_direction_cubes(
    ctx: CubeContext, flat: int, need_up: float, need_down: float
) -> list[Cube] | None:
    """Two moves, one per direction, when no single move protects both ways."""
    up = best_cube(ctx, flat, need_up, 0.0)
    down = best_cube(ctx, flat, 0.0, need_down)
    if up is None or down is None:
        return None
    return [up, down]


__all__ = [
    "Cube",
    "CubeContext",
    "available_cube",
    "axis_patterns",
    "best_cube",
    "single_direction_cubes",
]
