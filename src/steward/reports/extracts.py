"""Research extracts: who may receive one, which rows it holds, and the file (R79, R91).

`check_agreement` says whether an agreement may receive an extract now: a study agreement
(99.31(a)(6), basis A6) that allows sharing today (`steward.sharing.engine.refusal`: active,
within its dates). `ExtractSpec` is what the office asks for; `prepare` reads the students the
agreement covers (one query for their values), anonymizes them (`anonymize`), gives every
released row a random surrogate id, and writes the CSV. Nothing is stored here: the actions
(`steward.reports.actions.extracts`) store and deliver.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from steward import schoolyear
from steward.bases import FerpaBasis
from steward.records.models import AssessmentResult, DailyAttendance, DisciplineIncident
from steward.reports import aggregate, categories, policy
from steward.reports import extract_columns as cols
from steward.reports.anonymize import Infeasible, Outcome, anonymize
from steward.reports.spec import Family, Subject
from steward.roster.models import Org, Student
from steward.sharing import engine, rules, scope
from steward.vendors.models import Agreement, AgreementKind

SURROGATE_HEADER = "research_id"
SUSPENSIONS = (
    DisciplineIncident.Action.IN_SCHOOL,
    DisciplineIncident.Action.OUT_OF_SCHOOL,
)


@dataclass(frozen=True)
class ExtractSpec:
    as_of: dt.date
    quasi_identifiers: tuple[str, ...]
    attributes: tuple[str, ...] = ()
    sensitive: tuple[str, ...] = ()
    k: int = policy.DEFAULT_K
    l_div: int = policy.DEFAULT_L
    max_suppressed_percent: int = policy.DEFAULT_MAX_SUPPRESSED_PERCENT

    def columns(self) -> tuple[str, ...]:
        return (*self.quasi_identifiers, *self.attributes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "quasi_identifiers": list(self.quasi_identifiers),
            "attributes": list(self.attributes),
            "sensitive": list(self.sensitive),
            "k": self.k,
            "l": self.l_div,
            "max_suppressed_percent": self.max_suppressed_percent,
        }


@dataclass(frozen=True)
class Prepared:
    spec: ExtractSpec
    population: int
    outcome: Outcome
    csv_text: str
    keys: Mapping[str, int]  # surrogate -> student id
    elements: tuple[cols.Pair, ...]
    result: dict[str, Any] = field(default_factory=dict)


def check_agreement(agreement: Agreement, at: dt.datetime | None = None) -> None:
    """Raise ValidationError unless `agreement` may receive a research extract at `at`."""
    at = at or timezone.now()
    if agreement.kind != AgreementKind.STUDY:
        raise ValidationError(
            _("Research extracts are only for study agreements (99.31(a)(6), R79)."),
            code="kind",
        )
    if agreement.ferpa_basis != FerpaBasis.A6:
        raise ValidationError(
            _("The study agreement must cite FERPA basis A6 (99.31(a)(6))."), code="basis"
        )
    reason = engine.refusal(agreement, at)
    if reason is not None:
        raise ValidationError(reason, code="not_allowed")


def validate(spec: ExtractSpec, agreement: Agreement) -> tuple[cols.Pair, ...]:
    """Check the columns and parameters; return the Exhibit B elements the extract uses."""
    if not spec.quasi_identifiers and not spec.attributes:
        raise ValidationError(_("Choose at least one column."), code="columns")
    if len(spec.quasi_identifiers) > policy.MAX_QUASI_IDENTIFIERS:
        raise ValidationError(
            _("Choose at most %(n)d quasi-identifiers.") % {"n": policy.MAX_QUASI_IDENTIFIERS},
            code="too_many",
        )
    for key in spec.quasi_identifiers:
        if not cols.can_be_quasi_identifier(key):
            raise ValidationError(_("Unknown quasi-identifier: %(key)s.") % {"key": key})
    for key in spec.attributes:
        if not cols.can_be_attribute(key):
            raise ValidationError(_("Unknown attribute: %(key)s.") % {"key": key})
    both = set(spec.quasi_identifiers) & set(spec.attributes)
    if both:
        raise ValidationError(
            _("A column is either a quasi-identifier or an attribute, not both: %(keys)s.")
            % {"keys": ", ".join(sorted(both))},
            code="both",
        )
    if not set(spec.sensitive) <= set(spec.attributes):
        raise ValidationError(
            _("Sensitive attributes must be among the attributes released."), code="sensitive"
        )
    if spec.k < policy.MIN_K:
        raise ValidationError(_("k must be at least %(n)d.") % {"n": policy.MIN_K}, code="k")
    if spec.l_div < 1 or (spec.sensitive and spec.l_div < 2):
        raise ValidationError(
            _("ℓ must be at least 2 when sensitive attributes are chosen."), code="l"
        )
    if not 0 <= spec.max_suppressed_percent <= 50:
        raise ValidationError(
            _("The share of rows that may be suppressed must be between 0 and 50%."),
            code="suppressed",
        )
    elements = tuple(dict.fromkeys(cols.BY_KEY[key].exhibit_b for key in spec.columns()))
    allowed = engine.elements_of(agreement)
    missing = [pair for pair in elements if pair not in allowed]
    if missing:
        raise ValidationError(
            _(
                "The agreement does not list these data elements, so the extract may not "
                "carry them (R79): %(elements)s."
            )
            % {"elements": "; ".join(f"{c}: {e}" for c, e in missing)},
            code="elements",
        )
    return elements


def _students(agreement: Agreement, day: dt.date) -> QuerySet[Student]:
    try:
        covered = scope.in_scope(agreement, day)
    except rules.RuleError as exc:
        raise ValidationError(engine.rule_message(exc), code="bad_rule") from exc
    except ValueError as exc:
        raise ValidationError(
            _("The agreement does not say which students it covers."), code="no_scope"
        ) from exc
    return aggregate.population(day).filter(pk__in=covered.values("pk"))


def _level_subquery(subject: str, year: int) -> Subquery:
    results = AssessmentResult.objects.filter(
        student=OuterRef("pk"),
        school_year=year,
        name__startswith=policy.ASSESSMENT_PREFIX,
        subject__in=policy.ASSESSMENT_SUBJECTS[subject],
    ).order_by("-administered", "-pk")
    return Subquery(results.values("performance_level")[:1])


def raw_rows(agreement: Agreement, spec: ExtractSpec) -> list[dict[str, Any]]:
    """One dict per covered student: "student" (id) and the wanted columns as strings. One
    query, plus one for the schools' levels when the school column is wanted."""
    day = spec.as_of
    year = schoolyear.containing(day)
    first, last = year.starts, day
    wanted = set(spec.columns())
    students = _students(agreement, day)
    names: dict[str, Any] = {"student": "pk"}
    if "age" in wanted:
        names["birth"] = "demographics__birth_date"
    if "grade" in wanted:
        names["grade_code"] = "grade"
    if "school" in wanted:
        names["school_id"] = "report_school"
    annotations: dict[str, Any] = {}
    families = {
        "sex": Family.SEX,
        "race": Family.RACE,
        "english_learner": Family.ENGLISH_LEARNER,
        "disability": Family.DISABILITY,
        "low_income": Family.LOW_INCOME,
        "housing": Family.HOUSING,
    }
    for key, family in families.items():
        if key in wanted:
            annotations[f"x_{key}"] = categories.expression(family)
    if "days_absent" in wanted:
        absent = (
            DailyAttendance.objects.filter(
                student=OuterRef("pk"),
                date__gte=first,
                date__lte=last,
                status__in=policy.ABSENT_STATUSES,
            )
            .order_by()
            .values("student")
            .annotate(days=Count("pk"))
            .values("days")
        )
        annotations["x_days_absent"] = Coalesce(
            Subquery(absent, output_field=IntegerField()), Value(0)
        )
    incidents = DisciplineIncident.objects.filter(
        student=OuterRef("pk"), date__gte=first, date__lte=last
    )
    if "incidents" in wanted:
        counted = incidents.order_by().values("student").annotate(c=Count("pk")).values("c")
        annotations["x_incidents"] = Coalesce(
            Subquery(counted, output_field=IntegerField()), Value(0)
        )
    if "suspended" in wanted:
        annotations["x_suspended"] = Exists(incidents.filter(action__in=SUSPENSIONS))
    if "ela_level" in wanted:
        annotations["x_ela_level"] = _level_subquery(Subject.ELA, year.ends.year)
    if "math_level" in wanted:
        annotations["x_math_level"] = _level_subquery(Subject.MATH, year.ends.year)
    query = students.annotate(**annotations).values(*names.values(), *annotations)
    fetched = list(query.order_by())
    levels: dict[int, str] = {}
    school_names: dict[int, str] = {}
    if "school" in wanted:
        ids = {int(row["report_school"]) for row in fetched}
        levels = aggregate.school_levels(day, ids)
        school_names = dict(Org.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [_row(row, day, levels, school_names) for row in fetched]


def _row(
    row: Mapping[str, Any],
    day: dt.date,
    levels: Mapping[int, str],
    names: Mapping[int, str],
) -> dict[str, Any]:
    out: dict[str, Any] = {"student": row["pk"]}
    if "demographics__birth_date" in row:
        born = row["demographics__birth_date"]
        out["age"] = str(_age(born, day)) if born else cols.NOT_REPORTED
    if "grade" in row:
        out["grade"] = categories.grade_key(row["grade"] or "")
    if "report_school" in row:
        school = int(row["report_school"])
        out["school"] = f"{levels.get(school, 'other')}|{names.get(school, school)}"
    for key, value in row.items():
        if key.startswith("x_"):
            out[key[2:]] = _text(value)
    return out


def _text(value: Any) -> str:
    if value is None or value == "":
        return cols.NOT_REPORTED
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _age(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _surrogates(count: int) -> list[str]:
    """`count` distinct random ids (R91): drawn from the operating system's generator, never
    computed from anything about the student."""
    made: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        token = secrets.token_hex(8)
        if token not in made:
            made.add(token)
            out.append(token)
    return out


def prepare(agreement: Agreement, spec: ExtractSpec) -> Prepared:
    """The extract `spec` asks for under `agreement`, ready to store. Raises ValidationError
    when the agreement may not receive one, the columns are not allowed, nobody is covered,
    or no generalization reaches k and ℓ."""
    check_agreement(agreement)
    elements = validate(spec, agreement)
    rows = raw_rows(agreement, spec)
    if not rows:
        raise ValidationError(
            _("The agreement covers no student enrolled on %(day)s.")
            % {"day": spec.as_of.isoformat()},
            code="empty",
        )
    hierarchies = [cols.BY_KEY[key].hierarchy() for key in spec.quasi_identifiers]
    limit = len(rows) * spec.max_suppressed_percent // 100
    try:
        outcome = anonymize(
            rows, hierarchies, spec.sensitive, k=spec.k, l_div=spec.l_div, max_suppressed=limit
        )
    except Infeasible as exc:
        raise ValidationError(
            _(
                "No generalization of these %(n)d students reaches k = %(k)d and ℓ = %(l)d, "
                "even with every quasi-identifier withheld: choose fewer sensitive "
                "attributes, a smaller ℓ, or a larger population."
            )
            % {"n": len(rows), "k": spec.k, "l": spec.l_div},
            code="infeasible",
        ) from exc
    # Released rows in random order: the order of the file must not follow the students' ids.
    order = list(range(len(outcome.kept)))
    random.SystemRandom().shuffle(order)
    surrogates = _surrogates(len(order))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([SURROGATE_HEADER, *spec.quasi_identifiers, *spec.attributes])
    keys: dict[str, int] = {}
    for surrogate, j in zip(surrogates, order, strict=True):
        source = rows[outcome.kept[j]]
        general = outcome.rows[j]
        writer.writerow(
            [
                surrogate,
                *(general[key] for key in spec.quasi_identifiers),
                *(source[key] for key in spec.attributes),
            ]
        )
        keys[surrogate] = int(source["student"])
    result = {
        "levels": dict(outcome.levels),
        "population": len(rows),
        "rows": len(outcome.kept),
        "suppressed": outcome.suppressed,
        "classes": outcome.classes,
        "smallest_class": outcome.smallest_class,
        "least_diverse": dict(outcome.least_diverse),
        "nodes_evaluated": outcome.nodes_evaluated,
    }
    return Prepared(spec, len(rows), outcome, buffer.getvalue(), keys, elements, result)
