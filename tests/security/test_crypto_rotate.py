"""`steward rotate-keys` (R116, R117; #10 item 3): re-encrypt every value under the current key,
in batches, restartable, with one ledger entry of counts; then the old key can go."""

from __future__ import annotations

import io
import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from steward.audit.models import Action, Entry
from steward.records.models import HealthNote
from steward.security import crypto
from steward.security.crypto_columns import Column, write_batch
from steward.security.keys import parse_key
from tests.security.crypto_support import (
    KEY_A,
    KEY_B,
    KEY_C,
    crypto_keys,
    crypto_rows,
    encrypted_cells,
    put_raw,
    raw,
)

__all__ = ["crypto_keys", "crypto_rows"]

ID_A, ID_B, ID_C = (parse_key(k, source="test").id for k in (KEY_A, KEY_B, KEY_C))


def _key_ids(rows: SimpleNamespace) -> set[bytes | None]:
    out = set()
    for model, column, pk, _plain in encrypted_cells(rows):
        col = Column.of(model._meta.get_field(column))
        out.add(col.key_id(raw(model, column, pk)))
    return out


def _read_all(rows: SimpleNamespace) -> None:
    for model, column, pk, plain in encrypted_cells(rows):
        value = model._default_manager.values_list(column, flat=True).get(pk=pk)
        assert (bytes(value) if isinstance(plain, bytes) else value) == plain


def _rotations() -> list[dict[str, Any]]:
    entries = Entry.objects.filter(action=Action.SECURITY).order_by("seq")
    details = [json.loads(e.detail) for e in entries]
    return [d for d in details if d.get("event") == "key_rotation"]


def _rotate(*args: str) -> str:
    out = io.StringIO()
    call_command("rotate_keys", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_rotates_from_key_a_to_key_b_and_then_needs_only_b(
    crypto_rows: SimpleNamespace, crypto_keys: Any
) -> None:
    cells = len(encrypted_cells(crypto_rows))
    assert _key_ids(crypto_rows) == {ID_A}
    crypto_keys.STEWARD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    output = _rotate("--batch-size", "2")
    assert f"Re-encrypted {cells} values in all." in output
    assert _key_ids(crypto_rows) == {ID_B}
    crypto_keys.STEWARD_ENCRYPTION_KEYS = [KEY_B]
    _read_all(crypto_rows)
    [entry] = _rotations()
    assert entry["completed"] is True and entry["reencrypted"] == cells
    assert entry["key_id"] == ID_B.hex()
    assert entry["columns"]["records_healthnote.text"]["reencrypted"] == 1
    assert entry["columns"]["requests_requestcopy.pdf"]["reencrypted"] == 1
    text = json.dumps(entry)
    assert "Asthma" not in text and KEY_A not in text and KEY_B not in text


def test_a_second_run_finds_everything_current(
    crypto_rows: SimpleNamespace, crypto_keys: Any
) -> None:
    """Restartable: what a run finished counts as current the next time."""
    crypto_keys.STEWARD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    _rotate()
    before = {cell[:3]: raw(*cell[:3]) for cell in encrypted_cells(crypto_rows)}
    assert "Re-encrypted 0 values in all." in _rotate()
    assert before == {cell[:3]: raw(*cell[:3]) for cell in encrypted_cells(crypto_rows)}
    second = _rotations()[-1]
    assert second["columns"]["records_accommodation.text"]["current"] == 2


def test_a_value_under_an_unknown_key_stops_the_rotation_naming_it(
    crypto_rows: SimpleNamespace, crypto_keys: Any
) -> None:
    crypto_keys.STEWARD_ENCRYPTION_KEYS = [KEY_C]
    stray = HealthNote.objects.create(
        student=crypto_rows.ana, date=crypto_rows.note.date, text="Under key C."
    )
    crypto_keys.STEWARD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    with pytest.raises(CommandError) as raised:
        _rotate("--batch-size", "1")
    message = str(raised.value)
    assert f"table records_healthnote, row {stray.pk}, column text" in message
    assert ID_C.hex() in message
    [entry] = _rotations()
    assert entry["completed"] is False
    assert f"row {stray.pk}" in entry["error"]
    # The batches before it are done and stay done (the note's own batch of one, too).
    assert entry["columns"]["records_healthnote.text"]["reencrypted"] == 1
    col = Column.of(HealthNote._meta.get_field("text"))
    assert col.key_id(raw(HealthNote, "text", crypto_rows.note.pk)) == ID_B


def test_plaintext_written_around_the_field_gets_encrypted(
    crypto_rows: SimpleNamespace, crypto_keys: Any
) -> None:
    put_raw(HealthNote, "text", crypto_rows.note.pk, "Written by raw SQL.")
    _rotate()
    assert raw(HealthNote, "text", crypto_rows.note.pk).startswith(crypto.TEXT_PREFIX)
    assert HealthNote.objects.get(pk=crypto_rows.note.pk).text == "Written by raw SQL."
    assert _rotations()[-1]["columns"]["records_healthnote.text"]["sealed_plaintext"] == 1


def test_a_row_changed_while_rotating_keeps_its_new_value(
    crypto_rows: SimpleNamespace, crypto_keys: Any
) -> None:
    col = Column.of(HealthNote._meta.get_field("text"))
    stale = raw(HealthNote, "text", crypto_rows.note.pk)
    HealthNote.objects.filter(pk=crypto_rows.note.pk).update(text="Edited by the nurse.")
    ring = crypto.keyring()
    resealed = col.seal(ring, b"Asthma attack at recess.")
    assert write_batch(col, [(crypto_rows.note.pk, stale, resealed)]) == 0
    assert HealthNote.objects.get(pk=crypto_rows.note.pk).text == "Edited by the nurse."


def test_check_counts_values_per_key_and_fails_on_unreadable_ones(
    crypto_rows: SimpleNamespace, crypto_keys: Any
) -> None:
    crypto_keys.STEWARD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    output = _rotate("--check")
    assert f"records_accommodation.text: {ID_A.hex()}: 2" in output
    assert "still under older keys" in output
    crypto_keys.STEWARD_ENCRYPTION_KEYS = [KEY_B]
    err = io.StringIO()
    with pytest.raises(SystemExit) as raised:
        call_command("rotate_keys", "--check", stdout=io.StringIO(), stderr=err)
    assert raised.value.code == 3
    assert "table records_healthnote" in err.getvalue()
    assert not _rotations()  # --check writes nothing


def test_check_names_the_row_of_a_mangled_value(
    crypto_rows: SimpleNamespace, crypto_keys: Any
) -> None:
    put_raw(HealthNote, "text", crypto_rows.note.pk, crypto.TEXT_PREFIX + "!!not base64!!")
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("rotate_keys", "--check", stdout=io.StringIO(), stderr=err)
    assert f"table records_healthnote, row {crypto_rows.note.pk}, column text" in err.getvalue()
    with pytest.raises(CommandError, match=f"row {crypto_rows.note.pk}, column text"):
        _rotate()
