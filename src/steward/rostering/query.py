"""The OneRoster 1.2 query parameters, parsed: `filter`, `sort`/`orderBy`, `fields`, `limit`
and `offset` (OneRoster 1.2 Rostering REST binding §3.4; `shared/spec/oneroster.md` §1.8).

Pure Python (design.md §3 rule 4): no Django, no database. The parser turns the `filter`
grammar into a small tree that `steward.rostering.filters` maps onto an allowlist of fields;
nothing from the query string is ever evaluated or put into SQL text.

Grammar (case-sensitive field names, values always single-quoted, `''` inside a value is one
quote, AND binds tighter than OR, parentheses group)::

    filter    := or
    or        := and ( " OR " and )*
    and       := primary ( " AND " primary )*
    primary   := "(" or ")" | condition
    condition := field op "'" value "'"
    field     := name ( "." name )*
    op        := "=" | "!=" | ">" | ">=" | "<" | "<=" | "~"

Every malformed input raises `QueryError`, and nothing else: the API answers it with 400
(`invalid_filter_field`, `invalid_selection_field` or `invaliddata`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

OPERATORS = ("!=", ">=", "<=", "=", ">", "<", "~")
MAX_FILTER_LENGTH = 2000
MAX_CONDITIONS = 20
MAX_DEPTH = 8
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*")
_SPACE = re.compile(r"\s*")
_LOGICAL = re.compile(r"\s+(AND|OR)\s+")


class QueryError(ValueError):
    """A query parameter the API cannot honour. `code` is the imsx code minor to report."""

    def __init__(self, message: str, code: str = "invalid_filter_field") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: str


@dataclass(frozen=True)
class Logical:
    op: str  # "AND" | "OR"
    parts: tuple[Node, ...]


Node = Condition | Logical


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int


def parse_filter(text: str) -> Node:
    """The tree of a `filter` value; QueryError for anything outside the grammar."""
    if len(text) > MAX_FILTER_LENGTH:
        raise QueryError(f"The filter is longer than {MAX_FILTER_LENGTH} characters.")
    if "\x00" in text:
        # No stored value holds NUL, and PostgreSQL refuses to compare with one (found by the
        # API fuzzer, #10 item 5).
        raise QueryError("The filter contains a NUL character.")
    parser = _Parser(text)
    node = parser.parse_or(0)
    parser.skip_space()
    if parser.pos != len(text):
        raise QueryError(f"Unexpected text in the filter at position {parser.pos + 1}.")
    if parser.conditions > MAX_CONDITIONS:
        raise QueryError(f"A filter may hold at most {MAX_CONDITIONS} conditions.")
    return node


def conditions(node: Node) -> list[Condition]:
    """Every condition of a tree, left to right."""
    if isinstance(node, Condition):
        return [node]
    return [c for part in node.parts for c in conditions(part)]


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.conditions = 0

    def skip_space(self) -> None:
        match = _SPACE.match(self.text, self.pos)
        self.pos = match.end() if match else self.pos

    def parse_or(self, depth: int) -> Node:
        return self._logical("OR", depth, self.parse_and)

    def parse_and(self, depth: int) -> Node:
        return self._logical("AND", depth, self.parse_primary)

    def _logical(self, op: str, depth: int, parse_part: Callable[[int], Node]) -> Node:
        parts = [parse_part(depth)]
        while True:
            match = _LOGICAL.match(self.text, self.pos)
            if match is None or match.group(1) != op:
                break
            self.pos = match.end()
            parts.append(parse_part(depth))
        return parts[0] if len(parts) == 1 else Logical(op, tuple(parts))

    def parse_primary(self, depth: int) -> Node:
        self.skip_space()
        if self.text.startswith("(", self.pos):
            if depth >= MAX_DEPTH:
                raise QueryError(f"A filter may nest parentheses at most {MAX_DEPTH} deep.")
            self.pos += 1
            node = self.parse_or(depth + 1)
            self.skip_space()
            if not self.text.startswith(")", self.pos):
                raise QueryError(f"A closing parenthesis is missing at position {self.pos + 1}.")
            self.pos += 1
            return node
        return self.parse_condition()

    def parse_condition(self) -> Condition:
        match = _NAME.match(self.text, self.pos)
        if match is None:
            raise QueryError(f"A field name is expected at position {self.pos + 1}.")
        field = match.group()
        self.pos = match.end()
        self.skip_space()
        op = next((o for o in OPERATORS if self.text.startswith(o, self.pos)), None)
        if op is None:
            raise QueryError(
                f"An operator ({' '.join(OPERATORS)}) is expected after {field!r} "
                f"at position {self.pos + 1}."
            )
        self.pos += len(op)
        self.skip_space()
        value = self.parse_value(field)
        self.conditions += 1
        if self.conditions > MAX_CONDITIONS:
            raise QueryError(f"A filter may hold at most {MAX_CONDITIONS} conditions.")
        return Condition(field, op, value)

    def parse_value(self, field: str) -> str:
        if not self.text.startswith("'", self.pos):
            raise QueryError(f"The value for {field!r} must be in single quotes.")
        chars: list[str] = []
        pos = self.pos + 1
        while True:
            end = self.text.find("'", pos)
            if end < 0:
                raise QueryError(f"The value for {field!r} has no closing quote.")
            chars.append(self.text[pos:end])
            if self.text.startswith("''", end):  # a doubled quote stands for one quote
                chars.append("'")
                pos = end + 2
                continue
            self.pos = end + 1
            return "".join(chars)


COLLECTION_PARAMETERS = ("filter", "sort", "orderBy", "fields", "limit", "offset")


def refuse_empty(given: Iterable[tuple[str, list[str]]], names: Iterable[str]) -> None:
    """QueryError (`invaliddata`) when one of `names` is in the query string with an empty
    value. The binding declares each of them `allowEmptyValue: false`: `limit=` is a malformed
    request, not a request for the default (found by the API fuzzer, #10 item 5)."""
    wanted = set(names)
    for name, values in given:
        if name in wanted and any(value == "" for value in values):
            raise QueryError(
                f"The {name} parameter is empty: give it a value or leave it out.", "invaliddata"
            )


def parse_fields(values: list[str], known: frozenset[str]) -> tuple[str, ...] | None:
    """The `fields` selection (comma-separated, possibly repeated), or None for all fields.

    An unknown field is an error (`invalid_selection_field`), as the binding requires.
    """
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    if not names:
        return None
    unknown = sorted({name for name in names if name not in known})
    if unknown:
        raise QueryError(
            f"Unknown field(s) in fields: {', '.join(unknown)}.", "invalid_selection_field"
        )
    return tuple(dict.fromkeys(names))


def parse_sort(sort: str | None, order_by: str | None, known: frozenset[str]) -> tuple[str, bool]:
    """(`sort` field or "" for the default order, descending?). One field, as the binding has."""
    direction = (order_by or "asc").strip()
    if direction not in ("asc", "desc"):
        raise QueryError("orderBy must be 'asc' or 'desc'.", "invaliddata")
    field = (sort or "").strip()
    if field and field not in known:
        raise QueryError(f"The results cannot be sorted by {field!r}.", "invalid_selection_field")
    return field, direction == "desc"


def parse_paging(limit: str | None, offset: str | None) -> Paging:
    """`limit` (1…MAX_LIMIT, default DEFAULT_LIMIT) and `offset` (≥ 0, default 0)."""
    return Paging(
        _integer("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT),
        _integer("offset", offset, 0, 0, None),
    )


def _integer(name: str, text: str | None, default: int, low: int, high: int | None) -> int:
    if text is None or text == "":
        return default
    if not text.isascii() or not text.isdigit() or len(text) > 12:
        raise QueryError(f"{name} must be a whole number.", "invaliddata")
    value = int(text)
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise QueryError(f"{name} must be {bound}.", "invaliddata")
    return value
