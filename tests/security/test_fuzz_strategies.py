"""Hypothesis strategies for the OneRoster query parameters, used by the API fuzzer (#10 item 5).

Schemathesis generates `filter`, `sort` and `fields` from the 1EdTech document, where they are
free strings: nearly every one is outside the binding's grammar and is refused with 400 before
a query is built. These strategies aim past the parser: filters in the grammar on the fields
the API allows, with values of every awkward kind (dates out of range, offsets, NUL and other
control characters, very long text, unknown ids), sorts and field selections the type has,
and paging at and beyond its bounds. The tests here keep the strategies honest: what they
call valid must parse.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steward.rostering import filters, query
from steward.rostering.fields import FIELDS

# The OneRoster type a path answers with: the last literal segment decides.
_TYPE_OF_SEGMENT = {
    "academicSessions": "academicSession",
    "gradingPeriods": "academicSession",
    "terms": "academicSession",
    "classes": "class",
    "courses": "course",
    "demographics": "demographics",
    "enrollments": "enrollment",
    "orgs": "org",
    "schools": "org",
    "students": "user",
    "teachers": "user",
    "users": "user",
    "agents": "user",
    "agentFor": "user",
}


def type_of(path: str) -> str:
    """The OneRoster type of the objects at an OpenAPI path such as "/schools/{id}/classes"."""
    literal = [part for part in path.strip("/").split("/") if not part.startswith("{")]
    return _TYPE_OF_SEGMENT[literal[-1]]


# Text that has broken parsers and databases elsewhere: NUL (PostgreSQL refuses it in text),
# other controls, quotes, LIKE wildcards, surrogate-free astral characters, long values.
_NASTY = st.sampled_from(
    ["", " ", "\x00", "a\x00b", "%", "_", "\\", "''", '"', "\n", "\u202e", "😀", "x" * 1500]
)
_TEXT = st.one_of(_NASTY, _NASTY, st.text(max_size=40))
_DATES = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.sampled_from(["0000-00-00", "2024-02-30", "2024-13-01", "99999-01-01", "2024-1-1"]),
)
_OFFSETS = st.sampled_from(["Z", "+00:00", "+14:00", "-12:00", "+23:59", ""])
_DATETIMES = st.one_of(
    st.builds(
        lambda moment, offset: moment.isoformat(timespec="milliseconds") + offset,
        st.datetimes(),
        _OFFSETS,
    ),
    st.sampled_from(
        [
            "0001-01-01T00:00:00+01:00",
            "9999-12-31T23:59:59-01:00",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999Z",
            "2024-01-01T25:00:00Z",
            "2024-01-01T00:00:00+99:00",
        ]
    ),
    _DATES,
)
_VALUES: dict[str, st.SearchStrategy[str]] = {
    "text": _TEXT,
    "year": st.one_of(st.integers(0, 9999).map(lambda y: f"{y:04d}"), _TEXT),
    "date": st.one_of(_DATES, _TEXT),
    "datetime": st.one_of(_DATETIMES, _TEXT),
    "bool": st.sampled_from(["true", "false", "TRUE", "1", ""]),
    "status": st.sampled_from(["active", "tobedeleted", "inactive"]),
    "list": _TEXT,
    "role": st.sampled_from(["student", "teacher", "parent", "guardian", "administrator", ""]),
}


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def conditions(type_: str, ids: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One `field op 'value'` on a field the type allows; `ids` supplies sourcedIds."""

    def one(field: str) -> st.SearchStrategy[str]:
        kind = filters.FILTERS[type_][field].kind
        values = st.one_of(ids, _TEXT) if kind == "id" else _VALUES[kind]
        return st.builds(
            lambda op, value: f"{field}{op}{_quoted(value)}",
            st.sampled_from(query.OPERATORS),
            values,
        )

    return st.sampled_from(sorted(filters.FILTERS[type_])).flatmap(one)


