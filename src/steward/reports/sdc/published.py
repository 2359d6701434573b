"""What a release shows: a table's published strings beside the truth they were made from.

A PublishedTable is kept with its release, on the district's side: the strings go out, the
true counts stay home so that the next release of the series can be audited against this one
(R97). `to_dict`/`from_dict` give the JSON form the release record stores.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from steward.reports.sdc.table import Table

SUPPRESSED = "*"
#: A rate over an empty group (no students): there is nothing to publish or protect.
NOT_APPLICABLE = "–"

_PERCENT = re.compile(r"^\s*(≤|≥|<|>|<=|>=)?\s*(\d+(?:\.\d+)?)\s*%\s*$")


@dataclass(frozen=True, eq=False)
class PublishedTable:
    """One table of a release.

    `cells` holds what is printed for each cell (a count, "*", or for a rate table a
    percentage such as "83%", "≤10%", "≥95%"); `suppressed` marks the "*" cells, `primary`
    those the rules themselves protect (small counts, small denominators), `complement` those
    the two-category rule forced, and `coded` the top/bottom coded percentages. Masks and
    cells have the table's shape.
    """

    table: Table
    cells: np.ndarray
    suppressed: np.ndarray
    primary: np.ndarray
    complement: np.ndarray
    coded: np.ndarray

    def __post_init__(self) -> None:
        shape = self.table.shape
        for name in ("cells", "suppressed", "primary", "complement", "coded"):
            value = np.asarray(getattr(self, name), dtype=object if name == "cells" else bool)
            if value.shape != shape:
                raise ValueError(f"published table {self.table.name!r}: {name} has the wrong shape")
            object.__setattr__(self, name, value)
        if np.any(self.primary & ~self.suppressed):
            raise ValueError(f"published table {self.table.name!r}: a primary cell is shown")

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def secondary(self) -> np.ndarray:
        """Cells suppressed only to protect others (the complement rule's included)."""
        return self.suppressed & ~self.primary

    def rows(self) -> list[tuple[tuple[str, ...], str]]:
        """Every cell as (categories, printed value), in array order: for CSV writers."""
        out = []
        for flat in range(self.table.size):
            pos = self.table.coords(flat)
            cats = tuple(d.categories[i] for d, i in zip(self.table.dims, pos, strict=True))
            out.append((cats, str(self.cells.flat[flat])))
        return out

    def to_dict(self) -> dict[str, object]:
        def where(mask: np.ndarray) -> list[int]:
            return [int(i) for i in np.flatnonzero(mask)]

        return {
            "table": self.table.to_dict(),
            "cells": [str(c) for c in self.cells.ravel()],
            "suppressed": where(self.suppressed),
            "primary": where(self.primary),
            "complement": where(self.complement),
            "coded": where(self.coded),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> PublishedTable:
        table = Table.from_dict(data["table"])  # type: ignore[arg-type]

        def mask(key: str) -> np.ndarray:
            out = np.zeros(table.size, dtype=bool)
            out[list(data.get(key) or [])] = True  # type: ignore[call-overload]
            return out.reshape(table.shape)

        cells = np.empty(table.size, dtype=object)
        cells[:] = [str(c) for c in data["cells"]]  # type: ignore[attr-defined]
        cells = cells.reshape(table.shape)
        return cls(
            table=table,
            cells=cells,
            suppressed=mask("suppressed"),
            primary=mask("primary"),
            complement=mask("complement"),
            coded=mask("coded"),
        )


def format_percent(count: int, size: int, decimals: int) -> str:
    """count/size as a percentage, rounded half up (never banker's rounding)."""
    scaled = Fraction(100 * count, size) * 10**decimals
    rounded = math.floor(scaled + Fraction(1, 2))
    if decimals == 0:
        return f"{rounded}%"
    whole, part = divmod(rounded, 10**decimals)
    return f"{whole}.{part:0{decimals}d}%"


def format_bound(symbol: str, percent: float) -> str:
    text = f"{percent:g}"
    return f"{symbol}{text}%"


def count_bounds_of_percent(text: str, size: int) -> tuple[int, int] | None:
    """The numerators (integers in [0, size]) a printed percentage allows, or None if it is
    not a percentage. "83%" with one implied rounding step allows every k with
    round(100k/size) = 83; "≤10%" every k with 100k/size ≤ 10."""
    match = _PERCENT.match(text)
    if match is None:
        return None
    sign, number = match.group(1) or "", match.group(2)
    value = Fraction(number)
    decimals = len(number.split(".")[1]) if "." in number else 0
    half = Fraction(1, 2 * 10**decimals)
    if sign in ("≤", "<="):
        low, high = Fraction(0), value
    elif sign == "<":
        low, high = Fraction(0), value - Fraction(1, 10**6)
    elif sign in ("≥", ">="):
        low, high = value, Fraction(100)
    elif sign == ">":
        low, high = value + Fraction(1, 10**6), Fraction(100)
    else:
        # Rounded half up: value − ½ step ≤ p < value + ½ step.
        low, high = value - half, value + half - Fraction(1, 10**9)
    k_low = max(0, math.ceil(low * size / 100))
    k_high = min(size, math.floor(high * size / 100))
    return k_low, k_high
