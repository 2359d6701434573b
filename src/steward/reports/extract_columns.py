"""The columns a research extract may carry (R79, R91, R109), as data.

Direct identifiers (names, ids, contact details, birth date, place of birth) are never among
them. Each column is either a quasi-identifier (generalized until k-anonymity holds, with a
`Hierarchy` of coarser labels) or an attribute (released as computed; the privacy office may
require ℓ-diversity on it). Special indicators can be either. Each names the NDPA Exhibit B
element it discloses: an extract may only carry columns the study agreement lists (R79(C)(1):
"the information to be disclosed").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from steward.reports import categories
from steward.reports.anonymize import Hierarchy

Pair = tuple[str, str]
NOT_REPORTED = "not reported"


def _same(value: str) -> str:
    return value


@dataclass(frozen=True)
class Column:
    """`steps` are the generalizations after the value as shown (`show`), before the
    implied "*"; `qi`: may be a quasi-identifier; `attribute`: may be released as an
    attribute (and be required ℓ-diverse)."""

    key: str
    label: Promise
    exhibit_b: Pair
    qi: bool = False
    attribute: bool = False
    steps: tuple[Callable[[str], str], ...] = ()
    show: Callable[[str], str] = _same
    step_labels: tuple[Promise, ...] = ()  # what each step does, for the preview

    def hierarchy(self) -> Hierarchy:
        return Hierarchy(self.key, (self.show, *self.steps))

    def level_label(self, level: int) -> str:
        """How the column is released at generalization `level` (0: as held)."""
        if level == 0:
            return str(_("as held"))
        if level > len(self.steps):
            return str(_("withheld (*)"))
        return str(self.step_labels[level - 1])


def _age_band(width: int) -> Callable[[str], str]:
    def band(value: str) -> str:
        if not value.isdigit():
            return value
        low = int(value) // width * width
        return f"{low}-{low + width - 1}"

    return band


def _grade_band(value: str) -> str:
    return categories.band_of(value)


_GRADE_LEVEL = {"early": "early", "k2": "elementary", "g3_5": "elementary"}
_GRADE_LEVEL |= {"g6_8": "middle", "g9_12": "high", "other": "other"}


def _grade_level(value: str) -> str:
    return _GRADE_LEVEL[categories.band_of(value)]


# School values are "level|school name", so that the level step needs no lookup.
def _school_name(value: str) -> str:
    return value.split("|", 1)[-1]


def _school_level(value: str) -> str:
    return value.split("|", 1)[0]


def _race_collapse(value: str) -> str:
    return value if value in {"hispanic", "white", "black", "asian"} else "another or several"


def _any_plan(value: str) -> str:
    return "neither" if value == "neither" else "IEP or 504"


def _homeless_or_foster(value: str) -> str:
    return "neither" if value == "neither" else "homeless or foster care"


DEMOGRAPHICS = "Demographics"
ENROLLMENT = "Enrollment"
INDICATOR = "Special Indicator"

COLUMNS: tuple[Column, ...] = (
    Column(
        "age",
        _("age in years on the extract's date"),
        (DEMOGRAPHICS, "Date of birth"),
        qi=True,
        steps=(_age_band(2), _age_band(4)),
        step_labels=(_("two-year bands"), _("four-year bands")),
    ),
    Column(
        "grade",
        _("grade level"),
        (ENROLLMENT, "Student grade level"),
        qi=True,
        steps=(_grade_band, _grade_level),
        step_labels=(_("grade bands"), _("school levels")),
    ),
    Column(
        "school",
        _("school (or its level)"),
        (ENROLLMENT, "Student school enrollment"),
        qi=True,
        steps=(_school_level,),
        show=_school_name,
        step_labels=(_("school level"),),
    ),
    Column("sex", _("sex"), (DEMOGRAPHICS, "Gender"), qi=True),
    Column(
        "race",
        _("race and ethnicity"),
        (DEMOGRAPHICS, "Ethnicity or race"),
        qi=True,
        steps=(_race_collapse,),
        step_labels=(_("five groups: the four largest, and all others together"),),
    ),
    Column(
        "english_learner",
        _("English learner"),
        (INDICATOR, "English language learner information"),
        qi=True,
        attribute=True,
    ),
    Column(
        "disability",
        _("IEP or 504 plan"),
        (INDICATOR, "Specialized education services (IEP or 504)"),
        qi=True,
        attribute=True,
        steps=(_any_plan,),
        step_labels=(_("either plan, or neither"),),
    ),
    Column(
        "low_income",
        _("low income"),
        (INDICATOR, "Low income status"),
        qi=True,
        attribute=True,
    ),
    Column(
        "housing",
        _("homeless or in foster care"),
        (INDICATOR, "Living situations (homeless/foster care)"),
        qi=True,
        attribute=True,
        steps=(_homeless_or_foster,),
        step_labels=(_("either, or neither"),),
    ),
    Column(
        "days_absent",
        _("days absent in the school year so far"),
        ("Attendance", "School daily attendance"),
        attribute=True,
    ),
    Column(
        "incidents",
        _("discipline incidents in the school year so far"),
        ("Conduct", "Conduct or behavioral data"),
        attribute=True,
    ),
    Column(
        "suspended",
        _("suspended (in or out of school) in the school year so far"),
        ("Conduct", "Conduct or behavioral data"),
        attribute=True,
    ),
    Column(
        "ela_level",
        _("state assessment achievement level, English language arts"),
        ("Assessment", "Standardized test scores"),
        attribute=True,
    ),
    Column(
        "math_level",
        _("state assessment achievement level, mathematics"),
        ("Assessment", "Standardized test scores"),
        attribute=True,
    ),
)
BY_KEY: dict[str, Column] = {column.key: column for column in COLUMNS}


def can_be_quasi_identifier(key: str) -> bool:
    column = BY_KEY.get(key)
    return column is not None and column.qi


def can_be_attribute(key: str) -> bool:
    column = BY_KEY.get(key)
    return column is not None and column.attribute


def quasi_identifier_choices() -> list[tuple[str, Promise]]:
    return [(c.key, c.label) for c in COLUMNS if c.qi]


def attribute_choices() -> list[tuple[str, Promise]]:
    return [(c.key, c.label) for c in COLUMNS if c.attribute]
