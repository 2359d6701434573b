"""The audit ledger's hash chain: canonical bytes, chaining, and verification (pure Python).

No Django imports (design.md §3 rule 4): an exported ledger is verified with this module and
the public key alone.

Each entry is a list of values in `FIELDS` order. Its content digest is the sha256 of the
canonical bytes of that list, and its hash links it to the entry before it:
`hash = sha256(f"{seq}:{prev_hash}:{digest}")`, starting from `GENESIS`. A tombstone is an entry
whose values were destroyed by retention: it keeps seq, prev_hash, digest and hash, so the chain
still verifies through it, but only where retention authorised it.

`verify()` streams the entries with a constant amount of memory and stops at the first damage,
which it names by seq and kind (see `verify` for the rules).
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
FIELDS: tuple[str, ...] = (
    "seq", "at_us", "actor_user_id", "actor_name", "actor_role", "actor_affiliation", "action",
    "scopes", "purpose", "legitimate_interest", "basis", "agreement_id", "consent_id",
    "subjects_digest", "subject_count", "release", "request_id", "client_ip", "detail",
)  # fmt: skip
KINDS = ("edit", "deletion", "insertion", "reordering", "truncation", "tombstone")

_INT_FIELDS = frozenset({"seq", "at_us", "subject_count"})
_OPTIONAL_INT_FIELDS = frozenset({"actor_user_id"})
# How many accepted hashes verify() remembers, and how far it reads ahead to tell a deletion
# from a reordering or an insertion from an edit. Damage spread wider is still caught, only
# named less precisely.
WINDOW = 16
# How far a renumbered entry may have moved for verify() to recognise it under its new seq.
RENUMBER_REACH = 64


def _not_serialisable(value: object) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _make_encoder(*, sort_keys: bool, allow_nan: bool) -> Any:
    """A reusable C encoder giving exactly `json.dumps(v, ensure_ascii=False, separators=(",",
    ":"), sort_keys=sort_keys, allow_nan=allow_nan)`, as a list of chunks.

    json.dumps builds a new encoder on every call; the ledger encodes millions of values, so it
    keeps one per form. It has no circular-reference markers: a self-containing detail fails
    with RecursionError instead of ValueError, which is still a refusal.
    """
    try:
        from _json import encode_basestring, make_encoder
    except ImportError:  # pragma: no cover - CPython always has _json

        def fallback(values: object, _level: int) -> list[str]:
            return [
                json.dumps(
                    values,
                    ensure_ascii=False,
                    allow_nan=allow_nan,
                    sort_keys=sort_keys,
                    separators=(",", ":"),
                )
            ]

        return fallback
    return make_encoder(
        None, _not_serialisable, encode_basestring, None, ":", ",", sort_keys, False, allow_nan
    )


_iterencode = _make_encoder(sort_keys=False, allow_nan=True)  # entry values: ints and str
_iterencode_sorted = _make_encoder(sort_keys=True, allow_nan=False)  # detail and release


def canonical(values: Sequence[object]) -> bytes:
    """The bytes an entry's content digest is taken over: its values as a compact JSON array.

    The reference form (`json.dumps` with compact separators, UTF-8); `_entry_bytes` is its
    fast path for the hot loops.
    """
    return "".join(_iterencode(values, 0)).encode()


try:
    import orjson
except ImportError:  # pragma: no cover - a verifier without orjson gets the same bytes, slower
    _entry_bytes = canonical
else:
    _orjson_dumps = orjson.dumps
    _OrjsonError = orjson.JSONEncodeError

    def _entry_bytes(values: Sequence[object]) -> bytes:
        """`canonical(values)` for an entry's values (int, str and None only), about 7x faster.

        orjson writes such a list byte for byte as the reference encoder does (compact, UTF-8,
        the same escapes; property-tested in tests/audit/test_chain.py). What it refuses
        (integers beyond 64 bits, lone surrogates) goes to the reference encoder, which
        decides as it always did. Floats and booleans are not entry values
        (`validate_values`), and their text can differ, so only the hot paths that hold
        entry values (`chain`, `verify`) use this.
        """
        try:
            return _orjson_dumps(values)
        except _OrjsonError:
            return canonical(values)


def canonical_json(value: object) -> str:
    """Canonical JSON text of `value` for the `release` and `detail` fields; "" for None or {}.

    Exactly `json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    allow_nan=False)`.
    """
    if value is None or value == {}:
        return ""
    return "".join(_iterencode_sorted(value, 0))


def content_digest(values: Sequence[object]) -> str:
    return hashlib.sha256(canonical(values)).hexdigest()


def link(seq: int, prev_hash: str, digest: str) -> str:
    return hashlib.sha256(f"{seq}:{prev_hash}:{digest}".encode()).hexdigest()


def subjects_digest(student_ids: Iterable[int]) -> str:
    """sha256 of the sorted, de-duplicated student ids joined by ","; "" for no students."""
    ids = set(student_ids)
    for student_id in ids:
        if type(student_id) is not int:
            raise TypeError(f"student ids must be int, not {type(student_id).__name__}")
    if not ids:
        return ""
    return hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()


def validate_values(values: Sequence[object]) -> None:
    """Raise ValueError unless `values` has one value of the documented type per field."""
    if len(values) != len(FIELDS):
        raise ValueError(f"an entry has {len(FIELDS)} values, got {len(values)}")
    for name, value in zip(FIELDS, values, strict=True):
        if name in _INT_FIELDS:
            ok = type(value) is int
        elif name in _OPTIONAL_INT_FIELDS:
            ok = value is None or type(value) is int
        else:
            ok = type(value) is str
        if not ok:
            raise ValueError(f"audit field {name} has the wrong type: {value!r}")


def chain(
    values_list: Sequence[Sequence[object]], prev_hash: str, *, validate: bool = True
) -> list[tuple[str, str]]:
    """(digest, hash) of each of consecutive entries appended after the entry hashed `prev_hash`.

    The entries' seqs (their first value) must be consecutive; each value must have its field's
    type (`validate_values`). `validate=False` skips that type check, for a caller that builds
    the values itself with the right types (the ledger's writer does); seqs are always checked.
    """
    out: list[tuple[str, str]] = []
    sha = hashlib.sha256
    entry_bytes = _entry_bytes
    previous_seq: int | None = None
    for values in values_list:
        if validate:
            validate_values(values)
        seq = values[0]
        assert isinstance(seq, int)  # checked by validate_values; narrows the type
        if previous_seq is not None and seq != previous_seq + 1:
            raise ValueError(f"entry seq {seq} does not follow seq {previous_seq}")
        previous_seq = seq
        digest = sha(entry_bytes(values)).hexdigest()
        prev_hash = sha(f"{seq}:{prev_hash}:{digest}".encode()).hexdigest()
        out.append((digest, prev_hash))
    return out


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """One ledger row as stored."""

    seq: int
    prev_hash: str
    hash: str
    digest: str  # the stored content digest
    # FIELDS values, or their canonical JSON text already made; None for a tombstone
    values: Sequence[object] | str | None


@dataclass(frozen=True, slots=True)
class Damage:
    seq: int  # the first bad entry; for truncation, the checkpointed seq that is missing
    kind: str  # one of KINDS
    detail: str


@dataclass
class Report:
    ok: bool
    checked: int  # entries verified good (before the damage, if any)
    last_seq: int  # the last good entry
    last_hash: str
    damage: Damage | None


def verify(
    entries: Iterable[StoredEntry],
    *,
    start_seq: int = 1,
    start_prev: str = GENESIS,
    checkpoints: Iterable[tuple[int, str]] = (),
    authorized_tombstones: Collection[int] = (),
) -> Report:
    """Walk `entries` in stored order from `start_seq` and stop at the first damage.

    An entry is good when its values hash to its stored digest, its stored hash is
    link(seq, prev_hash, digest), its seq is the one expected next, its prev_hash is the hash of
    the entry before it, it is not a tombstone unless its seq is in `authorized_tombstones`, and,
    where a checkpoint (seq, hash) is given, its hash is the checkpoint's. A checkpoint beyond the
    last entry means the ledger was truncated. How other failures are named: see `_diagnose`.
    """
    pins: dict[int, set[str]] = {}
    for pin_seq, pin_hash in checkpoints:
        pins.setdefault(pin_seq, set()).add(pin_hash)
    authorized = (
        authorized_tombstones
        if isinstance(authorized_tombstones, set | frozenset)
        else frozenset(authorized_tombstones)
    )
    damage: Damage | None = None
    if start_seq - 1 in pins and pins[start_seq - 1] != {start_prev}:
        damage = _pin_damage(start_seq - 1, pins[start_seq - 1], start_seq - 1)
        return Report(False, 0, start_seq - 1, start_prev, damage)
    due = sorted((s for s in pins if s >= start_seq), reverse=True)
    # An int sentinel no accepted entry can have keeps the per-entry comparison int == int.
    no_pin = start_seq - 1
    next_pin = due.pop() if due else no_pin
    pinned_through = start_seq - 1

    window: deque[str] = deque([start_prev], maxlen=WINDOW)
    remember = window.append
    sha = hashlib.sha256
    entry_bytes = _entry_bytes
    expected = start_seq
    prev = start_prev
    entries_iter = iter(entries)
    # The hot loop: one encode and two sha256 per entry, everything bound to locals.
    for entry in entries_iter:
        values = entry.values
        seq = entry.seq
        if values is not None:
            # `values` may arrive already serialised (the database's own JSON of the same
            # fields, see steward.audit.verify); a mismatch there is re-checked in Python.
            data = values.encode() if type(values) is str else entry_bytes(values)
            digest = sha(data).hexdigest()
            if (
                digest != entry.digest
                or seq != expected
                or entry.prev_hash != prev
                or sha(f"{seq}:{prev}:{digest}".encode()).hexdigest() != entry.hash
            ):
                damage = _diagnose(entry, entries_iter, expected, window, start_seq)
                break
        else:
            if (
                seq != expected
                or entry.prev_hash != prev
                or sha(f"{seq}:{prev}:{entry.digest}".encode()).hexdigest() != entry.hash
            ):
                damage = _diagnose(entry, entries_iter, expected, window, start_seq)
                break
            if seq not in authorized:
                damage = Damage(
                    seq,
                    "tombstone",
                    f"entry {seq}'s content was destroyed but no retention entry authorises it",
                )
                break
        if seq == next_pin:
            if pins[seq] != {entry.hash}:
                damage = _pin_damage(seq, pins[seq], pinned_through + 1)
                break
            pinned_through = seq
            next_pin = due.pop() if due else no_pin
        prev = entry.hash
        remember(prev)
        expected += 1

    if damage is None and next_pin != no_pin:
        last = expected - 1
        damage = Damage(
            next_pin,
            "truncation",
            f"the ledger ends at seq {last} but a signed checkpoint records seq {next_pin}: "
            f"{_entries(last + 1, next_pin)} removed from its end",
        )
    return Report(damage is None, expected - start_seq, expected - 1, prev, damage)


def _pin_damage(seq: int, pinned: set[str], since: int) -> Damage:
    if len(pinned) > 1:
        return Damage(seq, "edit", f"signed checkpoints disagree about the hash at seq {seq}")
    return Damage(
        seq,
        "edit",
        f"the chain's hash at seq {seq} is not the one a signed checkpoint records: an entry "
        f"in {_span(since, seq)} was changed and the chain re-hashed from there",
    )


def _authentic_seq(entry: StoredEntry, candidates: Iterable[int]) -> int | None:
    """The seq `entry` was hashed under, if it is one of `candidates`, else None.

    A renumbered row keeps its stored digest and hash while its seq (and so values[0]) changed;
    trying the candidate seq in both places tells a renumbered entry from an edited one.
    """
    values = entry.values
    for seq in dict.fromkeys(candidates):
        if type(seq) is not int or seq < 0:
            continue
        if values is None:
            digest = entry.digest
        else:
            original = list(values)
            if original:
                original[0] = seq
            digest = content_digest(original)
            if digest != entry.digest:
                continue
        if link(seq, entry.prev_hash, digest) == entry.hash:
            return seq
    return None


def _diagnose(
    entry: StoredEntry,
    rest: Iterator[StoredEntry],
    expected: int,
    window: deque[str],
    start_seq: int,
) -> Damage:
    """Name the damage at `entry`, the first entry that does not continue the chain.

    `window` holds the hashes of the last accepted entries (window[-1] is seq expected-1, or the
    start hash); up to WINDOW further entries are read from `rest` to tell kinds apart.

    1. Find the seq the entry was originally hashed under (it may have been renumbered).
    2. Not authentic under any nearby seq (its content, digest, hash or prev_hash was changed):
       - a following entry is chained to the last good entry: this one was inserted;
       - its seq is ahead of the expected one: the entries in between were deleted (or, if
         the expected entry turns up shortly after, reordered);
       - its seq was already used: a second entry with that seq was inserted;
       - otherwise: an edit of this entry.
    3. Authentic as the expected entry: if its prev_hash is the last good hash, only its seq
       was changed (edit); if its prev_hash is an earlier hash, the entries between were
       inserted; if it is no hash we know, the previous entry was changed and re-hashed (edit).
    4. Authentic as a later entry: reordering if the expected entry follows within the window,
       else the entries in between were deleted (and the rest renumbered if its seq changed).
    5. Authentic as an earlier entry: an insertion (a duplicate seq, or an inserted entry with
       the rest renumbered after it).
    """
    seq, prev = entry.seq, window[-1]
    stored_seq = seq if type(seq) is int else expected
    hints = [stored_seq, expected]
    if entry.values:
        hints.append(entry.values[0])  # type: ignore[arg-type]
    for step in range(1, RENUMBER_REACH + 1):
        hints += [stored_seq + step, stored_seq - step]
    original = _authentic_seq(entry, hints)

    def position_of(hash_: str) -> int | None:
        for back in range(1, len(window) + 1):
            if window[-back] == hash_:
                return expected - back
        return None

    ahead: list[StoredEntry] = []
    for following in rest:
        ahead.append(following)
        if len(ahead) == WINDOW:
            break

    def expected_turns_up() -> bool:
        return any(
            later.prev_hash == prev and _authentic_seq(later, [expected]) is not None
            for later in ahead
        )

    if original is None:
        if any(later.prev_hash == prev for later in ahead):
            return Damage(
                stored_seq,
                "insertion",
                f"the entry stored as seq {seq} is not part of the chain: the entry after it is "
                f"chained to entry {expected - 1}",
            )
        if stored_seq > expected:
            if expected_turns_up():
                return _reordering(expected, stored_seq)
            return _deletion(expected, stored_seq, renumbered=False)
        if stored_seq < expected:
            return Damage(
                stored_seq,
                "insertion",
                f"a second entry with seq {seq} was inserted after entry {expected - 1}",
            )
        return Damage(stored_seq, "edit", _edit_detail(entry, prev))

    if original == expected:
        if entry.prev_hash == prev:
            if seq != original:
                detail = f"entry {original}'s seq was changed to {seq}"
            else:
                detail = f"entry {original}'s seq field was changed"
            return Damage(original, "edit", detail)
        chained_to = position_of(entry.prev_hash)
        if chained_to is not None:
            return Damage(
                chained_to + 1,
                "insertion",
                f"entry {expected} is chained to entry {chained_to}: "
                f"{_entries(chained_to + 1, expected - 1, 'stored as ')} inserted",
            )
        if expected > start_seq:
            return Damage(
                expected - 1,
                "edit",
                f"entry {expected} is chained to a hash entry {expected - 1} does not have: "
                f"entry {expected - 1} was changed and re-hashed (or entry {expected}'s link "
                f"rewritten)",
            )
        return Damage(
            expected, "edit", f"entry {expected} is not chained to the hash the check started from"
        )

    if original > expected:
        if expected_turns_up():
            return _reordering(expected, original)
        return _deletion(expected, original, renumbered=seq != original)

    chained_to = position_of(entry.prev_hash)
    if seq == original:
        detail = f"a second entry with seq {seq} was inserted"
    elif chained_to is not None:
        detail = (
            f"{_entries(chained_to + 1, expected - 1, 'stored as ')} inserted before entry "
            f"{original}, and the entries after renumbered"
        )
    else:
        detail = f"entry {original} appears again, renumbered as seq {seq}"
    return Damage(chained_to + 1 if chained_to is not None else original, "insertion", detail)


def _edit_detail(entry: StoredEntry, prev: str) -> str:
    seq = entry.seq
    if entry.values is not None and content_digest(entry.values) != entry.digest:
        return f"entry {seq}'s content does not match its stored digest: a field was changed"
    if entry.prev_hash != prev:
        return f"entry {seq}'s prev_hash was changed"
    return f"entry {seq}'s stored hash does not match its seq, prev_hash and digest"


def _span(first: int, last: int) -> str:
    return f"seq {first}" if first == last else f"seqs {first}-{last}"


def _entries(first: int, last: int, stored: str = "") -> str:
    """ "entry 7 was" / "entries 7-9 were", or with stored="stored as ": "the entry stored as
    seq 7 was" / "the entries stored as seqs 7-9 were"."""
    if stored:
        if first == last:
            return f"the entry {stored}seq {first} was"
        return f"the entries {stored}seqs {first}-{last} were"
    return f"entry {first} was" if first == last else f"entries {first}-{last} were"


def _deletion(expected: int, found: int, *, renumbered: bool) -> Damage:
    missing = (
        f"entry {expected} is" if found == expected + 1 else f"entries {expected}-{found - 1} are"
    )
    detail = f"{missing} missing: the next entry was hashed as seq {found}"
    if renumbered:
        detail += ", and the entries after the gap were renumbered"
    return Damage(expected, "deletion", detail)


def _reordering(expected: int, found: int) -> Damage:
    return Damage(
        expected, "reordering", f"entry {found} is stored before entry {expected}: entries swapped"
    )
