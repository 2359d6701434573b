"""The family's choices and the access and disclosure log, as tables for the copy (R25, R32).

- Consent history: directory-information opt-outs and their withdrawals (R21, R86), consents
  to disclose and their revocations (R45–R50), media releases with each use allowed or not and
  each withdrawal (R128–R134), event releases (R130) and where the student's media was
  published and taken down (R134).
- The access and disclosure log exactly as the family reads it in the portal
  (`steward.audit.family.family_log`, R61, R66): a ledger entry naming several students shows
  only this student and a count of the others (R30).

A fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from steward.access.views import SCOPE_LABELS
from steward.audit.family import family_log
from steward.audit.models import Action
from steward.consents.models import (
    DirectoryOptOut,
    DisclosureConsent,
    MadeBy,
    Method,
)
from steward.media.models import (
    EventRelease,
    MediaChoice,
    MediaRevocation,
    PublishedStudent,
    SignerKind,
)
from steward.media.models import Method as MediaMethod
from steward.requests.tables import Column, Table, plain


def _labels(choices: Iterable[tuple[Any, Any]]) -> dict[str, str]:
    return {str(k): str(v) for k, v in choices}


def _name(person: object | None) -> str | None:
    return getattr(person, "display_name", None) if person is not None else None


def _opt_outs(student_id: int) -> Table:
    table = Table(
        "directory_opt_outs",
        _("Directory information opt-outs"),
        [
            Column("made_at", _("Made on")),
            Column("covers", _("Covers"), choices=_labels(DirectoryOptOut.Kind.choices)),
            Column("category", _("Category")),
            Column("made_by", _("Made by"), choices=_labels(MadeBy.choices)),
            Column("signer", _("Signed by")),
            Column("method", _("How"), choices=_labels(Method.choices)),
            Column("withdrawn_at", _("Withdrawn on")),
        ],
    )
    rows = (
        DirectoryOptOut.objects.filter(student_id=student_id)
        .select_related("category", "guardian", "withdrawal")
        .order_by("made_at", "pk")
    )
    for row in rows:
        withdrawal = getattr(row, "withdrawal", None)
        table.rows.append(
            [
                plain(row.made_at),
                row.kind,
                row.category.label if row.category is not None else None,
                row.made_by,
                _name(row.guardian),
                row.method,
                plain(withdrawal.withdrawn_at) if withdrawal is not None else None,
            ]
        )
    return table


def _consents(student_id: int) -> Table:
    table = Table(
        "disclosure_consents",
        _("Consents to disclose"),
        [
            Column("signed_at", _("Signed on")),
            Column("records", _("Records"), choices=_labels(SCOPE_LABELS.items())),
            Column("purpose", _("Purpose"), free=True),
            Column("recipient", _("Recipient"), free=True),
            Column("expires_on", _("Expires on")),
            Column("made_by", _("Made by"), choices=_labels(MadeBy.choices)),
            Column("signer", _("Signed by")),
            Column("method", _("How"), choices=_labels(Method.choices)),
            Column("revoked_at", _("Revoked on")),
            Column("text", _("Text signed"), free=True),
        ],
    )
    rows = (
        DisclosureConsent.objects.filter(student_id=student_id)
        .select_related("guardian", "revocation")
        .order_by("signed_at", "pk")
    )
    for row in rows:
        revocation = getattr(row, "revocation", None)
        table.rows.append(
            [
                plain(row.signed_at),
                [str(s) for s in row.scopes],
                row.purpose,
                row.recipient,
                plain(row.expires_on),
                row.made_by,
                _name(row.guardian),
                row.method,
                plain(revocation.revoked_at) if revocation is not None else None,
                row.text,
            ]
        )
    return table


def _media(student_id: int) -> Table:
    table = Table(
        "media_releases",
        _("Media releases"),
        [
            Column("school_year", _("School year")),
            Column("signed_at", _("Signed on")),
            Column("signer_kind", _("Signed by"), choices=_labels(SignerKind.choices)),
            Column("signer", _("Signer")),
            Column("method", _("How"), choices=_labels(MediaMethod.choices)),
            Column("use", _("Use")),
            Column("allowed", _("Allowed")),
            Column("withdrawn_at", _("Withdrawn on")),
        ],
    )
    withdrawn = dict(
        (((release, use), when))
        for release, use, when in MediaRevocation.objects.filter(
            release__student_id=student_id
        ).values_list("release_id", "use_id", "revoked_at")
    )
    choices = (
        MediaChoice.objects.filter(release__student_id=student_id)
        .select_related("release", "release__signer_guardian", "use")
        .order_by("release__signed_at", "release_id", "use__order", "use__key")
    )
    for choice in choices:
        release = choice.release
        table.rows.append(
            [
                release.school_year,
                plain(release.signed_at),
                release.signer_kind,
                _name(release.signer_guardian),
                release.method,
                choice.use.display_label,
                choice.allowed,
                plain(withdrawn.get((release.pk, choice.use_id))),
            ]
        )
    return table


def _events(student_id: int) -> Table:
    table = Table(
        "event_releases",
        _("Event releases"),
        [
            Column("event", _("Event"), free=True),
            Column("event_date", _("Date of the event")),
            Column("allowed", _("Allowed")),
            Column("signed_at", _("Answered on")),
            Column("signer", _("Signed by")),
        ],
    )
    rows = (
        EventRelease.objects.filter(student_id=student_id)
        .select_related("request", "signer_guardian")
        .order_by("signed_at", "pk")
    )
    for row in rows:
        table.rows.append(
            [
                row.request.title,
                plain(row.request.date),
                row.allowed,
                plain(row.signed_at),
                _name(row.signer_guardian),
            ]
        )
    return table


def _published(student_id: int) -> Table:
    table = Table(
        "media_published",
        _("Where the student's media was published"),
        [
            Column("title", _("Title"), free=True),
            Column("use", _("Use")),
            Column("location", _("Where"), free=True),
            Column("published_at", _("Published on")),
            Column("taken_down_at", _("Taken down on")),
        ],
    )
    rows = (
        PublishedStudent.objects.filter(student_id=student_id)
        .select_related("item", "item__use", "item__take_down")
        .order_by("item__published_at", "pk")
    )
    for row in rows:
        item = row.item
        down = getattr(item, "take_down", None)
        table.rows.append(
            [
                item.title,
                item.use.display_label,
                item.location,
                plain(item.published_at),
                plain(down.taken_down_at) if down is not None else None,
            ]
        )
    return table


def consent_tables(student_id: int) -> list[Table]:
    """The student's consent history, oldest first in each table. Seven queries."""
    return [
        _opt_outs(student_id),
        _consents(student_id),
        _media(student_id),
        _events(student_id),
        _published(student_id),
    ]


