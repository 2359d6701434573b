"""From a report spec to protected, audited tables (R90–R98).

`build(spec, rules, history)`:

1. counts the inner cells in SQL (`aggregate.counts`);
2. lays them out as one `sdc.Table` with every margin: geography (district → school level →
   school), grade (or grade band) and subgroup, each an axis with its total; a dimension the
   spec does not break down by is left out rather than kept as a single total;
3. protects it with `sdc.protect` against the series' earlier releases (`history`, R97):
   primary suppression, the two-category complement rule, top/bottom coding of percentages
   and complementary suppression;
4. audits the result independently with `sdc.audit` (every primary cell's interval by LP,
   the leak patterns), history included.

Rates (attendance, discipline, proficiency) are published as percentages only, never beside
the group's size: with whole percentages the size would give the number of students away for
every group of 100 or fewer (NCES 2011-603; the audit refuses it).

Categories carry stable keys ("school:12", "level:middle", "grade:07", "race:asian"); their
labels are kept beside the tables, so a release reads the same after a school is renamed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from steward.reports import aggregate, categories
from steward.reports.sdc.audit import AuditReport, audit
from steward.reports.sdc.protect import CannotProtect, Protection, protect
from steward.reports.sdc.published import PublishedTable
from steward.reports.sdc.rules import Rules
from steward.reports.sdc.table import Dimension, Table, build_table
from steward.reports.spec import Family, Geography, Grades, Measure, ReportSpec
from steward.vendors.sdpc import district_name

GEOGRAPHY, GRADE, SUBGROUP = "geography", "grade", "subgroup"
DISTRICT_KEY, ALL_GRADES, ALL_STUDENTS = "district", "grade:all", "all"
RARE_FAMILIES = frozenset(family for family, _key in categories.RARE)


@dataclass(frozen=True)
class Built:
    """One report, protected and audited. `labels[dimension][category]` names categories."""

    spec: ReportSpec
    rules: Rules
    table: Table
    labels: dict[str, dict[str, str]]
    protection: Protection
    audit: AuditReport
    school_days: int | None

    @property
    def published(self) -> PublishedTable:
        return self.protection.tables[0]


def measure_key(spec: ReportSpec) -> str:
    """What the table's cells count, for which population and period: equal keys in two
    releases of a series mean the same numbers, which the audit then links (R97)."""
    parts = [spec.measure, spec.as_of.isoformat()]
    if spec.subject:
        parts.insert(1, spec.subject)
    if spec.school_days is not None:
        parts.append(f"days={spec.school_days}")
    return ":".join(parts)


def _geography(
    spec: ReportSpec, counts: aggregate.Counts
) -> tuple[Dimension, dict[str, str], dict[int, str]] | None:
    """The geography axis, its labels, and the category (leaf) of each school id."""
    if spec.geography == Geography.DISTRICT:
        return None
    schools = sorted(counts.schools, key=lambda pk: (counts.schools[pk], pk))
    levels = aggregate.school_levels(spec.as_of, set(schools))
    order = [key for key, _label in categories.LEVELS if key in set(levels.values())]
    labels = {DISTRICT_KEY: district_name() or _("the district")}
    parent: dict[str, str] = {}
    cats = [DISTRICT_KEY]
    leaf_of: dict[int, str] = {}
    for level in order:
        level_key = f"level:{level}"
        cats.append(level_key)
        labels[level_key] = categories.level_label(level)
        parent[level_key] = DISTRICT_KEY
        if spec.geography == Geography.SCHOOL:
            for pk in schools:
                if levels[pk] == level:
                    key = f"school:{pk}"
                    cats.append(key)
                    labels[key] = counts.schools[pk]
                    parent[key] = level_key
                    leaf_of[pk] = key
        else:
            leaf_of.update({pk: level_key for pk in schools if levels[pk] == level})
    dim = Dimension(GEOGRAPHY, tuple(cats), parent, total=DISTRICT_KEY)
    return dim, labels, leaf_of


def _grades(spec: ReportSpec, counts: aggregate.Counts) -> tuple[Dimension, dict[str, str]] | None:
    if spec.grades == Grades.ALL:
        return None
    present = {cell.grade for cell in counts.cells}
    labels = {ALL_GRADES: _("all grades")}
    if spec.grades == Grades.GRADE:
        keys = sorted(present, key=categories.grade_rank)
        for key in keys:
            labels[f"grade:{key}"] = categories.grade_label(key)
    else:
        bands = {categories.band_of(g) for g in present}
        keys = [key for key, _label, _g in categories.BANDS if key in bands]
        for key in keys:
            labels[f"grade:{key}"] = categories.band_label(key)
    cats = (ALL_GRADES, *(f"grade:{key}" for key in keys))
    return Dimension(GRADE, cats, total=ALL_GRADES), labels


def _subgroups(spec: ReportSpec) -> tuple[Dimension, dict[str, str]] | None:
    if spec.family == Family.NONE:
        return None
    labels = {ALL_STUDENTS: _("all students")}
    cats = [ALL_STUDENTS]
    for category in categories.FAMILIES[spec.family]:
        key = f"{spec.family}:{category.key}"
        cats.append(key)
        labels[key] = str(category.label)
    return Dimension(SUBGROUP, tuple(cats), total=ALL_STUDENTS), labels


def table_for(
    spec: ReportSpec, counts: aggregate.Counts
) -> tuple[Table, dict[str, dict[str, str]]]:
    """The spec's table with every margin, and the labels of its categories."""
    if not counts.cells:
        raise ValidationError(
            _("No student is counted on %(day)s: there is nothing to report.")
            % {"day": spec.as_of.isoformat()},
            code="empty",
        )
    dims: list[Dimension] = []
    labels: dict[str, dict[str, str]] = {}
    geography = _geography(spec, counts)
    grades = _grades(spec, counts)
    subgroups = _subgroups(spec)
    if geography is not None:
        dims.append(geography[0])
        labels[GEOGRAPHY] = geography[1]
    if grades is not None:
        dims.append(grades[0])
        labels[GRADE] = grades[1]
    if subgroups is not None:
        dims.append(subgroups[0])
        labels[SUBGROUP] = subgroups[1]
    if not dims:
        raise ValidationError(
            _("Break the table down by school, by grade or by a subgroup family."),
            code="no_breakdown",
        )
    leaves = [{dim.categories[pos]: i for i, pos in enumerate(dim.leaves)} for dim in dims]
    shape = tuple(len(dim.leaves) for dim in dims)
    n = np.zeros(shape, dtype=np.int64)
    hits = np.zeros(shape, dtype=np.int64)
    for cell in counts.cells:
        keys: list[str] = []
        if geography is not None:
            keys.append(geography[2][cell.school_id])
        if grades is not None:
            grade = cell.grade if spec.grades == Grades.GRADE else categories.band_of(cell.grade)
            keys.append(f"grade:{grade}")
        if subgroups is not None:
            keys.append(f"{spec.family}:{cell.category}")
        at = tuple(index[key] for index, key in zip(leaves, keys, strict=True))
        n[at] += cell.n
        hits[at] += cell.hits
    name = spec.title()
    options: dict[str, Any] = {
        "measure": measure_key(spec),
        "rare": spec.family in RARE_FAMILIES,
    }
    if spec.measure == Measure.ENROLLMENT:
        table = build_table(name, tuple(dims), n, **options)
    else:
        table = build_table(name, tuple(dims), hits, n, **options)
    return table, labels


