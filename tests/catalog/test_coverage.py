"""The catalog declares every roster field that holds student or guardian data, once."""

from __future__ import annotations

from collections import Counter

import pytest
from django.apps import apps

from steward.catalog.elements import (
    CATALOGUED_MODELS,
    ELEMENTS,
    EXCLUDED,
    SCOPES,
    is_excluded,
)


def _fields(model: str) -> set[str]:
    return {field.name for field in apps.get_model(model)._meta.concrete_fields}


@pytest.mark.parametrize("model", CATALOGUED_MODELS)
def test_every_field_of_a_student_or_guardian_model_is_declared_or_excluded(model: str) -> None:
    declared = {e.field for e in ELEMENTS if e.model == model}
    missing = {f for f in _fields(model) - declared if not is_excluded(model, f)}
    assert not missing, f"{model}: declare these fields in steward.catalog.elements: {missing}"


def test_every_declared_element_names_a_real_field_of_a_catalogued_model() -> None:
    for element in ELEMENTS:
        assert element.model in CATALOGUED_MODELS, element.key
        assert element.field in _fields(element.model), element.key


def test_no_field_is_declared_twice() -> None:
    counts = Counter(e.key for e in ELEMENTS)
    assert [key for key, n in counts.items() if n > 1] == []


def test_no_declared_field_is_also_excluded() -> None:
    assert [e.key for e in ELEMENTS if is_excluded(e.model, e.field)] == []


def test_every_exclusion_names_a_real_field_and_gives_a_reason() -> None:
    for (model, field), reason in EXCLUDED.items():
        models = CATALOGUED_MODELS if model == "*" else (model,)
        assert any(field in _fields(m) for m in models), (model, field)
        assert reason


def test_source_system_identifiers_are_declared_not_excluded() -> None:
    keys = {e.key for e in ELEMENTS}
    assert {"roster.Student.sourced_id", "roster.Guardian.sourced_id"} <= keys


def test_every_record_part_lists_the_fields_it_holds() -> None:
    # Attendance, grades, assessments, discipline, health, IEP/504 and student work have had
    # models since steward.records; a scope without elements would mean a part Steward
    # declares but does not hold.
    used = {e.scope for e in ELEMENTS}
    assert {s.key for s in SCOPES} - used == set()


def test_student_record_parts_beyond_the_roster_are_catalogued() -> None:
    records = {m for m in CATALOGUED_MODELS if m.startswith("records.")}
    assert records == {f"records.{m.__name__}" for m in apps.get_app_config("records").get_models()}
