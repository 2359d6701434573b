"""What a report counts and how it is broken down: `ReportSpec`, plain data (R90–R99).

A spec is stored with every release (as `as_dict()`), so it must stay readable by later
versions: keys are stable and unknown values are refused by `from_dict`, never guessed.

The population is the students active on the roster with a current school membership on
`as_of` (both ends inclusive); each is counted once, at their primary school. Events (absences,
discipline incidents) are counted from the first day of the school year containing `as_of`
up to `as_of`; assessment results by the school year's label.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward import schoolyear


class Measure(models.TextChoices):
    ENROLLMENT = "enrollment", gettext_lazy("enrollment (number of students)")
    ATTENDANCE = (
        "attendance",
        gettext_lazy("attendance rate (students present at least 90% of school days)"),
    )
    DISCIPLINE = "discipline", gettext_lazy("students with a discipline incident")
    PROFICIENCY = "proficiency", gettext_lazy("assessment proficiency")


class Geography(models.TextChoices):
    SCHOOL = "school", gettext_lazy("by school (with level and district totals)")
    LEVEL = "level", gettext_lazy("by school level (with the district total)")
    DISTRICT = "district", gettext_lazy("the district as a whole")


class Grades(models.TextChoices):
    GRADE = "grade", gettext_lazy("by grade")
    BAND = "band", gettext_lazy("by grade band")
    ALL = "all", gettext_lazy("all grades together")


class Family(models.TextChoices):
    """Subgroup families (R98): each splits every student into exactly one category."""

    NONE = "none", gettext_lazy("no subgroups")
    RACE = "race", gettext_lazy("race and ethnicity")
    SEX = "sex", gettext_lazy("sex")
    ENGLISH_LEARNER = "english_learner", gettext_lazy("English learners")
    DISABILITY = "disability", gettext_lazy("students with an IEP or a 504 plan")
    LOW_INCOME = "low_income", gettext_lazy("low income")
    HOUSING = "housing", gettext_lazy("homeless or in foster care")


class Subject(models.TextChoices):
    """The state assessment subjects proficiency is reported for (`policy.ASSESSMENTS`)."""

    ELA = "ela", gettext_lazy("English language arts")
    MATH = "math", gettext_lazy("mathematics")
    SCIENCE = "science", gettext_lazy("science and technology/engineering")


RATE_MEASURES = frozenset({Measure.ATTENDANCE, Measure.DISCIPLINE, Measure.PROFICIENCY})


@dataclass(frozen=True)
class ReportSpec:
    """One table to build. `subject` is required for proficiency and ignored otherwise;
    `school_days` (attendance only) is the number of school days from the first day of the
    school year to `as_of`: Steward does not hold the district's calendar, so the office
    enters it, or leaves it empty to have it estimated (`aggregate.school_days`)."""

    measure: str
    geography: str
    grades: str
    family: str
    as_of: dt.date
    subject: str = ""
    school_days: int | None = None

    def __post_init__(self) -> None:
        checks = (
            (self.measure, Measure, _("measure")),
            (self.geography, Geography, _("geography")),
            (self.grades, Grades, _("grade grouping")),
            (self.family, Family, _("subgroup family")),
        )
        for value, choices, what in checks:
            if value not in choices.values:
                raise ValidationError(
                    _("Unknown %(what)s: %(value)s.") % {"what": what, "value": value},
                    code="unknown",
                )
        if self.measure == Measure.PROFICIENCY and self.subject not in Subject.values:
            raise ValidationError(_("Choose the assessment subject."), code="subject")
        if self.measure != Measure.PROFICIENCY and self.subject:
            object.__setattr__(self, "subject", "")
        if self.measure != Measure.ATTENDANCE and self.school_days is not None:
            object.__setattr__(self, "school_days", None)
        if self.school_days is not None and not 1 <= self.school_days <= 366:
            raise ValidationError(
                _("The number of school days must be between 1 and 366."), code="days"
            )

    @property
    def is_rate(self) -> bool:
        return self.measure in RATE_MEASURES

    @property
    def year(self) -> schoolyear.SchoolYear:
        """The school year containing `as_of`: events are counted from its first day."""
        return schoolyear.containing(self.as_of)

    @property
    def school_year_number(self) -> int:
        """The calendar year the school year ends, as `AssessmentResult.school_year`."""
        return self.year.ends.year

    def with_days(self, days: int) -> ReportSpec:
        return replace(self, school_days=days)

    def title(self) -> str:
        """A plain-language title, e.g. "Attendance rate by school, by grade, by sex"."""
        parts = [str(Measure(self.measure).label).capitalize()]
        if self.measure == Measure.PROFICIENCY:
            parts[0] += f" ({Subject(self.subject).label})"
        parts.append(str(_GEOGRAPHY_SHORT[self.geography]))
        if self.grades != Grades.ALL:
            parts.append(str(_GRADES_SHORT[self.grades]))
        if self.family != Family.NONE:
            parts.append(_("by %(family)s") % {"family": Family(self.family).label})
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "geography": self.geography,
            "grades": self.grades,
            "family": self.family,
            "as_of": self.as_of.isoformat(),
            "subject": self.subject,
            "school_days": self.school_days,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReportSpec:
        """The spec stored by `as_dict`. Raises ValidationError for anything unknown."""
        try:
            as_of = dt.date.fromisoformat(str(data["as_of"]))
            days = data.get("school_days")
            return cls(
                measure=str(data["measure"]),
                geography=str(data["geography"]),
                grades=str(data["grades"]),
                family=str(data["family"]),
                as_of=as_of,
                subject=str(data.get("subject") or ""),
                school_days=int(days) if days is not None else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(
                _("The report's parameters are incomplete."), code="spec"
            ) from exc


_GEOGRAPHY_SHORT: dict[str, Promise] = {
    Geography.SCHOOL: gettext_lazy("by school"),
    Geography.LEVEL: gettext_lazy("by school level"),
    Geography.DISTRICT: gettext_lazy("district"),
}
_GRADES_SHORT: dict[str, Promise] = {
    Grades.GRADE: gettext_lazy("by grade"),
    Grades.BAND: gettext_lazy("by grade band"),
}
