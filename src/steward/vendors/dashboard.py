"""The privacy office's vendor dashboard (issue #6 item 5; R71, R73, R74, R80, R110).

What needs action: products under review and open app requests; agreements ending within the
first reminder (90 days); dispositions pending or overdue; apps in use without an agreement that
allows sharing; re-vetting due within a month. Then two charts over the last 24 months, drawn
as server-side SVG geometry (`Chart`) with a data table beside them. Eight queries in all,
whatever the number of rows; the district's own agreements only (imported ones never share).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from steward.vendors.models import (
    EXPIRY_REMINDER_DAYS,
    SHARING_STATUSES,
    Agreement,
    AgreementStatus,
    AppRequest,
    AppRequestStatus,
    AppStatus,
    Product,
    VettingDecision,
)

EXPIRY_HORIZON_DAYS = max(EXPIRY_REMINDER_DAYS)
REVETTING_NOTICE_DAYS = 30
CHART_MONTHS = 24
AWAITING_DISPOSITION = (
    AgreementStatus.EXPIRED,
    AgreementStatus.TERMINATED,
    AgreementStatus.DISPOSITION_PENDING,
    AgreementStatus.DISPOSITION_OVERDUE,
)
DECISION_STATUSES = (
    AppStatus.APPROVED,
    AppStatus.APPROVED_WITH_GUARDIAN_RELEASE,
    AppStatus.NOT_APPROVED,
)
# Okabe–Ito colours: told apart with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#999999")


@dataclass(frozen=True)
class Due:
    """A row to act on: the product, agreement or request, a date that matters with the
    `days` left until it (negative: past), and the page where it is acted on ("" if none)."""

    item: Any
    on: dt.date | None = None
    days: int | None = None
    url: str = ""

    @property
    def overdue_days(self) -> int:
        return -self.days if self.days is not None and self.days < 0 else 0


def page(name: str, pk: int) -> str:
    """The URL of another vendor page for one object, or "" while that page is not routed
    (the registry and agreement pages are separate modules; the dashboard works without)."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _due(item: Any, on: dt.date | None, today: dt.date, url: str = "") -> Due:
    return Due(item, on, (on - today).days if on is not None else None, url)


def _agreement_row(agreement: Agreement, on: dt.date | None, today: dt.date) -> Due:
    return _due(agreement, on, today, page("vendors-agreement-detail", agreement.pk))


def _product_row(product: Product, on: dt.date | None, today: dt.date) -> Due:
    return _due(product, on, today, page("vendors-registry-product", product.pk))


# ---------------------------------------------------------------------------------------------
# Charts


@dataclass(frozen=True)
class Series:
    label: Promise | str
    color: str
    values: list[int]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    color: str
    title: str  # "March 2025 · active: 4", for the SVG <title> tooltip


@dataclass(frozen=True)
class Chart:
    """A stacked bar chart, one bar a month, with everything the template draws precomputed."""

    key: str
    title: Promise | str
    description: Promise | str
    months: list[dt.date]
    series: list[Series]
    width: int = 720
    height: int = 260
    left: int = 44
    bottom: int = 36
    top: int = 12

    @property
    def plot_height(self) -> int:
        return self.height - self.bottom - self.top

    @property
    def baseline(self) -> int:
        return self.height - self.bottom

    @property
    def maximum(self) -> int:
        totals = [sum(s.values[i] for s in self.series) for i in range(len(self.months))]
        return _nice(max(totals, default=0))

    @property
    def slot(self) -> float:
        return (self.width - self.left - 8) / max(len(self.months), 1)

    @property
    def bars(self) -> list[Bar]:
        scale, bars = self.plot_height / self.maximum, []
        for i, month in enumerate(self.months):
            base = float(self.baseline)
            for series in self.series:
                value = series.values[i]
                if not value:
                    continue
                height = value * scale
                base -= height
                bars.append(
                    Bar(
                        x=round(self.left + i * self.slot + self.slot * 0.15, 2),
                        y=round(base, 2),
                        width=round(self.slot * 0.7, 2),
                        height=round(height, 2),
                        color=series.color,
                        title=f"{month_label(month)} · {series.label}: {value}",
                    )
                )
        return bars

    @property
    def ticks(self) -> list[tuple[float, int]]:
        """Four gridlines: (y, value)."""
        step = self.maximum / 4
        return [
            (round(self.baseline - n * step * self.plot_height / self.maximum, 2), round(n * step))
            for n in range(5)
        ]

    @property
    def x_labels(self) -> list[tuple[float, str]]:
        """A label every third month, centred under its bar."""
        return [
            (round(self.left + (i + 0.5) * self.slot, 2), month_label(month))
            for i, month in enumerate(self.months)
            if i % 3 == 0
        ]

    @property
    def rows(self) -> list[tuple[str, list[int], int]]:
        """The data table: (month, value per series, total)."""
        return [
            (
                month_label(m),
                [s.values[i] for s in self.series],
                sum(s.values[i] for s in self.series),
            )
            for i, m in enumerate(self.months)
        ]

    @property
    def empty(self) -> bool:
        return not any(any(s.values) for s in self.series)


