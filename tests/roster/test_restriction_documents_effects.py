"""What a restriction document means beyond its own pages (R17, R25, R100, R116; #10 item 3):
a roster import cannot lift it, key rotation re-encrypts it, retention destroys it with the
temporary record, and it is never part of a family's copy of the record."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from pypdf import PdfReader

from steward.audit.models import Action, Entry
from steward.requests import actions as requests
from steward.requests import formats
from steward.retention import destroy
from steward.roster import actions_restrictions as actions
from steward.roster.importer import ImportResult
from steward.roster.models import GuardianRelationship
from steward.roster.models_restrictions import RestrictionDocument
from steward.security.crypto_columns import Column
from steward.security.keys import parse_key
from tests.security.crypto_support import KEY_A, KEY_B, crypto_keys, raw
from tests.web import factories as f

from .fixtures import package
from .restriction_support import NOTE, REASON, file_document, pdf, rd_world

__all__ = ["crypto_keys", "rd_world"]

COLUMNS = ("content", "filename", "note", "withdrawn_reason")


def _link(guardian: str, student: str) -> GuardianRelationship:
    return GuardianRelationship.objects.get(
        guardian__sourced_id=guardian, student__sourced_id=student
    )


def test_a_roster_import_cannot_lift_a_restriction_with_a_document_on_file(
    seeded: ImportResult, import_pkg: Callable[..., ImportResult]
) -> None:
    officer = f.login("olivia", "privacy_officer")
    doc = file_document(_link("par1", "stu1"), officer)
    # The student information system still says par1 is restricted from nothing.
    import_pkg(package("1.1").set("users", "par1", "givenName", "Paula"))
    assert _link("par1", "stu1").access_restricted
    assert not _link("par1", "stu2").access_restricted  # the other child: no document
    actions.do_withdraw_restriction_document(doc, REASON, lift=True, by=officer)
    import_pkg(package("1.1"))
    assert not _link("par1", "stu1").access_restricted  # withdrawn: the SIS decides again


def test_rotation_re_encrypts_every_column_of_the_documents_and_check_counts_them(
    rd_world: SimpleNamespace, crypto_keys: Any
) -> None:
    w = rd_world
    doc = file_document(w.nick_link, w.officer)
    actions.do_withdraw_restriction_document(doc, REASON, by=w.officer)
    key_a, key_b = (parse_key(k, source="test").id for k in (KEY_A, KEY_B))

    def key_ids() -> set[bytes | None]:
        return {
            Column.of(RestrictionDocument._meta.get_field(c)).key_id(
                raw(RestrictionDocument, c, doc.pk)
            )
            for c in COLUMNS
        }

    assert key_ids() == {key_a}
    crypto_keys.STEWARD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    call_command("rotate_keys", stdout=io.StringIO(), stderr=io.StringIO())
    assert key_ids() == {key_b}
    [entry] = Entry.objects.filter(action=Action.SECURITY)
    columns = json.loads(entry.detail)["columns"]
    for column in COLUMNS:
        assert columns[f"roster_restrictiondocument.{column}"]["reencrypted"] == 1, column
    crypto_keys.STEWARD_ENCRYPTION_KEYS = [KEY_B]  # the old key can go
    again = RestrictionDocument.objects.get(pk=doc.pk)
    assert bytes(again.content) == pdf() and again.note == NOTE and again.withdrawn_reason == REASON
    out = io.StringIO()
    call_command("rotate_keys", "--check", stdout=out, stderr=io.StringIO())
    assert f"roster_restrictiondocument.content: {key_b.hex()}: 1" in out.getvalue()


def test_the_temporary_record_takes_the_documents_and_leaves_the_restriction(
    rd_world: SimpleNamespace,
) -> None:
    w = rd_world
    file_document(w.nick_link, w.officer)
    file_document(w.nick_ben, w.officer)
    outcome = destroy.guardians_temporary(w.ana.pk)
    assert outcome.removed["documents restricting a parent's access (court orders)"] == 1
    assert list(RestrictionDocument.objects.values_list("link", flat=True)) == [w.nick_ben.pk]
    assert GuardianRelationship.objects.get(pk=w.nick_link.pk).access_restricted
    destroy.guardians_transcript(w.ben.pk)  # the transcript first: the documents go with it
    assert not RestrictionDocument.objects.exists()
    assert not GuardianRelationship.objects.filter(student=w.ben).exists()


def test_no_copy_of_the_record_holds_a_restriction_document(rd_world: SimpleNamespace) -> None:
    w = rd_world
    doc = file_document(w.nick_link, w.officer)
    req = requests.do_submit_request(w.gail_user, w.ana, "copy")
    copy = requests.do_make_copy(req, w.officer)
    text = json.dumps(formats.read_json(bytes(copy.archive)), ensure_ascii=False)
    text += "".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(copy.pdf))).pages)
    for secret in ("Middlesex", NOTE[:20], "order 2026", doc.sha256, "restraining"):
        assert secret not in text, secret
    assert "Nick" in text  # the parent is listed as a parent; the order about him is not
    with pytest.raises((ValidationError, PermissionDenied)):
        requests.do_submit_request(w.nick_user, w.ana, "copy")  # and he cannot ask at all
