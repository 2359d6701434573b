"""Re-compute the ledger's hash chain from the database (`steward audit verify`)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db import connection

from steward.audit import chain
from steward.audit.checkpoint import Checkpoint as SignedCheckpoint
from steward.audit.checkpoint import verify_checkpoint
from steward.audit.models import Action, Checkpoint, Entry, SubjectSet, SubjectSetMember

_FETCH = 20_000


def stored_entries(from_seq: int = 1, *, serialised: bool = False) -> Iterator[chain.StoredEntry]:
    """Stream ledger rows in seq order as `chain.StoredEntry` (tombstones carry no values).

    With `serialised`, SQLite builds each entry's canonical JSON itself (`json_array` writes
    exactly what `chain.canonical` does for these column types), which halves the cost of
    reading 1M entries into Python. Only a speed-up: `verify_ledger` re-checks any mismatch
    with Python's own serialisation before calling anything damage.
    """
    quote = connection.ops.quote_name
    head = ["seq", "prev_hash", "hash", "digest", "tombstone"]
    fields = [quote(c) for c in chain.FIELDS]
    content = [f"json_array({', '.join(fields)})"] if serialised else fields[1:]
    sql = (
        f"SELECT {', '.join([*(quote(c) for c in head), *content])} "  # noqa: S608
        f"FROM {quote(Entry._meta.db_table)} WHERE {quote('seq')} >= %s ORDER BY {quote('seq')}"
    )
    make = chain.StoredEntry
    with connection.cursor() as cursor:
        cursor.execute(sql, [from_seq])
        while rows := cursor.fetchmany(_FETCH):
            if serialised:
                for seq, prev, digest_hash, digest, tomb, text in rows:
                    yield make(seq, prev, digest_hash, digest, None if tomb else text)
            else:
                for row in rows:
                    seq = row[0]
                    yield make(seq, row[1], row[2], row[3], None if row[4] else (seq, *row[5:]))


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


def verify_ledger(from_seq: int = 1) -> chain.Report:
    """Verify the chain from `from_seq` (trusting the stored hash of the entry before it)."""
    start_prev = chain.GENESIS
    if from_seq > 1:
        before = Entry.objects.filter(seq=from_seq - 1).values_list("hash", flat=True).first()
        start_prev = before or chain.GENESIS
    checkpoints = [c for c in trusted_checkpoints() if c[0] >= from_seq]
    tombstones = authorized_tombstones()
    if connection.vendor == "sqlite":
        fast = chain.verify(
            stored_entries(from_seq, serialised=True),
            start_seq=from_seq,
            start_prev=start_prev,
            checkpoints=checkpoints,
            authorized_tombstones=tombstones,
        )
        if fast.ok:
            return fast
    # The reference path (and the diagnosis of any damage): Python's canonical serialisation.
    return chain.verify(
        stored_entries(from_seq),
        start_seq=from_seq,
        start_prev=start_prev,
        checkpoints=checkpoints,
        authorized_tombstones=tombstones,
    )


def verify_subjects(from_seq: int = 1) -> list[int]:
    """Seqs of entries whose student columns disagree with the digest their hash covers.

    The chain covers each entry's `subjects_digest`; the columns that answer "which entries
    concern student X" (`subject_student`, and a subject set's `members` and member rows) are
    outside it, so they are checked against it here: moving an entry to another student, or
    dropping a student from a set, would otherwise hide an access from a family. Tombstones
    keep their subjects and are checked too. Returns the first 100 bad seqs (empty: all good).
    """
    bad: list[int] = []
    singles = Entry.objects.filter(seq__gte=from_seq, subject_student__isnull=False)
    for seq, student, digest in singles.values_list(
        "seq", "subject_student", "subjects_digest"
    ).iterator(chunk_size=_FETCH):
        if student is None or chain.subjects_digest([student]) != digest:
            bad.append(seq)
    members: dict[int, set[int]] = {}
    for set_id, member in SubjectSetMember.objects.values_list("subject_set_id", "student_id"):
        members.setdefault(set_id, set()).add(member)
    sets: dict[int, str | None] = {}  # set id -> its digest, None when its members disagree
    for set_id, set_digest, text in SubjectSet.objects.values_list("id", "digest", "members"):
        listed = [int(s) for s in text.split(",") if s]
        agrees = chain.subjects_digest(listed) == set_digest
        agrees = agrees and members.get(set_id, set()) == set(listed)
        sets[set_id] = set_digest if agrees else None
    grouped = Entry.objects.filter(seq__gte=from_seq, subject_set__isnull=False)
    for seq, set_id, digest in grouped.values_list("seq", "subject_set_id", "subjects_digest"):
        if sets.get(set_id) != digest:
            bad.append(seq)
    return sorted(bad)[:100]