def _nice(value: int) -> int:
    """The smallest of 4, 8, 20, 40, 80, 200, … not below `value`: gridlines at round values."""
    nice = 4
    while nice < value:
        nice = nice * 2 if str(nice)[0] in "24" else nice * 5 // 2
    return nice


def month_label(month: dt.date) -> str:
    return date_format(month, "M Y")


def months_until(today: dt.date, count: int = CHART_MONTHS) -> list[dt.date]:
    """The first days of the `count` months ending with `today`'s."""
    index = today.year * 12 + today.month - 1
    return [dt.date((index - n) // 12, (index - n) % 12 + 1, 1) for n in range(count - 1, -1, -1)]


def _month_end(month: dt.date, today: dt.date) -> dt.date:
    following = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return min(following - dt.timedelta(days=1), today)


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment is not None else None


def _phase_days(row: Mapping[str, Any]) -> tuple[dt.date | None, ...]:
    """When an agreement was created, came into force, ended and had deletion certified. The
    lifecycle timestamps when set; else the agreement's own dates for rows written before them
    (an imported or hand-entered agreement has a status but no activation time)."""
    status = row["status"]
    created = _local_day(row["created_at"])
    active = _local_day(row["activated_at"]) or (
        row["start_date"] if status != AgreementStatus.DRAFT else None
    )
    ended = _local_day(row["ended_at"]) or (
        row["end_date"] if status in (*AWAITING_DISPOSITION, "disposition_certified") else None
    )
    return created, active, ended, _local_day(row["certificate__recorded_at"])


AGREEMENT_PHASES: tuple[tuple[str, Promise], ...] = (
    ("draft", _("draft")),
    ("in_force", _("in force")),
    ("awaiting", _("ended, deletion not yet certified")),
    ("certified", _("deletion certified")),
)


def _phase_on(day: dt.date, phases: tuple[dt.date | None, ...]) -> str | None:
    created, active, ended, certified = phases
    if certified is not None and certified <= day:
        return "certified"
    if ended is not None and ended <= day:
        return "awaiting"
    if active is not None and active <= day:
        return "in_force"
    if created is not None and created <= day:
        return "draft"
    return None


def agreements_chart(today: dt.date) -> Chart:
    """How many of the district's agreements were in each phase at the end of each month.
    One query."""
    months = months_until(today)
    rows = Agreement.objects.filter(external=False).values(
        "status",
        "created_at",
        "activated_at",
        "ended_at",
        "start_date",
        "end_date",
        "certificate__recorded_at",
    )
    phases = [_phase_days(row) for row in rows]
    counts = {key: [0] * len(months) for key, _label in AGREEMENT_PHASES}
    for i, month in enumerate(months):
        day = _month_end(month, today)
        for agreement in phases:
            phase = _phase_on(day, agreement)
            if phase is not None:
                counts[phase][i] += 1
    return Chart(
        key="agreements",
        title=_("Agreements by status, month by month"),
        description=_(
            "Stacked bars: for each of the last 24 months, how many of the district's "
            "agreements were drafts, in force, ended awaiting a deletion certificate, or "
            "closed with deletion certified at the end of the month."
        ),
        months=months,
        series=[
            Series(label, PALETTE[n], counts[key])
            for n, (key, label) in enumerate(AGREEMENT_PHASES)
        ],
    )


def decisions_chart(today: dt.date) -> Chart:
    """Vetting decisions made each month, by the status they gave the app. One query."""
    months = months_until(today)
    first = timezone.make_aware(dt.datetime.combine(months[0], dt.time.min))
    index = {(m.year, m.month): i for i, m in enumerate(months)}
    counts = {status: [0] * len(months) for status in AppStatus.values}
    for row in VettingDecision.objects.filter(decided_at__gte=first).values("status", "decided_at"):
        day = timezone.localdate(row["decided_at"])
        i = index.get((day.year, day.month))
        if i is not None and row["status"] in counts:
            counts[row["status"]][i] += 1
    return Chart(
        key="decisions",
        title=_("Vetting decisions, month by month"),
        description=_(
            "Stacked bars: for each of the last 24 months, how many vetting decisions were "
            "made, by the registry status they gave the app."
        ),
        months=months,
        # The three outcomes a vetting decides, and any other status only if it occurs.
        series=[
            Series(AppStatus(status).label, PALETTE[n], counts[status])
            for n, status in enumerate(AppStatus.values)
            if status in DECISION_STATUSES or any(counts[status])
        ],
    )


# ---------------------------------------------------------------------------------------------
# What needs action


@dataclass(frozen=True)
class Dashboard:
    under_review: list[Due]
    open_requests: list[Due]
    expiring: list[Due]
    dispositions: list[Due]
    in_use_without_agreement: list[Due]
    revetting: list[Due]
    charts: Sequence[Chart]

    @property
    def needs_action(self) -> int:
        return sum(
            len(rows)
            for rows in (
                self.under_review,
                self.open_requests,
                self.expiring,
                self.dispositions,
                self.in_use_without_agreement,
                self.revetting,
            )
        )


def _own_agreements() -> Any:
    return Agreement.objects.filter(external=False).select_related("vendor")


def build(today: dt.date | None = None) -> Dashboard:
    """Everything the dashboard shows, as of `today` (default: the district's today)."""
    today = today or timezone.localdate()
    sharing = Agreement.objects.filter(
        external=False, status__in=SHARING_STATUSES, products=OuterRef("pk")
    )

    expiring = _own_agreements().filter(
        status__in=SHARING_STATUSES,
        end_date__lte=today + dt.timedelta(days=EXPIRY_HORIZON_DAYS),
    )
    awaiting = _own_agreements().filter(status__in=AWAITING_DISPOSITION)
    revetting = Product.objects.filter(
        status__in=(AppStatus.APPROVED, AppStatus.APPROVED_WITH_GUARDIAN_RELEASE),
        revetting_due__lte=today + dt.timedelta(days=REVETTING_NOTICE_DAYS),
    ).select_related("vendor")
    under_review = Product.objects.filter(status=AppStatus.UNDER_REVIEW).select_related("vendor")
    requests = AppRequest.objects.filter(
        status__in=(AppRequestStatus.OPEN, AppRequestStatus.IN_REVIEW)
    ).select_related("requested_by", "product")
    in_use = Product.objects.filter(in_use=True).exclude(Exists(sharing)).select_related("vendor")
    return Dashboard(
        under_review=[
            _product_row(p, None, today) for p in under_review.order_by("created_at", "pk")
        ],
        open_requests=[Due(r) for r in requests.order_by("created_at", "pk")],
        expiring=[
            _agreement_row(a, a.end_date, today) for a in expiring.order_by("end_date", "pk")
        ],
        dispositions=[
            _agreement_row(a, a.disposition_due, today)
            for a in awaiting.order_by(F("disposition_due").asc(nulls_last=True), "pk")
        ],
        in_use_without_agreement=[
            _product_row(p, None, today) for p in in_use.order_by("name", "pk")
        ],
        revetting=[
            _product_row(p, p.revetting_due, today)
            for p in revetting.order_by("revetting_due", "pk")
        ],
        charts=(agreements_chart(today), decisions_chart(today)),
    )
