"""A ledger export anyone can verify with the public key alone (pure Python, no Django).

The export is JSON Lines, one object per entry in seq order:
`{"seq", "prev_hash", "hash", "digest", "values"}`, with `values` a list in `chain.FIELDS`
order, or null for a tombstone. Verify it with a signed checkpoint (`checkpoint.Checkpoint`)
and the district's public key:

    python -m steward.audit.export verify EXPORT.jsonl --public-key KEY.pem \\
        --checkpoint CHECKPOINT.json

This prints "ok: N entries, last seq S" and exits 0, or names the first damage and exits 1;
it needs neither Django nor the Steward database.

Tombstones are accepted only where the export itself says retention destroyed them: a
retention entry (action "retention") whose detail lists the earlier seqs under "tombstoned",
at or before the checkpoint's seq, so that the checkpoint vouches for it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from steward.audit import chain
from steward.audit.checkpoint import Checkpoint, load_public_key, verify_checkpoint

_KEYS = ("seq", "prev_hash", "hash", "digest", "values")
_ACTION = chain.FIELDS.index("action")
_DETAIL = chain.FIELDS.index("detail")
RETENTION_ACTION = "retention"


class ExportFormatError(ValueError):
    """A line of an export that is not a ledger entry; the message names the line."""


def write_export(entries: Iterable[chain.StoredEntry], out: TextIO) -> int:
    """Write `entries` to `out` as JSON Lines; return how many were written."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    count = 0
    for entry in entries:
        values = None if entry.values is None else list(entry.values)
        out.write(
            dumps(
                {
                    "seq": entry.seq,
                    "prev_hash": entry.prev_hash,
                    "hash": entry.hash,
                    "digest": entry.digest,
                    "values": values,
                }
            )
        )
        out.write("\n")
        count += 1
    return count


def _parse(line: str, number: int) -> chain.StoredEntry:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ExportFormatError(f"line {number}: not JSON ({exc.msg})") from exc
    except (ValueError, RecursionError) as exc:  # e.g. an int too long to convert, deep nesting
        raise ExportFormatError(f"line {number}: not a ledger entry ({exc})") from exc
    if not isinstance(data, dict):
        raise ExportFormatError(f"line {number}: not a JSON object")
    missing = [key for key in _KEYS if key not in data]
    if missing:
        raise ExportFormatError(f"line {number}: no {', '.join(missing)}")
    seq, values = data["seq"], data["values"]
    if type(seq) is not int:
        raise ExportFormatError(f"line {number}: seq is not a whole number")
    for key in ("prev_hash", "hash", "digest"):
        if not isinstance(data[key], str):
            raise ExportFormatError(f"line {number}: {key} is not a string")
    if values is not None and not isinstance(values, list):
        raise ExportFormatError(f"line {number}: values is neither a list nor null")
    if values is not None and ("\\ud" in line or "\\uD" in line):
        try:  # a lone surrogate escape decodes to text that has no UTF-8 form
            chain.canonical(values)
        except UnicodeEncodeError as exc:
            raise ExportFormatError(f"line {number}: text that is not valid Unicode") from exc
    return chain.StoredEntry(seq, data["prev_hash"], data["hash"], data["digest"], values)


def read_export(inp: TextIO) -> Iterator[chain.StoredEntry]:
    """The entries of an export, in file order; ExportFormatError for a malformed line.

    Blank lines are skipped. The values are checked only for shape: whether they are the
    ledger's values is what `chain.verify` decides.
    """
    for number, line in enumerate(inp, start=1):
        if line.strip():
            yield _parse(line, number)


def _read_for_verification(inp: TextIO, problems: dict[int, str]) -> Iterator[chain.StoredEntry]:
    """Like read_export, but a malformed line becomes an entry that cannot verify.

    A damaged line is damage to the ledger, to be named like any other (an edit where an entry
    should be, an insertion if the chain continues past it), not a crash. It stands in at the
    seq after the previous line's, and its reason is kept in `problems` under that seq.
    """
    last_seq = 0
    for number, line in enumerate(inp, start=1):
        if not line.strip():
            continue
        try:
            entry = _parse(line, number)
        except ExportFormatError as exc:
            last_seq += 1
            problems[last_seq] = str(exc)
            yield chain.StoredEntry(last_seq, "", "", "", [])
            continue
        last_seq = entry.seq
        yield entry


