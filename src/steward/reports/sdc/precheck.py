"""The exact-disclosure pre-check: which suppressed cells do the equations alone determine?

Two stages, cheapest first (disclosure-avoidance.md §1.4, point 5):

1. Peeling: an equation with a single unknown gives that unknown away ("a lone suppression in
   a line"); substitute it and look again, so chains of lone suppressions are caught too.
2. Linear algebra on what is left: a cell is determined exactly when its unit vector lies in
   the row space of the equations over the unknowns, whatever the bounds. A rank-revealing QR
   of each component's transposed matrix gives an orthonormal basis of that row space; the
   cell is determined when its squared norm in that basis is 1 ("two rectangles joined by a
   bridge cell", combinations of rows and columns).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg
import scipy.sparse as sp

from steward.reports.sdc.system import Reduced

#: Components larger than this are left to the LPs, which find exact disclosure too
#: (an interval of width 0); a dense QR beyond it costs more than it saves.
DENSE_LIMIT = 3000


@dataclass(frozen=True)
class PreCheck:
    determined: np.ndarray  # bool over reduced.unknown
    lone: np.ndarray  # bool: found by peeling (alone in an equation)
    checked: np.ndarray  # bool: the algebra stage looked at it


def precheck(reduced: Reduced, *, algebra: bool = True) -> PreCheck:
    n = reduced.unknown.size
    determined = np.zeros(n, dtype=bool)
    lone = _peel(reduced.a)
    determined |= lone
    checked = lone.copy()
    rest = np.flatnonzero(~lone)
    if rest.size and algebra:
        a = reduced.a[:, rest].tocsc()
        keep_rows = np.flatnonzero(np.diff(a.tocsr().indptr) > 0)
        a = a.tocsr()[keep_rows]
        labels = reduced.component[rest]
        for label in np.unique(labels):
            cols = np.flatnonzero(labels == label)
            if cols.size > DENSE_LIMIT:
                continue
            sub = a[:, cols]
            rows = np.flatnonzero(np.diff(sub.tocsr().indptr) > 0)
            checked[rest[cols]] = True
            if rows.size == 0:
                continue
            dense = sub[rows].toarray()
            determined[rest[cols]] = _in_row_space(dense)
    return PreCheck(determined, lone, checked)


def _peel(a: sp.csr_matrix) -> np.ndarray:
    """Unknowns given away by equations that hold one unknown, repeatedly."""
    n_rows, n_cols = a.shape
    found = np.zeros(n_cols, dtype=bool)
    if n_rows == 0:
        return found
    csr = a.tocsr()
    csc = a.tocsc()
    remaining = np.diff(csr.indptr).astype(np.int64)
    queue = [int(r) for r in np.flatnonzero(remaining == 1)]
    while queue:
        row = queue.pop()
        if remaining[row] != 1:
            continue
        cols = csr.indices[csr.indptr[row] : csr.indptr[row + 1]]
        open_cols = cols[~found[cols]]
        if open_cols.size != 1:
            continue
        col = int(open_cols[0])
        found[col] = True
        for other in csc.indices[csc.indptr[col] : csc.indptr[col + 1]]:
            remaining[other] -= 1
            if remaining[other] == 1:
                queue.append(int(other))
    return found


def _in_row_space(dense: np.ndarray) -> np.ndarray:
    """For each column j, is e_j a combination of the rows of `dense`?"""
    q, r, _perm = scipy.linalg.qr(dense.T, mode="economic", pivoting=True)
    diag = np.abs(np.diag(r))
    if diag.size == 0:
        return np.zeros(dense.shape[1], dtype=bool)
    rank = int(np.sum(diag > max(diag[0], 1.0) * 1e-9))
    leverage = np.sum(q[:, :rank] ** 2, axis=1)
    return leverage > 1 - 1e-7
