"""Hierarchical tables with all their margins, and the additivity equations that bind them.

A table is a dense array with one axis per dimension. Each dimension lists every category,
the grand total and any intermediate groups included (school → level → district), so margin
cells are ordinary cells of the array. The equations "group = sum of its members" along every
dimension and every hierarchy level are what an attacker solves (R94); they are built here
once, as a sparse matrix, and used by the suppression engine and the audit alike.

No Django here (design.md §3 rule 4): the engine is plain Python, numpy and scipy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True, eq=False)
class Dimension:
    """One axis of a table.

    `categories` lists every category of the axis, groups and the grand total included.
    `parent` maps each category except the total to the group it belongs to (a school to its
    level, a level to the district); None means a flat axis where every category belongs to
    the total directly. Every group must equal the sum of its members in the table's counts.
    """

    name: str
    categories: tuple[str, ...]
    parent: Mapping[str, str] | None = None
    total: str = "Total"

    def __post_init__(self) -> None:
        cats = self.categories
        if len(set(cats)) != len(cats):
            raise ValueError(f"dimension {self.name!r}: categories repeat")
        if self.total not in cats:
            raise ValueError(f"dimension {self.name!r}: the total {self.total!r} is missing")
        if len(cats) < 2:
            raise ValueError(f"dimension {self.name!r}: needs a category besides the total")
        parents = self.parents
        for cat in cats:
            seen = {cat}
            node = cat
            while node != self.total:
                node = parents[node]
                if node in seen:
                    raise ValueError(f"dimension {self.name!r}: the groups form a cycle at {cat!r}")
                seen.add(node)

    @cached_property
    def parents(self) -> dict[str, str]:
        """The group of every category except the total (validated)."""
        if self.parent is None:
            return {c: self.total for c in self.categories if c != self.total}
        out: dict[str, str] = {}
        for cat in self.categories:
            if cat == self.total:
                if cat in self.parent:
                    raise ValueError(f"dimension {self.name!r}: the total cannot have a group")
                continue
            group = self.parent.get(cat)
            if group is None or group not in self.categories:
                raise ValueError(
                    f"dimension {self.name!r}: category {cat!r} has no group among the categories"
                )
            out[cat] = group
        return out

    @cached_property
    def index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.categories)}

    @cached_property
    def parent_index(self) -> np.ndarray:
        """Position of each category's group; -1 for the total."""
        idx = self.index
        out = np.full(len(self.categories), -1, dtype=np.int64)
        for cat, group in self.parents.items():
            out[idx[cat]] = idx[group]
        return out

    @cached_property
    def children(self) -> tuple[tuple[int, ...], ...]:
        """Positions of the members of each category (empty for a leaf)."""
        kids: list[list[int]] = [[] for _ in self.categories]
        for pos, group in enumerate(self.parent_index):
            if group >= 0:
                kids[group].append(pos)
        return tuple(tuple(k) for k in kids)

    @cached_property
    def root(self) -> int:
        return self.index[self.total]

    @cached_property
    def leaves(self) -> tuple[int, ...]:
        return tuple(i for i, k in enumerate(self.children) if not k)

    def ancestors(self, pos: int) -> list[int]:
        """The groups above `pos`, nearest first, ending with the total."""
        out = []
        node = int(self.parent_index[pos])
        while node >= 0:
            out.append(node)
            node = int(self.parent_index[node])
        return out

    def leaves_under(self, pos: int) -> list[int]:
        """The leaves of the subtree rooted at `pos` (itself when it is a leaf)."""
        stack, out = [pos], []
        while stack:
            node = stack.pop()
            kids = self.children[node]
            if kids:
                stack.extend(kids)
            else:
                out.append(node)
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "categories": list(self.categories),
            "parent": None if self.parent is None else dict(self.parent),
            "total": self.total,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Dimension:
        parent = data.get("parent")
        return cls(
            name=str(data["name"]),
            categories=tuple(str(c) for c in data["categories"]),  # type: ignore[attr-defined]
            parent=None if parent is None else {str(k): str(v) for k, v in parent.items()},  # type: ignore[attr-defined]
            total=str(data.get("total", "Total")),
        )


