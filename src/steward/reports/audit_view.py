"""The audit report (`sdc.audit.AuditReport.to_dict()`) as the office's pages show it: every
primary cell with the interval an attacker can prove and the interval the rule requires,
failures first, and the refused publishing patterns in words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from steward.reports.sdc.patterns import KIND_ROUNDED, KIND_TRIPLE, KIND_ZEROS


@dataclass(frozen=True)
class CellLine:
    cell: str
    value: int
    interval: str
    required: str
    ok: bool
    disclosed: bool
    history: bool
    exact: bool


def _bound(value: Any) -> str:
    if value == "inf":
        return "∞"
    number = float(value)
    return f"{number:g}"


def _cell_label(text: str, labels: dict[str, dict[str, str]]) -> str:
    """The engine's "geography=school:12, grade=grade:03" with the categories' labels
    ("Adams Elementary, grade 3"); a category without a label keeps its key."""
    parts = []
    for item in text.split(", "):
        name, _sep, key = item.partition("=")
        parts.append(labels.get(name, {}).get(key, key))
    return ", ".join(parts)


def finding_text(kind: str) -> str:
    texts = {
        KIND_ROUNDED: _(
            "A percentage is printed beside the size of its group: only one number of "
            "students rounds to it."
        ),
        KIND_TRIPLE: _(
            "A withheld number can be computed from the numerator, denominator or "
            "percentage printed beside it."
        ),
        KIND_ZEROS: _(
            "Every withheld cell of a line is zero while the line's total is shown: each "
            "is then known to be zero."
        ),
    }
    return texts.get(kind, kind)


def audit_view(report: dict[str, Any], stored: list[dict[str, Any]]) -> dict[str, Any]:
    labels: dict[str, dict[str, str]] = {}
    for item in stored:
        for name, values in item.get("labels", {}).items():
            labels.setdefault(name, {}).update(values)
    lines = [
        CellLine(
            cell=_cell_label(str(cell["cell"]), labels),
            value=int(cell["value"]),
            interval=f"[{_bound(cell['low'])}, {_bound(cell['high'])}]",
            required=f"[{_bound(cell['required_low'])}, {_bound(cell['required_high'])}]",
            ok=bool(cell["ok"]),
            disclosed=bool(cell["disclosed"]),
            history=bool(cell["history"]),
            exact=bool(cell["low_exact"] and cell["high_exact"]),
        )
        for cell in report.get("cells", [])
    ]
    lines.sort(key=lambda line: (line.ok, line.history, line.cell))
    return {
        "ok": bool(report.get("ok")),
        "lines": lines,
        "failures": [line for line in lines if not line.ok],
        "findings": [
            {"text": finding_text(str(f["kind"])), "cell": _cell_label(str(f["cell"]), labels)}
            for f in report.get("findings", [])
        ],
        "disclosed_secondaries": len(report.get("disclosed_secondaries", [])),
        "lp_solved": report.get("lp_solved", 0),
        "seconds": report.get("seconds", 0),
        "primary_count": len(lines),
    }
