"""Primary suppression, the two-category complement rule, and top/bottom coding.

* Counts: a count from 1 to threshold − 1 is suppressed (R92, R93), with the rare threshold
  for tables flagged rare (R98). Zeros are published as 0 by default: a zero enrollment cell
  says no student is there, which identifies nobody, and publishing zeros lets every "*" be
  read as "1 to threshold − 1" honestly. A table whose zeros disclose something about a group
  ("no student of group X passed") is flagged `sensitive_zeros`, and its zeros are suppressed
  like small counts. Rates carry that risk in their 0% and 100%, which coding handles.
* Rates: a rate whose denominator is from 1 to threshold − 1 is suppressed; an empty group
  (denominator 0) has no rate and is printed "–".
* Complement (two-category) rule: where a group has exactly two members (EL / not EL), a
  suppressed member forces the other, so the group total never gives it away. It does not
  force a published zero (the zero is known anyway, and the secondary suppression then
  protects the cell through its other lines).
* Top/bottom coding (R95): a published percentage at or below its tier's bottom prints as
  "≤b%", at or above the top as "≥t%".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from steward.reports.sdc.published import format_bound, format_percent
from steward.reports.sdc.rules import Rules
from steward.reports.sdc.table import Table


@dataclass(frozen=True)
class PrimaryResult:
    primary: np.ndarray  # flat bool
    complement: np.ndarray  # flat bool: forced by the two-category rule


def primary_suppression(table: Table, rules: Rules) -> PrimaryResult:
    threshold = rules.threshold_for(table.rare)
    counts = table.counts.ravel()
    if table.denominators is None:
        primary = (counts > 0) & (counts < threshold)
        if table.sensitive_zeros:
            primary |= counts == 0
        nonzero = counts > 0
    else:
        den = table.denominators.ravel()
        primary = (den > 0) & (den < threshold)
        nonzero = den > 0
    complement = np.zeros_like(primary)
    if rules.complement:
        complement = _complements(table, primary, nonzero)
    return PrimaryResult(primary, complement & ~primary)


def _complements(table: Table, primary: np.ndarray, nonzero: np.ndarray) -> np.ndarray:
    shape = table.shape
    prim = primary.reshape(shape)
    forced = np.zeros(shape, dtype=bool)
    for axis, dim in enumerate(table.dims):
        for members in dim.children:
            if len(members) != 2:
                continue
            a, b = members
            pa = np.take(prim, a, axis=axis)
            pb = np.take(prim, b, axis=axis)
            index_a: list[slice | int] = [slice(None)] * len(shape)
            index_b: list[slice | int] = [slice(None)] * len(shape)
            index_a[axis], index_b[axis] = a, b
            forced[tuple(index_b)] |= pa & ~pb
            forced[tuple(index_a)] |= pb & ~pa
    return forced.ravel() & nonzero


def coded_percentages(table: Table, rules: Rules) -> tuple[np.ndarray, np.ndarray]:
    """Printed percentages of a rate table (before suppression) and the coded mask."""
    if table.denominators is None:
        raise ValueError(f"table {table.name!r} has no denominators")
    counts = table.counts.ravel()
    den = table.denominators.ravel()
    cells = np.empty(table.size, dtype=object)
    coded = np.zeros(table.size, dtype=bool)
    for flat in range(table.size):
        n, k = int(den[flat]), int(counts[flat])
        if n == 0:
            cells[flat] = "–"
            continue
        tier = rules.tier_for(n)
        percent = 100.0 * k / n
        if tier is not None and percent <= tier.bottom:
            cells[flat] = format_bound("≤", tier.bottom)
            coded[flat] = True
        elif tier is not None and percent >= tier.top:
            cells[flat] = format_bound("≥", tier.top)
            coded[flat] = True
        else:
            cells[flat] = format_percent(k, n, rules.percent_decimals)
    return cells, coded
