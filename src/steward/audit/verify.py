"""Re-compute the ledger's hash chain from the database (`steward audit verify`)."""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Iterator, Sequence

from django.db import connection, connections

from steward.audit import chain
from steward.audit.checkpoint import Checkpoint as SignedCheckpoint
from steward.audit.checkpoint import verify_checkpoint
from steward.audit.models import Action, Checkpoint, Entry, SubjectSet, SubjectSetMember

_FETCH = 20_000
# Below this many entries per worker, forking costs more than it saves.
MIN_PER_WORKER = 100_000


def stored_entries(
    from_seq: int = 1, *, serialised: bool = False, to_seq: int | None = None
) -> Iterator[chain.StoredEntry]:
    """Stream ledger rows in seq order as `chain.StoredEntry` (tombstones carry no values).

    With `serialised`, SQLite builds each entry's canonical JSON itself (`json_array` writes
    exactly what `chain.canonical` does for these column types), which halves the cost of
    reading 1M entries into Python. Only a speed-up: `verify_ledger` re-checks any mismatch
    with Python's own serialisation before calling anything damage. `to_seq` stops after it.
    """
    quote = connection.ops.quote_name
    head = ["seq", "prev_hash", "hash", "digest", "tombstone"]
    fields = [quote(c) for c in chain.FIELDS]
    content = [f"json_array({', '.join(fields)})"] if serialised else fields[1:]
    upper = "" if to_seq is None else f" AND {quote('seq')} <= %s"
    sql = (
        f"SELECT {', '.join([*(quote(c) for c in head), *content])} "  # noqa: S608
        f"FROM {quote(Entry._meta.db_table)} WHERE {quote('seq')} >= %s{upper} "
        f"ORDER BY {quote('seq')}"
    )
    make = chain.StoredEntry
    with connection.cursor() as cursor:
        cursor.execute(sql, [from_seq] if to_seq is None else [from_seq, to_seq])
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


def verify_ledger(from_seq: int = 1, *, workers: int = 1) -> chain.Report:
    """Verify the chain from `from_seq` (trusting the stored hash of the entry before it).

    On SQLite, outside a transaction, with `workers` > 1 and at least `MIN_PER_WORKER` entries
    per worker, the seq range is cut into consecutive slices verified in parallel processes;
    the slices join where each one's last hash is the hash the next one starts from. Any
    failure there, and any damage, is re-verified by the single-process reference path, which
    alone names the damage.
    """
    start_prev = _hash_before(from_seq)
    checkpoints = [c for c in trusted_checkpoints() if c[0] >= from_seq]
    tombstones = authorized_tombstones()
    if connection.vendor == "sqlite":
        fast = _fast(from_seq, start_prev, checkpoints, tombstones, workers)
        if fast is not None and fast.ok:
            return fast
    # The reference path (and the diagnosis of any damage): Python's canonical serialisation.
    return chain.verify(
        stored_entries(from_seq),
        start_seq=from_seq,
        start_prev=start_prev,
        checkpoints=checkpoints,
        authorized_tombstones=tombstones,
    )


def _hash_before(seq: int) -> str:
    if seq <= 1:
        return chain.GENESIS
    before = Entry.objects.filter(seq=seq - 1).values_list("hash", flat=True).first()
    return before or chain.GENESIS


def _fast(
    from_seq: int,
    start_prev: str,
    checkpoints: list[tuple[int, str]],
    tombstones: set[int],
    workers: int,
) -> chain.Report | None:
    """The SQLite fast path (see `verify_ledger`); None when it cannot vouch for the chain."""
    last = Entry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    slices = _slices(from_seq, last, workers)
    if len(slices) < 2 or connection.in_atomic_block:
        return _verify_slice(from_seq, None, start_prev, checkpoints, tombstones)
    jobs = []
    for index, (low, high) in enumerate(slices):
        final = index == len(slices) - 1
        # A checkpoint past a slice's end would read as truncation: each slice gets its own,
        # and the final one every later checkpoint, which is how truncation is caught.
        pins = [c for c in checkpoints if low - 1 <= c[0] and (final or c[0] <= high)]
        prev = start_prev if index == 0 else _hash_before(low)
        jobs.append((low, None if final else high, prev, pins, tombstones))
    connections.close_all()  # children must open their own connection, not share this one
    with multiprocessing.get_context("fork").Pool(len(jobs)) as pool:
        reports = pool.starmap(_verify_slice_in_child, jobs)
    return _joined(reports, jobs, slices)


def _slices(from_seq: int, last: int, workers: int) -> list[tuple[int, int]]:
    """Consecutive (low, high) seq ranges covering from_seq..last, at most `workers` of them,
    none under MIN_PER_WORKER entries (so a small ledger gets one)."""
    total = last - from_seq + 1
    count = max(1, min(workers, total // MIN_PER_WORKER))
    size = -(-total // count)  # ceiling
    return [(from_seq + i * size, min(from_seq + (i + 1) * size - 1, last)) for i in range(count)]


def _verify_slice(
    low: int,
    high: int | None,
    prev: str,
    checkpoints: Sequence[tuple[int, str]],
    tombstones: set[int],
) -> chain.Report:
    return chain.verify(
        stored_entries(low, serialised=True, to_seq=high),
        start_seq=low,
        start_prev=prev,
        checkpoints=checkpoints,
        authorized_tombstones=tombstones,
    )


def _verify_slice_in_child(
    low: int,
    high: int | None,
    prev: str,
    checkpoints: Sequence[tuple[int, str]],
    tombstones: set[int],
) -> chain.Report:
    try:
        return _verify_slice(low, high, prev, checkpoints, tombstones)
    finally:
        connections.close_all()


def _joined(
    reports: list[chain.Report],
    jobs: list[tuple[int, int | None, str, list[tuple[int, str]], set[int]]],
    slices: list[tuple[int, int]],
) -> chain.Report | None:
    """One report for the whole range, or None unless every slice is intact and they join."""
    for index, report in enumerate(reports):
        low, high = slices[index]
        final = index == len(reports) - 1
        if not report.ok or (not final and report.last_seq != high):
            return None
        if report.checked != report.last_seq - low + 1:
            return None
        if not final and jobs[index + 1][2] != report.last_hash:
            return None
    tail = reports[-1]
    return chain.Report(
        ok=True,
        checked=sum(r.checked for r in reports),
        last_seq=tail.last_seq,
        last_hash=tail.last_hash,
        damage=None,
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
