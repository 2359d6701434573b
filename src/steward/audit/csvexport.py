"""Ledger entries as CSV, for the privacy office (the page's download and the CLI).

One row per entry, in the queryset's order, streamed: the entries are read in chunks and
each row is written as it is read, so a million-entry export holds one chunk in memory.

Column names are a stable, machine-readable contract (`HEADER`), not translated text, so
spreadsheets and scripts keep working whatever the officer's language.

Spreadsheet formula injection: a cell that begins with = + - @ (or a tab or carriage
return) is prefixed with a single quote, so a name such as "=HYPERLINK(...)" typed into
the SIS is shown as text, never run, when the file is opened in a spreadsheet.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import TextIO

from django.db.models import QuerySet
from django.http import StreamingHttpResponse

from steward.audit.models import Entry
from steward.audit.queries import release_of

HEADER: tuple[str, ...] = (
    "seq",
    "time_utc",
    "actor_name",
    "actor_role",
    "actor_affiliation",
    "action",
    "scopes",
    "purpose",
    "legitimate_interest",
    "basis",
    "agreement_id",
    "consent_id",
    "subject_count",
    "recipient_name",
    "recipient_affiliation",
    "releaser",
    "request_id",
    "client_ip",
    "hash",
    "tombstone",
)

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_CHUNK = 2000


def guard(cell: str) -> str:
    """`cell`, quoted with a leading ' when a spreadsheet would read it as a formula."""
    return "'" + cell if cell.startswith(_DANGEROUS) else cell


def row(entry: Entry) -> list[str]:
    """The CSV cells of one entry, guarded, in `HEADER` order."""
    release = release_of(entry)
    releaser = release.releaser_name
    if release.releaser_position:
        releaser = f"{releaser} ({release.releaser_position})"
    text = [
        entry.actor_name,
        entry.actor_role,
        entry.actor_affiliation,
        entry.action,
        entry.scopes,
        entry.purpose,
        entry.legitimate_interest,
        entry.basis,
        entry.agreement_id,
        entry.consent_id,
    ]
    after = [
        release.recipient_name,
        release.recipient_affiliation,
        releaser,
        entry.request_id,
        entry.client_ip,
        entry.hash,
    ]
    at = dt.datetime.fromtimestamp(entry.at_us / 1_000_000, tz=dt.UTC)
    return [
        str(entry.seq),
        at.isoformat().replace("+00:00", "Z"),
        *(guard(t) for t in text),
        str(entry.subject_count),
        *(guard(t) for t in after),
        "true" if entry.tombstone else "false",
    ]


def rows(entries: QuerySet[Entry] | Iterable[Entry]) -> Iterator[list[str]]:
    """The header, then one row per entry; a queryset is read in chunks, never all at once."""
    yield list(HEADER)
    source = entries.iterator(chunk_size=_CHUNK) if isinstance(entries, QuerySet) else entries
    for entry in source:
        yield row(entry)


def write(entries: QuerySet[Entry] | Iterable[Entry], out: TextIO) -> int:
    """Write the CSV to `out` (opened with newline=""); returns the number of entries."""
    writer = csv.writer(out)
    count = -1
    for cells in rows(entries):
        writer.writerow(cells)
        count += 1
    return count


class _Line:
    """A write-only file whose `write` returns what it was given (one CSV line)."""

    def write(self, value: str) -> str:
        return value


def response(entries: QuerySet[Entry], filename: str) -> StreamingHttpResponse:
    """A streaming download of the CSV, one line per chunk sent."""
    writer = csv.writer(_Line())
    lines = (writer.writerow(cells) for cells in rows(entries))
    reply = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    reply["Content-Disposition"] = f'attachment; filename="{filename}"'
    reply["Cache-Control"] = "no-store"
    return reply
