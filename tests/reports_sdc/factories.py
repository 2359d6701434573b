"""Small tables for the disclosure-avoidance engine's tests (no database involved)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from steward.reports.sdc import Dimension, PublishedTable, Rules, Table, audit, build_table
from steward.reports.sdc.audit import AuditReport
from steward.reports.sdc.protect import publish_pattern


def flat(name: str, n: int, total: str = "Total") -> Dimension:
    return Dimension(name, (total, *[f"{name}{i}" for i in range(n)]))


def grid(values: Sequence[Sequence[int]], name: str = "grid", **options: object) -> Table:
    """A 2-D table (rows r0…, columns c0…) from its inner cells, margins added."""
    leaves = np.asarray(values, dtype=np.int64)
    dims = (flat("r", leaves.shape[0]), flat("c", leaves.shape[1]))
    return build_table(name, dims, leaves, None, **options)


def cell(table: Table, *labels: str) -> int:
    """Flat index of the cell with these categories (one per dimension, in order)."""
    pos = tuple(d.index[label] for d, label in zip(table.dims, labels, strict=True))
    return int(np.ravel_multi_index(pos, table.shape))


def pattern(table: Table, cells: Sequence[Sequence[str]]) -> np.ndarray:
    """A suppression mask from cell labels."""
    mask = np.zeros(table.size, dtype=bool)
    for labels in cells:
        mask[cell(table, *labels)] = True
    return mask.reshape(table.shape)


def audited(
    table: Table, mask: np.ndarray, rules: Rules | None = None, **options: object
) -> tuple[PublishedTable, AuditReport]:
    rules = rules or Rules()
    pub = publish_pattern(table, mask, rules)
    return pub, audit([pub], rules, **options)  # type: ignore[arg-type]
