"""Synthetic district tables (school × grade × race) for tests, benchmarks and demonstrations.

The counts look like a real district's: schools of one level each (elementary K–5, middle 6–8,
high 9–12, so most school × grade lines are structural zeros), school sizes spread over an
order of magnitude, and a race/ethnicity mix that varies by school with two very rare groups.
Seeded, so a benchmark and its peer see the same table.
"""

from __future__ import annotations

import numpy as np

from steward.reports.sdc.table import Dimension, Table, build_table

GRADES = ("K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12")
RACES = (
    "White",
    "Hispanic or Latino",
    "Black or African American",
    "Asian",
    "Two or more races",
    "American Indian or Alaska Native",
    "Native Hawaiian or Pacific Islander",
)
_RACE_SHARES = np.array([0.52, 0.22, 0.11, 0.08, 0.05, 0.012, 0.008])
_LEVELS = {"Elementary": range(0, 6), "Middle": range(6, 9), "High": range(9, 13)}


def flat_dimension(name: str, categories: tuple[str, ...], total: str = "Total") -> Dimension:
    return Dimension(name, (total, *categories), None, total)


def school_dimension(n_schools: int, *, hierarchy: bool = False) -> Dimension:
    """Schools, optionally grouped by level under the district total."""
    schools = tuple(f"School {i + 1:03d}" for i in range(n_schools))
    if not hierarchy:
        return flat_dimension("school", schools, "District")
    names = tuple(_LEVELS)
    # Only the levels that have a school: an empty group would be a leaf of its own.
    levels = tuple(names[j] for j in sorted({_level_of(i) for i in range(n_schools)}))
    parent = {level: "District" for level in levels}
    for i, school in enumerate(schools):
        parent[school] = names[_level_of(i)]
    return Dimension("school", ("District", *levels, *schools), parent, "District")


def _level_of(i: int) -> int:
    # Three elementary schools for every middle and high school, as in most districts.
    return (0, 0, 0, 1, 2)[i % 5]


def enrollment(
    n_schools: int, *, seed: int = 2026, hierarchy: bool = False, scale: float = 1.0
) -> Table:
    """School × grade × race enrollment with every margin (`scale` shrinks the schools)."""
    rng = np.random.default_rng(seed)
    leaves = np.zeros((n_schools, len(GRADES), len(RACES)), dtype=np.int64)
    for i in range(n_schools):
        grades = list(_LEVELS[tuple(_LEVELS)[_level_of(i)]])
        per_grade = rng.lognormal(mean=np.log(115 * scale), sigma=0.55)
        shares = rng.dirichlet(_RACE_SHARES * 30)
        for g in grades:
            size = max(1, int(rng.poisson(per_grade)))
            leaves[i, g] = rng.multinomial(size, shares)
    dims = (
        school_dimension(n_schools, hierarchy=hierarchy),
        flat_dimension("grade", GRADES),
        flat_dimension("race", RACES),
    )
    return build_table("enrollment", dims, leaves, measure="enrollment")


def random_table(
    rng: np.random.Generator,
    sizes: tuple[int, ...],
    *,
    small_share: float = 0.3,
    zero_share: float = 0.05,
    hierarchy: tuple[int, ...] | None = None,
) -> Table:
    """A random count table for property tests: `sizes` leaves per dimension; with
    `hierarchy`, the first dimension's leaves are split into that many groups."""
    dims = []
    for axis, n in enumerate(sizes):
        cats = tuple(f"d{axis}c{j}" for j in range(n))
        if axis == 0 and hierarchy:
            groups = tuple(f"g{j}" for j in range(len(hierarchy)))
            parent = {g: "Total" for g in groups}
            start = 0
            for g, width in zip(groups, hierarchy, strict=True):
                for c in cats[start : start + width]:
                    parent[c] = g
                start += width
            if start != n:
                raise ValueError("hierarchy widths must add up to the first size")
            dims.append(Dimension(f"dim{axis}", ("Total", *groups, *cats), parent))
        else:
            dims.append(flat_dimension(f"dim{axis}", cats))
    shape = tuple(sizes)
    values = rng.integers(10, 60, size=shape)
    roll = rng.random(shape)
    values = np.where(roll < small_share, rng.integers(1, 10, size=shape), values)
    values = np.where(roll > 1 - zero_share, 0, values)
    return build_table("random", tuple(dims), values)
