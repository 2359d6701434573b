"""What an element may say: the fixed record parts, Exhibit B, the MA transcript (R4, R8, R109)."""

from __future__ import annotations

import pytest
from django.utils.functional import Promise

from steward.catalog.elements import (
    ELEMENTS,
    EXHIBIT_B,
    SCOPES,
    DataClass,
    Element,
    MAPart,
)


def _element(**changes: object) -> Element:
    fields: dict[str, object] = {
        "model": "roster.Student",
        "field": "given_name",
        "scope": "directory",
        "label": "First name",
        "purpose": "A purpose.",
        "legal_basis": "A basis.",
        "exhibit_b": ("Student Name", "First and/or last"),
    }
    return Element(**(fields | changes))  # type: ignore[arg-type]


def test_a_disciplinary_element_cannot_be_tagged_transcript() -> None:
    with pytest.raises(ValueError, match="cannot be in the transcript"):
        _element(scope="discipline", ma_part=MAPart.TRANSCRIPT)


def test_a_name_may_be_tagged_transcript() -> None:
    assert _element(ma_part=MAPart.TRANSCRIPT).ma_part == MAPart.TRANSCRIPT


def test_an_unknown_record_part_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown record part"):
        _element(scope="hobbies")


def test_an_element_outside_exhibit_b_is_rejected() -> None:
    with pytest.raises(ValueError, match="not an Exhibit B element"):
        _element(exhibit_b=("Student Name", "Nickname"))


def test_the_record_parts_are_the_fixed_list() -> None:
    assert [s.key for s in SCOPES] == [
        "directory",
        "contact",
        "demographics",
        "enrollment_schedule",
        "attendance",
        "grades_transcript",
        "assessments",
        "discipline",
        "health",
        "special_education",
        "special_indicators",
        "student_generated_content",
        "guardian_contact",
    ]


def test_every_user_facing_text_is_translatable() -> None:
    for scope in SCOPES:
        assert isinstance(scope.label, Promise) and isinstance(scope.description, Promise)
    for e in ELEMENTS:
        assert isinstance(e.label, Promise), e.key
        assert isinstance(e.purpose, Promise), e.key
        assert isinstance(e.legal_basis, Promise), e.key


def test_every_purpose_is_one_plain_sentence() -> None:
    for e in ELEMENTS:
        text = str(e.purpose)
        assert text.endswith(".") and text.count(". ") == 0, e.key


def test_massachusetts_directory_information_never_includes_ids_or_email() -> None:
    # R8: student IDs and e-mail addresses are not directory information in Massachusetts.
    for e in ELEMENTS:
        if e.exhibit_b[0] in {"Student Identifiers", "Parent/Guardian ID"} or e.field == "email":
            assert not e.ma_directory, e.key


def test_names_and_contact_details_are_personally_identifiable_information() -> None:
    for e in ELEMENTS:
        if e.exhibit_b[0] in {"Student Name", "Student Identifiers", "Parent/Guardian Name"}:
            assert e.data_class == DataClass.STUDENT_INFORMATION, e.key


def test_special_indicators_are_highly_sensitive_and_temporary() -> None:
    indicators = [e for e in ELEMENTS if e.scope == "special_indicators"]
    assert len(indicators) == 7
    for e in indicators:
        assert e.sensitivity == "high" and e.ma_part == MAPart.TEMPORARY, e.key
        assert e.exhibit_b[0] == "Special Indicator"


def test_exhibit_b_lists_the_ndpa_categories() -> None:
    assert "Special Indicator" in EXHIBIT_B and "Student Work" in EXHIBIT_B
    assert "Living situations (homeless/foster care)" in EXHIBIT_B["Special Indicator"]
