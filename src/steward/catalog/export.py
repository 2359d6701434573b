"""The catalog as JSON and CSV: for the public downloads and `steward catalog export`.

Keys and column names are a stable, machine-readable contract (`COLUMNS`, in this order);
labels, purposes and legal bases are in the active language. CSV cells are guarded against
spreadsheet formula injection like the audit CSV (`steward.audit.csvexport.guard`).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from steward.audit.csvexport import guard
from steward.catalog.elements import ELEMENTS, SCOPE_BY_KEY, SCOPES, Element

FORMAT_VERSION = 1

COLUMNS: tuple[str, ...] = (
    "key",
    "model",
    "field",
    "scope",
    "scope_label",
    "label",
    "data_class",
    "sensitivity",
    "ma_part",
    "ma_directory",
    "exhibit_b_category",
    "exhibit_b_element",
    "purpose",
    "legal_basis",
)


def element_row(element: Element) -> dict[str, Any]:
    """One element as a flat dict with the `COLUMNS` keys, in that order."""
    category, name = element.exhibit_b
    return {
        "key": element.key,
        "model": element.model,
        "field": element.field,
        "scope": element.scope,
        "scope_label": str(SCOPE_BY_KEY[element.scope].label),
        "label": str(element.label),
        "data_class": element.data_class.value,
        "sensitivity": element.sensitivity.value,
        "ma_part": element.ma_part.value,
        "ma_directory": element.ma_directory,
        "exhibit_b_category": category,
        "exhibit_b_element": name,
        "purpose": str(element.purpose),
        "legal_basis": str(element.legal_basis),
    }


def as_data() -> dict[str, Any]:
    """The whole catalog: every record part (also those without elements yet), every element."""
    return {
        "format_version": FORMAT_VERSION,
        "scopes": [
            {"key": s.key, "label": str(s.label), "description": str(s.description)} for s in SCOPES
        ],
        "elements": [element_row(e) for e in ELEMENTS],
    }


def as_json() -> str:
    return json.dumps(as_data(), ensure_ascii=False, indent=2) + "\n"


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return guard(str(value))


def as_csv() -> str:
    """A header line with `COLUMNS`, then one guarded row per element."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for element in ELEMENTS:
        writer.writerow([_cell(v) for v in element_row(element).values()])
    return out.getvalue()
