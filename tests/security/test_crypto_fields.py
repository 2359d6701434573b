"""Encryption at rest of the most sensitive record parts (R116, R118; #10 item 3).

Health notes and alerts, IEP/504 plan summaries and accommodations, and the families' record
copies are stored encrypted: the raw column (read with a cursor, around the ORM) never holds
the plaintext, whoever wrote it (ORM, bulk_create, update, `steward.sqlbulk`).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import FieldError, ValidationError
from django.utils import timezone

from steward import sqlbulk
from steward.records import parts
from steward.records.models import Accommodation, EducationPlan, HealthAlert, HealthNote
from steward.requests.models import RequestCopy
from steward.requests.views_files import copy_response
from steward.security import crypto
from steward.security.fields import FieldDecryptionError
from steward.security.keys import parse_key
from tests.security.crypto_support import (
    KEY_A,
    KEY_C,
    crypto_keys,
    crypto_rows,
    encrypted_cells,
    put_raw,
    raw,
)

__all__ = ["crypto_keys", "crypto_rows"]  # fixtures used by name below


def _holds_plaintext(stored: Any, plain: Any) -> bool:
    if isinstance(plain, str):
        assert isinstance(stored, str)
        return plain in stored or not stored.startswith(crypto.TEXT_PREFIX)
    data = bytes(stored)
    return bytes(plain) in data or not data.startswith(crypto.MAGIC)


def test_the_database_never_holds_the_plaintext_of_an_encrypted_column(
    crypto_rows: SimpleNamespace,
) -> None:
    for model, column, pk, plain in encrypted_cells(crypto_rows):
        assert not _holds_plaintext(raw(model, column, pk), plain), (model, column)


def test_the_orm_reads_the_plaintext_back(crypto_rows: SimpleNamespace) -> None:
    note = HealthNote.objects.get(pk=crypto_rows.note.pk)
    assert note.text == "Asthma attack at recess."
    assert list(HealthAlert.objects.values_list("text", flat=True)) == ["Peanuts: EpiPen in office"]
    assert EducationPlan.objects.values("summary").get()["summary"] == (
        "504 plan for type 1 diabetes."
    )
    copy = RequestCopy.objects.get(pk=crypto_rows.copy.pk)
    assert (bytes(copy.pdf), bytes(copy.archive)) == (crypto_rows.pdf, crypto_rows.archive)


def test_the_family_downloads_the_plaintext_copy(crypto_rows: SimpleNamespace) -> None:
    copy = crypto_rows.copy
    reply = copy_response(copy.request, copy.pk, "pdf")
    assert reply.content == crypto_rows.pdf


def test_raw_sql_writers_encrypt_too(crypto_rows: SimpleNamespace) -> None:
    """`steward.sqlbulk` is how the records synthesizer and the importers write."""
    ana = crypto_rows.ana
    sqlbulk.insert(
        HealthNote,
        ("student", "date", "author", "text"),
        [(ana.pk, timezone.localdate(), None, "Nosebleed, sent home.")],
    )
    sqlbulk.insert(
        Accommodation,
        ("plan", "student", "text", "setting"),
        [(crypto_rows.plan.pk, ana.pk, "Large-print tests", "testing")],
    )
    note = HealthNote.objects.latest("pk")
    assert not _holds_plaintext(raw(HealthNote, "text", note.pk), "Nosebleed")
    assert note.text == "Nosebleed, sent home."
    sqlbulk.update(HealthNote, ["text"], [("Nosebleed, stayed.", note.pk)])
    assert not _holds_plaintext(raw(HealthNote, "text", note.pk), "stayed")
    assert HealthNote.objects.get(pk=note.pk).text == "Nosebleed, stayed."
    line = Accommodation.objects.latest("pk")
    assert not _holds_plaintext(raw(Accommodation, "text", line.pk), "Large-print")


def test_bulk_create_and_queryset_update_encrypt(crypto_rows: SimpleNamespace) -> None:
    ana, today = crypto_rows.ana, timezone.localdate()
    [made] = HealthNote.objects.bulk_create(
        [HealthNote(student=ana, date=today, text="Flu symptoms.")]
    )
    pk = made.pk or HealthNote.objects.latest("pk").pk
    assert not _holds_plaintext(raw(HealthNote, "text", pk), "Flu")
    HealthNote.objects.filter(pk=pk).update(text="Flu, fever 101F.")
    assert not _holds_plaintext(raw(HealthNote, "text", pk), "fever")
    assert HealthNote.objects.get(pk=pk).text == "Flu, fever 101F."


def test_equal_texts_are_stored_differently(crypto_rows: SimpleNamespace) -> None:
    """Random nonces: the database cannot even tell two equal notes apart."""
    ana, today = crypto_rows.ana, timezone.localdate()
    one = HealthNote.objects.create(student=ana, date=today, text="Headache.")
    two = HealthNote.objects.create(student=ana, date=today, text="Headache.")
    assert raw(HealthNote, "text", one.pk) != raw(HealthNote, "text", two.pk)


def test_it_refuses_to_search_an_encrypted_column(crypto_rows: SimpleNamespace) -> None:
    with pytest.raises(FieldError):
        list(HealthNote.objects.filter(text="Asthma attack at recess."))
    with pytest.raises(FieldError):
        list(HealthAlert.objects.filter(text__icontains="peanut"))
    assert HealthNote.objects.filter(text__isnull=False).count() == 1


def test_the_alert_length_limit_still_holds(crypto_rows: SimpleNamespace) -> None:
    alert = HealthAlert(student=crypto_rows.ana, kind="allergy", text="x" * 501, severity="mild")
    with pytest.raises(ValidationError) as raised:
        alert.full_clean()
    assert "text" in raised.value.message_dict


def test_a_value_moved_to_another_column_does_not_decrypt(crypto_rows: SimpleNamespace) -> None:
    """Someone with write access to the database but not the key copies a health note into a
    column teachers see: it fails instead of showing."""
    put_raw(
        Accommodation,
        "text",
        crypto_rows.accommodations[0].pk,
        raw(HealthNote, "text", crypto_rows.note.pk),
    )
    with pytest.raises(FieldDecryptionError) as raised:
        list(Accommodation.objects.values_list("text", flat=True))
    message = str(raised.value)
    assert "records_accommodation" in message and "column text" in message
    assert "does not authenticate" in message


def test_a_value_under_an_unknown_key_names_table_row_and_column(
    crypto_rows: SimpleNamespace, crypto_keys: Any
) -> None:
    crypto_keys.STEWARD_ENCRYPTION_KEYS = [KEY_C]
    stray = HealthNote.objects.create(
        student=crypto_rows.ana, date=timezone.localdate(), text="Written under key C."
    )
    crypto_keys.STEWARD_ENCRYPTION_KEYS = [KEY_A]
    with pytest.raises(FieldDecryptionError) as raised:
        HealthNote.objects.get(pk=stray.pk)
    message = str(raised.value)
    assert f"table records_healthnote, row {stray.pk}, column text" in message
    assert parse_key(KEY_C, source="test").hex_id in message
    assert "Written under key C" not in message


def test_plaintext_written_around_the_field_is_refused_on_read(
    crypto_rows: SimpleNamespace,
) -> None:
    put_raw(HealthAlert, "text", crypto_rows.alert.pk, "Bee stings")
    with pytest.raises(FieldDecryptionError, match="not encrypted"):
        HealthAlert.objects.get(pk=crypto_rows.alert.pk)


def test_the_accommodations_summary_sorts_and_merges_lines_in_python(
    crypto_rows: SimpleNamespace,
) -> None:
    """The database can no longer sort or de-duplicate the encrypted text."""
    today = timezone.localdate()
    iep = EducationPlan.objects.create(
        student=crypto_rows.ana,
        kind="iep",
        start_date=today - dt.timedelta(days=10),
        end_date=today + dt.timedelta(days=10),
    )
    for text, setting in [("Snacks in class", "classroom"), ("A quiet room", "classroom")]:
        Accommodation.objects.create(plan=iep, student=crypto_rows.ana, text=text, setting=setting)
    lines = [(line.setting, line.text) for line in parts.accommodations_summary(crypto_rows.ana.pk)]
    assert lines == [
        ("all", "Breaks to check glucose"),
        ("classroom", "A quiet room"),
        ("classroom", "Snacks in class"),
    ]
