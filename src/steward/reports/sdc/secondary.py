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

from steward.reports.sdc.cubes import (
    Cube,
    CubeContext,
    available_cube,
    best_cube,
    single_direction_cubes,
)


def certify(ctx: CubeContext, flat: int, need_up: float, need_down: float) -> list[Cube] | None:
    """Witness moves over suppressed cells only, or None."""
    both = available_cube(ctx, flat, need_up, need_down)
    if both is not None:
        return [both]
    up = available_cube(ctx, flat, need_up, 0.0) if need_up > 0 else None
    down = available_cube(ctx, flat, 0.0, need_down) if need_down > 0 else None
    if (need_up > 0 and up is None) or (need_down > 0 and down is None):
        return None
    return [c for c in (up, down) if c is not None]


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
    witnesses: dict[int, list[Cube]] = {}
    for flat in primaries:
        need_up, need_down = needs(flat)
        found = certify(ctx, flat, need_up, need_down)
        if found is None:
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
        witnesses[flat] = found
    _prune(ctx, suppressed, witnesses, needs, locked, price)
    return set(witnesses)


def _prune(
    ctx: CubeContext,
    suppressed: np.ndarray,
    witnesses: dict[int, list[Cube]],
    needs: Callable[[int], tuple[float, float]],
    locked: np.ndarray,
    price: np.ndarray,
) -> None:
    users: dict[int, set[int]] = defaultdict(set)
    for flat, cubes in witnesses.items():
        for cube in cubes:
            for cell in cube.cells:
                users[int(cell)].add(flat)
    removable = np.flatnonzero(suppressed & ~locked)
    order = sorted(removable, key=lambda c: (-ctx.value[c], int(c)))
    for cell in order:
        cell = int(cell)
        if ctx.cost[cell] != 0.0:
            continue
        saved = ctx.cost[cell]
        ctx.cost[cell] = np.inf
        replaced: dict[int, list[Cube]] = {}
        for flat in users.get(cell, ()):
            found = certify(ctx, flat, *needs(flat))
            if found is None:
                break
            replaced[flat] = found
        else:
            suppressed[cell] = False
            ctx.cost[cell] = price[cell]  # a candidate again, at its usual price
            for flat, cubes in replaced.items():
                for cube in witnesses[flat]:
                    for c in cube.cells:
                        users[int(c)].discard(flat)
                witnesses[flat] = cubes
                for cube in cubes:
                    for c in cube.cells:
                        users[int(c)].add(flat)
            users.pop(cell, None)
            continue
        ctx.cost[cell] = saved
