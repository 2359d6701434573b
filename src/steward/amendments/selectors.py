"""Reads of amendment requests, hearings, statements and additions for other apps.

Contracts other apps rely on (docs/amendments.md):

- `students_with_open_hearings(at)` and `students_with_open_amendments(at)`: the students whose
  records must not be destroyed at `at` (R104: an open hearing blocks destruction);
- `statements_for(student_id)`: the family's statements keyed by the contested item, to be
  disclosed with it (R35, 99.21(c));
- `additions_for(student_id)`: the material the family added (R37, 603 CMR 23.08(1)).

They decide no access: the caller has already established that its reader may see the
student's record (a copy for the family, an export under an agreement...).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from steward.amendments.models import (
    HEARING_STATUSES,
    Addition,
    AmendmentRequest,
    Hearing,
    Statement,
    Status,
)

#: How a statement's contested item is named: (catalog element key, row primary key). A
#: deletion request names no element (""); a request about "something else" names neither,
#: and is keyed ("other:<item id>", None).
ItemKey = tuple[str, int | None]


def _instant(at: dt.date | dt.datetime | None) -> dt.datetime:
    """`at` as an instant: now for None; a date counts to the end of that local day, so
    whatever is asked for during the day counts and whatever is finished during it does not."""
    if at is None:
        return timezone.now()
    if isinstance(at, dt.datetime):
        return at
    start = dt.datetime.combine(at + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(start)


def _open_hearings(instant: dt.datetime) -> Q:
    """Hearings requested by `instant` and not decided (or withdrawn) by then."""
    return (
        Q(requested_at__lt=instant)
        & (Q(decided_at__isnull=True) | Q(decided_at__gte=instant))
        & (Q(request__withdrawn_at__isnull=True) | Q(request__withdrawn_at__gte=instant))
    )


def students_with_open_hearings(at: dt.date | dt.datetime | None = None) -> set[int]:
    """The ids of students with a hearing requested and not yet decided at `at` (default now;
    a date means the end of that day). One query."""
    if at is None:
        rows = Hearing.objects.filter(request__status__in=HEARING_STATUSES)
    else:
        rows = Hearing.objects.filter(_open_hearings(_instant(at)))
    return set(rows.values_list("request__student_id", flat=True).distinct())


def students_with_open_amendments(at: dt.date | dt.datetime | None = None) -> set[int]:
    """The ids of students with an amendment request the district has not finished at `at`
    (default now; a date means the end of that day): awaiting its decision, or in a hearing.

    A request decided with a refusal and no hearing asked for is not open: the family may
    still ask for one, which opens it again. One query.
    """
    if at is None:
        statuses = (Status.OPEN, *HEARING_STATUSES)
        rows = AmendmentRequest.objects.filter(status__in=statuses)
    else:
        instant = _instant(at)
        awaiting = (
            Q(received_at__lt=instant)
            & (Q(decided_at__isnull=True) | Q(decided_at__gte=instant))
            & (Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=instant))
        )
        in_hearing = Q(pk__in=Hearing.objects.filter(_open_hearings(instant)).values("request_id"))
        rows = AmendmentRequest.objects.filter(awaiting | in_hearing)
    return set(rows.values_list("student_id", flat=True).distinct())


def statement_key(statement: Statement) -> ItemKey:
    """The contested item a statement belongs to (see `ItemKey`)."""
    if not statement.element_key and statement.row_id is None:
        return (f"other:{statement.item_id}", None)
    return (statement.element_key, statement.row_id)


def statements_for(student_id: int) -> dict[ItemKey, list[Statement]]:
    """Every statement the family placed in the student's record, keyed by contested item,
    oldest first. Each statement carries `scope` (the record part), `model` and `row_id`, and
    `item` (already read) with the item's labels and what the record said. One query."""
    found: dict[ItemKey, list[Statement]] = defaultdict(list)
    rows = (
        Statement.objects.filter(student_id=student_id)
        .select_related("item")
        .order_by("made_at", "pk")
    )
    for statement in rows:
        found[statement_key(statement)].append(statement)
    return dict(found)


def additions_for(student_id: int) -> list[Addition]:
    """Everything the family added to the student's record, oldest first, each with its
    record part (`scope`) and its document's metadata (not the file). One query."""
    return list(
        Addition.objects.filter(student_id=student_id)
        .select_related("document")
        .defer("document__content")
        .order_by("added_at", "pk")
    )


def notes_by_scope(
    student_id: int, scopes: Iterable[str]
) -> dict[str, tuple[list[Statement], list[Addition]]]:
    """Statements and additions of the given record parts, per part, for pages showing the
    record: each part's are shown with it and only with it. Two queries."""
    wanted = sorted(set(scopes))
    out: dict[str, tuple[list[Statement], list[Addition]]] = {s: ([], []) for s in wanted}
    if not wanted:
        return out
    for statement in (
        Statement.objects.filter(student_id=student_id, scope__in=wanted)
        .select_related("item")
        .order_by("made_at", "pk")
    ):
        out[statement.scope][0].append(statement)
    for addition in (
        Addition.objects.filter(student_id=student_id, scope__in=wanted)
        .select_related("document")
        .defer("document__content")
        .order_by("added_at", "pk")
    ):
        out[addition.scope][1].append(addition)
    return out


def disclosure_rows(
    student_id: int, scopes: Iterable[str]
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The statements and additions of the given record parts as plain rows for a copy or an
    export (R35: disclosed with their part; R37): (statements, additions), oldest first, every
    value a string. Statements: record_part, element, row, item, record_said, statement, by,
    placed. Additions: record_part, title, text, document, document_sha256, by, added. Two
    queries."""
    notes = notes_by_scope(student_id, scopes)
    statements = [
        {
            "record_part": s.scope,
            "element": s.element_key,
            "row": "" if s.row_id is None else str(s.row_id),
            "item": " · ".join(x for x in (s.item.row_label, s.item.field_label) if x)
            or s.item.requested_change,
            "record_said": s.item.value_at_request,
            "statement": s.text,
            "by": s.author_name,
            "placed": s.made_at.isoformat(),
        }
        for scope in sorted(notes)
        for s in notes[scope][0]
    ]
    additions = [
        {
            "record_part": a.scope,
            "title": a.title,
            "text": a.text,
            "document": a.document.filename if a.document else "",
            "document_sha256": a.document.sha256 if a.document else "",
            "by": a.author_name,
            "added": a.added_at.isoformat(),
        }
        for scope in sorted(notes)
        for a in notes[scope][1]
    ]
    return statements, additions