def build(spec: ReportSpec, rules: Rules, *, history: Sequence[PublishedTable] = ()) -> Built:
    """Count, lay out, protect and audit `spec` (see the module docstring). Raises
    ValidationError when nobody is counted, nothing is broken down, or no suppression
    pattern can protect the table given its history."""
    counts = aggregate.counts(spec)
    if spec.measure == Measure.ATTENDANCE and spec.school_days is None:
        spec = spec.with_days(counts.school_days or 0)
        if not spec.school_days:
            raise ValidationError(
                _("No attendance is recorded in the period: enter the number of school days."),
                code="days",
            )
    table, labels = table_for(spec, counts)
    try:
        protection = protect([table], rules, history=history)
        report = audit(protection.tables, rules, history=history)
    except CannotProtect as exc:
        raise ValidationError(
            _(
                "No suppression pattern protects this table given the series' earlier "
                "releases (R97): %(reason)s"
            )
            % {"reason": exc},
            code="cannot_protect",
        ) from exc
    except ValueError as exc:
        # The engine links a cell to the same cell of an earlier release with the same measure
        # and date; different numbers there mean the records changed since that release.
        raise ValidationError(
            _(
                "An earlier release of this series counted the same date, and the records "
                "have changed since: its numbers and today's cannot both be true. Publish "
                "this date in a new series, or choose another date. (%(reason)s)"
            )
            % {"reason": exc},
            code="history_conflict",
        ) from exc
    return Built(spec, rules, table, labels, protection, report, counts.school_days)


def history_of(releases: Sequence[dict[str, Any]]) -> list[PublishedTable]:
    """The published tables stored with earlier releases (`Release.tables`)."""
    out: list[PublishedTable] = []
    for stored in releases:
        for item in stored.get("tables", ()):
            out.append(PublishedTable.from_dict(item["published"]))
    return out


def tables_as_json(built: Built) -> dict[str, Any]:
    """What a release stores: the published table (with its true counts, which stay home
    for the audit of later releases) and the labels."""
    return {"tables": [{"published": built.published.to_dict(), "labels": built.labels}]}
