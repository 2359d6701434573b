"""A complete copy of everything Steward holds about a student, for an access request
(R25: "the entire record regardless of physical location"; R27, R28, R30, R18).

`build(request)` reads every record part, the consent history and the access and disclosure
log as the family sees it, then redacts: the custodial parents' contact data from a
non-custodial parent's copy (R18), and other students from free text (R30). It does not
decide whether the copy may be made, and writes nothing: `actions.do_make_copy` does both and
logs the read naming every part.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from steward.requests import redact
from steward.requests.eligibility import custodial_guardians
from steward.requests.history_tables import consent_tables, family_note_tables, log_table
from steward.requests.models import AccessRequest, Kind, RequesterKind
from steward.requests.record_tables import (
    COPY_SCOPES,
    TRANSCRIPT_SCOPES,
    read_parts,
    record_tables,
)
from steward.requests.tables import Table, plain
from steward.vendors.sdpc import district_name

FORMAT = "steward.record-copy"
VERSION = 1
_CUSTODIAL_CONTACT_COLUMNS = (
    "guardian_email",
    "guardian_phone",
    "guardian_sms",
    "guardian_metadata",
)


@dataclass
class Contents:
    """A copy as tables, with what it is about and the notices printed on it."""

    about: list[tuple[str, str, Any]]  # (key, label, value)
    notices: list[str]
    record: list[Table]
    consents: list[Table]
    log: list[Table]
    scopes: list[str]
    notes: list[Table] = field(default_factory=list)  # the family's statements and additions
    redactions: dict[str, int] = field(default_factory=dict)
    non_custodial: bool = False

    def sections(self) -> list[tuple[str, str, list[Table]]]:
        """(key, title, tables) of each section, in the order people read them."""
        out = [("record", _("The student record"), self.record)]
        if self.notes:
            out.append(("family_notes", _("Statements and material from the family"), self.notes))
        if self.consents:
            out.append(("consent_history", _("Consent history"), self.consents))
        if self.log:
            out.append(("access_log", _("Who accessed or received the record"), self.log))
        return out

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "about": {key: value for key, _label, value in self.about},
            "notices": self.notices,
            "record_parts": self.scopes,
        }
        for key, _title, tables in self.sections():
            data[key] = [t.as_dict() for t in tables]
        data["redactions"] = self.redactions
        return data


def requester_name(req: AccessRequest) -> str:
    if req.requester_kind == RequesterKind.GUARDIAN and req.requester_guardian is not None:
        return req.requester_guardian.display_name
    return req.student.display_name


def about_labels() -> dict[str, str]:
    """The label of each key of a copy's "about" block, in the active language."""
    return {
        "district": _("District"),
        "student": _("Student"),
        "student_number": _("Student number"),
        "request": _("Request"),
        "kind": _("Asked for"),
        "requester": _("Asked by"),
        "received_at": _("Received on"),
        "generated_at": _("Copy made on"),
        "third_party": _("Third party"),
    }


def _about(req: AccessRequest, now: dt.datetime) -> list[tuple[str, str, Any]]:
    student = req.student
    values: list[tuple[str, Any]] = [
        ("district", district_name()),
        ("student", student.display_name),
        ("student_number", student.identifier or student.sourced_id),
        ("request", f"#{req.pk}"),
        ("kind", str(req.get_kind_display())),
        ("requester", requester_name(req)),
        ("received_at", plain(req.received_at)),
        ("generated_at", plain(now)),
    ]
    if req.kind == Kind.THIRD_PARTY:
        values.append(("third_party", req.third_party_name))
    labels = about_labels()
    rows = [(key, labels[key], value) for key, value in values]
    return rows


def _notices(req: AccessRequest) -> list[str]:
    notices = [
        _(
            "Where a record also held information about other students, only the part about "
            "this student is included; other students' names and identifiers are replaced by "
            "“%(marker)s” (34 CFR 99.12(a))."
        )
        % {"marker": redact.other_student_marker()}
    ]
    if req.non_custodial:
        notices.insert(0, non_custodial_notice())
    if req.kind == Kind.TRANSCRIPT:
        notices.append(
            _("This copy holds the transcript only (603 CMR 23.02, 23.07(2)(b); M.G.L. c.71 §34A).")
        )
    return notices


def non_custodial_notice() -> str:
    """The R18 marking printed on every page of a non-custodial parent's copy."""
    return _(
        "Copy for a non-custodial parent (603 CMR 23.07(5)): the custodial parent's addresses, "
        "e-mail addresses and phone numbers are removed. Not to be used to enroll the student "
        "in another school."
    )


def build(req: AccessRequest, now: dt.datetime | None = None) -> Contents:
    """The copy for `req` (whose student and requester guardian should be loaded)."""
    moment = now or timezone.now()
    student = req.student
    transcript = req.kind == Kind.TRANSCRIPT
    scopes = TRANSCRIPT_SCOPES if transcript else COPY_SCOPES
    parts = read_parts(student.pk, scopes)
    contents = Contents(
        about=_about(req, moment),
        notices=_notices(req),
        record=record_tables(student, parts, transcript_only=transcript),
        consents=[] if transcript else consent_tables(student.pk),
        log=[] if transcript else [log_table(student.pk)],
        scopes=list(scopes),
        notes=family_note_tables(student.pk, scopes),
        non_custodial=req.non_custodial,
    )
    if req.non_custodial:
        _remove_custodial_contact(contents, req, parts.get("guardian_contact") or [])
    _redact_other_students(contents, req)
    return contents


def _tables(contents: Contents) -> list[Table]:
    return [t for _key, _title, tables in contents.sections() for t in tables]


def _remove_custodial_contact(contents: Contents, req: AccessRequest, links: list[Any]) -> None:
    """R18: the custodial parents' contact data leaves no trace in the copy."""
    custodial = custodial_guardians(req.student_id, besides=req.requester_guardian_id)
    ids = {g.pk for g in custodial}
    removed = 0
    for table in contents.record:
        if table.key != "guardian_contact":
            continue
        keys = [c.key for c in table.columns]
        for link, row in zip(links, table.rows, strict=True):
            if link.guardian_id not in ids:
                continue
            for key in _CUSTODIAL_CONTACT_COLUMNS:
                if key in keys and row[keys.index(key)] not in (None, "", {}):
                    row[keys.index(key)] = redact.removed_marker()
                    removed += 1
    anywhere = redact.CustodialContact(custodial)
    for table in _tables(contents):
        table.map_cells(lambda _column, value: anywhere.value(value))
    contents.redactions["custodial_contact"] = removed + anywhere.count


def _redact_other_students(contents: Contents, req: AccessRequest) -> None:
    """R30: other students' names and identifiers out of every free-text cell."""
    texts: list[str] = []
    for table in _tables(contents):
        for index, column in enumerate(table.columns):
            if column.free:
                texts.extend(_strings(row[index] for row in table.rows))
    others = redact.OtherStudents.for_texts(req.student, texts)
    for table in _tables(contents):
        table.map_cells(lambda column, value: others.value(value) if column.free else value)
    contents.redactions["other_students"] = others.count


def _strings(values: Any) -> list[str]:
    out: list[str] = []
    for value in values:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            out.extend(_strings(value))
        elif isinstance(value, dict):
            out.extend(_strings(value.values()))
    return out
