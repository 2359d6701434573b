"""The OneRoster column ↔ Exhibit B table agrees with the data catalog (R109; issue #7)."""

from __future__ import annotations

import pytest

from steward.catalog.elements import ELEMENTS, EXHIBIT_B
from steward.roster.oneroster import spec
from steward.sharing import columns as cols

CATALOG = {element.key: element.exhibit_b for element in ELEMENTS}
PAIRS = {(category, name) for category, names in EXHIBIT_B.items() for name in names}


@pytest.mark.parametrize(("file", "kind"), list(cols.TABLE))
def test_every_column_of_every_version_is_declared(file: str, kind: str) -> None:
    declared = set(cols.TABLE[(file, kind)])
    for version in spec.VERSIONS:
        if file in spec.ROSTER_FILES[version]:
            assert {c.name for c in spec.columns(version, file)} <= declared


@pytest.mark.parametrize(("file", "kind"), list(cols.TABLE))
def test_each_column_carries_the_element_the_catalog_gives_its_field(file: str, kind: str) -> None:
    for name, carry in cols.TABLE[(file, kind)].items():
        assert set(carry.elements) <= PAIRS, (file, name)
        for key in carry.catalog:
            assert key in CATALOG, (file, name, key)
            assert CATALOG[key] in carry.elements, (file, name, key, CATALOG[key])


def test_special_indicator_columns_match_the_catalog() -> None:
    for field, (column, carry) in cols.INDICATORS.items():
        assert column == spec.META_INDICATORS[field]
        assert [CATALOG[key] for key in carry.catalog] == list(carry.elements)


@pytest.mark.parametrize("kind", cols.KINDS)
def test_a_password_is_never_allowed_whatever_the_agreement(kind: str) -> None:
    everything = frozenset(PAIRS)
    assert cols.TABLE[("users", kind)]["password"].never
    for version in spec.VERSIONS:
        assert "password" not in cols.allowed_columns("users", kind, version, everything)
    assert "userProfiles" in cols.NEVER_FILES


def test_identifiers_are_always_allowed_and_personal_columns_need_their_element() -> None:
    nothing: frozenset[tuple[str, str]] = frozenset()
    assert cols.allowed_columns("users", cols.STUDENT, "1.2", nothing) == [
        "sourcedId",
        "status",
        "dateLastModified",
    ]
    email = frozenset({("Student Contact Information", "Email")})
    assert "email" in cols.allowed_columns("users", cols.STUDENT, "1.2", email)
    assert "email" not in cols.allowed_columns("users", cols.GUARDIAN, "1.2", email)
