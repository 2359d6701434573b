"""The privacy office's two disclosure questions, answered from the ledger (R55, R61(2)).

1. `received(vendor, student)`: what exactly did vendor X receive about student Y, and when —
   the disclosure entries naming the student (the ledger's student index), to any of the
   vendor's agreements, with the elements and files each one sent.
2. `recipients(vendor, since, until)`: which students' data did vendor X receive in a period —
   the vendor's disclosure entries in the period (the (action, seq) index), and the union of
   the students they name (each bulk set read once).

Both read; the pages that show them record their own read.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from steward.audit import queries
from steward.audit.models import Action, Entry, SubjectSet
from steward.roster.models import Student
from steward.sharing.columns import Pair
from steward.vendors.models import Vendor

CHUNK = 5000


def agreement_ids(vendor: Vendor) -> list[str]:
    """The vendor's agreements as the ledger names them."""
    return [str(pk) for pk in vendor.agreements.values_list("pk", flat=True)]


@dataclass(frozen=True)
class Received:
    """One disclosure to the vendor about one student."""

    seq: int
    at: dt.datetime
    agreement_id: str
    agreement: str
    channel: str
    elements: list[Pair]
    files: dict[str, int]
    export_id: int | None
    basis: str
    other_students: int


def disclosures(vendor: Vendor) -> QuerySet[Entry]:
    return queries.search(action=Action.RELEASE).filter(agreement_id__in=agreement_ids(vendor))


def received(vendor: Vendor, student_id: int) -> list[Received]:
    """Every disclosure to `vendor` naming the student, newest first (two queries)."""
    entries = (
        queries.search(student=student_id, action=Action.RELEASE)
        .filter(agreement_id__in=agreement_ids(vendor))
        .only("seq", "at_us", "agreement_id", "detail", "basis", "subject_count")
    )
    out = []
    for entry in entries:
        detail = _detail(entry)
        out.append(
            Received(
                seq=entry.seq,
                at=entry.at,
                agreement_id=entry.agreement_id,
                agreement=str(detail.get("agreement", "")),
                channel=str(detail.get("channel", "")),
                elements=[(str(p[0]), str(p[1])) for p in detail.get("elements") or ()],
                files=dict(detail.get("files") or {}),
                export_id=detail.get("export"),
                basis=entry.basis,
                other_students=max(entry.subject_count - 1, 0),
            )
        )
    return out


@dataclass(frozen=True)
class Recipient:
    """One student whose data the vendor received in the period."""

    student_id: int
    sourced_id: str
    name: str
    first: dt.datetime
    last: dt.datetime
    disclosures: int


def recipients(vendor: Vendor, since: dt.date | None, until: dt.date | None) -> list[Recipient]:
    """The students named by the vendor's disclosures from `since` to `until` (inclusive,
    district days), by sourcedId. Queries: the entries, their sets, then students in chunks."""
    seen: dict[int, list[Any]] = {}
    entries = (
        queries.search(action=Action.RELEASE, since=since, until=until)
        .filter(agreement_id__in=agreement_ids(vendor))
        .values_list("at_us", "subject_student", "subject_set_id")
    )
    sets: dict[int, list[int]] = {}
    rows = list(entries)
    wanted = {set_id for _at, _one, set_id in rows if set_id is not None}
    ordered = sorted(wanted)
    for start in range(0, len(ordered), 900):  # one API response, one set: there may be many
        for set_id, members in SubjectSet.objects.filter(
            pk__in=ordered[start : start + 900]
        ).values_list("pk", "members"):
            sets[set_id] = [int(m) for m in members.split(",") if m]
    for at_us, one, set_id in rows:
        at = dt.datetime.fromtimestamp(at_us / 1_000_000, tz=dt.UTC)
        named = [one] if one is not None else sets.get(set_id or 0, [])
        for student in named:
            found = seen.get(student)
            if found is None:
                seen[student] = [at, at, 1]
            else:
                found[0], found[1], found[2] = min(found[0], at), max(found[1], at), found[2] + 1
    return sorted(_with_students(seen), key=lambda r: (r.sourced_id, r.student_id))


def _with_students(seen: dict[int, list[Any]]) -> Iterator[Recipient]:
    ids = sorted(seen)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        people = {
            pk: (sourced, f"{preferred or given} {family}")
            for pk, sourced, given, preferred, family in Student.objects.filter(
                pk__in=chunk
            ).values_list("pk", "sourced_id", "given_name", "preferred_given_name", "family_name")
        }
        for pk in chunk:
            sourced, name = people.get(pk, ("", ""))
            first, last, count = seen[pk]
            yield Recipient(pk, sourced, name, first, last, count)


def _detail(entry: Entry) -> dict[str, Any]:
    try:
        value = json.loads(entry.detail or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