@dataclass(frozen=True, eq=False)
class Table:
    """A count table, or a rate table when `denominators` is given.

    `counts` holds non-negative integer counts for every cell, margins included, shaped one
    axis per dimension in `dims` order; for a rate table they are the numerators (students
    who passed) and `denominators` the group sizes (students tested), rate = count / size.

    `measure` names the quantity counted, over which population and period ("enrollment
    2025-10-01"). Cells of tables in one release, or in earlier releases of the series, with the
    same measure and the same categories on the same dimension names (totals left out) are the
    same number, and the audit links them (R97). It defaults to the table's name.
    `denominator_measure` names the measure the denominators are published under, if any.
    `rare` applies the stricter threshold for rare attributes (R98); `sensitive_zeros` marks a
    table where a zero discloses something about a group ("no student of group X passed"),
    so zeros are suppressed like small counts.
    """

    name: str
    dims: tuple[Dimension, ...]
    counts: np.ndarray
    denominators: np.ndarray | None = None
    measure: str = ""
    denominator_measure: str = ""
    rare: bool = False
    sensitive_zeros: bool = False

    def __post_init__(self) -> None:
        counts = np.asarray(self.counts)
        if not np.issubdtype(counts.dtype, np.integer) and not np.all(np.mod(counts, 1) == 0):
            raise ValueError(f"table {self.name!r}: counts must be whole numbers")
        counts = counts.astype(np.int64)
        object.__setattr__(self, "counts", counts)
        if not self.dims:
            raise ValueError(f"table {self.name!r}: needs at least one dimension")
        names = [d.name for d in self.dims]
        if len(set(names)) != len(names):
            raise ValueError(f"table {self.name!r}: dimension names repeat")
        if counts.shape != self.shape:
            raise ValueError(
                f"table {self.name!r}: counts have shape {counts.shape}, dimensions {self.shape}"
            )
        if np.any(counts < 0):
            raise ValueError(f"table {self.name!r}: counts cannot be negative")
        self._check_additive(counts, "counts")
        if self.denominators is not None:
            den = np.asarray(self.denominators).astype(np.int64)
            object.__setattr__(self, "denominators", den)
            if den.shape != self.shape:
                raise ValueError(f"table {self.name!r}: denominators do not match the counts")
            if np.any(counts > den):
                raise ValueError(f"table {self.name!r}: a count exceeds its denominator")
            self._check_additive(den, "denominators")
        if not self.measure:
            object.__setattr__(self, "measure", self.name)

    def _check_additive(self, values: np.ndarray, what: str) -> None:
        residual = self.equations @ values.ravel()
        if np.any(residual != 0):
            row = int(np.flatnonzero(residual)[0])
            cell = self.label(int(self.equation_parent[row]))
            raise ValueError(
                f"table {self.name!r}: {what} are not additive: "
                f"{cell} is not the sum of its members"
            )

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(d.categories) for d in self.dims)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    @property
    def is_rate(self) -> bool:
        return self.denominators is not None

    @cached_property
    def _equation_parts(self) -> tuple[sp.csr_matrix, np.ndarray]:
        """Rows "group − Σ members = 0" along every dimension and hierarchy level."""
        shape = self.shape
        flat = np.arange(self.size, dtype=np.int64).reshape(shape)
        rows, cols, vals, parents = [], [], [], []
        n_rows = 0
        for axis, dim in enumerate(self.dims):
            moved = np.moveaxis(flat, axis, 0).reshape(shape[axis], -1)
            width = moved.shape[1]
            for group, members in enumerate(dim.children):
                if not members:
                    continue
                row_ids = np.arange(n_rows, n_rows + width)
                rows.append(row_ids)
                cols.append(moved[group])
                vals.append(np.ones(width))
                parents.append(moved[group])
                for member in members:
                    rows.append(row_ids)
                    cols.append(moved[member])
                    vals.append(-np.ones(width))
                n_rows += width
        matrix = sp.csr_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
            shape=(n_rows, self.size),
        )
        return matrix, np.concatenate(parents)

    @property
    def equations(self) -> sp.csr_matrix:
        """Sparse matrix M with M @ counts.ravel() == 0: one row per margin cell and axis."""
        return self._equation_parts[0]

    @property
    def equation_parent(self) -> np.ndarray:
        """The margin cell (flat index) each equation row defines."""
        return self._equation_parts[1]

    @cached_property
    def margin_mask(self) -> np.ndarray:
        """Flat boolean mask of cells that are a group or total on at least one axis."""
        mask = np.zeros(self.shape, dtype=bool)
        for axis, dim in enumerate(self.dims):
            groups = np.array([bool(k) for k in dim.children])
            shape = [1] * len(self.dims)
            shape[axis] = len(groups)
            mask |= groups.reshape(shape)
        return mask.ravel()

    def coords(self, flat: int) -> tuple[int, ...]:
        return tuple(int(i) for i in np.unravel_index(flat, self.shape))

    def label(self, flat: int) -> str:
        """A readable cell name: "school=Adams, grade=3, race=Total"."""
        pos = self.coords(flat)
        return ", ".join(f"{d.name}={d.categories[i]}" for d, i in zip(self.dims, pos, strict=True))

    def cell_key(self, flat: int) -> tuple[str, frozenset[tuple[str, str]]]:
        """What links this cell to the same number in another table: measure and categories."""
        pos = self.coords(flat)
        return self.measure, frozenset(
            (d.name, d.categories[i]) for d, i in zip(self.dims, pos, strict=True) if i != d.root
        )

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form, kept with a release so later releases are audited against it."""
        return {
            "name": self.name,
            "dims": [d.to_dict() for d in self.dims],
            "counts": self.counts.ravel().tolist(),
            "denominators": None
            if self.denominators is None
            else self.denominators.ravel().tolist(),
            "measure": self.measure,
            "denominator_measure": self.denominator_measure,
            "rare": self.rare,
            "sensitive_zeros": self.sensitive_zeros,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Table:
        dims = tuple(Dimension.from_dict(d) for d in data["dims"])  # type: ignore[attr-defined]
        shape = tuple(len(d.categories) for d in dims)
        den = data.get("denominators")
        return cls(
            name=str(data["name"]),
            dims=dims,
            counts=np.asarray(data["counts"], dtype=np.int64).reshape(shape),
            denominators=None if den is None else np.asarray(den, dtype=np.int64).reshape(shape),
            measure=str(data.get("measure", "")),
            denominator_measure=str(data.get("denominator_measure", "")),
            rare=bool(data.get("rare", False)),
            sensitive_zeros=bool(data.get("sensitive_zeros", False)),
        )


def build_table(
    name: str,
    dims: tuple[Dimension, ...],
    leaf_counts: np.ndarray,
    leaf_denominators: np.ndarray | None = None,
    **options: object,
) -> Table:
    """A Table from counts over the leaf categories only, every margin computed.

    `leaf_counts` is shaped by the number of leaves of each dimension, in the order the leaves
    appear in `categories`. Convenient for report builders and tests.
    """
    return Table(
        name=name,
        dims=dims,
        counts=fill_margins(dims, leaf_counts),
        denominators=None if leaf_denominators is None else fill_margins(dims, leaf_denominators),
        **options,  # type: ignore[arg-type]
    )


def fill_margins(dims: tuple[Dimension, ...], leaf_values: np.ndarray) -> np.ndarray:
    """Place leaf values in a full array and sum every group from its members."""
    leaf_values = np.asarray(leaf_values, dtype=np.int64)
    expected = tuple(len(d.leaves) for d in dims)
    if leaf_values.shape != expected:
        raise ValueError(f"leaf values have shape {leaf_values.shape}, expected {expected}")
    full = np.zeros(tuple(len(d.categories) for d in dims), dtype=np.int64)
    full[np.ix_(*[np.array(d.leaves) for d in dims])] = leaf_values
    for axis, dim in enumerate(dims):
        # Deepest groups first, so a group's members are complete when it is summed.
        order = sorted(
            (i for i, k in enumerate(dim.children) if k),
            key=lambda i: -len(dim.ancestors(i)),
        )
        moved = np.moveaxis(full, axis, 0)
        for group in order:
            moved[group] = moved[list(dim.children[group])].sum(axis=0)
    return full
