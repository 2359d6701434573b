"""Writes to the audit ledger beyond plain appends (design.md §3 rule 2): retention and
checkpoints. Each records itself in the ledger in the same transaction.

Retention (R60): ledger entries are destroyed only with the record part they belong to.

Design choice: **tombstones**. A destroyed entry keeps its row, `seq`, `prev_hash`, `hash` and
content `digest`; every content column is blanked and `tombstone` set. The chain stays
verifiable end to end (verify uses the stored digest for a tombstone), and the destruction is
itself recorded as a `retention` entry listing the tombstoned seqs, so `steward audit verify`
accepts exactly those tombstones and names any other as damage. Sealed segments were the
alternative; tombstones keep one unbroken chain and need no re-anchoring of checkpoints.

Only entries that concern this one student alone, and only record parts being destroyed, are
tombstoned; an entry that also concerns other students or other parts (a bulk export) stays,
because it is part of their records too.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from steward.audit import chain
from steward.audit import checkpoint as cp
from steward.audit.ledger import Event, record
from steward.audit.models import Action, Checkpoint, Entry, SubjectSet
from steward.audit.signing import key_path, public_key

_BLANK = {
    "actor_user_id": None,
    "actor_name": "",
    "actor_role": "",
    "actor_affiliation": "",
    "scopes": "",
    "purpose": "",
    "legitimate_interest": "",
    "basis": "",
    "agreement_id": "",
    "consent_id": "",
    "release": "",
    "request_id": "",
    "client_ip": "",
    "detail": "",
}


def do_destroy_audit_entries(
    student_id: int,
    scopes: Iterable[str],
    *,
    actor_user_id: int | None,
    actor_name: str,
    reason: str,
) -> list[int]:
    """Tombstone the entries about `student_id` alone whose record parts are all in `scopes`,
    and record the destruction. Returns the tombstoned seqs."""
    parts = set(scopes)
    digest = chain.subjects_digest([student_id])
    with transaction.atomic():
        # Entries about the student alone: `subject_student`, or (written before that column
        # existed) a one-student subject set.
        single = SubjectSet.objects.filter(digest=digest).values_list("id", flat=True).first()
        alone = Q(subject_student=student_id)
        if single is not None:
            alone |= Q(subject_set_id=single)
        candidates = Entry.objects.filter(alone, tombstone=False).exclude(
            action__in=[Action.RETENTION, Action.CHECKPOINT]
        )
        seqs: list[int] = [
            seq
            for seq, entry_scopes in candidates.values_list("seq", "scopes")
            if entry_scopes and set(entry_scopes.split(",")) <= parts
        ]
        if seqs:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # The append-only trigger lets UPDATE through only in this transaction.
                    cursor.execute("SET LOCAL steward.audit_retention = 'on'")
            for start in range(0, len(seqs), 500):
                Entry.objects.filter(seq__in=seqs[start : start + 500]).update(
                    tombstone=True, **_BLANK
                )
        record(
            Event(
                action=Action.RETENTION,
                actor_user_id=actor_user_id,
                actor_name=actor_name,
                students=[student_id],
                scopes=sorted(parts),
                purpose=reason,
                detail={"tombstoned": seqs},
            )
        )
    return seqs


def do_create_checkpoint() -> cp.Checkpoint | None:
    """Sign (seq, hash) of the current head, store it, and record that in the ledger."""
    with transaction.atomic():
        head = Entry.objects.order_by("-seq").values_list("seq", "hash").first()
        if head is None:
            return None
        signed = cp.sign_checkpoint(key_path(), head[0], head[1], timezone.now())
        Checkpoint.objects.create(
            seq=signed.seq,
            hash=signed.hash,
            at_text=signed.at,
            signature=signed.signature,
            public_key=public_key().decode(),
        )
        record(
            Event(
                action=Action.CHECKPOINT,
                actor_name="steward audit checkpoint",
                detail={"seq": signed.seq, "hash": signed.hash, "at": signed.at},
            )
        )
    return signed
