"""A stored table (`build.tables_as_json`) as the pages, the chart, the CSV and the PDF show it.

The office's pages say why each withheld cell is withheld (primary, the two-category rule,
complementary, coded). Published files never do: telling which "*" is a small count and which
one protects it would narrow every interval the audit proved (an attacker would know the
primaries are below the threshold and the others are not). So `TableView` carries the
reasons for the pages, and `long_rows` only the printed values for the files.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from steward.reports.sdc.published import NOT_APPLICABLE, SUPPRESSED, PublishedTable
from steward.reports.sdc.table import Dimension
from steward.reports.spec import Family, ReportSpec

PRIMARY, COMPLEMENT, SECONDARY, CODED, SHOWN, EMPTY = (
    "primary",
    "complement",
    "secondary",
    "coded",
    "shown",
    "empty",
)


@dataclass(frozen=True)
class CellView:
    text: str
    status: str
    margin: bool


@dataclass(frozen=True)
class RowView:
    headers: tuple[tuple[str, int], ...]  # (label, depth in its hierarchy) per row dimension
    cells: tuple[CellView, ...]
    total: bool  # a margin row (every row dimension at a group or total)


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    value: float | None  # None: suppressed or empty, no bar
    status: str


@dataclass
class TableView:
    title: str
    row_titles: tuple[str, ...]
    column_title: str
    columns: tuple[str, ...]
    rows: list[RowView] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    bars: list[Bar] = field(default_factory=list)
    chart_title: str = ""
    rate: bool = False
    chart: dict[str, Any] = field(default_factory=dict)


def dimension_title(name: str, spec: ReportSpec) -> str:
    if name == "geography":
        return _("School or level")
    if name == "grade":
        return _("Grade")
    return str(Family(spec.family).label).capitalize()


def measure_title(spec: ReportSpec) -> str:
    return spec.title().split(",")[0]


def _order(dim: Dimension) -> list[tuple[int, int]]:
    """(position, depth) of every category, the total first, each group before its members."""
    out: list[tuple[int, int]] = []
    stack = [(dim.root, 0)]
    while stack:
        pos, depth = stack.pop()
        out.append((pos, depth))
        stack.extend((child, depth + 1) for child in reversed(dim.children[pos]))
    return out


def _status(pub: PublishedTable, at: tuple[int, ...]) -> str:
    if pub.primary[at]:
        return PRIMARY
    if pub.complement[at]:
        return COMPLEMENT
    if pub.suppressed[at]:
        return SECONDARY
    if pub.coded[at]:
        return CODED
    if str(pub.cells[at]) == NOT_APPLICABLE:
        return EMPTY
    return SHOWN


def table_view(stored: dict[str, Any], spec: ReportSpec) -> TableView:
    pub = PublishedTable.from_dict(stored["published"])
    labels: dict[str, dict[str, str]] = stored["labels"]
    dims = pub.table.dims
    row_dims = dims[:-1] if len(dims) > 1 else dims
    column_dim = dims[-1] if len(dims) > 1 else None
    view = TableView(
        title=spec.title(),
        row_titles=tuple(dimension_title(d.name, spec) for d in row_dims),
        column_title=dimension_title(column_dim.name, spec) if column_dim else "",
        columns=tuple(
            labels[column_dim.name][column_dim.categories[pos]] for pos, _d in _order(column_dim)
        )
        if column_dim
        else (measure_title(spec),),
        rate=pub.table.is_rate,
    )
    column_positions = [pos for pos, _d in _order(column_dim)] if column_dim else [None]
    margins = pub.table.margin_mask.reshape(pub.table.shape)
    for combo in itertools.product(*(_order(d) for d in row_dims)):
        headers = tuple(
            (labels[d.name][d.categories[pos]], depth)
            for d, (pos, depth) in zip(row_dims, combo, strict=True)
        )
        cells = []
        for col in column_positions:
            at = tuple(pos for pos, _d in combo) + ((col,) if col is not None else ())
            status = _status(pub, at)
            view.counts[status] = view.counts.get(status, 0) + 1
            cells.append(CellView(str(pub.cells[at]), status, bool(margins[at])))
        total = all(d.children[pos] for d, (pos, _depth) in zip(row_dims, combo, strict=True))
        view.rows.append(RowView(headers, tuple(cells), total))
    view.bars, view.chart_title = _bars(pub, labels, spec)
    view.chart = chart(view)
    return view


_NUMBER = re.compile(r"(\d+(?:\.\d+)?)")


def _value(text: str) -> float | None:
    if text in (SUPPRESSED, NOT_APPLICABLE):
        return None
    match = _NUMBER.search(text)
    return float(match.group(1)) if match else None


def _bars(
    pub: PublishedTable, labels: dict[str, dict[str, str]], spec: ReportSpec
) -> tuple[list[Bar], str]:
    """The chart: the last dimension's categories, every other dimension at its total."""
    dims = pub.table.dims
    last = dims[-1]
    prefix = tuple(d.root for d in dims[:-1])
    bars = []
    for pos, depth in _order(last):
        if depth == 0:
            continue
        at = (*prefix, pos)
        text = str(pub.cells[at])
        bars.append(
            Bar(
                label=("— " * (depth - 1)) + labels[last.name][last.categories[pos]],
                text=text,
                value=_value(text),
                status=_status(pub, at),
            )
        )
    scope = ", ".join(labels[d.name][d.categories[d.root]] for d in dims[:-1])
    title = measure_title(spec)
    if scope:
        title = _("%(measure)s: %(scope)s") % {"measure": title, "scope": scope}
    return bars, title


