"""What a parent or eligible student may see of the child's access and disclosure log.

The family sees every entry concerning the student (R61(1), R66) except reads of the record by
the district's own authorized personnel, which 603 CMR 23.07(1)(a)–(c) exempts from the log
unless information was released or deleted (R64, R66). Those reads stay in the ledger as the
security audit trail (R65); they are only left out of the family's view.

The rules are data (design.md §3 rule 3): `SCHOOL_PERSONNEL_ROLES` and `ACTION_RULES` below,
each with its citation. Everything not hidden by them is shown; an `Action` without a rule
is a programming error that the tests catch.

Rows carry only what the family may see: never another student's id (a bulk export naming
300 students shows "and 299 other students"), never request ids, addresses, hashes, or the
releaser's signature itself. A disclosure to a vendor under a data sharing agreement (issue #7)
also says what was shared, in plain language.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from steward.audit.models import Action, Entry
from steward.audit.queries import position_label, release_of, search
from steward.vendors.public import grouped  # the registry's plain words for Exhibit B

# Disclosure channels of `steward.sharing.disclosure` (vendor exports and API responses): their
# entries carry the Exhibit B elements sent, which the family reads in plain language.
VENDOR_CHANNELS = frozenset({"export", "api"})


class Visibility(enum.Enum):
    SHOWN = "shown"
    HIDDEN = "hidden"
    # Hidden when done by authorized school personnel without a release (R64 a–c, R66).
    SHOWN_UNLESS_PERSONNEL = "shown unless by school personnel"


@dataclass(frozen=True)
class Rule:
    visibility: Visibility
    cite: str


# 603 CMR 23.02 "authorized school personnel" (a), administrative and clerical staff (b) and
# school nurses (c) — the roles whose reads R64 exempts. A role outside this set (a guardian,
# a vendor, a superuser acting as IT, an unknown role) is never exempt: the read is shown.
# Someone in one of these roles but with a third-party affiliation is not school personnel.
SCHOOL_PERSONNEL_ROLES: frozenset[str] = frozenset(
    {
        "teacher",  # R64(a)
        "counselor",  # R64(a)
        "principal",  # R64(a)
        "special_education",  # R64(a)
        "privacy_officer",  # R64(a); R61(2): the records custodian
        "records_custodian",  # R64(a); R61(2)
        "district_administrator",  # R64(a)
        "administrative",  # R64(b)
        "clerical",  # R64(b)
        "nurse",  # R64(c)
    }
)

ACTION_RULES: Mapping[str, Rule] = {
    Action.READ: Rule(Visibility.SHOWN_UNLESS_PERSONNEL, "R64(a)–(c), R66; third parties R64, R63"),
    Action.CREATE: Rule(Visibility.SHOWN, "R66: everything else is shown"),
    Action.CHANGE: Rule(Visibility.SHOWN, "R66: everything else is shown"),
    Action.DELETE: Rule(Visibility.SHOWN, "R64: any deletion by anyone"),
    Action.RELEASE: Rule(Visibility.SHOWN, "R64: any release by anyone; R12, R55–R58, R63"),
    Action.EXPORT: Rule(Visibility.SHOWN, "R12: an export is a disclosure; R64"),
    Action.CONSENT: Rule(Visibility.SHOWN, "R66; R49–R50: the family's own consents"),
    Action.RETENTION: Rule(Visibility.SHOWN, "R64: deletion; R60, R105: destruction"),
    # Not about a student's record: the security audit trail only (R65).
    Action.LOGIN: Rule(Visibility.HIDDEN, "R65: security trail, not the record's log"),
    Action.LOGIN_FAILED: Rule(Visibility.HIDDEN, "R65: security trail, not the record's log"),
    Action.LOGOUT: Rule(Visibility.HIDDEN, "R65: security trail, not the record's log"),
    Action.SECURITY: Rule(Visibility.HIDDEN, "R65: security trail, not the record's log"),
    Action.CHECKPOINT: Rule(Visibility.HIDDEN, "R65: chain bookkeeping, no record accessed"),
}


@dataclass(frozen=True)
class FamilyRow:
    """One line of the family's log: who, when, what, which parts, why, on what basis."""

    at: dt.datetime
    actor_name: str
    actor_position: str
    actor_affiliation: str
    action: str
    action_label: str
    record_parts: tuple[str, ...]
    purpose: str
    legitimate_interest: str
    basis: str
    releaser_name: str
    releaser_position: str
    recipient_name: str
    recipient_position: str
    recipient_affiliation: str
    further_parties: tuple[tuple[str, str], ...]
    emergency_threat: str
    emergency_parties: tuple[str, ...]
    other_students: int
    # A disclosure to a vendor (issue #7, R61, R66): "Shared with <vendor> on <date>: <data>",
    # the data as plain-language Exhibit B groups, e.g. "The student's name (first and last
    # name)". Empty for every other entry.
    shared_with: str = ""
    shared_data: tuple[str, ...] = ()

    @property
    def is_release(self) -> bool:
        return bool(self.recipient_name or self.recipient_affiliation)


