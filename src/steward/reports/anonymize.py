"""k-anonymity and ℓ-diversity by full-domain generalization and row suppression (R91, R96).

Pure Python with numpy, no Django (design.md §3 rule 4). `anonymize()` takes student-level
rows of plain strings, a generalization hierarchy per quasi-identifier and the sensitive
attributes, and finds the least generalization under which:

- every equivalence class (rows with equal generalized quasi-identifiers) has at least `k`
  rows (k-anonymity), and
- every class has at least `l` distinct values of each sensitive attribute (distinct
  ℓ-diversity: no attribute value can be inferred for everyone in a class),

once the rows of the classes that still fail are suppressed (left out), provided that no more
than `max_suppressed` rows are. The search walks the generalization lattice (one level per
quasi-identifier) from the bottom, height by height, and stops at the first height holding
a node that passes: both properties are monotone (merging classes never shrinks one nor
removes a value), so nothing above that height is less generalized. Among the passing nodes
of that height it takes the one that suppresses fewest rows, then the one that loses least
(levels as a share of each hierarchy's height). The top of the lattice (every
quasi-identifier "*") passes whenever the population itself does, so a population of at
least `k` rows with `l` values always finds an answer, at worst a coarse one.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

ANY = "*"
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Hierarchy:
    """Generalization levels of one quasi-identifier. `levels[0]` is the value as held (or
    already coarsened); each later function maps a raw value to a coarser label. A last level
    mapping everything to "*" is implied: the attribute withheld."""

    name: str
    levels: tuple[Callable[[str], str], ...]

    @property
    def height(self) -> int:
        return len(self.levels)  # the implied "*" level is levels[height]

    def label(self, value: str, level: int) -> str:
        return ANY if level >= self.height else self.levels[level](value)


@dataclass(frozen=True)
class Outcome:
    """The generalization chosen and what it leaves.

    `kept` are the indexes of the released rows (input order); `rows` their generalized
    quasi-identifiers (sensitive and other columns are the caller's to add, unchanged).
    """

    levels: Mapping[str, int]
    kept: tuple[int, ...]
    rows: tuple[Mapping[str, str], ...]
    suppressed: int
    classes: int
    smallest_class: int
    least_diverse: Mapping[str, int]
    nodes_evaluated: int


class Infeasible(ValueError):
    """No generalization passes: the population has fewer than k rows or l values."""


def _codes(values: Sequence[str]) -> IntArray:
    _uniq, inverse = np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True)
    return inverse.astype(np.int64)


@dataclass
class _Prepared:
    qi_codes: list[list[tuple[IntArray, int]]]  # per QI, per level: (codes, cardinality)
    sensitive: list[tuple[str, IntArray, int]]
    n: int


def _prepare(
    rows: Sequence[Mapping[str, str]], qis: Sequence[Hierarchy], sensitive: Sequence[str]
) -> _Prepared:
    per_qi: list[list[tuple[IntArray, int]]] = []
    for h in qis:
        raw = [str(row[h.name]) for row in rows]
        levels = []
        for level in range(h.height + 1):
            codes = _codes([h.label(v, level) for v in raw]) if raw else np.zeros(0, np.int64)
            levels.append((codes, int(codes.max()) + 1 if len(codes) else 1))
        per_qi.append(levels)
    sens = []
    for name in sensitive:
        codes = _codes([str(row[name]) for row in rows]) if rows else np.zeros(0, np.int64)
        sens.append((name, codes, int(codes.max()) + 1 if len(codes) else 1))
    return _Prepared(per_qi, sens, len(rows))


def _classes(prepared: _Prepared, node: tuple[int, ...]) -> tuple[IntArray, IntArray]:
    """(class of each row, size of each class) under `node`'s levels."""
    key = np.zeros(prepared.n, dtype=np.int64)
    for qi, level in zip(prepared.qi_codes, node, strict=True):
        codes, card = qi[level]
        if card == 1:
            continue
        key = key * card + codes
        # Re-number after each step so that the mixed-radix key never overflows.
        _u, key = np.unique(key, return_inverse=True)
        key = key.astype(np.int64)
    _u, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    return inverse.astype(np.int64), counts.astype(np.int64)


def _evaluate(
    prepared: _Prepared, node: tuple[int, ...], k: int, l_div: int
) -> tuple[npt.NDArray[np.bool_], IntArray, dict[str, IntArray]]:
    """Per class: whether it fails; class sizes; distinct sensitive values per class."""
    inverse, counts = _classes(prepared, node)
    bad = counts < k
    diversity: dict[str, IntArray] = {}
    for name, codes, card in prepared.sensitive:
        pairs = np.unique(inverse * card + codes)
        distinct = np.bincount(pairs // card, minlength=len(counts)).astype(np.int64)
        diversity[name] = distinct
        bad |= distinct < l_div
    return bad, counts, diversity


def anonymize(
    rows: Sequence[Mapping[str, str]],
    qis: Sequence[Hierarchy],
    sensitive: Sequence[str],
    *,
    k: int,
    l_div: int = 1,
    max_suppressed: int = 0,
) -> Outcome:
    """The least generalization of `rows` meeting k and ℓ after suppressing at most
    `max_suppressed` rows (see the module docstring). Raises `Infeasible` when even the top
    of the lattice fails, and ValueError for k < 1, l < 1 or a quasi-identifier that is also
    sensitive."""
    if k < 1 or l_div < 1:
        raise ValueError("k and l must be at least 1")
    names = [h.name for h in qis]
    if set(names) & set(sensitive) or len(set(names)) != len(names):
        raise ValueError("a column is both a quasi-identifier and sensitive, or repeated")
    prepared = _prepare(rows, qis, sensitive)
    heights = [h.height for h in qis]
    lattice = sorted(
        itertools.product(*(range(height + 1) for height in heights)),
        key=lambda node: (sum(node), _loss(node, heights), node),
    )
    evaluated = 0
    best: _Candidate | None = None
    for node in lattice:
        if best is not None and sum(node) > sum(best.node):
            break
        evaluated += 1
        bad, counts, diversity = _evaluate(prepared, node, k, l_div)
        suppressed = int(counts[bad].sum())
        if suppressed > max_suppressed or suppressed == prepared.n:
            continue
        rank = (suppressed, _loss(node, heights))
        if best is None or rank < best.rank:
            best = _Candidate(rank, node, bad, counts, diversity)
    if best is None:
        raise Infeasible("no generalization reaches k and l")
    return _outcome(
        rows, qis, prepared, best.node, best.bad, best.counts, best.diversity, evaluated
    )


@dataclass(frozen=True)
class _Candidate:
    rank: tuple[int, float]
    node: tuple[int, ...]
    bad: npt.NDArray[np.bool_]
    counts: IntArray
    diversity: dict[str, IntArray]


def _loss(node: tuple[int, ...], heights: Sequence[int]) -> float:
    return sum(level / height for level, height in zip(node, heights, strict=True) if height)


def _outcome(
    rows: Sequence[Mapping[str, str]],
    qis: Sequence[Hierarchy],
    prepared: _Prepared,
    node: tuple[int, ...],
    bad: npt.NDArray[np.bool_],
    counts: IntArray,
    diversity: dict[str, IntArray],
    evaluated: int,
) -> Outcome:
    inverse, _counts = _classes(prepared, node)
    keep_mask = ~bad[inverse]
    kept = tuple(int(i) for i in np.flatnonzero(keep_mask))
    good = ~bad
    generalized = tuple(
        {h.name: h.label(str(rows[i][h.name]), level) for h, level in zip(qis, node, strict=True)}
        for i in kept
    )
    return Outcome(
        levels={h.name: level for h, level in zip(qis, node, strict=True)},
        kept=kept,
        rows=generalized,
        suppressed=prepared.n - len(kept),
        classes=int(good.sum()),
        smallest_class=int(counts[good].min()) if good.any() else 0,
        least_diverse={
            name: int(values[good].min()) if good.any() else 0 for name, values in diversity.items()
        },
        nodes_evaluated=evaluated,
    )
