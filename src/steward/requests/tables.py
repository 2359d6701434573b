"""The shape of a copy of the record: plain tables of JSON values (R25, R27).

A copy is built once as `Table`s; the JSON, the CSV files, the PDF and the office's preview are
all made from the same tables, so redaction (R18, R30) is applied once and what the office
previews is exactly what the family receives. Values are JSON scalars (text, numbers, true or
false, null) or, for the district's extra columns, a JSON object; dates are ISO 8601.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

Value = Any  # a JSON value


@dataclass(frozen=True)
class Column:
    """One column: its key (for machines), label (for people), Massachusetts record part
    (transcript or temporary, 603 CMR 23.02; empty outside the record) and, for coded
    values, the label of each code. `free` marks free text, where another student may be
    named (R30); it is not part of the copy."""

    key: str
    label: str
    ma_part: str = ""
    choices: Mapping[str, str] = field(default_factory=dict)
    free: bool = False

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"key": self.key, "label": self.label}
        if self.ma_part:
            out["ma_part"] = self.ma_part
        if self.choices:
            out["codes"] = dict(self.choices)
        return out


@dataclass
class Table:
    """Rows of one kind: `rows` are lists in column order."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list[Value]] = field(default_factory=list)
    scope: str = ""  # the record part (catalog scope key) it belongs to, if any

    def as_dict(self) -> dict[str, Any]:
        keys = [c.key for c in self.columns]
        out: dict[str, Any] = {"key": self.key, "title": self.title}
        if self.scope:
            out["record_part"] = self.scope
        out["columns"] = [c.as_dict() for c in self.columns]
        out["rows"] = [dict(zip(keys, row, strict=True)) for row in self.rows]
        return out

    def map_cells(self, change: Callable[[Column, Value], Value]) -> None:
        """Replace every cell by `change(column, value)` (redaction)."""
        self.rows = [
            [change(column, value) for column, value in zip(self.columns, row, strict=True)]
            for row in self.rows
        ]


def plain(value: object) -> Value:
    """A Python value as JSON: dates as ISO 8601, decimals as text, lazy text as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return str(value)


def text(column: Column, value: Value) -> str:
    """A cell as people read it (PDF and preview): codes by their label, yes/no, a dash for
    nothing."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        return column.choices.get(value, value)
    if isinstance(value, list):
        return ", ".join(text(column, v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)
