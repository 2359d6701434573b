"""The scope rule language: parsing, errors and which students a rule selects (issue #7)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from steward.sharing import rules
from steward.sharing.engine import SharingRefused, plan_for
from steward.vendors.models import ScopeKind
from tests.sharing import factories as sf


def test_it_parses_the_documented_example_into_a_tree() -> None:
    tree = rules.parse('grade in (03, 4) and school = "Adams Elementary"')
    assert tree == rules.And(
        (
            rules.Compare("grade", "in", ("03", "04")),
            rules.Compare("school", "=", ("Adams Elementary",)),
        )
    )


def test_and_binds_tighter_than_or_and_parentheses_and_not_work() -> None:
    tree = rules.parse("not (grade = KG or class_type = homeroom) and course contains 'Alg'")
    assert isinstance(tree, rules.And)
    assert isinstance(tree.operands[0], rules.Not)
    assert rules.fields_of(tree) == {"grade", "class_type", "course"}
    assert rules.parse("grade = 03 or grade = 04 and school = X") == rules.Or(
        (
            rules.Compare("grade", "=", ("03",)),
            rules.And((rules.Compare("grade", "=", ("04",)), rules.Compare("school", "=", ("X",)))),
        )
    )


@pytest.mark.parametrize(
    ("text", "code", "position"),
    [
        ("", "empty", 0),
        ("grade", "expected_operator", 5),
        ("colour = red", "unknown_field", 0),
        ("grade = ", "expected_value", 8),
        ("grade in 03", "expected_open", 9),
        ("grade in (03", "expected_close", 12),
        ("grade = 03 school = X", "unexpected_text", 11),
        ("grade = 03; drop", "unexpected_character", 10),
        ("school = ''", "empty_value", 9),
        ("(" * 40 + "grade = 03" + ")" * 40, "too_deep", 32),
        ("grade = 03 and " * 200 + "grade = 04", "too_long", rules.MAX_LENGTH),
    ],
)
def test_a_rule_that_does_not_read_says_what_and_where(text: str, code: str, position: int) -> None:
    with pytest.raises(rules.RuleError) as caught:
        rules.parse(text)
    assert (caught.value.code, caught.value.position) == (code, position)


def test_nothing_in_a_rule_is_evaluated() -> None:
    with pytest.raises(rules.RuleError):
        rules.parse("__import__('os').system('true')")


def _planned(district: SimpleNamespace, rule: str) -> set[str]:
    agreement = sf.agreement(district.acme, scope=ScopeKind.RULE, scope_rule=rule)
    names = {p.pk: p.given_name for p in (district.ana, district.ben, district.cal, district.dee)}
    return {names[pk] for pk in plan_for(agreement).student_ids}


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ('school = "LINCOLN MIDDLE"', {"Dee"}),
        ("school != 'Lincoln Middle'", {"Ana", "Ben", "Cal"}),
        ("grade in (3) and not class_title = art", {"Ana"}),
        ("course contains alg or class_title = 'Grade 3 Homeroom'", {"Ana", "Ben", "Dee"}),
        ("class_type = homeroom", set()),
        ("grade not in (03, 04)", {"Dee"}),
        ("subject contains math", set()),
    ],
)
def test_a_rule_selects_the_students_it_describes(
    district: SimpleNamespace, rule: str, expected: set[str]
) -> None:
    assert _planned(district, rule) == expected


def test_a_rule_on_a_class_id_and_a_school_id_uses_sourced_ids(district: SimpleNamespace) -> None:
    d = district
    rule = f"class = {d.art.sourced_id} or school_id = {d.lincoln.sourced_id}"
    assert _planned(d, rule) == {"Ben", "Cal", "Dee"}


def test_a_bad_rule_refuses_the_plan_with_a_translated_explanation(
    district: SimpleNamespace,
) -> None:
    agreement = sf.agreement(district.acme, scope=ScopeKind.RULE, scope_rule="grade ~ 3")
    with pytest.raises(SharingRefused, match="cannot be read: Unexpected character “~” at"):
        plan_for(agreement)
