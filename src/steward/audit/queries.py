"""Reading the audit ledger: the privacy office's search, and helpers its pages share.

Who may read the log at all is the caller's business (R61: the records custodian, auditors,
and — through `steward.audit.family` only — the family). Every function here reads; none
writes, so a page that shows the log records its own read with `ledger.record()`.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F, JSONField, Q, QuerySet, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Concat, NullIf
from django.db.models.lookups import Exact, GreaterThanOrEqual, LessThan

from steward.accounts.models import Account
from steward.audit.models import Entry, SubjectSetMember
from steward.roster.models import Student


def search(
    *,
    student: int | None = None,
    actor_user_id: int | None = None,
    actor: str = "",
    action: str = "",
    basis: str = "",
    recipient: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[Entry]:
    """Ledger entries matching every given filter, newest first (by `seq`, descending).

    - `student`: a roster `Student` primary key; entries whose subject set names the student,
      alone or in a bulk set. Answered through the `audit_member_student` and
      `audit_entry_subjects` indexes, whatever the size of the ledger.
    - `actor_user_id`: the acting Django user's id; `actor`: part of the actor's name
      (case-insensitive).
    - `action`: an `Action` value, exactly; `basis`: a legal basis code (R51), exactly, after
      upper-casing (`a9` finds `A9`).
    - `recipient`: part of the recipient's name or affiliation in the entry's release fields
      (case-insensitive); entries without release fields never match.
    - `since` / `until`: calendar days in `settings.TIME_ZONE`, both inclusive.

    Empty strings and None mean "any". Tombstoned entries are included (they keep their
    place in the chain); callers that show content to families must drop them.
    """
    entries = Entry.objects.all()
    column: Callable[[str], Any] = F
    if student is not None:
        entries = entries.filter(
            Q(subject_student=student) | Q(subject_set_id__in=_sets_naming(student))
        )
        column = _unindexed
    if actor_user_id is not None:
        entries = entries.filter(Exact(column("actor_user_id"), actor_user_id))
    if actor:
        entries = entries.filter(actor_name__icontains=actor)
    if action:
        entries = entries.filter(Exact(column("action"), action))
    if basis:
        entries = entries.filter(Exact(column("basis"), basis.strip().upper()))
    if recipient:
        entries = _with_recipient(entries, recipient)
    if since is not None:
        entries = entries.filter(GreaterThanOrEqual(column("at_us"), day_start_us(since)))
    if until is not None:
        end = day_start_us(until + dt.timedelta(days=1))
        entries = entries.filter(LessThan(column("at_us"), end))
    return entries.order_by("-seq")


def _unindexed(name: str) -> Any:
    # With a student given, the student's sets are the selective index. Without statistics
    # (SQLite before ANALYZE) the planner would rather walk (action, seq) or (basis, seq) in
    # seq order — every read in the district — so the other indexed columns are compared as
    # expressions, which no index serves, and the student index is the only one left.
    if name in ("actor_user_id", "at_us"):
        return F(name) + 0
    return Concat(F(name), Value(""))


def _sets_naming(student: int) -> QuerySet[SubjectSetMember, Any]:
    # A subquery, not a Python list: a student named in 100,000 sets stays one statement,
    # `subject_set_id IN (SELECT subject_set_id ... WHERE student_id = %s)`.
    return SubjectSetMember.objects.filter(student_id=student).values("subject_set_id")


def _with_recipient(entries: QuerySet[Entry], text: str) -> QuerySet[Entry]:
    # `release` is canonical JSON text, or "" when the entry released nothing. NULLIF keeps
    # PostgreSQL from casting "" to jsonb (which it rejects); SQLite reads the text as JSON.
    # Reading the two keys, not searching the whole text, keeps the releaser's name out of it.
    matched = entries.alias(
        _release=Cast(NullIf("release", Value("")), JSONField()),
    ).alias(
        _recipient_name=KT("_release__recipient__name"),
        _recipient_affiliation=KT("_release__recipient__affiliation"),
    )
    return matched.filter(
        Q(_recipient_name__icontains=text) | Q(_recipient_affiliation__icontains=text)
    )


def day_start_us(day: dt.date) -> int:
    """Microseconds since 1970 (UTC) at midnight starting `day` in `settings.TIME_ZONE`."""
    midnight = dt.datetime.combine(day, dt.time.min, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return int(midnight.timestamp()) * 1_000_000


def student_pk(sourced_id: str) -> int | None:
    """The roster primary key of the student with this OneRoster `sourcedId`, or None.

    Only the key is read — no student data — so the privacy office can search the ledger by
    the identifier it knows. One query.
    """
    if not sourced_id:
        return None
    return Student.objects.filter(sourced_id=sourced_id).values_list("pk", flat=True).first()


@dataclass(frozen=True)
class ReleaseView:
    """The release fields of an entry (R56–R58, R63), read back from its canonical JSON."""

    releaser_name: str = ""
    releaser_position: str = ""
    releaser_signed: bool = False
    recipient_name: str = ""
    recipient_position: str = ""
    recipient_affiliation: str = ""
    further_parties: tuple[tuple[str, str], ...] = ()
    emergency_threat: str = ""
    emergency_parties: tuple[str, ...] = ()

    @property
    def is_release(self) -> bool:
        return bool(self.recipient_name or self.recipient_affiliation)


def release_of(entry: Entry) -> ReleaseView:
    """Parse `entry.release`; an entry without release fields gives an empty `ReleaseView`."""
    if not entry.release:
        return ReleaseView()
    data = json.loads(entry.release)
    releaser = data.get("releaser") or {}
    recipient = data.get("recipient") or {}
    emergency = data.get("emergency") or {}
    return ReleaseView(
        releaser_name=str(releaser.get("name", "")),
        releaser_position=str(releaser.get("position", "")),
        releaser_signed=bool(releaser.get("signature")),
        recipient_name=str(recipient.get("name", "")),
        recipient_position=str(recipient.get("position", "")),
        recipient_affiliation=str(recipient.get("affiliation", "")),
        further_parties=tuple(
            (str(p.get("name", "")), str(p.get("legitimate_interest", "")))
            for p in data.get("further_parties") or ()
        ),
        emergency_threat=str(emergency.get("threat", "")),
        emergency_parties=tuple(str(p) for p in emergency.get("parties") or ()),
    )


def position_label(role: str) -> str:
    """The display name of an `actor_role` in the active language, or the code itself."""
    labels: dict[str, str] = {value: str(label) for value, label in Account.Role.choices}
    return labels.get(role, role)
