"""The scope rule language: which students an agreement covers, as a sentence (docs/sharing.md).

    grade in (03, 04) and school = "Adams Elementary"
    course contains "Algebra" or class_type = homeroom
    not (school_id = org-0042) and grade != KG

Grammar (keywords and field names ignore case; values compare without regard to case)::

    rule       := disjunct ("or" disjunct)*
    disjunct   := conjunct ("and" conjunct)*
    conjunct   := "not" conjunct | "(" rule ")" | comparison
    comparison := FIELD ("=" | "!=" | "contains") VALUE
                | FIELD ["not"] "in" "(" VALUE ("," VALUE)* ")"
    VALUE      := "double" or 'single' quoted text | a bare word of letters, digits, . _ -

Fields are `FIELDS` below. A student matches a class field (`class`, `class_title`,
`class_type`, `course`, `course_code`, `subject`) when one of their current classes does;
each comparison is tested on its own. A one-digit grade is read as its two-digit code (3 → 03).

The parser is a hand-written recursive descent over a regular-expression tokenizer: nothing
is evaluated, and a mistake is a `RuleError` naming what was expected and where. Pure Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Field name -> what it compares (documented in docs/sharing.md).
FIELDS: dict[str, str] = {
    "grade": "the student's grade level (OneRoster code: KG, 01…13)",
    "school": "the name of a school the student currently attends",
    "school_id": "the sourcedId of a school the student currently attends",
    "class": "the sourcedId of one of the student's current classes",
    "class_title": "the title of one of the student's current classes",
    "class_type": "homeroom or scheduled, for one of the student's current classes",
    "course": "the course title of one of the student's current classes",
    "course_code": "the course code of one of the student's current classes",
    "subject": "a subject of one of the student's current classes",
}
OPERATORS = ("=", "!=", "contains", "in", "not in")
MAX_LENGTH = 2000
MAX_DEPTH = 32  # nested parentheses and "not"s: far beyond any real rule, far below the stack

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"[^"]*"|'[^']*')
      | (?P<op>!=|=|\(|\)|,)
      | (?P<word>[A-Za-z0-9_.\-]+)
    )""",
    re.VERBOSE,
)
_KEYWORDS = frozenset({"and", "or", "not", "in", "contains"})


class RuleError(ValueError):
    """A rule that cannot be read. `code` says what went wrong, `position` where (0-based
    offset into the text), `found` the text found there."""

    def __init__(self, code: str, position: int, found: str = "") -> None:
        super().__init__(f"{code} at {position}: {found!r}")
        self.code = code
        self.position = position
        self.found = found


@dataclass(frozen=True)
class Compare:
    field: str
    op: str  # one of OPERATORS
    values: tuple[str, ...]


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Node, ...]


Node = Compare | Not | And | Or


@dataclass(frozen=True)
class _Token:
    kind: str  # string | op | word | keyword | end
    text: str
    position: int


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            start = len(text) - len(text[position:].lstrip())
            raise RuleError("unexpected_character", start, text[start])
        kind = match.lastgroup or ""
        raw = match.group(kind)
        start = match.start(kind)
        if kind == "string":
            out.append(_Token("string", raw[1:-1], start))
        elif kind == "word" and raw.lower() in _KEYWORDS:
            out.append(_Token("keyword", raw.lower(), start))
        else:
            out.append(_Token(kind, raw, start))
        position = match.end()
    out.append(_Token("end", "", len(text)))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.at = 0
        self.depth = 0

    def peek(self) -> _Token:
        return self.tokens[self.at]

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def accept(self, kind: str, text: str) -> bool:
        token = self.peek()
        if token.kind == kind and token.text == text:
            self.at += 1
            return True
        return False

    def expect(self, kind: str, text: str, code: str) -> None:
        if not self.accept(kind, text):
            token = self.peek()
            raise RuleError(code, token.position, token.text)

    def rule(self) -> Node:
        operands = [self.disjunct()]
        while self.accept("keyword", "or"):
            operands.append(self.disjunct())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def disjunct(self) -> Node:
        operands = [self.conjunct()]
        while self.accept("keyword", "and"):
            operands.append(self.conjunct())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def conjunct(self) -> Node:
        token = self.peek()
        if token.text in ("not", "(") and token.kind in ("keyword", "op"):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise RuleError("too_deep", token.position, token.text)
            try:
                if self.accept("keyword", "not"):
                    return Not(self.conjunct())
                self.expect("op", "(", "expected_field")
                node = self.rule()
                self.expect("op", ")", "expected_close")
                return node
            finally:
                self.depth -= 1
        return self.comparison()

    def comparison(self) -> Compare:
        token = self.take()
        if token.kind != "word":
            raise RuleError("expected_field", token.position, token.text)
        field = token.text.lower()
        if field not in FIELDS:
            raise RuleError("unknown_field", token.position, token.text)
        op_token = self.take()
        if op_token.kind == "op" and op_token.text in ("=", "!="):
            return Compare(field, op_token.text, (self.value(field),))
        if op_token.kind == "keyword" and op_token.text == "contains":
            return Compare(field, "contains", (self.value(field),))
        negated = op_token.kind == "keyword" and op_token.text == "not"
        if negated:
            op_token = self.take()
        if op_token.kind == "keyword" and op_token.text == "in":
            self.expect("op", "(", "expected_open")
            values = [self.value(field)]
            while self.accept("op", ","):
                values.append(self.value(field))
            self.expect("op", ")", "expected_close")
            return Compare(field, "not in" if negated else "in", tuple(values))
        raise RuleError("expected_operator", op_token.position, op_token.text)

    def value(self, field: str) -> str:
        token = self.take()
        if token.kind not in ("string", "word"):
            raise RuleError("expected_value", token.position, token.text)
        text = token.text.strip()
        if not text:
            raise RuleError("empty_value", token.position, token.text)
        if field == "grade" and text.isdigit() and len(text) == 1:
            text = "0" + text
        return text


def parse(text: str) -> Node:
    """The rule in `text` as a tree. Raises RuleError for anything that does not read."""
    if len(text) > MAX_LENGTH:
        raise RuleError("too_long", MAX_LENGTH, "")
    if not text.strip():
        raise RuleError("empty", 0, "")
    parser = _Parser(text)
    node = parser.rule()
    end = parser.peek()
    if end.kind != "end":
        raise RuleError("unexpected_text", end.position, end.text)
    return node


def fields_of(node: Node) -> set[str]:
    """Every field a rule compares."""
    if isinstance(node, Compare):
        return {node.field}
    if isinstance(node, Not):
        return fields_of(node.operand)
    return set().union(*(fields_of(n) for n in node.operands))
