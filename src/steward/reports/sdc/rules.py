"""The district's disclosure rules: thresholds, the protection interval, percentage coding.

Policy is data (design.md §3 rule 3): the report builder stores these per district and per
release, and the release records the exact rules it was protected and audited under (R90).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

#: The floor no district setting may go below (R92: never below 5).
MIN_THRESHOLD = 5


@dataclass(frozen=True)
class Tier:
    """Top and bottom coding for percentages whose denominator is in [min_n, max_n].

    A percentage at or below `bottom` is published as "≤bottom%", at or above `top` as
    "≥top%" (R95): 0% and 100% reveal every student's outcome in the group.
    """

    min_n: int
    max_n: int | None
    bottom: float
    top: float

    def __post_init__(self) -> None:
        if self.max_n is not None and self.max_n < self.min_n:
            raise ValueError(f"tier {self.min_n}–{self.max_n}: the range is empty")
        if not 0 < self.bottom < self.top < 100:
            raise ValueError(f"tier {self.min_n}: bounds must satisfy 0 < bottom < top < 100")

    def covers(self, n: int) -> bool:
        return n >= self.min_n and (self.max_n is None or n <= self.max_n)


#: Default tiers. From 40 students up they are the size-driven rules of NCES 2011-603 as a
#: district mirrors them (disclosure-avoidance.md §2.2: 40–99 → ≤5%/≥95%, 100–299 → ≤2%/≥98%,
#: 300+ → ≤1%/≥99%). Below 40 the source is cut off; ≤10%/≥90% is our conservative choice.
DEFAULT_TIERS: tuple[Tier, ...] = (
    Tier(0, 39, 10.0, 90.0),
    Tier(40, 99, 5.0, 95.0),
    Tier(100, 299, 2.0, 98.0),
    Tier(300, None, 1.0, 99.0),
)


@dataclass(frozen=True)
class Rules:
    """What a release must satisfy.

    threshold: a count below it is suppressed, and a rate whose denominator is below it
        (R92, R93). Default 10, never below 5.
    rare_threshold: the same for tables flagged rare (R98: IEP/504, EL, low income,
        homeless/foster, medical). Never below `threshold`.
    complement: in a breakdown with exactly two categories (EL / not EL), suppressing one
        forces the other, even where the total alone would not give it away.
    protection: the protection interval, as a fraction of the table's threshold. Given
        everything published, the interval an attacker can prove for a suppressed count `a`
        must reach `protection_level` above it and below it (down to the smallest value the
        attacker knows it can have): max ≥ a + PL and min ≤ max(floor, a − PL), with
        PL = max(1, ⌈protection × threshold⌉) — 3 at the default threshold, 6 for rare tables.
    top_bottom: percentage coding tiers by denominator (R95).
    percent_decimals: decimals of published percentages.
    attacker_knows_nonzero: the audit's attacker knows that a "*" in a table that shows its
        zeros is at least 1 (true knowledge, the stricter audit of disclosure-avoidance.md
        §1.4 point 2). Off, the attacker only knows cells are non-negative, as in τ-ARGUS's
        and sdcTable's own audits — used to compare with them on equal terms.
    """

    threshold: int = 10
    rare_threshold: int = 20
    complement: bool = True
    protection: float = 0.3
    top_bottom: tuple[Tier, ...] = field(default=DEFAULT_TIERS)
    percent_decimals: int = 0
    attacker_knows_nonzero: bool = True

    def __post_init__(self) -> None:
        if self.threshold < MIN_THRESHOLD:
            raise ValueError(f"the threshold cannot be below {MIN_THRESHOLD} (R92)")
        if self.rare_threshold < self.threshold:
            raise ValueError("the rare-attribute threshold cannot be below the threshold (R98)")
        if not 0 < self.protection <= 1:
            raise ValueError("protection must be a fraction of the threshold in (0, 1]")
        if not 0 <= self.percent_decimals <= 2:
            raise ValueError("percentages are published with 0 to 2 decimals")
        tiers = sorted(self.top_bottom, key=lambda t: t.min_n)
        for low, high in itertools.pairwise(tiers):
            if low.max_n is None or low.max_n >= high.min_n:
                raise ValueError("percentage coding tiers overlap")

    def threshold_for(self, rare: bool) -> int:
        return self.rare_threshold if rare else self.threshold

    def protection_level(self, rare: bool) -> int:
        """PL: how far the attacker's interval must reach on each side of a suppressed count."""
        return max(1, math.ceil(self.protection * self.threshold_for(rare) - 1e-9))

    def tier_for(self, n: int) -> Tier | None:
        for tier in self.top_bottom:
            if tier.covers(n):
                return tier
        return None

    def to_dict(self) -> dict[str, object]:
        return {
            "threshold": self.threshold,
            "rare_threshold": self.rare_threshold,
            "complement": self.complement,
            "protection": self.protection,
            "top_bottom": [[t.min_n, t.max_n, t.bottom, t.top] for t in self.top_bottom],
            "percent_decimals": self.percent_decimals,
            "attacker_knows_nonzero": self.attacker_knows_nonzero,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Rules:
        tiers: Sequence[Sequence[object]] = data.get("top_bottom") or []  # type: ignore[assignment]
        return cls(
            threshold=int(data.get("threshold", 10)),  # type: ignore[call-overload]
            rare_threshold=int(data.get("rare_threshold", 20)),  # type: ignore[call-overload]
            complement=bool(data.get("complement", True)),
            protection=float(data.get("protection", 0.3)),  # type: ignore[arg-type]
            top_bottom=tuple(
                Tier(int(a), None if b is None else int(b), float(c), float(d))  # type: ignore[call-overload, arg-type]
                for a, b, c, d in tiers
            )
            or DEFAULT_TIERS,
            percent_decimals=int(data.get("percent_decimals", 0)),  # type: ignore[call-overload]
            attacker_knows_nonzero=bool(data.get("attacker_knows_nonzero", True)),
        )
