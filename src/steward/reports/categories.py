"""The categories reports break students down by: subgroups, grades and school levels.

Each subgroup family (`spec.Family`) puts every student in exactly one category, so that the
categories add up to the total (the tables' margins depend on it). A category is an SQL
`CASE` over the student's demographics and special indicators (`expression(family)`): the
aggregation never loads a student into Python. A student without a demographics or
indicators row falls in the "not reported" / "no" category.

`RARE` lists the categories R98 calls rare attributes (English learners, IEP/504, low income,
homeless or foster care): they get the stricter threshold of the suppression rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Expression, IntegerField, Q, Value, When
from django.db.models.lookups import GreaterThan
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from steward.reports.spec import Family


@dataclass(frozen=True)
class Category:
    key: str
    label: Promise


FAMILIES: dict[str, tuple[Category, ...]] = {
    Family.NONE: (Category("all", _("all students")),),
    # Federal race and ethnicity reporting: Hispanic or Latino of any race first, then two or
    # more races, then each race alone.
    Family.RACE: (
        Category("hispanic", _("Hispanic or Latino")),
        Category("american_indian", _("American Indian or Alaska Native")),
        Category("asian", _("Asian")),
        Category("black", _("Black or African American")),
        Category("pacific", _("Native Hawaiian or Other Pacific Islander")),
        Category("white", _("White")),
        Category("multiracial", _("Two or more races")),
        Category("not_reported", _("not reported")),
    ),
    Family.SEX: (
        Category("female", _("female")),
        Category("male", _("male")),
        Category("other", _("another sex or not reported")),
    ),
    Family.ENGLISH_LEARNER: (
        Category("el", _("English learner")),
        Category("not_el", _("not an English learner")),
    ),
    Family.DISABILITY: (
        Category("iep", _("IEP")),
        Category("section504", _("504 plan (no IEP)")),
        Category("neither", _("neither an IEP nor a 504 plan")),
    ),
    Family.LOW_INCOME: (
        Category("low_income", _("low income")),
        Category("not_low_income", _("not low income")),
    ),
    Family.HOUSING: (
        Category("homeless", _("homeless")),
        Category("foster", _("in foster care")),
        Category("neither", _("neither homeless nor in foster care")),
    ),
}

RARE: frozenset[tuple[str, str]] = frozenset(
    {
        (Family.ENGLISH_LEARNER, "el"),
        (Family.DISABILITY, "iep"),
        (Family.DISABILITY, "section504"),
        (Family.LOW_INCOME, "low_income"),
        (Family.HOUSING, "homeless"),
        (Family.HOUSING, "foster"),
    }
)

_RACES = (
    ("american_indian", "american_indian_or_alaska_native"),
    ("asian", "asian"),
    ("black", "black_or_african_american"),
    ("pacific", "native_hawaiian_or_other_pacific_islander"),
    ("white", "white"),
)


def _flag(field: str) -> Q:
    return Q(**{field: True})


def _races_marked() -> Expression:
    """How many race flags the student's demographics row has set (0 without a row)."""
    total: Expression | None = None
    for _key, field in _RACES:
        one = Case(
            When(_flag(f"demographics__{field}"), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        total = one if total is None else total + one
    assert total is not None
    return total


def expression(family: str) -> Expression:
    """The SQL expression giving a student's category key in `family` (a Student query)."""
    text = FAMILIES[family]
    default = Value(text[-1].key)
    whens: list[When]
    if family == Family.NONE:
        return Value("all")
    if family == Family.RACE:
        whens = [
            When(_flag("demographics__hispanic_or_latino"), then=Value("hispanic")),
            When(_flag("demographics__two_or_more_races"), then=Value("multiracial")),
            When(GreaterThan(_races_marked(), 1), then=Value("multiracial")),
            *(When(_flag(f"demographics__{field}"), then=Value(key)) for key, field in _RACES),
        ]
    elif family == Family.SEX:
        whens = [
            When(Q(demographics__sex__iexact="female"), then=Value("female")),
            When(Q(demographics__sex__iexact="male"), then=Value("male")),
        ]
    elif family == Family.ENGLISH_LEARNER:
        whens = [When(_flag("special_indicators__english_learner"), then=Value("el"))]
    elif family == Family.DISABILITY:
        whens = [
            When(_flag("special_indicators__iep"), then=Value("iep")),
            When(_flag("special_indicators__section504"), then=Value("section504")),
        ]
    elif family == Family.LOW_INCOME:
        whens = [When(_flag("special_indicators__low_income"), then=Value("low_income"))]
    elif family == Family.HOUSING:
        whens = [
            When(_flag("special_indicators__homeless"), then=Value("homeless")),
            When(_flag("special_indicators__foster_care"), then=Value("foster")),
        ]
    else:  # pragma: no cover - ReportSpec refuses unknown families
        raise ValueError(family)
    return Case(*whens, default=default)


def label(family: str, key: str) -> str:
    for category in FAMILIES[family]:
        if category.key == key:
            return str(category.label)
    return key


# --- Grades ----------------------------------------------------------------------------------

# CEDS grade codes in school order; anything else (ungraded, blank) sorts last as "other".
GRADE_ORDER = ("IT", "PR", "PK", "TK", "KG", *(f"{g:02d}" for g in range(1, 14)))
GRADE_LABELS: dict[str, Promise] = {
    "IT": _("infant/toddler"),
    "PR": _("preschool"),
    "PK": _("pre-kindergarten"),
    "TK": _("transitional kindergarten"),
    "KG": _("kindergarten"),
    "other": _("ungraded or not reported"),
}
BANDS: tuple[tuple[str, Promise, frozenset[str]], ...] = (
    ("early", _("early childhood (before kindergarten)"), frozenset({"IT", "PR", "PK", "TK"})),
    ("k2", _("kindergarten to grade 2"), frozenset({"KG", "01", "02"})),
    ("g3_5", _("grades 3 to 5"), frozenset({"03", "04", "05"})),
    ("g6_8", _("grades 6 to 8"), frozenset({"06", "07", "08"})),
    ("g9_12", _("grades 9 to 12"), frozenset({"09", "10", "11", "12", "13"})),
    ("other", _("ungraded or not reported"), frozenset()),
)


_RANK = {code: rank for rank, code in enumerate(GRADE_ORDER)}


def grade_key(code: str) -> str:
    """The normalized grade: a CEDS code from `GRADE_ORDER`, or "other"."""
    code = (code or "").strip().upper()
    if code.isdigit() and len(code) == 1:
        code = f"0{code}"
    return code if code in GRADE_ORDER else "other"


def band_of(grade: str) -> str:
    for key, _label, grades in BANDS:
        if grade in grades:
            return key
    return "other"


def grade_rank(grade: str) -> int:
    return _RANK.get(grade, len(GRADE_ORDER))


def grade_label(grade: str) -> str:
    if grade.isdigit():
        return gettext("grade %(n)d") % {"n": int(grade)}
    return str(GRADE_LABELS.get(grade, grade))


def band_label(band: str) -> str:
    return next((str(text) for key, text, _g in BANDS if key == band), band)


# --- School levels ---------------------------------------------------------------------------

LEVELS: tuple[tuple[str, Promise], ...] = (
    ("elementary", _("elementary schools")),
    ("middle", _("middle schools")),
    ("high", _("high schools")),
    ("other", _("other and combined schools")),
)


def level_of(grades: set[str]) -> str:
    """A school's level from the grades it serves, after the NCES Common Core of Data rule:
    elementary when its lowest grade is at most 3 and its highest at most 8; middle when the
    lowest is 4 to 7 and the highest at most 9; high when the lowest is at least 7; other
    (combined, ungraded) otherwise. Steward holds no level for a school, so it is derived."""
    ranks = sorted(grade_rank(g) for g in grades if g in GRADE_ORDER)
    if not ranks:
        return "other"
    low, high = ranks[0], ranks[-1]
    if low <= _RANK["03"] and high <= _RANK["08"]:
        return "elementary"
    if _RANK["04"] <= low <= _RANK["07"] and high <= _RANK["09"]:
        return "middle"
    if low >= _RANK["07"]:
        return "high"
    return "other"


def level_label(level: str) -> str:
    return next((str(text) for key, text in LEVELS if key == level), level)
