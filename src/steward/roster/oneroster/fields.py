"""Field parsers for the OneRoster CSV formats (oneroster.md §1.5–1.6).

`compile_row_parser(columns, file, mode)` returns a function that turns one CSV row into a
list of parsed values, reporting every bad field to the log. Parsed forms: dates are
`datetime.date`, dateTimes aware `datetime.datetime` (UTC), booleans `bool | None`, lists and
reference lists `list[str]`, everything else `str` (stripped of nothing: values are kept as sent).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from steward.roster.oneroster import spec
from steward.roster.oneroster.issues import IssueLog

# re.ASCII: \d would otherwise match any Unicode digit ("٢٠٢٣" is not a schoolYear).
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})", re.ASCII
)
_YEAR = re.compile(r"\d{4}", re.ASCII)
_USER_ID = re.compile(r"\{[^{}:]+:[^{}]*\}")


class FieldError(ValueError):
    """A value that does not fit its column; the message is the reason shown to the user."""


def parse_date(value: str) -> dt.date:
    if not _DATE.fullmatch(value):
        raise FieldError("must be a date written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise FieldError(f"is not a real date ({exc})") from exc


def parse_datetime(value: str) -> dt.datetime:
    if _DATE.fullmatch(value):
        # Some SIS exports send a bare date here (the public 1.1 sample does): midnight UTC.
        return dt.datetime.combine(parse_date(value), dt.time(), tzinfo=dt.UTC)
    if not _DATETIME.fullmatch(value):
        raise FieldError("must be an ISO 8601 UTC dateTime such as 2023-05-01T18:25:43.511Z")
    try:
        return dt.datetime.fromisoformat(value).astimezone(dt.UTC)
    except (ValueError, OverflowError) as exc:  # Overflow: 0001-01-01T00:00+05:00 is year 0
        raise FieldError(f"is not a real dateTime ({exc})") from exc


def parse_bool(value: str) -> bool:
    lowered = value.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    raise FieldError("must be true or false")


def split_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


Parser = Callable[[list[str], int], list[Any]]


def compile_row_parser(
    columns: tuple[spec.Column, ...], file: str, mode: str, log: IssueLog
) -> Parser:
    """Build the row parser for one file read in `mode` (bulk or delta)."""
    filename = f"{file}.csv"

    def enum_value(col: spec.Column, value: str, line: int) -> str:
        if value in col.enum:
            return value
        for allowed in col.enum:
            if allowed.lower() == value.lower():
                log.warning(
                    filename,
                    line,
                    col.name,
                    value,
                    f"enumeration values are case-sensitive; read as '{allowed}'",
                    "value.enum_case",
                )
                return allowed
        if file == "orgs" and col.name == "type" and value.startswith("ext:"):
            return value
        raise FieldError("must be one of " + ", ".join(col.enum))

    list_kinds = ("list", "refs", "softrefs", "userids")
    plan = [
        (
            col,
            col.kind in ("text", "ref", "softref"),  # kept as sent: no parsing needed
            col.kind in list_kinds,
            None if col.kind in ("date", "datetime", "bool") else "",
            col.required or (mode == "delta" and col.kind in ("status", "datetime")),
        )
        for col in columns
    ]

    def parse(row: list[str], line: int) -> list[Any]:
        out: list[Any] = []
        for (col, plain, is_list, empty, needed), value in zip(plan, row, strict=False):
            if plain and value:
                out.append(value)
                continue
            if not value:
                if needed:
                    reason = (
                        "a value is required"
                        if col.required
                        else f"{col.name} is required in a delta file"
                    )
                    code = "value.required" if col.required else "value.delta_required"
                    log.error(filename, line, col.name, "", reason, code)
                out.append([] if is_list else empty)
                continue
            try:
                out.append(_parse_value(col, value, line, enum_value))
            except FieldError as exc:
                log.error(filename, line, col.name, value, f"{col.name} {exc}", f"value.{col.kind}")
                out.append(None)
                continue
            if col.kind == "status" and value in spec.LEGACY_STATUSES:
                log.warning(
                    filename,
                    line,
                    col.name,
                    value,
                    "'inactive' is a OneRoster 1.0 status; read as active (the dates "
                    "decide whether the record is current)",
                    "value.status_inactive",
                )
        return out

    return parse


def _parse_value(
    col: spec.Column, value: str, line: int, enum_value: Callable[[spec.Column, str, int], str]
) -> Any:
    kind = col.kind
    if kind in ("text", "ref", "softref"):
        return value
    if kind == "status":
        if value in spec.STATUSES or value in spec.LEGACY_STATUSES:
            return value
        raise FieldError("must be active or tobedeleted")
    if kind == "date":
        return parse_date(value)
    if kind == "datetime":
        return parse_datetime(value)
    if kind == "bool":
        return parse_bool(value)
    if kind == "enum":
        return enum_value(col, value, line)
    if kind == "year":
        if not _YEAR.fullmatch(value):
            raise FieldError("must be a four-digit year")
        return value
    if kind in ("list", "refs", "softrefs"):
        items = split_list(value)
        if col.enum:
            bad = [item for item in items if item not in col.enum]
            if bad:
                raise FieldError(f"has values outside the code list: {', '.join(bad)}")
        return items
    if kind == "userids":
        items = split_list(value)
        bad = [item for item in items if not _USER_ID.fullmatch(item)]
        if bad:
            raise FieldError("must be written {type:identifier}, comma-separated")
        return items
    raise AssertionError(f"unknown column kind {kind}")