LOG_COLUMNS = (
    ("at", lambda: _("When")),
    ("actor_name", lambda: _("Who")),
    ("actor_position", lambda: _("Position")),
    ("actor_affiliation", lambda: _("Affiliation")),
    ("action", lambda: _("What")),
    ("record_parts", lambda: _("Parts of the record")),
    ("purpose", lambda: _("Purpose")),
    ("legitimate_interest", lambda: _("Reason")),
    ("basis", lambda: _("Legal basis")),
    ("releaser_name", lambda: _("Released by")),
    ("releaser_position", lambda: _("Position of the releaser")),
    ("recipient_name", lambda: _("Recipient")),
    ("recipient_position", lambda: _("Position of the recipient")),
    ("recipient_affiliation", lambda: _("Affiliation of the recipient")),
    ("further_parties", lambda: _("Further parties")),
    ("emergency_threat", lambda: _("Emergency: the threat")),
    ("emergency_parties", lambda: _("Emergency: parties told")),
    ("other_students", lambda: _("Other students in the same entry")),
    ("shared_with", lambda: _("Shared with")),
    ("shared_data", lambda: _("Data shared")),
)


# Free text of a ledger entry that may name another student (R30); who acted and released is
# staff or a family member of this student, never another student.
LOG_FREE = frozenset(
    {
        "purpose",
        "legitimate_interest",
        "recipient_name",
        "recipient_position",
        "recipient_affiliation",
        "further_parties",
        "emergency_threat",
        "emergency_parties",
        "shared_data",
    }
)


def log_table(student_id: int) -> Table:
    """The access and disclosure log as the family sees it, newest first (R61, R66)."""
    codes = {**_labels(Action.choices), **_labels(SCOPE_LABELS.items())}
    columns = [
        Column(
            key,
            label(),
            choices=codes if key in ("action", "record_parts") else {},
            free=key in LOG_FREE,
        )
        for key, label in LOG_COLUMNS
    ]
    table = Table("access_and_disclosure_log", _("Access and disclosure log"), columns)
    rows = family_log(student_id, staff_reads=settings.STEWARD_FAMILY_LOG_STAFF_READS)
    for row in rows:
        values = {
            **{key: getattr(row, key, None) for key, _label in LOG_COLUMNS},
            "further_parties": [f"{name}: {interest}" for name, interest in row.further_parties],
        }
        table.rows.append([plain(values[key]) for key, _label in LOG_COLUMNS])
    return table


# Family statements and additions (R35, R37): disclosed with the record parts they concern.
STATEMENT_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("record_part", lambda: _("Record part")),
    ("item", lambda: _("Contested item")),
    ("record_said", lambda: _("What the record said")),
    ("statement", lambda: _("The family's statement")),
    ("by", lambda: _("By")),
    ("placed", lambda: _("Placed on")),
)
ADDITION_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("record_part", lambda: _("Record part")),
    ("title", lambda: _("Title")),
    ("text", lambda: _("Text")),
    ("document", lambda: _("Document")),
    ("document_sha256", lambda: _("Document SHA-256")),
    ("by", lambda: _("By")),
    ("added", lambda: _("Added on")),
)


def family_note_tables(student_id: int, scopes: Iterable[str]) -> list[Table]:
    """The family's statements on contested items and the material they added, for the record
    parts in `scopes` (R35: a statement goes wherever its item goes; R37). Empty tables are
    left out. Free text: another student may be named in it (R30)."""
    from steward.amendments.selectors import disclosure_rows

    statements, additions = disclosure_rows(student_id, scopes)
    out = []
    for key, title, spec, rows, free in (
        ("family_statements", _("Statements of the family"), STATEMENT_COLUMNS, statements,
         {"record_said", "statement"}),
        ("family_additions", _("Material the family added"), ADDITION_COLUMNS, additions,
         {"title", "text"}),
    ):  # fmt: skip
        if not rows:
            continue
        codes = _labels(SCOPE_LABELS.items())
        table = Table(
            key,
            title,
            [
                Column(k, label(), choices=codes if k == "record_part" else {}, free=k in free)
                for k, label in spec
            ],
        )
        for row in rows:
            table.rows.append([plain(row.get(k, "")) for k, _label in spec])
        out.append(table)
    return out
