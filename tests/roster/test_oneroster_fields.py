"""Property tests of the pure OneRoster field parsers (steward.roster.oneroster.fields).

The contract: a value either parses to the documented Python form or is rejected with a
FieldError (never any other exception, which would crash pass 1 instead of reporting a line).
"""

from __future__ import annotations

import datetime as dt
import re
import string

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from steward.roster.oneroster import spec
from steward.roster.oneroster.fields import (
    FieldError,
    compile_row_parser,
    parse_bool,
    parse_date,
    parse_datetime,
    split_list,
)
from steward.roster.oneroster.issues import IssueLog

ASCII_DIGITS = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_one(column: spec.Column, value: str, mode: str = "bulk") -> tuple[object, IssueLog]:
    """Parse a single-column row through the real row parser; return (value, log)."""
    log = IssueLog()
    parsed = compile_row_parser((column,), "users", mode, log)([value], 2)
    return parsed[0], log


# -- dates ----------------------------------------------------------------------------------


@given(st.dates())
def test_a_date_round_trips_through_its_iso_form(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day


@given(st.text())
@example("2023-02-30")
@example("2023-2-03")
@example("2023-02-03 ")
@example("٢٠٢٣-٠١-٠١")
@example("20230203")
def test_any_string_that_is_not_an_iso_date_is_rejected_with_a_field_error(value: str) -> None:
    try:
        parsed = parse_date(value)
    except FieldError:
        return
    assert parsed.isoformat() == value  # only the canonical YYYY-MM-DD spelling is accepted


@given(st.from_regex(r"\d{4}-\d{2}-\d{2}", fullmatch=True))
def test_date_shaped_strings_are_real_dates_or_field_errors(value: str) -> None:
    try:
        parsed = parse_date(value)
    except FieldError:
        return
    assert ASCII_DIGITS.fullmatch(value)
    assert parsed.isoformat() == value


def test_an_impossible_date_says_it_is_not_a_real_date() -> None:
    with pytest.raises(FieldError, match="not a real date"):
        parse_date("2023-02-30")


# -- dateTimes ------------------------------------------------------------------------------


@given(st.datetimes(timezones=st.just(dt.UTC)))
def test_a_utc_datetime_with_milliseconds_round_trips(moment: dt.datetime) -> None:
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    text = moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    assert text.endswith("Z") and len(text) == len("2023-05-01T18:25:43.511Z")
    assert parse_datetime(text) == moment


@given(
    st.datetimes(
        min_value=dt.datetime(1900, 1, 1),
        max_value=dt.datetime(2200, 1, 1),
        timezones=st.integers(-12 * 60, 14 * 60).map(
            lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
        ),
    )
)
def test_a_datetime_with_an_offset_is_read_as_the_same_instant_in_utc(moment: dt.datetime) -> None:
    parsed = parse_datetime(moment.isoformat())
    assert parsed == moment
    assert parsed.utcoffset() == dt.timedelta(0)


@given(st.text())
@example("0001-01-01T00:00:00+05:00")  # before year 1 in UTC
@example("9999-12-31T23:00:00-05:00")  # after year 9999 in UTC
@example("2023-05-01T24:00:00Z")
@example("2023-05-01T18:25:43.511")  # no zone
def test_any_string_is_a_utc_datetime_or_a_field_error(value: str) -> None:
    try:
        parsed = parse_datetime(value)
    except FieldError:
        return
    assert parsed.tzinfo is not None and parsed.utcoffset() == dt.timedelta(0)


def test_a_bare_date_as_datetime_is_midnight_utc() -> None:
    assert parse_datetime("2023-05-01") == dt.datetime(2023, 5, 1, tzinfo=dt.UTC)


# -- booleans -------------------------------------------------------------------------------


@st.composite
def any_casing(draw: st.DrawFn, word: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    return "".join(c.upper() if up else c for c, up in zip(word, flips, strict=True))


@given(st.sampled_from(["true", "false"]).flatmap(any_casing))
def test_booleans_are_read_in_any_case(value: str) -> None:
    assert parse_bool(value) is (value.lower() == "true")


@given(st.text())
@example("yes")
@example("1")
@example(" true")
@example("tru")
def test_anything_else_is_not_a_boolean(value: str) -> None:
    if value.isascii() and value.lower() in ("true", "false"):
        return
    with pytest.raises(FieldError, match="must be true or false"):
        parse_bool(value)


@given(st.sampled_from(["true", "false"]).flatmap(any_casing))
def test_a_boolean_column_parses_any_casing_without_an_issue(value: str) -> None:
    parsed, log = parse_one(spec.Column("enabledUser", True, "bool"), value)
    assert parsed is (value.lower() == "true")
    assert log.error_count == log.warning_count == 0


# -- userIds --------------------------------------------------------------------------------

ID_TYPE = st.text(string.ascii_letters + string.digits + "_.-", min_size=1, max_size=10)
IDENTIFIER = st.text(string.ascii_letters + string.digits + "_.-@:", max_size=20)
USER_IDS = spec.Column("userIds", kind="userids")


@given(st.lists(st.tuples(ID_TYPE, IDENTIFIER), min_size=1, max_size=5))
def test_user_ids_written_type_colon_identifier_in_braces_are_accepted(
    pairs: list[tuple[str, str]],
) -> None:
    items = [f"{{{kind}:{ident}}}" for kind, ident in pairs]
    parsed, log = parse_one(USER_IDS, ",".join(items))
    assert log.error_count == 0
    assert parsed == items


@given(
    st.text(string.printable, min_size=1).filter(
        lambda s: "{" not in s and "}" not in s and split_list(s)
    )
)
@example("LDAP:12")
@example("{LDAP}")
@example("{:12}")
@example("{LDAP:12},LTI:15")
@example("{LDAP:{12}}")
def test_user_ids_not_in_that_form_are_rejected(value: str) -> None:
    parsed, log = parse_one(USER_IDS, value)
    assert parsed is None
    assert log.error_count == 1
    assert "userIds must be written {type:identifier}" in log.errors[0].reason
    assert log.errors[0].value == value


# -- lists and years ------------------------------------------------------------------------


@given(st.lists(st.text(string.ascii_letters + string.digits + "-_.", min_size=1), max_size=6))
def test_a_list_round_trips_through_commas_and_spaces(items: list[str]) -> None:
    assert split_list(", ".join(items)) == items
    assert split_list(",".join(items)) == items


@given(st.lists(st.sampled_from(spec.GRADES), min_size=1, max_size=4))
def test_grade_lists_from_the_code_list_are_accepted(grades: list[str]) -> None:
    parsed, log = parse_one(spec.Column("grades", kind="list", enum=spec.GRADES), ",".join(grades))
    assert parsed == grades and log.error_count == 0


@given(st.text(max_size=8) | st.from_regex(r"\d{4}", fullmatch=True))
@example("٢٠٢٣")  # four Arabic-Indic digits: not a OneRoster schoolYear
@example("2023 ")
def test_a_school_year_is_exactly_four_ascii_digits(value: str) -> None:
    parsed, log = parse_one(spec.Column("schoolYear", True, "year"), value)
    if re.fullmatch(r"[0-9]{4}", value):
        assert parsed == value and log.error_count == 0
    else:
        assert parsed in (None, "") and log.error_count == 1