def long_rows(stored: dict[str, Any], spec: ReportSpec) -> tuple[list[str], list[list[str]]]:
    """The published cells in long form, for CSV and PDF: a header (one column per dimension,
    then the measure) and one row per cell, each printed value as published ("*" for every
    withheld cell, whatever the reason)."""
    pub = PublishedTable.from_dict(stored["published"])
    labels: dict[str, dict[str, str]] = stored["labels"]
    dims = pub.table.dims
    header = [dimension_title(d.name, spec) for d in dims] + [measure_title(spec)]
    rows = []
    for combo in itertools.product(*(_order(d) for d in dims)):
        at = tuple(pos for pos, _depth in combo)
        names = [labels[d.name][d.categories[pos]] for d, pos in zip(dims, at, strict=True)]
        rows.append([*names, str(pub.cells[at])])
    return header, rows


@dataclass(frozen=True)
class ChartBar:
    label: str
    full_label: str
    text: str
    y: int
    width: float
    text_x: float
    status: str
    drawn: bool


CHART_LABEL_WIDTH = 250
CHART_BAR_WIDTH = 330
CHART_ROW = 26
CHART_LABEL_CHARS = 36


def chart(view: TableView) -> dict[str, Any]:
    """The inline SVG bar chart's geometry (no script, no library): one bar per category of
    the table's last dimension, withheld values drawn as an empty dashed box marked "*"."""
    values = [bar.value for bar in view.bars if bar.value is not None]
    top = 100.0 if view.rate else max(values, default=0.0) or 1.0
    bars = []
    for i, bar in enumerate(view.bars):
        label = bar.label
        if len(label) > CHART_LABEL_CHARS:
            label = label[: CHART_LABEL_CHARS - 1] + "…"
        drawn = bar.value is not None
        width = CHART_BAR_WIDTH * (bar.value or 0.0) / top if drawn else CHART_BAR_WIDTH / 4
        width = round(max(width, 1.0), 1)
        bars.append(
            ChartBar(
                label=label,
                full_label=bar.label,
                text=bar.text,
                y=10 + i * CHART_ROW,
                width=width,
                text_x=round(CHART_LABEL_WIDTH + width + 6, 1),
                status=bar.status,
                drawn=drawn,
            )
        )
    return {
        "bars": bars,
        "height": 20 + len(bars) * CHART_ROW,
        "width": CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 90,
        "label_x": CHART_LABEL_WIDTH - 8,
        "bar_x": CHART_LABEL_WIDTH,
        "title": view.chart_title,
    }