def is_family_visible(entry: Entry, *, staff_reads: bool = False) -> bool:
    """Whether the family may see `entry` (which must concern their child) — the policy.

    `staff_reads=True` is the district's choice to show families their own staff's reads
    too (more than R66 requires; `STEWARD_FAMILY_LOG_STAFF_READS`).
    """
    if entry.tombstone:  # destroyed with its record part (R60): nothing left to show
        return False
    rule = ACTION_RULES.get(entry.action)
    if rule is None:
        raise ValueError(f"no family-visibility rule for audit action {entry.action!r}")
    if rule.visibility is Visibility.SHOWN:
        return True
    if rule.visibility is Visibility.HIDDEN:
        return False
    return staff_reads or not (_is_school_personnel(entry) and not entry.release)


def _is_school_personnel(entry: Entry) -> bool:
    return entry.actor_role in SCHOOL_PERSONNEL_ROLES and not entry.actor_affiliation


def family_q(*, staff_reads: bool = False) -> Q:
    """The same policy as `is_family_visible`, as a filter the database can apply first.

    Written as exclusions on purpose: a negated condition cannot use the (action, seq) index,
    so the database reaches the student's entries through the student index alone.
    """
    hidden = [a for a, r in ACTION_RULES.items() if r.visibility is Visibility.HIDDEN]
    unless = [
        a for a, r in ACTION_RULES.items() if r.visibility is Visibility.SHOWN_UNLESS_PERSONNEL
    ]
    personnel_without_release = (
        Q(action__in=unless)
        & Q(actor_role__in=sorted(SCHOOL_PERSONNEL_ROLES))
        & Q(actor_affiliation="")
        & Q(release="")
    )
    shown = Q(tombstone=False) & ~Q(action__in=hidden)
    return shown if staff_reads else shown & ~personnel_without_release


def family_visible(entries: Iterable[Entry], *, staff_reads: bool = False) -> list[FamilyRow]:
    """The rows of `entries` (all concerning one student) the family may see, in order."""
    return [_row(e) for e in entries if is_family_visible(e, staff_reads=staff_reads)]


def family_log(student_id: int, *, staff_reads: bool = False) -> list[FamilyRow]:
    """The family's view of the log of the student with roster primary key `student_id`.

    Newest first. Two queries at most (the entries, through the student index). No
    access check: the caller has established that the viewer is the student's parent or
    the eligible student (R61(1)).
    """
    entries: QuerySet[Entry] = (
        search(student=student_id)
        .filter(family_q(staff_reads=staff_reads))
        .only(*_FIELDS)  # not the client address, request id, hashes or detail
    )
    return family_visible(entries, staff_reads=staff_reads)


_FIELDS = (
    "seq", "tombstone", "at_us", "actor_name", "actor_role", "actor_affiliation", "action",
    "scopes", "purpose", "legitimate_interest", "basis", "release", "subject_count",
    # Read only for disclosures to vendors, for the elements sent; never shown as such.
    "detail",
)  # fmt: skip


def _shared(entry: Entry, recipient: str) -> tuple[str, tuple[str, ...]]:
    """(vendor, plain-language data) of a disclosure to a vendor; ("", ()) otherwise."""
    if entry.action != Action.RELEASE or not entry.detail:
        return "", ()
    try:
        detail = json.loads(entry.detail)
    except ValueError:
        return "", ()
    if not isinstance(detail, dict) or detail.get("channel") not in VENDOR_CHANNELS:
        return "", ()
    pairs = [
        pair for pair in detail.get("elements") or () if isinstance(pair, list) and len(pair) == 2
    ]
    data = tuple(
        f"{group.label} ({', '.join(str(item.label) for item in group.items)})"
        for group in grouped(pairs)
    )
    return recipient or str(detail.get("vendor", "")), data


def _row(entry: Entry) -> FamilyRow:
    release = release_of(entry)
    shared_with, shared_data = _shared(entry, release.recipient_name)
    return FamilyRow(
        at=entry.at,
        actor_name=entry.actor_name,
        actor_position=position_label(entry.actor_role),
        actor_affiliation=entry.actor_affiliation,
        action=entry.action,
        action_label=str(Action(entry.action).label),
        record_parts=tuple(p for p in entry.scopes.split(",") if p),
        purpose=entry.purpose,
        legitimate_interest=entry.legitimate_interest,
        basis=entry.basis,
        releaser_name=release.releaser_name,
        releaser_position=release.releaser_position,
        recipient_name=release.recipient_name,
        recipient_position=release.recipient_position,
        recipient_affiliation=release.recipient_affiliation,
        further_parties=release.further_parties,
        emergency_threat=release.emergency_threat,
        emergency_parties=release.emergency_parties,
        other_students=max(entry.subject_count - 1, 0),
        shared_with=shared_with,
        shared_data=shared_data,
    )
