"""The directory-information categories: the Massachusetts list by default (R8, R89)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from steward.catalog.elements import ELEMENTS
from steward.consents.directory import DEFAULT_CATEGORIES
from steward.consents.models import DirectoryCategory

pytestmark = pytest.mark.django_db

MA_LIST = {
    "name",
    "address",
    "telephone",
    "birth",
    "major_field",
    "attendance_dates",
    "athlete_measures",
    "class",
    "activities",
    "awards",
    "post_high_school_plans",
}


def test_the_migration_designates_exactly_the_massachusetts_list() -> None:
    designated = set(
        DirectoryCategory.objects.filter(designated=True).values_list("key", flat=True)
    )
    assert designated == MA_LIST


def test_photo_email_and_student_id_are_never_directory_information_in_massachusetts() -> None:
    for key in ("photo", "email", "student_id"):
        category = DirectoryCategory.objects.get(key=key)
        assert not category.ma_allowed
        assert not category.designated
        assert not category.effective


def test_designating_a_forbidden_category_fails_validation_under_the_ma_rule() -> None:
    photo = DirectoryCategory.objects.get(key="photo")
    photo.designated = True
    with pytest.raises(ValidationError) as error:
        photo.full_clean()
    assert "designated" in error.value.message_dict


def test_a_district_outside_massachusetts_may_designate_the_photo(settings: object) -> None:
    settings.STEWARD_MA_DIRECTORY_RULE = False  # type: ignore[attr-defined]
    photo = DirectoryCategory.objects.get(key="photo")
    photo.designated = True
    photo.full_clean()
    assert photo.effective


def test_an_unknown_catalog_element_fails_validation() -> None:
    name = DirectoryCategory.objects.get(key="name")
    name.elements = [*name.elements, "roster.Student.shoe_size"]
    with pytest.raises(ValidationError) as error:
        name.full_clean()
    assert "elements" in error.value.message_dict


def test_the_migration_matches_the_defaults_in_code() -> None:
    seeded = {c.key: (c.ma_allowed, tuple(c.elements)) for c in DirectoryCategory.objects.all()}
    assert seeded == {c.key: (c.ma_allowed, c.elements) for c in DEFAULT_CATEGORIES}


def test_every_ma_directory_element_of_the_catalog_belongs_to_an_allowed_category() -> None:
    linked = {key for c in DEFAULT_CATEGORIES if c.ma_allowed for key in c.elements}
    assert linked == {e.key for e in ELEMENTS if e.ma_directory}


def test_forbidden_categories_link_no_ma_directory_element() -> None:
    flagged = {e.key for e in ELEMENTS if e.ma_directory}
    for category in DEFAULT_CATEGORIES:
        if not category.ma_allowed:
            assert not set(category.elements) & flagged, category.key


def test_a_category_reads_as_its_label() -> None:
    assert str(DirectoryCategory.objects.get(key="birth")) == "Date and place of birth"
