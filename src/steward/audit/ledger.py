"""Writing to the audit ledger: `record()` and `record_many()`, the only writers.

Call them inside the transaction of the action being recorded: the entry commits or rolls back
with it (design.md §3 rule 2). Appends are serialised — on PostgreSQL by a transaction-scoped
advisory lock, on SQLite by its IMMEDIATE write lock — and `seq` is the primary key, so two
writers can never fork the chain: one would fail rather than both succeed.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, NamedTuple, overload

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from steward import sqlbulk
from steward.audit import chain
from steward.audit.models import Action, Entry, SubjectSet, SubjectSetMember

_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('steward.audit.chain'))"


@dataclass(frozen=True)
class Party:
    """A further party who may redisclose on the district's behalf (R57)."""

    name: str
    legitimate_interest: str


@dataclass(frozen=True)
class Release:
    """FERPA and Massachusetts fields of a release or disclosure (R56–R58, R63)."""

    releaser_name: str
    releaser_position: str
    releaser_signature: str
    recipient_name: str
    recipient_position: str = ""
    recipient_affiliation: str = ""
    further_parties: tuple[Party, ...] = ()
    emergency_threat: str = ""
    emergency_parties: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "releaser": {
                "name": self.releaser_name,
                "position": self.releaser_position,
                "signature": self.releaser_signature,
            },
            "recipient": {
                "name": self.recipient_name,
                "position": self.recipient_position,
                "affiliation": self.recipient_affiliation,
            },
        }
        if self.further_parties:
            data["further_parties"] = [
                {"name": p.name, "legitimate_interest": p.legitimate_interest}
                for p in self.further_parties
            ]
        if self.emergency_threat or self.emergency_parties:
            data["emergency"] = {
                "threat": self.emergency_threat,
                "parties": list(self.emergency_parties),
            }
        return data


@dataclass(frozen=True)
class Event:
    """What happened, as the caller knows it; `record_many` turns events into entries."""

    action: str
    actor_user_id: int | None = None
    actor_name: str = ""
    actor_role: str = ""
    actor_affiliation: str = ""
    students: Iterable[int] = ()
    scopes: Iterable[str] = ()
    purpose: str = ""
    legitimate_interest: str = ""
    basis: str = ""
    agreement_id: str = ""
    consent_id: str = ""
    release: Release | None = None
    request_id: str = ""
    client_ip: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    at: dt.datetime | None = None


def request_context(request: HttpRequest | None) -> dict[str, Any]:
    """The request id and client address of an HTTP request (empty outside a request)."""
    if request is None:
        return {"request_id": "", "client_ip": ""}
    request_id = getattr(request, "steward_request_id", "") or request.META.get(
        "HTTP_X_REQUEST_ID", ""
    )
    return {
        "request_id": str(request_id)[:64] or uuid.uuid4().hex,
        "client_ip": str(request.META.get("REMOTE_ADDR", ""))[:64],
    }


def actor_of(user: Any) -> dict[str, Any]:
    """Actor fields for a Django user (anonymous or None gives empty fields)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {"actor_user_id": None, "actor_name": "", "actor_role": ""}
    try:
        role = user.account.role
    except ObjectDoesNotExist:  # a login with no Steward role, e.g. a bare superuser
        role = "superuser" if user.is_superuser else ""
    return {
        "actor_user_id": user.pk,
        "actor_name": user.get_full_name() or user.get_username(),
        "actor_role": role,
    }


class Appended(NamedTuple):
    """Where a batched entry landed in the chain."""

    seq: int
    prev_hash: str
    hash: str
    subject_set_id: int | None


def record(event: Event | None = None, /, **fields: Any) -> Entry:
    """Append one entry, inside the caller's transaction. Pass an Event or its fields."""
    row = _append([event if event is not None else Event(**fields)])[0]
    entry = Entry(**dict(zip(_COLUMNS, row, strict=True)))
    entry._state.adding = False  # it is in the database: a later save() must not insert
    return entry


def record_many(events: Sequence[Event]) -> Sequence[Appended]:
    """Append entries in order, in one step: the batched path for high-volume reads.

    Returns where each landed (seq and hashes), not model instances: building thousands of
    instances would cost more than writing the rows.
    """
    # A batch allocates a few tuples per entry, all kept until the insert: the cyclic garbage
    # collector would rescan them over and over for nothing (none of them form cycles).
    gc_was_enabled = gc.isenabled()
    if gc_was_enabled and len(events) >= 1_000:
        gc.disable()
    try:
        rows = _append(events)
    finally:
        if gc_was_enabled:
            gc.enable()
    return _AppendedRows(rows)


class _AppendedRows(Sequence[Appended]):
    """`record_many`'s answer, made per item on demand: most callers never look at it."""

    def __init__(self, rows: list[list[Any]]) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Appended: ...
    @overload
    def __getitem__(self, index: slice) -> list[Appended]: ...
    def __getitem__(self, index: int | slice) -> Appended | list[Appended]:
        if isinstance(index, slice):
            return [self._appended(row) for row in self._rows[index]]
        return self._appended(self._rows[index])

    @staticmethod
    def _appended(row: list[Any]) -> Appended:
        return Appended(row[0], row[_PREV], row[_PREV + 1], row[_PREV + 4])


# Column order of the rows `_append` writes: FIELDS (the hashed values), then the chain's
# bookkeeping, appended to each values list in place once its hash is known.
_COLUMNS = (
    *chain.FIELDS,
    "prev_hash",
    "hash",
    "digest",
    "tombstone",
    "subject_set_id",
    "subject_student",
)
_PREV = len(chain.FIELDS)
_INSERT_FIELDS = ["subject_set" if c == "subject_set_id" else c for c in _COLUMNS]
_ACTIONS: dict[str, str] = {value: value for value in Action.values}


