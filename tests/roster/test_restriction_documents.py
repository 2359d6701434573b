"""Guardian restriction documents (R17, R116; #10 item 3): stored encrypted, filed and withdrawn
only through their actions, each with ledger entries that name the student and the parent but
never what the document says; filing one restricts the parent in the same transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from steward.audit.models import Action, Entry
from steward.roster import actions_restrictions as actions
from steward.roster import version
from steward.roster.models import GuardianRelationship
from steward.roster.models_restrictions import RestrictionDocument
from steward.security import crypto
from tests.security.crypto_support import raw

from .restriction_support import NOTE, REASON, SECRET_TEXT, file_document, pdf, rd_world

__all__ = ["rd_world"]


def _entries() -> list[Entry]:
    """The entries of the actions under test (the portal's own reads left out)."""
    return list(Entry.objects.exclude(actor_role="guardian").order_by("seq"))


def _portal_status(client: Client, user: Any, student_pk: int) -> int:
    client.force_login(user)
    return client.get(f"/portal/children/{student_pk}/").status_code


def test_the_database_holds_no_plaintext_of_the_document_its_name_note_or_reason(
    rd_world: SimpleNamespace,
) -> None:
    w = rd_world
    doc = file_document(w.nick_link, w.officer)
    actions.do_withdraw_restriction_document(doc, REASON, by=w.officer)
    stored = {
        column: raw(RestrictionDocument, column, doc.pk)
        for column in ("content", "note", "filename", "withdrawn_reason")
    }
    blob = bytes(stored["content"])
    assert blob.startswith(crypto.MAGIC) and SECRET_TEXT not in blob and b"%PDF" not in blob
    for column in ("note", "filename", "withdrawn_reason"):
        assert str(stored[column]).startswith(crypto.TEXT_PREFIX), column
    text = json.dumps({k: str(v) for k, v in stored.items()})
    assert "shelter" not in text and "Vacated" not in text and "order 2026" not in text
    again = RestrictionDocument.objects.get(pk=doc.pk)
    assert bytes(again.content) == pdf() and again.note == NOTE
    assert again.filename == "order 2026.pdf" and again.withdrawn_reason == REASON
    assert again.size == len(pdf()) and again.sha256 == hashlib.sha256(pdf()).hexdigest()


def test_filing_a_document_restricts_the_parent_and_closes_the_portal_in_one_step(
    rd_world: SimpleNamespace, client: Client
) -> None:
    w = rd_world
    assert _portal_status(client, w.nick_user, w.ana.pk) == 200
    stamp = version.current()
    doc = file_document(w.nick_link, w.officer)
    w.nick_link.refresh_from_db()
    assert w.nick_link.access_restricted and doc.link_id == w.nick_link.pk
    assert version.current() != stamp  # every worker's access index rebuilds
    assert _portal_status(client, w.nick_user, w.ana.pk) == 404
    assert _portal_status(client, w.nick_user, w.ben.pk) == 200  # the order names Ana only
    filed, restricted = _entries()
    assert (filed.action, restricted.action) == (Action.CREATE, Action.CHANGE)
    for entry in (filed, restricted):
        assert entry.subject_student == w.ana.pk and entry.scopes == "guardian_contact"
        assert entry.actor_user_id == w.officer.pk
        detail = json.loads(entry.detail)
        assert detail["guardian"] == w.nick.pk and detail["relationship"] == w.nick_link.pk
        text = entry.detail + entry.purpose
        assert "shelter" not in text and "Middlesex" not in text and "order 2026" not in text
    assert json.loads(filed.detail)["sha256"] == doc.sha256


def test_a_second_document_for_a_restricted_parent_changes_nothing_else(
    rd_world: SimpleNamespace,
) -> None:
    w = rd_world
    file_document(w.rex_link, w.officer)
    assert [e.action for e in _entries()] == [Action.CREATE]  # already restricted by the SIS
    assert GuardianRelationship.objects.get(pk=w.rex_link.pk).access_restricted


def test_a_failure_after_the_restriction_rolls_back_the_document_and_the_restriction(
    rd_world: SimpleNamespace, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = rd_world
    stamp = version.current()
    real = actions._log

    def failing(action: str, *args: Any) -> None:
        if action == Action.CHANGE:  # after the document and the restriction are written
            raise RuntimeError("the disk is full")
        real(action, *args)

    monkeypatch.setattr(actions, "_log", failing)
    with pytest.raises(RuntimeError):
        file_document(w.nick_link, w.officer)
    assert not RestrictionDocument.objects.exists() and not Entry.objects.exists()
    assert not GuardianRelationship.objects.get(pk=w.nick_link.pk).access_restricted
    assert version.current() == stamp
    assert _portal_status(client, w.nick_user, w.ana.pk) == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"MZ\x90\x00 a program renamed .pdf", "only PDF documents are accepted"),
        (b"<html><script>alert(1)</script>", "only PDF documents are accepted"),
        (pdf(size=2048), "larger than 1 MB"),
    ],
)
def test_an_empty_foreign_or_oversized_file_is_refused_and_nothing_is_stored(
    rd_world: SimpleNamespace, settings: Any, data: bytes, message: str
) -> None:
    settings.STEWARD_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match=message):
        file_document(rd_world.nick_link, rd_world.officer, data)
    assert not RestrictionDocument.objects.exists() and not Entry.objects.exists()
    assert not GuardianRelationship.objects.get(pk=rd_world.nick_link.pk).access_restricted


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "rumour"}, "kind"),
        ({"issuer": "  "}, "issuer"),
        ({"issued_on": dt.date(2999, 1, 1), "expires_on": None}, "issued_on"),
        ({"expires_on": dt.date(2000, 1, 1)}, "expires_on"),
    ],
)
def test_particulars_that_make_no_sense_are_refused_by_field(
    rd_world: SimpleNamespace, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        file_document(rd_world.nick_link, rd_world.officer, **changes)
    assert field in refused.value.message_dict
    assert not RestrictionDocument.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "gail_user", "nick_user"])
