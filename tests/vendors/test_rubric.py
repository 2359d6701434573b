"""The vetting rubric (R74, R125–R127): every TrustEd Apps area is there, with items."""

from __future__ import annotations

import pytest

from steward.vendors import rubric
from steward.vendors.models import VettingAnswer

# R74's areas, plus the COPPA consent model (R127) and the generative-AI area (issue #6).
EXPECTED_AREAS = {
    "collected",
    "ownership",
    "deletion",
    "retention",
    "security",
    "third_parties",
    "advertising",
    "sale",
    "breach",
    "access",
    "policy_changes",
    "coppa",
    "ai",
}


def test_it_covers_every_area_the_issue_and_r74_name() -> None:
    assert {area.key for area in rubric.AREAS} == EXPECTED_AREAS


@pytest.mark.parametrize("area", rubric.AREAS, ids=lambda area: area.key)
def test_every_area_has_a_title_requirements_and_at_least_two_items(area: rubric.Area) -> None:
    assert str(area.title)
    assert area.requirements.startswith("R")
    assert len(area.items) >= 2


@pytest.mark.parametrize("item", list(rubric.ITEMS.values()), ids=lambda item: item.key)
def test_every_item_asks_a_question_with_guidance(item: rubric.Item) -> None:
    assert str(item.question).endswith("?")
    assert len(str(item.guidance)) > 10


def test_item_keys_are_unique_prefixed_by_their_area_and_fit_the_answer_column() -> None:
    keys = [item.key for area in rubric.AREAS for item in area.items]
    assert len(keys) == len(set(keys)) == len(rubric.ITEMS)
    limit = VettingAnswer._meta.get_field("item").max_length
    for area in rubric.AREAS:
        for item in area.items:
            assert item.key.startswith(f"{area.key}.")
            assert len(item.key) <= limit  # type: ignore[operator]
            assert rubric.AREA_OF[item.key] is area


def test_security_asks_about_encryption_and_mfa() -> None:
    assert {"security.encryption", "security.mfa"} <= set(rubric.ITEMS)


def test_only_sale_and_advertising_items_block_approval() -> None:
    blocking_areas = {rubric.AREA_OF[key].key for key in rubric.BLOCKING_ITEMS}
    assert blocking_areas == {"sale", "advertising"}
    sale_and_ads = [a for a in rubric.AREAS if a.key in {"sale", "advertising"}]
    assert {item.key for a in sale_and_ads for item in a.items} == rubric.BLOCKING_ITEMS


def test_it_finds_an_item_by_key_and_refuses_an_unknown_one() -> None:
    assert rubric.item("sale.never").key == "sale.never"
    with pytest.raises(KeyError):
        rubric.item("sale.sometimes")
