"""Fixtures and helpers for the encryption-at-rest tests (test_crypto_*.py, #10 item 3)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from steward.records.models import Accommodation, EducationPlan, HealthAlert, HealthNote
from steward.requests.models import AccessRequest, RequestCopy
from steward.security.keys import new_key
from tests.web import factories as f

KEY_A = new_key()
KEY_B = new_key()
KEY_C = new_key()


def raw(model: type[Model], column: str, pk: Any) -> Any:
    """The value stored in the database, read around the ORM's decryption."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(column)} FROM {quote(model._meta.db_table)} "  # noqa: S608
            f"WHERE {quote(model._meta.pk.column)} = %s",
            [pk],
        )
        return cursor.fetchone()[0]


def put_raw(model: type[Model], column: str, pk: Any, value: Any) -> None:
    """Store `value` as is, around the field's encryption (what a careless writer would do)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} SET {quote(column)} = %s "  # noqa: S608
            f"WHERE {quote(model._meta.pk.column)} = %s",
            [value, pk],
        )


@pytest.fixture
def crypto_keys(settings: Any) -> Iterator[Any]:
    """Start every test on key A alone; tests change `settings.STEWARD_ENCRYPTION_KEYS`."""
    settings.STEWARD_ENCRYPTION_KEYS = [KEY_A]
    yield settings


@pytest.fixture
def crypto_rows(db: None, crypto_keys: Any) -> SimpleNamespace:
    """One student with a health note and alert, a 504 plan with two accommodations, and a
    record copy made for an access request."""
    run = f.import_run()
    ana = f.student(run, "Ana", "Avery")
    today = timezone.localdate()
    note = HealthNote.objects.create(student=ana, date=today, text="Asthma attack at recess.")
    alert = HealthAlert.objects.create(
        student=ana, kind="allergy", text="Peanuts: EpiPen in office", severity="severe"
    )
    plan = EducationPlan.objects.create(
        student=ana,
        kind="section504",
        start_date=today - dt.timedelta(days=30),
        end_date=today + dt.timedelta(days=300),
        summary="504 plan for type 1 diabetes.",
    )
    extra = Accommodation.objects.create(
        plan=plan, student=ana, text="Snacks in class", setting="classroom"
    )
    breaks = Accommodation.objects.create(
        plan=plan, student=ana, text="Breaks to check glucose", setting="all"
    )
    now = timezone.now()
    req = AccessRequest.objects.create(
        student=ana,
        kind="copy",
        channel="paper",
        requester_kind="student",
        received_at=now,
        due_on=today,
        ceiling_on=today,
        updated_at=now,
    )
    pdf, archive = b"%PDF-1.7 the whole record of Ana Avery", b"PK\x03\x04 ana.json"
    copy = RequestCopy.objects.create(
        request=req,
        generated_at=now,
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        archive=archive,
        archive_sha256=hashlib.sha256(archive).hexdigest(),
    )
    return SimpleNamespace(
        run=run, ana=ana, note=note, alert=alert, plan=plan, accommodations=[extra, breaks],
        copy=copy, pdf=pdf, archive=archive,
    )  # fmt: skip


# Every encrypted column of the fixture rows: (model, column, pk attribute path, plaintext).
def encrypted_cells(rows: SimpleNamespace) -> list[tuple[type[Model], str, Any, Any]]:
    return [
        (HealthNote, "text", rows.note.pk, rows.note.text),
        (HealthAlert, "text", rows.alert.pk, rows.alert.text),
        (EducationPlan, "summary", rows.plan.pk, rows.plan.summary),
        *[(Accommodation, "text", a.pk, a.text) for a in rows.accommodations],
        (RequestCopy, "pdf", rows.copy.pk, rows.pdf),
        (RequestCopy, "archive", rows.copy.pk, rows.archive),
    ]