def tombstones_authorized_by(
    entries: Iterable[chain.StoredEntry], *, through_seq: int | None = None
) -> set[int]:
    """Seqs that retention entries among `entries` (up to `through_seq`) record as destroyed.

    A retention entry can only authorise the destruction of entries before it.
    """
    out: set[int] = set()
    for entry in entries:
        if through_seq is not None and entry.seq > through_seq:
            continue
        values = entry.values
        if values is None or len(values) != len(chain.FIELDS):
            continue
        text = values[_DETAIL]
        if values[_ACTION] != RETENTION_ACTION or not isinstance(text, str):
            continue
        try:
            detail: Any = json.loads(text or "{}")
        except json.JSONDecodeError:
            continue
        seqs = detail.get("tombstoned", []) if isinstance(detail, dict) else []
        if isinstance(seqs, list):
            out.update(s for s in seqs if type(s) is int and s < entry.seq)
    return out


def _retention_entries(inp: TextIO) -> Iterator[chain.StoredEntry]:
    """The well-formed entries of an export that may be retention entries (a cheap first pass)."""
    marker = f'"{RETENTION_ACTION}"'
    for number, line in enumerate(inp, start=1):
        if marker in line:
            try:
                yield _parse(line, number)
            except ExportFormatError:
                continue


def verify_export(export_path: Path, public_key_pem: bytes, checkpoint: Checkpoint) -> chain.Report:
    """Verify an export against a signed checkpoint, from seq 1.

    The checkpoint's signature must verify with `public_key_pem` (else damage of kind
    "signature" at the checkpoint's seq), and the chain must verify from seq 1 through the
    checkpoint's (seq, hash); a chain that ends before the checkpoint's seq is a truncation.
    Entries after the checkpoint are verified too, but nothing vouches for their being complete.
    Tombstones are accepted where a retention entry the checkpoint covers authorises them.
    """
    if not verify_checkpoint(public_key_pem, checkpoint):
        forged = chain.Damage(
            checkpoint.seq,
            "signature",
            "the checkpoint's signature does not verify with this public key",
        )
        return chain.Report(False, 0, 0, chain.GENESIS, forged)
    with export_path.open(encoding="utf-8", errors="replace") as inp:
        retention = list(_retention_entries(inp))
    authorized = tombstones_authorized_by(retention, through_seq=checkpoint.seq)
    problems: dict[int, str] = {}
    with export_path.open(encoding="utf-8", errors="replace") as inp:
        report = chain.verify(
            _read_for_verification(inp, problems),
            checkpoints=[(checkpoint.seq, checkpoint.hash)],
            authorized_tombstones=authorized,
        )
    damage = report.damage
    if damage is None:
        return report
    note = problems.get(damage.seq)
    if damage.kind == "tombstone" and damage.seq in tombstones_authorized_by(retention):
        note = (
            "a retention entry after the checkpoint lists it; "
            "verify against a checkpoint taken after that entry"
        )
    if note:
        report.damage = chain.Damage(damage.seq, damage.kind, f"{damage.detail} ({note})")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m steward.audit.export",
        description="Verify an exported Steward audit ledger with the district's public key.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    verify = commands.add_parser("verify", help="verify an export against a signed checkpoint")
    verify.add_argument("export", type=Path, help="the ledger export (JSON Lines)")
    verify.add_argument("--public-key", type=Path, required=True, help="public key (PEM)")
    verify.add_argument("--checkpoint", type=Path, required=True, help="signed checkpoint (JSON)")
    args = parser.parse_args(argv)

    try:
        public_key = args.public_key.read_bytes()
        load_public_key(public_key)
    except (OSError, ValueError) as exc:
        print(f"error: {args.public_key}: not an Ed25519 public key ({exc})", file=sys.stderr)
        return 2
    try:
        checkpoint = Checkpoint.from_json(args.checkpoint.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"error: {args.checkpoint}: {exc}", file=sys.stderr)
        return 2
    try:
        report = verify_export(args.export, public_key, checkpoint)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: {args.export}: {exc}", file=sys.stderr)
        return 2
    if report.ok:
        print(f"ok: {report.checked} entries, last seq {report.last_seq}")
        return 0
    assert report.damage is not None
    damage = report.damage
    print(f"damaged at seq {damage.seq}: {damage.kind}: {damage.detail}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
