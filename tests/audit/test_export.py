"""The verifiable ledger export (steward.audit.export): pure, no database, no Django settings."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from steward.audit.chain import FIELDS, StoredEntry, canonical_json
from steward.audit.checkpoint import Checkpoint, generate_key, public_key_pem, sign_checkpoint
from steward.audit.export import read_export, verify_export, write_export

from .test_chain import build, entry_values, tombstoned

K = 20
RETENTION_SEQ, DESTROYED_SEQ = 45, 10
WHEN = datetime(2026, 5, 9, 14, 0, tzinfo=UTC)


def ledger() -> list[StoredEntry]:
    """50 entries; entry 45 records retention destroying entry 10, which is a tombstone."""
    rows = [entry_values(seq) for seq in range(1, 51)]
    rows[RETENTION_SEQ - 1][FIELDS.index("action")] = "retention"
    rows[RETENTION_SEQ - 1][FIELDS.index("detail")] = canonical_json(
        {"tombstoned": [DESTROYED_SEQ]}
    )
    entries = build(rows)
    entries[DESTROYED_SEQ - 1] = tombstoned(entries[DESTROYED_SEQ - 1])
    return entries


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "audit.pem"
    generate_key(path)
    return path


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_export(ledger(), out)
    return path


def checkpoint_at(key: Path, seq: int = 50) -> Checkpoint:
    return sign_checkpoint(key, seq, ledger()[seq - 1].hash, WHEN)


def edit_lines(path: Path, change: object) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(change(lines)), encoding="utf-8")  # type: ignore[operator]


def test_an_export_reads_back_as_the_entries_written() -> None:
    out = io.StringIO()
    assert write_export(ledger(), out) == 50
    text = out.getvalue()
    assert "élève" in text  # UTF-8, not \u escapes
    first = json.loads(text.splitlines()[0])
    assert list(first) == ["seq", "prev_hash", "hash", "digest", "values"]
    assert json.loads(text.splitlines()[DESTROYED_SEQ - 1])["values"] is None
    again = list(read_export(io.StringIO(text)))
    assert [(e.seq, e.prev_hash, e.hash, e.digest) for e in again] == [
        (e.seq, e.prev_hash, e.hash, e.digest) for e in ledger()
    ]
    assert [e.values for e in again] == [
        None if e.values is None else list(e.values) for e in ledger()
    ]


def test_read_export_names_a_malformed_line() -> None:
    with pytest.raises(ValueError, match="line 2"):
        list(
            read_export(
                io.StringIO('{"seq":1,"prev_hash":"","hash":"","digest":"","values":[]}\n{')
            )
        )


def test_an_untouched_export_verifies(key: Path, export: Path) -> None:
    report = verify_export(export, public_key_pem(key), checkpoint_at(key))
    assert report.ok, report.damage
    assert (report.checked, report.last_seq) == (50, 50)


def test_entries_after_the_checkpoint_are_verified_too(key: Path, export: Path) -> None:
    report = verify_export(export, public_key_pem(key), checkpoint_at(key, 48))
    assert report.ok
    assert report.checked == 50


def test_it_rejects_a_checkpoint_signed_by_another_key(
    tmp_path: Path, key: Path, export: Path
) -> None:
    other = tmp_path / "other.pem"
    generate_key(other)
    report = verify_export(export, public_key_pem(other), checkpoint_at(key))
    assert not report.ok
    assert report.damage is not None
    assert (report.damage.seq, report.damage.kind) == (50, "signature")


def replace_in_line(number: int, old: str, new: str) -> object:
    def change(lines: list[str]) -> list[str]:
        assert old in lines[number - 1]
        lines[number - 1] = lines[number - 1].replace(old, new)
        return lines

    return change


def swap(lines: list[str]) -> list[str]:
    lines[K - 1], lines[K] = lines[K], lines[K - 1]
    return lines


@pytest.mark.parametrize(
    "change, seq, kind",
    [
        (replace_in_line(K, f"Staff Member {K}", "Staff Member 99"), K, "edit"),
        (replace_in_line(K, '"teacher"', '"principal"'), K, "edit"),
        (lambda lines: lines[: K - 1] + lines[K:], K, "deletion"),
        (swap, K, "reordering"),
        (lambda lines: lines[:47], 50, "truncation"),
        (replace_in_line(K, '{"seq"', '{"seq" "'), K, "edit"),
        (lambda lines: [*lines[: K - 1], "garbage\n", *lines[K - 1 :]], K, "insertion"),
        (replace_in_line(RETENTION_SEQ, f"[{DESTROYED_SEQ}]", "[11]"), DESTROYED_SEQ, "tombstone"),
    ],
    ids=[
        "edited-name",
        "edited-role",
        "deleted-line",
        "swapped-lines",
        "truncated",
        "broken-json",
        "inserted-junk",
        "retention-rewritten",
    ],
)
def test_it_names_the_damage_in_a_tampered_export(
    key: Path, export: Path, change: object, seq: int, kind: str
) -> None:
    checkpoint = checkpoint_at(key)
    edit_lines(export, change)
    report = verify_export(export, public_key_pem(key), checkpoint)
    assert report.damage is not None
    assert (report.damage.seq, report.damage.kind) == (seq, kind), report.damage.detail


def test_it_says_why_a_broken_line_is_damage(key: Path, export: Path) -> None:
    edit_lines(export, replace_in_line(K, '{"seq"', "{seq"))
    report = verify_export(export, public_key_pem(key), checkpoint_at(key))
    assert report.damage is not None
    assert f"line {K}: not JSON" in report.damage.detail


@pytest.mark.parametrize(
    "old, new",
    [
        (b"Staff Member", b"Staff \\ud800Member"),  # a lone surrogate escape
        (b"Staff Member", b"Staff \xffMember"),  # not UTF-8
        (b'"values":[', b'"values":[' + b"[" * 100_000),  # nesting deeper than any parser
        (b'"values":[', b'"values":[' + b"9" * 5_000 + b","),  # an int too long to convert
    ],
    ids=["lone-surrogate", "invalid-utf8", "deep-nesting", "huge-int"],
)
def test_a_hostile_line_is_named_as_damage_not_a_crash(
    key: Path, export: Path, old: bytes, new: bytes
) -> None:
    lines = export.read_bytes().splitlines(keepends=True)
    assert old in lines[K - 1]
    lines[K - 1] = lines[K - 1].replace(old, new, 1)
    export.write_bytes(b"".join(lines))
    report = verify_export(export, public_key_pem(key), checkpoint_at(key))
    assert report.damage is not None
    assert (report.damage.seq, report.damage.kind) == (K, "edit"), report.damage.detail


def test_a_tombstone_authorised_only_after_the_checkpoint_is_damage(
    key: Path, export: Path
) -> None:
    report = verify_export(export, public_key_pem(key), checkpoint_at(key, 40))
    assert report.damage is not None
    assert (report.damage.seq, report.damage.kind) == (DESTROYED_SEQ, "tombstone")
    assert "after the checkpoint" in report.damage.detail


# -- the command line, with no Django settings ----------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


@pytest.fixture
def cli_files(tmp_path: Path, key: Path, export: Path) -> tuple[Path, Path]:
    public = tmp_path / "public.pem"
    public.write_bytes(public_key_pem(key))
    checkpoint = tmp_path / "checkpoint.json"
    checkpoint.write_text(checkpoint_at(key).to_json(), encoding="utf-8")
    return public, checkpoint


def verify_cli(export: Path, public: Path, checkpoint: Path) -> subprocess.CompletedProcess[str]:
    return run(
        "-m",
        "steward.audit.export",
        "verify",
        str(export),
        "--public-key",
        str(public),
        "--checkpoint",
        str(checkpoint),
    )


def test_the_command_line_verifies_an_untouched_export(
    export: Path, cli_files: tuple[Path, Path]
) -> None:
    result = verify_cli(export, *cli_files)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok: 50 entries, last seq 50\n"


def test_the_command_line_names_the_damage_and_exits_1(
    export: Path, cli_files: tuple[Path, Path]
) -> None:
    edit_lines(export, swap)
    result = verify_cli(export, *cli_files)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(f"damaged at seq {K}: reordering: ")


def test_the_command_line_exits_2_for_a_checkpoint_it_cannot_read(
    export: Path, cli_files: tuple[Path, Path]
) -> None:
    public, checkpoint = cli_files
    checkpoint.write_text("{}", encoding="utf-8")
    result = verify_cli(export, public, checkpoint)
    assert result.returncode == 2
    assert str(checkpoint) in result.stderr


def test_the_pure_audit_modules_do_not_import_django() -> None:
    result = run(
        "-c",
        "import sys, steward.audit.chain, steward.audit.checkpoint, steward.audit.export; "
        "sys.exit('django' in sys.modules)",
    )
    assert result.returncode == 0, result.stderr
