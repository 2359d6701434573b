"""The hypercube pass of complementary suppression, one table at a time (protect.py step 2).

1. Greedy: for each primary cell, keep it if moves over cells already suppressed protect it
   (one move both ways, or one per direction); otherwise suppress the cells of the cheapest
   move that does (cubes.best_cube), and remember the moves as the cell's witnesses.
2. Pruning: a complementary cell is taken back, costliest first, when every primary whose
   witness used it finds another witness without it. The greedy order leaves cells behind
   that later moves made unnecessary; this removes them while keeping every proof.

Cells shown by another table or by the history ("linked") never take part: a move through
them would have to be matched in the other table, which the joint LP phase handles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import numpy as np
from scipy.optimize import linprog

from steward.reports.sdc.cubes import (
    CubeContext,
    available_cube,
    best_cube,
    single_direction_cubes,
)

#: At most this many suppressed cells per axis span a local proof's box: its LP stays small.
BOX_PER_AXIS = 10
PRUNE_WITH_LP = True

Proof = list[np.ndarray]  # the cells each witness move (or local LP solution) touches


def certify(
    ctx: CubeContext, flat: int, need_up: float, need_down: float, local: LocalProof | None = None
) -> Proof | None:
    """Witness moves over suppressed cells only, or a local LP over them; None if neither."""
    both = available_cube(ctx, flat, need_up, need_down)
    if both is not None:
        return [both.cells]
    up = available_cube(ctx, flat, need_up, 0.0) if need_up > 0 else None
    down = available_cube(ctx, flat, 0.0, need_down) if need_down > 0 else None
    if (need_up <= 0 or up is not None) and (need_down <= 0 or down is not None):
        return [c.cells for c in (up, down) if c is not None]
    return None if local is None else local.prove(flat, need_up, need_down)


class LocalProof:
    """Several moves at once: the attacker's LP over the suppressed cells of the box spanned by
    a primary's suppressed lines, every other cell at its true value (a slice of the
    attacker's feasible set, so what it reaches, the attacker cannot rule out)."""

    def __init__(self, ctx: CubeContext) -> None:
        self.ctx = ctx
        self.csc = ctx.table.equations.tocsc()

    def prove(self, flat: int, need_up: float, need_down: float) -> Proof | None:
        ctx = self.ctx
        table = ctx.table
        coords = table.coords(flat)
        box = np.zeros(1, dtype=np.int64)
        for axis, (dim, pos) in enumerate(zip(table.dims, coords, strict=True)):
            stride = int(ctx.strides[axis])
            line = flat + (np.arange(len(dim.categories)) - pos) * stride
            open_ = np.flatnonzero(ctx.cost[line] == 0.0)
            if open_.size > BOX_PER_AXIS:
                # The roomiest cells of the line: they carry the most of a move.
                room = ctx.value[line[open_]] - ctx.lower[line[open_]]
                open_ = open_[np.argsort(-room, kind="stable")[:BOX_PER_AXIS]]
            chosen = set(open_.tolist())
            chosen |= {pos, dim.root, *dim.ancestors(pos)}
            cats = np.array(sorted(chosen), dtype=np.int64)
            box = (box[:, None] + cats[None, :] * stride).ravel()
        cols = np.unique(box[ctx.cost[box] == 0.0])
        if flat not in cols:
            return None
        sub = self.csc[:, cols].tocsr()
        rows = np.flatnonzero(np.diff(sub.indptr) > 0)
        a = sub[rows]
        truth = ctx.value[cols]
        bounds = np.column_stack([ctx.lower[cols], ctx.upper[cols]])
        local = int(np.searchsorted(cols, flat))
        used: Proof = []
        for sign, need in ((-1.0, need_up), (1.0, need_down)):
            if need <= 0:
                continue
            c = np.zeros(cols.size)
            c[local] = sign
            result = linprog(c, A_eq=a, b_eq=a @ truth, bounds=bounds, method="highs")
            if result.status == 3:  # unbounded in that direction
                continue
            if result.status != 0 or abs(result.x[local] - truth[local]) < need - 1e-7:
                return None
            used.append(cols[np.abs(result.x - truth) > 1e-7])
        return used


def cube_pass(
    ctx: CubeContext,
    suppressed: np.ndarray,
    primaries: list[int],
    needs: Callable[[int], tuple[float, float]],
    locked: np.ndarray,
    price: np.ndarray,
) -> set[int]:
    """Suppress cells (in `suppressed`, flat) until moves protect the primaries; returns
    those protected. `locked` cells (primary, complement) are never taken back; `price` is
    what each cell costs to suppress."""
    witnesses: dict[int, Proof] = {}
    local = LocalProof(ctx)
    for flat in primaries:
        need_up, need_down = needs(flat)
        proof = certify(ctx, flat, need_up, need_down, local)
        if proof is None:
            best = best_cube(ctx, flat, need_up, need_down)
            found = (
                [best]
                if best is not None
                else single_direction_cubes(ctx, flat, need_up, need_down)
            )
            if not found:
                continue
            for cube in found:
                suppressed[cube.cells] = True
                ctx.cost[cube.cells] = 0.0
            proof = [cube.cells for cube in found]
        witnesses[flat] = proof
    _prune(ctx, suppressed, witnesses, needs, locked, price, local)
    return set(witnesses)


def _prune(
    ctx: CubeContext,
    suppressed: np.ndarray,
    witnesses: dict[int, Proof],
    needs: Callable[[int], tuple[float, float]],
    locked: np.ndarray,
    price: np.ndarray,
    local: LocalProof,
) -> None:
    users: dict[int, set[int]] = defaultdict(set)
    for flat, proof in witnesses.items():
        for cells in proof:
            for cell in cells:
                users[int(cell)].add(flat)
    removable = np.flatnonzero(suppressed & ~locked)
    order = sorted(removable, key=lambda c: (-ctx.value[c], int(c)))
    for cell in order:
        cell = int(cell)
        if ctx.cost[cell] != 0.0:
            continue
        saved = ctx.cost[cell]
        ctx.cost[cell] = np.inf
        replaced: dict[int, Proof] = {}
        for flat in users.get(cell, ()):
            found = certify(ctx, flat, *needs(flat), local if PRUNE_WITH_LP else None)
            if found is None:
                break
            replaced[flat] = found
        else:
            suppressed[cell] = False
            ctx.cost[cell] = price[cell]  # a candidate again, at its usual price
            for flat, proof in replaced.items():
                for cells in witnesses[flat]:
                    for c in cells:
                        users[int(c)].discard(flat)
                witnesses[flat] = proof
                for cells in proof:
                    for c in cells:
                        users[int(c)].add(flat)
            users.pop(cell, None)
            continue
        ctx.cost[cell] = saved
