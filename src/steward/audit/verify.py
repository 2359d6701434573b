"""Re-compute the ledger's hash chain from the database (`steward audit verify`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

from django.db import connection

from steward.audit import chain
from steward.audit.checkpoint import Checkpoint as SignedCheckpoint
from steward.audit.checkpoint import verify_checkpoint
from steward.audit.models import Action, Checkpoint, Entry, SubjectSet

_FETCH = 20_000


def stored_entries(from_seq: int = 1) -> Iterator[chain.StoredEntry]:
    """Stream ledger rows in seq order as `chain.StoredEntry` (tombstones carry no values)."""
    quote = connection.ops.quote_name
    columns = ["seq", "prev_hash", "hash", "digest", "tombstone", *chain.FIELDS[1:]]
    sql = (
        f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(Entry._meta.db_table)} "  # noqa: S608
        f"WHERE {quote('seq')} >= %s ORDER BY {quote('seq')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [from_seq])
        make = chain.StoredEntry
        while rows := cursor.fetchmany(_FETCH):
            for row in rows:
                seq = row[0]
                values = None if row[4] else (seq, *row[5:])
                yield make(seq, row[1], row[2], row[3], values)


def authorized_tombstones() -> set[int]:
    """Seqs that retention entries (themselves in the chain) say were destroyed lawfully."""
    out: set[int] = set()
    for detail in Entry.objects.filter(action=Action.RETENTION).values_list("detail", flat=True):
        out.update(json.loads(detail or "{}").get("tombstoned", []))
    return out


def trusted_checkpoints() -> list[tuple[int, str]]:
    """(seq, hash) of stored checkpoints whose Ed25519 signature verifies."""
    good = []
    for cp in Checkpoint.objects.order_by("seq"):
        signed = SignedCheckpoint(seq=cp.seq, hash=cp.hash, at=cp.at_text, signature=cp.signature)
        if verify_checkpoint(cp.public_key.encode(), signed):
            good.append((cp.seq, cp.hash))
    return good


def damaged_subject_sets() -> list[str]:
    """Digests of subject sets whose member list no longer matches its digest or size."""
    bad = []
    for digest, size, members in SubjectSet.objects.values_list("digest", "size", "members"):
        ids = [int(x) for x in members.split(",") if x]
        if len(ids) != size or hashlib.sha256(members.encode()).hexdigest() != digest:
            bad.append(digest)
    return bad


def verify_ledger(from_seq: int = 1) -> chain.Report:
    """Verify the chain from `from_seq` (trusting the stored hash of the entry before it)."""
    start_prev = chain.GENESIS
    if from_seq > 1:
        before = Entry.objects.filter(seq=from_seq - 1).values_list("hash", flat=True).first()
        start_prev = before or chain.GENESIS
    return chain.verify(
        stored_entries(from_seq),
        start_seq=from_seq,
        start_prev=start_prev,
        checkpoints=[c for c in trusted_checkpoints() if c[0] >= from_seq],
        authorized_tombstones=authorized_tombstones(),
    )
