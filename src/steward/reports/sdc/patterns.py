"""Publishing patterns that leak whatever the suppression pattern (R94 b and c, NCES 2011-603).

* `rounded-percent-beside-n`: a printed percentage whose denominator is printed too (in
  another table of the release or the history, under the rate table's `denominator_measure`)
  pins the numerator whenever only one whole number rounds to it — with whole percentages,
  for every group of 100 or fewer (disclosure-avoidance.md §2.3).
* `numerator-denominator-percent`: a suppressed numerator, denominator or percentage whose
  two companions are shown is recovered by one multiplication or division.
* `zero-suppression-beside-total`: suppressed cells that are all zero in a line whose total
  is shown: the total minus the shown cells is 0, so each is 0.

Each finding carries a stable `kind` the report pages translate, and an English message for
logs and the command line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from steward.reports.sdc.published import PublishedTable, count_bounds_of_percent

KIND_ROUNDED = "rounded-percent-beside-n"
KIND_TRIPLE = "numerator-denominator-percent"
KIND_ZEROS = "zero-suppression-beside-total"


@dataclass(frozen=True)
class Finding:
    kind: str
    table: str
    cell: str
    message: str
    detail: dict[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "table": self.table,
            "cell": self.cell,
            "message": self.message,
            "detail": self.detail,
        }


def leak_patterns(
    tables: Sequence[PublishedTable], *, release_count: int | None = None
) -> list[Finding]:
    """Findings over `tables` (the release first, then the history). Only patterns that
    involve at least one table of the release (the first `release_count`) are reported:
    the history was audited when it went out."""
    release_count = len(tables) if release_count is None else release_count
    shown: dict[object, tuple[int, int]] = {}  # count-table cell key → (table, cell) printed
    for t, pub in enumerate(tables):
        if pub.table.denominators is not None:
            continue
        suppressed = pub.suppressed.ravel()
        for flat in np.flatnonzero(~suppressed):
            shown.setdefault(pub.table.cell_key(int(flat)), (t, int(flat)))
    findings: list[Finding] = []
    for t, pub in enumerate(tables):
        if pub.table.denominators is not None:
            findings += _rate_findings(t, pub, tables, shown, release_count)
        elif t < release_count:
            findings += _zero_findings(pub)
    return findings


def _rate_findings(
    t: int,
    pub: PublishedTable,
    tables: Sequence[PublishedTable],
    shown: dict[object, tuple[int, int]],
    release_count: int,
) -> list[Finding]:
    table = pub.table
    assert table.denominators is not None
    out: list[Finding] = []
    suppressed = pub.suppressed.ravel()
    for flat in range(table.size):
        n = int(table.denominators.flat[flat])
        if n == 0:
            continue
        _measure, cats = table.cell_key(flat)
        num_at = shown.get((table.measure, cats))
        den_at = shown.get((table.denominator_measure, cats)) if table.denominator_measure else None
        involved = {t} | {x[0] for x in (num_at, den_at) if x is not None}
        if min(involved) >= release_count:
            continue
        label = table.label(flat)
        text = str(pub.cells.flat[flat])
        if suppressed[flat] and num_at is not None and den_at is not None:
            out.append(
                Finding(
                    KIND_TRIPLE,
                    table.name,
                    label,
                    f"{table.name}: the suppressed percentage for {label} is the shown "
                    "numerator divided by the shown denominator",
                )
            )
            continue
        if suppressed[flat] or den_at is None:
            continue
        bounds = count_bounds_of_percent(text, n)
        if bounds is None or bounds[0] != bounds[1]:
            continue
        if num_at is None:
            numerator_table = _suppressed_numerator(tables, table.measure, cats)
            if numerator_table is not None:
                out.append(
                    Finding(
                        KIND_TRIPLE,
                        table.name,
                        label,
                        f"{table.name}: the count suppressed in {numerator_table} for {label} "
                        f"is {text} of the denominator shown beside it",
                    )
                )
                continue
        out.append(
            Finding(
                KIND_ROUNDED,
                table.name,
                label,
                f"{table.name}: {text} of a shown group of {n} can only be {bounds[0]} "
                f"students ({label}); publish the group size or the percentage, not both",
                {"denominator_table": tables[den_at[0]].name},
            )
        )
    return out


def _suppressed_numerator(
    tables: Sequence[PublishedTable], measure: str, cats: frozenset[tuple[str, str]]
) -> str | None:
    for pub in tables:
        if pub.table.denominators is not None or pub.table.measure != measure:
            continue
        for flat in np.flatnonzero(pub.suppressed.ravel()):
            if pub.table.cell_key(int(flat))[1] == cats:
                return pub.table.name
    return None


def _zero_findings(pub: PublishedTable) -> list[Finding]:
    table = pub.table
    counts = table.counts.ravel()
    suppressed = pub.suppressed.ravel()
    eq = table.equations.tocsr()
    out: list[Finding] = []
    for row in range(eq.shape[0]):
        cols = eq.indices[eq.indptr[row] : eq.indptr[row + 1]]
        signs = eq.data[eq.indptr[row] : eq.indptr[row + 1]]
        parent = cols[signs > 0]
        members = cols[signs < 0]
        if suppressed[parent].any():
            continue
        hidden = members[suppressed[members]]
        if hidden.size and not counts[hidden].any():
            label = table.label(int(parent[0]))
            out.append(
                Finding(
                    KIND_ZEROS,
                    table.name,
                    label,
                    f"{table.name}: every suppressed cell under {label} is 0, and {label} is "
                    "shown, so each of them is 0",
                    {"cells": [table.label(int(c)) for c in hidden]},
                )
            )
    return out
