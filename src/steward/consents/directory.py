"""The default directory-information categories (R8, R85–R89): district policy as data.

`DEFAULT_CATEGORIES` seeds `DirectoryCategory` (data migration 0002). The Massachusetts list
(603 CMR 23.07(4)(a), R8) is designated by default; photographs, e-mail addresses and student
ID numbers are never directory information in Massachusetts (`ma_allowed=False`, R89) and are
listed only so that a district can see, and cannot designate, them.

`elements` links a category to the keys of the data catalog (`steward.catalog.elements`)
holding it, where Steward holds it at all (addresses, athletics, awards and plans are not in
the roster). Read only: the catalog stays the source of truth for each field.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class DefaultCategory:
    key: str
    label: Promise
    ma_allowed: bool
    elements: tuple[str, ...] = ()


DEFAULT_CATEGORIES: tuple[DefaultCategory, ...] = (
    DefaultCategory(
        "name",
        _("Name"),
        True,
        (
            "roster.Student.given_name",
            "roster.Student.middle_name",
            "roster.Student.family_name",
            "roster.Student.preferred_given_name",
        ),
    ),
    DefaultCategory("address", _("Address"), True),
    DefaultCategory("telephone", _("Telephone listing"), True, ("roster.Student.phone",)),
    DefaultCategory(
        "birth",
        _("Date and place of birth"),
        True,
        (
            "roster.StudentDemographics.birth_date",
            "roster.StudentDemographics.city_of_birth",
            "roster.StudentDemographics.state_of_birth",
            "roster.StudentDemographics.country_of_birth",
        ),
    ),
    DefaultCategory("major_field", _("Major field of study"), True),
    DefaultCategory(
        "attendance_dates",
        _("Dates of attendance"),
        True,
        ("roster.StudentSchool.begin_date", "roster.StudentSchool.end_date"),
    ),
    DefaultCategory("athlete_measures", _("Weight and height of athletic-team members"), True),
    DefaultCategory("class", _("Class (grade level)"), True, ("roster.Student.grade",)),
    DefaultCategory(
        "activities", _("Participation in officially recognized activities and sports"), True
    ),
    DefaultCategory("awards", _("Degrees, honors and awards"), True),
    DefaultCategory("post_high_school_plans", _("Post-high-school plans"), True),
    DefaultCategory("photo", _("Photograph"), False),
    DefaultCategory("email", _("E-mail address"), False, ("roster.Student.email",)),
    DefaultCategory(
        "student_id",
        _("Student ID number"),
        False,
        ("roster.Student.identifier", "roster.Student.sourced_id"),
    ),
)

# The categories a military recruiter or institution of higher education may ask for under
# 20 U.S.C. 7908 (R23). The recruiter opt-out blocks every category to such recipients; these
# are what they receive when there is none.
RECRUITER_CATEGORIES: frozenset[str] = frozenset({"name", "address", "telephone"})


def ma_rule_on() -> bool:
    """Whether the Massachusetts list limits the designation (R89); the default is yes.

    District setting `STEWARD_MA_DIRECTORY_RULE`; only a district outside Massachusetts turns
    it off.
    """
    return bool(getattr(settings, "STEWARD_MA_DIRECTORY_RULE", True))
