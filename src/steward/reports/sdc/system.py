"""The attacker's view of everything published: unknowns, their bounds, and the equations.

Every cell of every table in a release and in the earlier releases of its series becomes a
variable; cells that are the same number (same measure, same categories: `Table.cell_key`)
share one variable, which is how linked tables and history constrain each other (R97).
What the attacker knows about a variable is an interval:

* a published count: exactly that count;
* a suppressed count: at least 1 when the table shows every zero it has (a "*" is then never
  a zero), else at least 0; no upper bound beyond what the equations give;
* a rate table's numerator: denominators are taken as known (they usually are public, e.g.
  enrollment), so a printed percentage pins the numerator to the integers that round to it,
  a coded one ("≤10%") to a range, and a suppressed one to [0, denominator].

The equations are every table's additivity rows over those variables. The suppression engine
and the audit both work on this one system, so they can never disagree about what is known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from steward.reports.sdc.published import PublishedTable, count_bounds_of_percent
from steward.reports.sdc.rules import Rules
from steward.reports.sdc.table import fill_margins

INF = np.inf


@dataclass(frozen=True)
class Requirement:
    """A primary cell's protection rule in variable terms: max ≥ high and min ≤ low."""

    var: int
    high: float
    low: float
    table: int
    cell: int


class System:
    """Variables, bounds and equations for a list of published tables (release, then history)."""

    def __init__(self, published: Sequence[PublishedTable], rules: Rules) -> None:
        self.published = list(published)
        self.rules = rules
        keys: dict[object, int] = {}
        self.var_of: list[np.ndarray] = []
        for pub in self.published:
            table = pub.table
            ids = np.empty(table.size, dtype=np.int64)
            for flat in range(table.size):
                ids[flat] = keys.setdefault(table.cell_key(flat), len(keys))
            self.var_of.append(ids)
        n = len(keys)
        self.n = n
        self.truth = np.full(n, np.nan)
        self.lb = np.zeros(n)
        self.ub = np.full(n, INF)
        self.linked = np.zeros(n, dtype=np.int64)  # how many tables show each variable
        for t, pub in enumerate(self.published):
            self._add_bounds(t, pub)
        self.equations = self._equations()

    # -- bounds ---------------------------------------------------------------------------
    def _add_bounds(self, t: int, pub: PublishedTable) -> None:
        table = pub.table
        ids = self.var_of[t]
        counts = table.counts.ravel()
        suppressed = pub.suppressed.ravel()
        cells = pub.cells.ravel()
        np.add.at(self.linked, ids, 1)
        known = self.truth[ids]
        if np.any(~np.isnan(known) & (known != counts)):
            raise ValueError(f"table {table.name!r} disagrees with a linked table on a cell")
        self.truth[ids] = counts
        if table.denominators is None:
            # A "*" is never zero when the table shows all its zeros (and suppresses none).
            shows_zeros = (
                self.rules.attacker_knows_nonzero
                and not table.sensitive_zeros
                and not np.any(suppressed & (counts == 0))
            )
            low = np.where(suppressed, 1.0 if shows_zeros else 0.0, counts)
            high = np.where(suppressed, INF, counts)
        else:
            den = table.denominators.ravel()
            low = np.zeros(table.size)
            high = den.astype(float)
            for flat in np.flatnonzero(~suppressed & (den > 0)):
                bounds = count_bounds_of_percent(str(cells[flat]), int(den[flat]))
                if bounds is not None:
                    low[flat], high[flat] = bounds
            high[den == 0] = 0.0
        np.maximum.at(self.lb, ids, low)
        np.minimum.at(self.ub, ids, high)
        bad = (self.truth[ids] < self.lb[ids]) | (self.truth[ids] > self.ub[ids])
        if np.any(bad):
            first = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"table {table.name!r}: the published {cells[first]!r} does not fit the true "
                f"value of {table.label(first)}"
            )

    def _equations(self) -> sp.csr_matrix:
        blocks = []
        for t, pub in enumerate(self.published):
            eq = pub.table.equations.tocoo()
            blocks.append(
                sp.csr_matrix(
                    (eq.data, (eq.row, self.var_of[t][eq.col])),
                    shape=(eq.shape[0], self.n),
                )
            )
        return sp.vstack(blocks, format="csr") if blocks else sp.csr_matrix((0, self.n))

    # -- the reduced system over unknowns -------------------------------------------------
    @property
    def unknown(self) -> np.ndarray:
        return self.lb < self.ub

    def reduced(self) -> Reduced:
        """Equations over the unknown variables only, known values moved to the right."""
        unknown = np.flatnonzero(self.unknown)
        known = np.flatnonzero(~self.unknown)
        eq = self.equations
        a = eq[:, unknown].tocsr()
        rhs = -(eq[:, known] @ self.truth[known])
        keep = np.diff(a.indptr) > 0
        return Reduced(self, unknown, a[keep], rhs[keep])

    # -- requirements ---------------------------------------------------------------------
    def requirements(self, tables: Sequence[int] | None = None) -> list[Requirement]:
        """The protection rule of every primary cell of the given tables (default: all)."""
        out: dict[int, Requirement] = {}
        chosen = range(len(self.published)) if tables is None else tables
        for t in chosen:
            pub = self.published[t]
            table = pub.table
            level = self.rules.protection_level(table.rare)
            floors = self.a_priori_floor(t)
            for flat in np.flatnonzero(pub.primary.ravel()):
                var = int(self.var_of[t][flat])
                value = float(self.truth[var])
                if table.denominators is None:
                    high = value + level
                    low = max(float(floors[flat]), value - level)
                else:
                    den = float(table.denominators.flat[flat])
                    high = min(den, value + level)
                    low = max(0.0, value - level)
                old = out.get(var)
                if old is not None:
                    high, low = max(high, old.high), min(low, old.low)
                out[var] = Requirement(var, high, low, t, int(flat))
        return list(out.values())

    def a_priori_floor(self, t: int) -> np.ndarray:
        """The least each cell of table t can be on the publication policy alone (flat).

        Where a table shows every zero, a "*" is at least 1, so a margin is at least the
        number of its non-zero leaf cells, however it is suppressed. The protection rule can
        only ask the equations not to narrow a cell further than that.
        """
        pub = self.published[t]
        table = pub.table
        counts = table.counts
        shows_zeros = (
            self.rules.attacker_knows_nonzero
            and table.denominators is None
            and not table.sensitive_zeros
            and not np.any(pub.suppressed & (counts == 0))
        )
        if not shows_zeros:
            return np.zeros(table.size)
        leaves = np.ix_(*[np.array(d.leaves) for d in table.dims])
        return fill_margins(table.dims, (counts[leaves] > 0).astype(np.int64)).ravel()

    def cell_of(self, var: int) -> tuple[int, int]:
        """The first (table, flat cell) that shows a variable."""
        for t, ids in enumerate(self.var_of):
            hits = np.flatnonzero(ids == var)
            if hits.size:
                return t, int(hits[0])
        raise KeyError(var)


class Reduced:
    """A_eq y = b over the unknown variables, split into independent components."""

    def __init__(self, system: System, unknown: np.ndarray, a: sp.csr_matrix, rhs: np.ndarray):
        self.system = system
        self.unknown = unknown
        self.a = a
        self.rhs = rhs
        self.position = np.full(system.n, -1, dtype=np.int64)
        self.position[unknown] = np.arange(unknown.size)
        pattern = (a != 0).astype(np.int8)
        graph = (pattern.T @ pattern).tocsr()
        self.n_components, self.component = connected_components(graph, directed=False)

    def component_of(self, var: int) -> tuple[np.ndarray, sp.csr_matrix, np.ndarray]:
        """Positions (into `unknown`), rows and right-hand side of the var's component."""
        label = self.component[self.position[var]]
        cols = np.flatnonzero(self.component == label)
        sub = self.a[:, cols]
        rows = np.flatnonzero(np.diff(sub.tocsr().indptr) > 0)
        return cols, sub[rows].tocsr(), self.rhs[rows]