def test_only_the_privacy_office_files_or_withdraws_documents(
    rd_world: SimpleNamespace, who: str
) -> None:
    w = rd_world
    with pytest.raises(PermissionDenied):
        file_document(w.nick_link, getattr(w, who))
    doc = file_document(w.nick_link, w.officer)
    with pytest.raises(PermissionDenied):
        actions.do_withdraw_restriction_document(doc, REASON, by=getattr(w, who))
    assert RestrictionDocument.objects.get(pk=doc.pk).withdrawn_at is None


def test_withdrawing_keeps_the_restriction_unless_the_office_lifts_it(
    rd_world: SimpleNamespace, client: Client
) -> None:
    w = rd_world
    first = file_document(w.nick_link, w.officer)
    second = file_document(w.nick_link, w.officer)
    actions.do_withdraw_restriction_document(first, REASON, by=w.officer)
    done = RestrictionDocument.objects.get(pk=first.pk)
    assert done.withdrawn_at is not None and done.withdrawn_by == w.officer
    assert GuardianRelationship.objects.get(pk=w.nick_link.pk).access_restricted
    with pytest.raises(ValidationError, match="already withdrawn"):
        actions.do_withdraw_restriction_document(first, REASON, by=w.officer)
    with pytest.raises(ValidationError, match="Say why"):
        actions.do_withdraw_restriction_document(second, "  ", lift=True, by=w.officer)
    before = Entry.objects.count()
    actions.do_withdraw_restriction_document(second, REASON, lift=True, by=w.officer)
    assert not GuardianRelationship.objects.get(pk=w.nick_link.pk).access_restricted
    assert _portal_status(client, w.nick_user, w.ana.pk) == 200
    withdrawn, restored = _entries()[before:]
    assert (withdrawn.action, restored.action) == (Action.CHANGE, Action.CHANGE)
    assert json.loads(restored.detail)["event"] == "access_restored"
    assert REASON not in withdrawn.detail and withdrawn.subject_student == w.ana.pk


def test_access_is_not_given_back_while_another_document_is_on_file(
    rd_world: SimpleNamespace,
) -> None:
    w = rd_world
    first = file_document(w.nick_link, w.officer)
    file_document(w.nick_link, w.officer)
    count = Entry.objects.count()
    with pytest.raises(ValidationError) as refused:
        actions.do_withdraw_restriction_document(first, REASON, lift=True, by=w.officer)
    assert "lift" in refused.value.message_dict
    assert RestrictionDocument.objects.get(pk=first.pk).withdrawn_at is None
    assert GuardianRelationship.objects.get(pk=w.nick_link.pk).access_restricted
    assert Entry.objects.count() == count
