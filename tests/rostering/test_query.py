"""The OneRoster query language (issue #7 item 3): filter grammar, fields, sort, paging.

Pure parser tests, and a property: arbitrary text never raises anything but QueryError.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.rostering.filters import FILTERS
from steward.rostering.query import (
    MAX_CONDITIONS,
    Condition,
    Logical,
    QueryError,
    parse_fields,
    parse_filter,
    parse_paging,
    parse_sort,
)
from tests.rostering.factories import Api


def test_it_parses_one_condition_per_operator() -> None:
    for op in ("=", "!=", ">", ">=", "<", "<=", "~"):
        assert parse_filter(f"familyName{op}'Avery'") == Condition("familyName", op, "Avery")


def test_it_allows_spaces_around_the_operator_and_a_doubled_quote_in_a_value() -> None:
    assert parse_filter("familyName = 'O''Brien'") == Condition("familyName", "=", "O'Brien")


def test_and_binds_tighter_than_or() -> None:
    tree = parse_filter("a='1' OR b='2' AND c='3'")
    assert tree == Logical(
        "OR",
        (
            Condition("a", "=", "1"),
            Logical("AND", (Condition("b", "=", "2"), Condition("c", "=", "3"))),
        ),
    )


def test_parentheses_group_and_dotted_fields_name_references() -> None:
    tree = parse_filter("(status='active' OR status='tobedeleted') AND school.sourcedId='s1'")
    assert isinstance(tree, Logical) and tree.op == "AND"
    assert tree.parts[1] == Condition("school.sourcedId", "=", "s1")


@pytest.mark.parametrize(
    "text",
    [
        "email=a",  # value not quoted
        "email='a",  # no closing quote
        "='a'",  # no field
        "a ?? 'b'",  # no operator
        "a='b' AND",  # dangling logical operator
        "a='b' XOR c='d'",
        "(a='b'",  # unclosed parenthesis
        "a='b')",
        "1a='b'",
        "",
    ],
)
def test_it_refuses_malformed_filters(text: str) -> None:
    with pytest.raises(QueryError):
        parse_filter(text)


def test_it_refuses_more_conditions_than_the_limit() -> None:
    text = " AND ".join(f"a='{i}'" for i in range(MAX_CONDITIONS + 1))
    with pytest.raises(QueryError, match="at most"):
        parse_filter(text)


def test_it_refuses_deep_nesting() -> None:
    with pytest.raises(QueryError, match="nest"):
        parse_filter("(" * 20 + "a='b'" + ")" * 20)


def test_an_unknown_selection_field_is_an_invalid_selection_field() -> None:
    known = frozenset({"givenName", "familyName"})
    assert parse_fields(["givenName, familyName"], known) == ("givenName", "familyName")
    assert parse_fields([], known) is None
    with pytest.raises(QueryError) as error:
        parse_fields(["givenName,password"], known)
    assert error.value.code == "invalid_selection_field"


def test_sort_and_order_by_are_checked() -> None:
    known = frozenset({"familyName"})
    assert parse_sort("familyName", "desc", known) == ("familyName", True)
    assert parse_sort(None, None, known) == ("", False)
    with pytest.raises(QueryError):
        parse_sort("password", None, known)
    with pytest.raises(QueryError):
        parse_sort("familyName", "sideways", known)


@pytest.mark.parametrize(
    ("limit", "offset"),
    [("0", None), ("1001", None), ("-1", None), ("x", None), (None, "-5"), ("1e3", None)],
)
def test_paging_out_of_range_is_refused(limit: str | None, offset: str | None) -> None:
    with pytest.raises(QueryError):
        parse_paging(limit, offset)


def test_paging_defaults_to_one_hundred_from_the_start() -> None:
    paging = parse_paging(None, None)
    assert (paging.limit, paging.offset) == (100, 0)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=120))
def test_arbitrary_text_either_parses_or_raises_query_error(text: str) -> None:
    with contextlib.suppress(QueryError):
        parse_filter(text)


_pieces = st.sampled_from(
    [
        "a",
        "b.c",
        "=",
        "!=",
        ">=",
        "~",
        "'x'",
        "''",
        "'",
        " AND ",
        " OR ",
        "(",
        ")",
        " ",
        "é",
        "\x00",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_pieces, max_size=25).map("".join))
def test_near_grammatical_text_either_parses_or_raises_query_error(text: str) -> None:
    with contextlib.suppress(QueryError):
        parse_filter(text)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    filter_=st.one_of(st.text(max_size=60), st.lists(_pieces, max_size=15).map("".join)),
    sort=st.sampled_from(["", "familyName", "sourcedId", "nope", "grades"]),
    fields=st.sampled_from(["", "givenName", "givenName,nope", ",,"]),
)
def test_any_query_through_the_api_is_answered_200_or_400(
    api: Api, filter_: str, sort: str, fields: str
) -> None:
    response = api.get("/users", filter=filter_, sort=sort, fields=fields)
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert response.json()["imsx_codeMajor"] == "failure"


_COLLECTIONS = {
    "org": "/orgs", "academicSession": "/academicSessions", "course": "/courses",
    "class": "/classes", "user": "/users", "enrollment": "/enrollments",
    "demographics": "/demographics",
}  # fmt: skip


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_every_filterable_field_with_any_operator_and_value_is_200_or_400(
    api: Api, data: st.DataObject
) -> None:
    type_ = data.draw(st.sampled_from(sorted(_COLLECTIONS)))
    field = data.draw(st.sampled_from(sorted(FILTERS[type_])))
    op = data.draw(st.sampled_from(["=", "!=", ">", ">=", "<", "<=", "~"]))
    value = data.draw(
        st.sampled_from(["active", "true", "2024-01-01", "2024-01-01T00:00:00Z", "03", "x'y", ""])
    )
    text = f"{field}{op}'{value.replace(chr(39), chr(39) * 2)}'"
    response = api.get(_COLLECTIONS[type_], filter=text, sort=field)
    assert response.status_code in (200, 400), (text, response.content)
