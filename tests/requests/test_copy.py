"""The complete copy (R25, R27, R28, R30, R32): every part, the consent history, the family's
log; JSON, CSV and PDF; redaction of other students and, for R18, of the custodial parent."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from steward.audit import ledger
from steward.audit.models import Action, Entry
from steward.catalog.elements import CATALOGUED_MODELS, ELEMENTS, OFFICE_ONLY_MODELS
from steward.consents.actions import do_give_disclosure_consent
from steward.requests import actions, formats
from steward.requests.models import AccessRequest, Kind, RequestCopy, RequestStep
from steward.requests.record_tables import COPY_SCOPES, FREE_TEXT

from .conftest import restrict, submit


def _copy_json(copy: RequestCopy) -> dict[str, Any]:
    return formats.read_json(bytes(copy.archive))


def _tables(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        t["key"]: t
        for section in ("record", "consent_history", "access_log")
        for t in data.get(section, [])
    }


def _made(
    users: SimpleNamespace, district: SimpleNamespace, **kw: Any
) -> tuple[AccessRequest, RequestCopy]:
    req = submit(users.gail, district.ana, **kw)
    return req, actions.do_make_copy(req, users.officer)


def test_the_copy_holds_every_record_part_and_every_catalogued_field(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    _req, copy = _made(users, district)
    data = _copy_json(copy)
    assert data["format"] == "steward.record-copy" and data["record_parts"] == list(COPY_SCOPES)
    keys_by_scope: dict[str, set[str]] = {}
    for table in data["record"]:
        keys_by_scope.setdefault(table["record_part"], set()).update(
            c["key"] for c in table["columns"]
        )
    for element in ELEMENTS:
        if element.model in OFFICE_ONLY_MODELS:  # restriction documents (R17): never in a copy
            continue
        prefix = {"roster.Guardian": "guardian_", "roster.GuardianRelationship": "relationship_"}
        key = prefix.get(element.model, "") + element.field
        assert key in keys_by_scope[element.scope], element.key
    tables = _tables(data)
    incident = tables["discipline"]["rows"][0]
    assert incident["kind"] == "fighting" and incident["reported_by"] == "Tess Turner"
    assert tables["grades_transcript"]["rows"][0]["mark"] == "A"
    assert tables["attendance"]["rows"][0]["note"] == "Dentist"
    columns = {c["key"]: c for c in tables["grades_transcript"]["columns"]}
    assert (
        columns["mark"]["ma_part"] == "transcript" and columns["comment"]["ma_part"] == "temporary"
    )


def test_the_copy_holds_the_consent_history_and_the_familys_log(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    consent = do_give_disclosure_consent(
        district.ana, users.gail, scopes=["grades_transcript"], purpose="Summer camp application",
        recipient="Camp Wanakee", expires_on=dt.date.today() + dt.timedelta(days=30),
        text="I consent to share Ana's grades with Camp Wanakee.",
    )  # fmt: skip
    _req, copy = _made(users, district)
    tables = _tables(_copy_json(copy))
    row = tables["disclosure_consents"]["rows"][0]
    assert row["recipient"] == "Camp Wanakee" and row["records"] == ["grades_transcript"]
    assert consent.pk  # the consent's own entry is in the family's log:
    log = tables["access_and_disclosure_log"]["rows"]
    assert any(r["action"] == Action.CONSENT for r in log)
    assert any(r["purpose"].startswith("access request received") for r in log)


def test_making_the_copy_is_one_logged_read_naming_every_part(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    req, copy = _made(users, district)
    entry = Entry.objects.order_by("-seq").first()
    assert entry is not None and entry.action == Action.READ
    assert entry.actor_user_id == users.officer.pk and entry.subject_student == district.ana.pk
    assert set(entry.scopes.split(",")) == set(COPY_SCOPES)
    assert copy.pdf_sha256 == hashlib.sha256(bytes(copy.pdf)).hexdigest()
    assert copy.archive_sha256 == hashlib.sha256(bytes(copy.archive)).hexdigest()
    assert copy.pdf_sha256 in entry.detail and copy.archive_sha256 in entry.detail
    assert RequestStep.objects.filter(request=req, step="copy_made").count() == 1
    req.refresh_from_db()
    assert req.status == "in_progress" and req.assignee == users.officer


def test_the_zip_holds_json_csv_and_checksums_that_match(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    _req, copy = _made(users, district)
    with zipfile.ZipFile(io.BytesIO(bytes(copy.archive))) as zipped:
        names = zipped.namelist()
        assert names[0] == "copy.json" and names[-1] == "SHA256SUMS"
        assert (
            "record/discipline.csv" in names and "access_log/access_and_disclosure_log.csv" in names
        )
        for line in zipped.read("SHA256SUMS").decode().splitlines():
            digest, name = line.split("  ")
            assert hashlib.sha256(zipped.read(name)).hexdigest() == digest
        rows = list(
            csv.DictReader(io.StringIO(zipped.read("record/discipline.csv").decode("utf-8-sig")))
        )
    assert rows[0]["kind"] == "fighting"


def test_the_pdf_is_readable_text_with_the_student_and_the_labels(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    _req, copy = _made(users, district)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(copy.pdf))).pages)
    assert "Copy of the student record" in text and "Ana Avery" in text
    assert "Description of the incident" in text and "Dentist" in text
    assert "non-custodial" not in text


def test_other_students_named_in_free_text_are_redacted(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    _req, copy = _made(users, district)
    data = _copy_json(copy)
    description = _tables(data)["discipline"]["rows"][0]["description"]
    assert (
        description
        == "Pushed [another student] ([another student]) at recess; [another student] saw it."
    )
    assert data["redactions"]["other_students"] == 3
    text = json.dumps(data, ensure_ascii=False)
    for other in (district.ben, district.cal, district.dee):
        for value in (other.given_name, other.family_name, other.sourced_id, other.identifier):
            assert not value or value not in text, value
    assert "Ana" in text and "Gail Avery" in text  # the student and her family stay


def test_a_ledger_entry_naming_several_students_shows_only_this_one(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    others = [district.ben, district.cal]
    ledger.record(
        action=Action.RELEASE,
        students=[district.ana.pk, *(s.pk for s in others)],
        purpose="Field trip roster for Ana, Ben Brown and Cal Cole",
        detail={"students": [s.sourced_id for s in others], "names": ["Ben Brown", "Cal Cole"]},
        release=ledger.Release("Tess Turner", "teacher", "user:1", "Museum of Science"),
    )
    _req, copy = _made(users, district)
    data = _copy_json(copy)
    row = next(
        r for r in _tables(data)["access_and_disclosure_log"]["rows"] if r["action"] == "release"
    )
    assert row["other_students"] == 2
    assert row["purpose"] == "Field trip roster for Ana, [another student] and [another student]"
    text = json.dumps(data, ensure_ascii=False)
    for other in others:
        assert other.sourced_id not in text and str(other.pk) not in _ids_in(data)


def _ids_in(data: dict[str, Any]) -> set[str]:
    return {str(v) for v in json.dumps(data).split('"') if v.isdigit()}


def test_every_free_text_field_of_the_record_is_searched_for_other_students() -> None:
    from django.apps import apps
    from django.db import models

    for label in sorted(set(CATALOGUED_MODELS) - OFFICE_ONLY_MODELS):
        model = apps.get_model(label)
        for element in (e for e in ELEMENTS if e.model == label):
            field = model._meta.get_field(element.field)
            if isinstance(field, models.TextField | models.JSONField):
                assert (label, element.field) in FREE_TEXT, element.key


def test_a_transcript_copy_holds_only_the_transcript(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    young = User.objects.create_user(username="ana")
    from steward.accounts.models import Account

    Account.objects.create(user=young, role=Account.Role.STUDENT, student=district.ana)
    req = submit(young, district.ana, Kind.TRANSCRIPT)
    data = _copy_json(actions.do_make_copy(req, users.officer))
    parts = {t["record_part"] for t in data["record"]}
    assert "discipline" not in parts and "health" not in parts and "grades_transcript" in parts
    assert all(c.get("ma_part") == "transcript" for t in data["record"] for c in t["columns"])
    assert "consent_history" not in data and "access_log" not in data


def test_a_copy_is_made_only_by_the_office_for_an_open_request_of_an_entitled_requester(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    req = submit(users.gail, district.ana)
    with pytest.raises(PermissionDenied):
        actions.do_make_copy(req, users.teacher)
    restrict(district.gail.relationships.get(student=district.ana))
    with pytest.raises(ValidationError, match="no longer holds the right"):
        actions.do_make_copy(req, users.officer)
    assert not RequestCopy.objects.exists()


def test_a_failed_copy_leaves_no_trace(
    users: SimpleNamespace, district: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    req = submit(users.gail, district.ana)
    before = Entry.objects.count()

    def broken(_contents: object) -> bytes:
        raise RuntimeError("disk full")

    monkeypatch.setattr("steward.requests.copy_pdf.render", broken)
    with pytest.raises(RuntimeError):
        actions.do_make_copy(req, users.officer)
    req.refresh_from_db()
    assert req.status == "received" and req.assignee is None
    assert not RequestCopy.objects.exists() and Entry.objects.count() == before


def test_the_copy_carries_the_material_the_family_added_to_the_record(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    from steward.amendments.actions.family import do_add_material

    do_add_material(
        district.ana,
        users.gail,
        scope="attendance",
        title="Doctor's note for March",
        text="Ana was absent on doctor's orders from 3 to 7 March.",
    )
    _req, copy = _made(users, district)
    data = _copy_json(copy)
    (added,) = data["family_notes"]
    assert added["key"] == "family_additions"
    (row,) = added["rows"]
    assert row["record_part"] == "attendance" and row["title"] == "Doctor's note for March"
    assert "doctor's orders" in row["text"]


def test_a_copy_without_family_notes_has_no_such_section(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    _req, copy = _made(users, district)
    assert "family_notes" not in _copy_json(copy)
