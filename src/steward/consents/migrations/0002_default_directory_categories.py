"""Seed the directory-information categories: the Massachusetts list, designated (R8, R89).

Frozen copy of `steward.consents.directory.DEFAULT_CATEGORIES` as of this migration (a later
change of the defaults must not rewrite a district's designation).
"""

from django.db import migrations

CATEGORIES = (
    # key, label, ma_allowed (designated by default when allowed), catalog elements
    (
        "name",
        "Name",
        True,
        [
            "roster.Student.given_name",
            "roster.Student.middle_name",
            "roster.Student.family_name",
            "roster.Student.preferred_given_name",
        ],
    ),
    ("address", "Address", True, []),
    ("telephone", "Telephone listing", True, ["roster.Student.phone"]),
    (
        "birth",
        "Date and place of birth",
        True,
        [
            "roster.StudentDemographics.birth_date",
            "roster.StudentDemographics.city_of_birth",
            "roster.StudentDemographics.state_of_birth",
            "roster.StudentDemographics.country_of_birth",
        ],
    ),
    ("major_field", "Major field of study", True, []),
    (
        "attendance_dates",
        "Dates of attendance",
        True,
        ["roster.StudentSchool.begin_date", "roster.StudentSchool.end_date"],
    ),
    ("athlete_measures", "Weight and height of athletic-team members", True, []),
    ("class", "Class (grade level)", True, ["roster.Student.grade"]),
    ("activities", "Participation in officially recognized activities and sports", True, []),
    ("awards", "Degrees, honors and awards", True, []),
    ("post_high_school_plans", "Post-high-school plans", True, []),
    ("photo", "Photograph", False, []),
    ("email", "E-mail address", False, ["roster.Student.email"]),
    (
        "student_id",
        "Student ID number",
        False,
        ["roster.Student.identifier", "roster.Student.sourced_id"],
    ),
)


def seed(apps, schema_editor):
    DirectoryCategory = apps.get_model("consents", "DirectoryCategory")
    for position, (key, label, ma_allowed, elements) in enumerate(CATEGORIES):
        DirectoryCategory.objects.update_or_create(
            key=key,
            defaults={
                "label": label,
                "designated": ma_allowed,
                "ma_allowed": ma_allowed,
                "elements": elements,
                "position": position,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("consents", "DirectoryCategory").objects.filter(
        key__in=[row[0] for row in CATEGORIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("consents", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