def valid_filters(type_: str, ids: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Filters in the grammar: conditions joined by AND / OR, some in parentheses."""
    grammatical = st.recursive(
        conditions(type_, ids),
        lambda inner: st.one_of(
            st.builds(
                lambda parts, op: f" {op} ".join(parts),
                st.lists(inner, min_size=2, max_size=3),
                st.sampled_from(["AND", "OR"]),
            ),
            inner.map(lambda text: f"({text})"),
        ),
        max_leaves=6,
    )
    return grammatical.filter(lambda text: len(text) <= query.MAX_FILTER_LENGTH)


def filters_for(type_: str, ids: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Mostly grammatical filters, some broken ones (unbalanced, unquoted, unknown fields)."""
    return st.one_of(
        valid_filters(type_, ids),
        valid_filters(type_, ids).map(lambda text: text[: max(1, len(text) // 2)]),
        st.sampled_from(["(" * 30 + "sourcedId='x'" + ")" * 30, "sourcedId=x", "nope='1'"]),
        st.text(max_size=30),
    )


def selections(type_: str) -> st.SearchStrategy[str]:
    """A `fields` value: known fields of the type, sometimes with an unknown one."""
    known = sorted(FIELDS[type_])
    return st.one_of(
        st.lists(st.sampled_from(known), min_size=1, max_size=5).map(",".join),
        st.lists(st.sampled_from([*known, "password", "", " "]), max_size=4).map(",".join),
    )


def queries(type_: str, ids: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, str]]:
    """A query string for a collection of `type_`: none, a well-formed one (whose filter may
    still hold hostile values), or one parameter broken on its own, so that its refusal is
    not masked by another's."""
    sortable = sorted(filters.sortable(type_))
    well_formed = {
        "filter": valid_filters(type_, ids),
        "sort": st.sampled_from(sortable),
        "orderBy": st.sampled_from(["asc", "desc"]),
        "fields": st.lists(st.sampled_from(sorted(FIELDS[type_])), min_size=1, max_size=5).map(
            ",".join
        ),
        "limit": st.integers(1, query.MAX_LIMIT).map(str),
        "offset": st.integers(0, 12).map(str),
    }
    broken = {
        "filter": filters_for(type_, ids),
        "sort": st.sampled_from(["", "password", "0", "givenName\x00"]),
        "orderBy": st.sampled_from(["ASC", "", "up"]),
        "fields": selections(type_),
        "limit": st.sampled_from(["0", "1001", "-1", "1e3", "", "٣", "9" * 13]),
        "offset": st.sampled_from(["999999999999", "-1", "", "٣", "1.5"]),
    }
    return st.one_of(
        st.just({}),
        st.fixed_dictionaries({}, optional=well_formed),
        st.sampled_from(sorted(broken)).flatmap(
            lambda name: broken[name].map(lambda value: {name: value})
        ),
    )


# Path ids no object has: NUL, slashes, dots, very long, astral characters.
HOSTILE_IDS = st.sampled_from(["\x00", "a\x00b", "..", "a/b", "%2F", " ", "x" * 600, "😀", "'"])


def path_ids(known: list[str]) -> st.SearchStrategy[str]:
    """Mostly ids the caller can see (so requests reach the handler), some hostile ones."""
    return st.one_of(st.sampled_from(known), HOSTILE_IDS) if known else HOSTILE_IDS


_ANY_ID = st.sampled_from(["x", "sid-unknown"])


@settings(max_examples=200, derandomize=True, database=None)
@given(st.sampled_from(sorted(FIELDS)).flatmap(lambda t: valid_filters(t, _ANY_ID)))
def test_every_generated_grammatical_filter_parses_unless_it_holds_nul(text: str) -> None:
    if "\x00" in text:  # refused on purpose: PostgreSQL cannot compare with NUL
        with pytest.raises(query.QueryError, match="NUL"):
            query.parse_filter(text)
        return
    query.parse_filter(text)  # raises QueryError if the strategy drifted from the grammar


def test_the_type_of_a_path_is_its_last_literal_segment() -> None:
    assert type_of("/schools/{schoolSourcedId}/classes/{classSourcedId}/students") == "user"
    assert type_of("/terms/{termSourcedId}/gradingPeriods") == "academicSession"
    assert type_of("/demographics/{sourcedId}") == "demographics"


def test_filters_reach_every_field_of_every_type() -> None:
    # A field added to the allowlist is fuzzed without touching this file.
    assert {t for t in filters.FILTERS} == set(FIELDS)
    assert all(re.fullmatch(r"[A-Za-z.]+", f) for t in filters.FILTERS for f in filters.FILTERS[t])
