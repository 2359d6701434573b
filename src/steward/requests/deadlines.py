"""The privacy office's deadlines: every open family-rights matter with its clock (issue #8
item 3; R24, R25, R18, R34–R37).

`SOURCES` is a registry: each source is a callable taking no argument and returning rows
``(kind, student, due, url, label)`` (a `Deadline` or a plain tuple): `kind` says what sort of
matter it is, `student` is a `Student` (or a name), `due` the date it must be answered by,
`url` its page, `label` what is waiting. Other apps add theirs when they load, for example
in their `AppConfig.ready()`:

    from steward.requests.deadlines import SOURCES
    SOURCES.append(open_amendment_deadlines)

A source should read its rows in a fixed number of queries (with the student joined), so the
dashboard's query count does not grow with the number of open matters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from steward.requests.models import OPEN_STATUSES, AccessRequest


class Deadline(NamedTuple):
    kind: str
    student: Any  # a Student, or the student's name
    due: dt.date
    url: str
    label: str


Source = Callable[[], Iterable[Deadline | tuple[str, Any, dt.date, str, str]]]


def access_requests() -> list[Deadline]:
    """Every open access request, with its due date (R25, or FERPA's for R18). One query."""
    rows = (
        AccessRequest.objects.filter(status__in=OPEN_STATUSES)
        .select_related("student", "assignee")
        .order_by("due_on", "pk")
    )
    out = []
    for req in rows:
        who = req.assignee.get_full_name() or req.assignee.get_username() if req.assignee else ""
        parts = [f"#{req.pk} {req.get_status_display()}"]
        parts.append(_("assigned to %(name)s") % {"name": who} if who else _("nobody assigned"))
        if req.release_on is not None:
            parts.append(
                _("release from %(day)s") % {"day": date_format(req.release_on, "DATE_FORMAT")}
            )
        out.append(
            Deadline(
                _("Access request: %(kind)s") % {"kind": req.get_kind_display()},
                req.student,
                req.due_on,
                reverse("requests-detail", args=[req.pk]),
                "; ".join(parts),
            )
        )
    return out


SOURCES: list[Source] = [access_requests]


@dataclass(frozen=True)
class Row:
    """A deadline with its clock on the day shown: days left (negative when late)."""

    kind: str
    student: str
    due: dt.date
    url: str
    label: str
    days_left: int

    @property
    def late(self) -> bool:
        return self.days_left < 0

    @property
    def days_late(self) -> int:
        return max(-self.days_left, 0)


def rows(today: dt.date) -> list[Row]:
    """Every source's deadlines: what is late first (the latest first), then by due date."""
    out: list[Row] = []
    for source in SOURCES:
        for kind, student, due, url, label in source():
            name = getattr(student, "display_name", None) or str(student)
            out.append(Row(str(kind), name, due, url, str(label), (due - today).days))
    return sorted(out, key=lambda r: (r.days_left, r.kind, r.student, r.url))