def _append(events: Sequence[Event]) -> list[list[Any]]:
    if not events:
        return []
    now_us = int(timezone.now().timestamp() * 1_000_000)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(_LOCK_SQL)
        head = Entry.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev = head if head is not None else (0, chain.GENESIS)
        subjects = _subject_sets(events)
        values_list = [
            _values(seq + offset, event, subject[0], subject[2], now_us)
            for offset, (event, subject) in enumerate(zip(events, subjects, strict=True), 1)
        ]
        hashes = chain.chain(values_list, prev, validate=False)
        for values, (_digest, set_id, _count, single), (digest, entry_hash) in zip(
            values_list, subjects, hashes, strict=True
        ):
            values.extend((prev, entry_hash, digest, False, set_id, single))
            prev = entry_hash
        sqlbulk.insert(Entry, _INSERT_FIELDS, values_list)
    return values_list


def _values(seq: int, event: Event, subjects: str, count: int, now_us: int) -> list[object]:
    """The entry's values in `chain.FIELDS` order, each of the type the chain requires.

    Per-entry cost matters here (batches of thousands): text fields that are already plain
    `str`, nearly all of them, skip the `_text` call.
    """
    at = event.at
    actor = event.actor_user_id
    name, role, affiliation = event.actor_name, event.actor_role, event.actor_affiliation
    purpose, interest, basis = event.purpose, event.legitimate_interest, event.basis
    agreement, consent = event.agreement_id, event.consent_id
    request_id, client_ip = event.request_id, event.client_ip
    return [
        seq,
        now_us if at is None else int(at.timestamp() * 1_000_000),
        None if actor is None else int(actor),
        name if type(name) is str else _text(name),
        role if type(role) is str else _text(role),
        affiliation if type(affiliation) is str else _text(affiliation),
        _action(event.action),
        _scopes_text(event.scopes),
        purpose if type(purpose) is str else _text(purpose),
        interest if type(interest) is str else _text(interest),
        basis if type(basis) is str else _text(basis),
        agreement if type(agreement) is str else _text(agreement),
        consent if type(consent) is str else _text(consent),
        subjects,
        count,
        chain.canonical_json(event.release.as_dict()) if event.release else "",
        request_id if type(request_id) is str else _text(request_id),
        client_ip if type(client_ip) is str else _text(client_ip),
        chain.canonical_json(event.detail),
    ]


def _text(value: object) -> str:
    """Plain `str` for the canonical form (choices enums and lazy strings included)."""
    if type(value) is str:
        return value
    return str(value.value) if isinstance(value, Enum) else str(value)


_SCOPES_SEEN: dict[tuple[object, ...], str] = {}


def _scopes_text(scopes: Iterable[object]) -> str:
    """Sorted, de-duplicated scope names joined by ","; memoised for tuples, which repeat."""
    if type(scopes) is tuple:
        text = _SCOPES_SEEN.get(scopes)
        if text is None:
            text = ",".join(sorted({_text(s) for s in scopes}))
            if len(_SCOPES_SEEN) < 4_096:  # a handful of scope sets in practice; stay bounded
                _SCOPES_SEEN[scopes] = text
        return text
    return ",".join(sorted({_text(s) for s in scopes}))


def _action(action: str) -> str:
    # Keyed by value: a TextChoices member hashes and compares as its value, so members and
    # plain strings both find their plain-string value.
    text = _ACTIONS.get(action)
    if text is None:
        raise ValueError(f"unknown audit action {action!r}")
    return text


def _subject_sets(events: Sequence[Event]) -> list[tuple[str, int | None, int, int | None]]:
    """Each event's (subjects digest, subject set id, student count, single student), in order.

    An event naming one student gets no set (its id goes in `subject_student`); the sets of
    the others are found or created in bulk, content-addressed by digest.
    """
    out: list[tuple[str, int | None, int, int | None]] = []
    wanted: dict[str, list[int]] = {}
    for event in events:
        named = event.students
        if type(named) in (tuple, list) and len(named) == 1:  # type: ignore[arg-type]
            one = int(named[0])  # type: ignore[index]  # the common case: one student
            out.append((_single_digest(one), None, 1, one))
            continue
        ids = sorted({int(s) for s in named})
        digest = chain.subjects_digest(ids)
        out.append((digest, None, len(ids), ids[0] if len(ids) == 1 else None))
        if len(ids) > 1:
            wanted[digest] = ids
    if not wanted:
        return out
    known = _set_ids(list(wanted))
    new = [d for d in wanted if d not in known]
    if new:
        # Ids are handed out here, under the chain lock that every writer of sets holds,
        # which saves reading the new rows back.
        top = SubjectSet.objects.aggregate(top=Max("id"))["top"] or 0
        created = {d: top + n for n, d in enumerate(new, start=1)}
        sqlbulk.insert(
            SubjectSet,
            ["id", "digest", "size", "members"],
            ((created[d], d, len(wanted[d]), ",".join(map(str, wanted[d]))) for d in new),
        )
        sqlbulk.insert(
            SubjectSetMember,
            ["subject_set", "student_id"],
            ((created[d], s) for d in new for s in wanted[d]),
        )
        known.update(created)
    return [(digest, known.get(digest), count, single) for digest, _, count, single in out]


@functools.lru_cache(maxsize=200_000)
def _single_digest(student: int) -> str:
    return chain.subjects_digest([student])


def _set_ids(digests: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(digests), 500):
        chunk = digests[start : start + 500]
        found.update(SubjectSet.objects.filter(digest__in=chunk).values_list("digest", "id"))
    return found
