"""The audit ledger's hash chain (steward.audit.chain): pure, no database.

A 50-entry ledger is built with chain(), then damaged the ways an insider with write access to
the table could: verify() must name the first bad seq and the kind of damage.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator, Sequence

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from steward.audit import chain as chain_module
from steward.audit.chain import (
    FIELDS,
    GENESIS,
    WINDOW,
    StoredEntry,
    canonical,
    canonical_json,
    chain,
    content_digest,
    link,
    subjects_digest,
    verify,
)

K = 20  # the entry most tests damage


def entry_values(seq: int) -> list[object]:
    return [
        seq,
        1_767_225_600_000_000 + seq * 1_000,
        None if seq % 5 == 0 else 100 + seq % 7,
        f"Staff Member {seq}",
        "teacher",
        "",
        "student.view",
        "demographics,grades",
        "instruction",
        "teaches a section the student is enrolled in",
        "99.31(a)(1)",
        "",
        "",
        subjects_digest([seq, seq + 1]),
        2,
        "",
        f"req-{seq:06d}",
        "10.0.0.1",
        canonical_json({"path": "/staff/students/", "note": "élève"}),
    ]


def build(rows: Sequence[Sequence[object]], prev: str = GENESIS) -> list[StoredEntry]:
    """Stored entries for `rows` (their seq first), hashed as the ledger appends them."""
    out = []
    for values, (digest, hash_) in zip(rows, chain(rows, prev), strict=True):
        out.append(StoredEntry(values[0], prev, hash_, digest, tuple(values)))  # type: ignore[arg-type]
        prev = hash_
    return out


def build_ledger(n: int = 50) -> list[StoredEntry]:
    return build([entry_values(seq) for seq in range(1, n + 1)])


def at(entries: list[StoredEntry], seq: int) -> StoredEntry:
    return next(e for e in entries if e.seq == seq)


def with_values(entry: StoredEntry, **changes: object) -> StoredEntry:
    """The entry with some of its values changed, its digest and hash left as they were."""
    assert entry.values is not None
    values = [changes.get(name, value) for name, value in zip(FIELDS, entry.values, strict=True)]
    return StoredEntry(entry.seq, entry.prev_hash, entry.hash, entry.digest, tuple(values))


def renumbered(entry: StoredEntry, seq: int) -> StoredEntry:
    """The row after `UPDATE ... SET seq = <seq>`: values[0] follows, the hashes do not."""
    values = None if entry.values is None else (seq, *entry.values[1:])
    return StoredEntry(seq, entry.prev_hash, entry.hash, entry.digest, values)


def rehashed(entry: StoredEntry, prev: str) -> StoredEntry:
    """The entry as an attacker who recomputes its digest and hash would store it."""
    assert entry.values is not None
    digest = content_digest(entry.values)
    return StoredEntry(entry.seq, prev, link(entry.seq, prev, digest), digest, entry.values)


def rehash_from(entries: list[StoredEntry], seq: int) -> list[StoredEntry]:
    """Re-hash every entry from `seq` on, so the chain is self-consistent again."""
    out = [e for e in entries if e.seq < seq]
    for entry in entries[len(out) :]:
        out.append(rehashed(entry, out[-1].hash if out else GENESIS))
    return out


def forged(seq: int, prev: str) -> StoredEntry:
    """A new entry, correctly hashed to follow `prev` (the algorithm is public)."""
    values = entry_values(seq)
    values[3] = "Intruder"
    return rehashed(StoredEntry(seq, prev, "", "", tuple(values)), prev)


def garbage(seq: int, prev: str) -> StoredEntry:
    """A new entry whose digest and hash were made up."""
    entry = forged(seq, prev)
    return StoredEntry(seq, prev, "f" * 64, "e" * 64, entry.values)


def tombstoned(entry: StoredEntry) -> StoredEntry:
    return StoredEntry(entry.seq, entry.prev_hash, entry.hash, entry.digest, None)


def changed(value: object) -> object:
    """The value with one byte changed (or, for None, set)."""
    if value is None:
        return 1
    if isinstance(value, int):
        return value + 1
    assert isinstance(value, str)
    if not value:
        return "x"
    return chr(ord(value[0]) ^ 1) + value[1:]


def damage_of(entries: Sequence[StoredEntry], **kwargs: object) -> tuple[int, str]:
    report = verify(entries, **kwargs)  # type: ignore[arg-type]
    assert not report.ok
    assert report.damage is not None
    return report.damage.seq, report.damage.kind


# -- the canonical form -------------------------------------------------------------------------


def test_canonical_json_sorts_keys_compacts_and_keeps_non_ascii() -> None:
    assert canonical_json({"b": 1, "a": ["é", None]}) == '{"a":["é",null],"b":1}'


def test_canonical_json_is_empty_for_none_and_an_empty_dict() -> None:
    assert canonical_json(None) == ""
    assert canonical_json({}) == ""


def test_canonical_json_refuses_nan() -> None:
    with pytest.raises(ValueError):
        canonical_json({"x": math.nan})


values_strategy = st.lists(
    st.none() | st.integers() | st.text() | st.floats(allow_nan=False) | st.booleans(),
    max_size=len(FIELDS),
)


entry_values_strategy = st.lists(
    st.none()
    | st.integers()
    | st.integers(min_value=-(2**64), max_value=2**64)
    | st.text(st.characters(codec=None, categories=None))  # lone surrogates included
    | st.text(st.characters(max_codepoint=0x3000)),
    max_size=len(FIELDS),
)


def test_the_fast_entry_encoding_escapes_every_character_as_the_reference_does() -> None:
    every_ascii = "".join(map(chr, range(128)))
    others = "\u0080\u00a0\u00e9\u2028\u2029\ufeff\uffff\U0001f600\U0010ffff"
    values = [every_ascii, others, 2**63 - 1, -(2**63), 2**64, None, ""]
    expected = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()
    assert chain_module._entry_bytes(values) == expected


@settings(max_examples=1_000)
@given(entry_values_strategy)
def test_the_fast_entry_encoding_gives_exactly_the_reference_bytes(values: list[object]) -> None:
    try:
        expected: bytes | None = json.dumps(
            values, ensure_ascii=False, separators=(",", ":")
        ).encode()
    except UnicodeEncodeError:  # a lone surrogate has no UTF-8: the entry cannot be written
        expected = None
    if expected is None:
        with pytest.raises(UnicodeEncodeError):
            chain_module._entry_bytes(values)
    else:
        assert chain_module._entry_bytes(values) == expected


@given(values_strategy)
def test_canonical_is_exactly_compact_json_dumps(values: list[object]) -> None:
    expected = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()
    assert canonical(values) == expected
    assert canonical(tuple(values)) == expected
    assert content_digest(values) == hashlib.sha256(expected).hexdigest()


def test_link_hashes_seq_prev_hash_and_digest() -> None:
    digest = "ab" * 32
    expected = hashlib.sha256(f"7:{GENESIS}:{digest}".encode()).hexdigest()
    assert link(7, GENESIS, digest) == expected


def test_subjects_digest_ignores_order_and_repeats() -> None:
    assert subjects_digest([3, 1, 2, 3]) == hashlib.sha256(b"1,2,3").hexdigest()
    assert subjects_digest([10, 9]) == hashlib.sha256(b"9,10").hexdigest()  # numeric order


def test_subjects_digest_is_empty_for_no_students() -> None:
    assert subjects_digest([]) == ""


def test_chain_links_each_entry_to_the_one_before() -> None:
    rows = [entry_values(seq) for seq in (1, 2, 3)]
    pairs = chain(rows, GENESIS)
    prev = GENESIS
    for row, (digest, hash_) in zip(rows, pairs, strict=True):
        assert digest == content_digest(row)
        assert hash_ == link(row[0], prev, digest)  # type: ignore[arg-type]
        prev = hash_


def test_chain_refuses_seqs_that_are_not_consecutive() -> None:
    with pytest.raises(ValueError, match="does not follow"):
        chain([entry_values(1), entry_values(3)], GENESIS)


@pytest.mark.parametrize(
    "row",
    [
        entry_values(1)[:-1],
        ["1", *entry_values(1)[1:]],
        [1, 2, True, *entry_values(1)[3:]],
        [*entry_values(1)[:3], None, *entry_values(1)[4:]],
    ],
    ids=["too-few-values", "seq-as-text", "user-id-as-bool", "name-as-none"],
)
def test_chain_refuses_values_of_the_wrong_shape(row: list[object]) -> None:
    with pytest.raises(ValueError):
        chain([row], GENESIS)


# -- verify: what passes ------------------------------------------------------------------------


def test_an_untouched_ledger_verifies() -> None:
    entries = build_ledger()
    report = verify(entries)
    assert report.ok
    assert report.damage is None
    assert (report.checked, report.last_seq, report.last_hash) == (50, 50, entries[-1].hash)


def test_an_empty_ledger_verifies() -> None:
    report = verify([])
    assert report.ok
    assert (report.checked, report.last_seq, report.last_hash) == (0, 0, GENESIS)


def test_it_verifies_from_a_later_start() -> None:
    entries = build_ledger()
    report = verify(entries[30:], start_seq=31, start_prev=entries[29].hash)
    assert report.ok
    assert (report.checked, report.last_seq) == (20, 50)


def test_a_wrong_start_hash_is_an_edit_at_the_first_entry() -> None:
    entries = build_ledger()
    assert damage_of(entries[30:], start_seq=31, start_prev=entries[28].hash) == (31, "edit")


def test_matching_checkpoints_pass() -> None:
    entries = build_ledger()
    pins = [(10, at(entries, 10).hash), (50, at(entries, 50).hash)]
    assert verify(entries, checkpoints=pins).ok


def test_an_authorised_tombstone_passes() -> None:
    entries = build_ledger()
    entries[K - 1] = tombstoned(entries[K - 1])
    report = verify(entries, authorized_tombstones={K})
    assert report.ok
    assert report.checked == 50


# -- verify: edits ------------------------------------------------------------------------------


@pytest.mark.parametrize("field", FIELDS)
def test_it_names_a_changed_field_as_an_edit(field: str) -> None:
    entries = build_ledger()
    entry = entries[K - 1]
    assert entry.values is not None
    entries[K - 1] = with_values(entry, **{field: changed(entry.values[FIELDS.index(field)])})
    assert damage_of(entries) == (K, "edit")


@pytest.mark.parametrize("stored", ["prev_hash", "hash", "digest"])
def test_it_names_a_changed_stored_hash_as_an_edit(stored: str) -> None:
    entries = build_ledger()
    entry = entries[K - 1]
    fields = {name: getattr(entry, name) for name in ("seq", "prev_hash", "hash", "digest")}
    fields[stored] = changed(fields[stored])
    entries[K - 1] = StoredEntry(values=entry.values, **fields)
    assert damage_of(entries) == (K, "edit")


def test_it_names_a_changed_seq_column_as_an_edit() -> None:
    entries = build_ledger()
    entries[K - 1] = renumbered(entries[K - 1], 99)
    assert damage_of(entries) == (K, "edit")


def test_it_names_an_entry_rewritten_and_rehashed_in_place_as_an_edit() -> None:
    entries = build_ledger()
    entries[K - 1] = rehashed(with_values(entries[K - 1], purpose="none"), entries[K - 2].hash)
    report = verify(entries)
    assert report.damage is not None
    assert (report.damage.seq, report.damage.kind) == (K, "edit")
    assert "re-hashed" in report.damage.detail


def test_a_tombstone_whose_digest_was_changed_is_an_edit() -> None:
    entries = build_ledger()
    entry = tombstoned(entries[K - 1])
    entries[K - 1] = StoredEntry(entry.seq, entry.prev_hash, entry.hash, "0" * 64, None)
    assert damage_of(entries, authorized_tombstones={K}) == (K, "edit")


# -- verify: deletions --------------------------------------------------------------------------


def test_it_names_a_deleted_entry_by_the_gap_it_leaves() -> None:
    entries = build_ledger()
    del entries[K - 1]
    assert damage_of(entries) == (K, "deletion")


def test_it_names_the_first_of_several_deleted_entries() -> None:
    entries = build_ledger()
    del entries[K - 1 : K + 2]
    report = verify(entries)
    assert report.damage is not None
    assert (report.damage.seq, report.damage.kind) == (K, "deletion")
    assert f"entries {K}-{K + 2} are missing" in report.damage.detail


def test_it_names_a_deleted_entry_when_the_rest_were_renumbered() -> None:
    entries = build_ledger()
    del entries[K - 1]
    entries[K - 1 :] = [renumbered(e, e.seq - 1) for e in entries[K - 1 :]]
    assert [e.seq for e in entries] == list(range(1, 50))
    report = verify(entries)
    assert report.damage is not None
    assert (report.damage.seq, report.damage.kind) == (K, "deletion")
    assert "renumbered" in report.damage.detail


# -- verify: insertions -------------------------------------------------------------------------


@pytest.mark.parametrize("make", [forged, garbage], ids=["rehashed", "made-up-hash"])
def test_it_names_an_entry_inserted_with_the_rest_renumbered(make: object) -> None:
    entries = build_ledger()
    intruder = make(K, entries[K - 2].hash)  # type: ignore[operator]
    entries[K - 1 :] = [intruder, *(renumbered(e, e.seq + 1) for e in entries[K - 1 :])]
    assert [e.seq for e in entries] == list(range(1, 52))
    assert damage_of(entries) == (K, "insertion")


@pytest.mark.parametrize("make", [forged, garbage], ids=["rehashed", "made-up-hash"])
@pytest.mark.parametrize("before", [True, False], ids=["before-original", "after-original"])
def test_it_names_an_entry_inserted_under_a_duplicate_seq(make: object, before: bool) -> None:
    entries = build_ledger()
    intruder = make(K, entries[K - 2].hash)  # type: ignore[operator]
    entries.insert(K - 1 if before else K, intruder)
    assert damage_of(entries) == (K, "insertion")


def test_it_names_a_repeated_entry_as_an_insertion() -> None:
    entries = build_ledger()
    entries.insert(K, entries[K - 1])
    assert damage_of(entries) == (K, "insertion")


# -- verify: reordering -------------------------------------------------------------------------


def test_it_names_a_swapped_pair_as_reordering() -> None:
    entries = build_ledger()
    entries[K - 1], entries[K] = entries[K], entries[K - 1]
    assert damage_of(entries) == (K, "reordering")


def test_it_names_a_swapped_pair_as_reordering_when_their_seqs_were_swapped_too() -> None:
    entries = build_ledger()
    first, second = entries[K - 1], entries[K]
    entries[K - 1], entries[K] = renumbered(second, K), renumbered(first, K + 1)
    assert damage_of(entries) == (K, "reordering")


def test_it_names_an_entry_moved_two_places_later_as_reordering() -> None:
    entries = build_ledger()
    moved = entries.pop(K - 1)
    entries.insert(K + 1, moved)
    assert damage_of(entries) == (K, "reordering")


# -- verify: checkpoints, truncation, re-hashing ------------------------------------------------


def test_it_names_a_tail_truncated_after_a_checkpoint_as_truncation() -> None:
    entries = build_ledger()
    pins = [(40, at(entries, 40).hash)]
    report = verify(entries[:35], checkpoints=pins)
    assert report.damage is not None
    assert (report.damage.seq, report.damage.kind) == (40, "truncation")
    assert (report.checked, report.last_seq) == (35, 35)


def test_a_truncated_tail_goes_unseen_without_a_checkpoint() -> None:
    assert verify(build_ledger()[:35]).ok  # why checkpoints exist


def test_it_catches_a_tail_rewritten_and_rehashed_behind_a_checkpoint() -> None:
    entries = build_ledger()
    pins = [(10, at(entries, 10).hash), (40, at(entries, 40).hash)]
    entries[29] = with_values(entries[29], actor_name="Someone Else")
    entries = rehash_from(entries, 30)
    assert verify(entries).ok  # self-consistent: only the checkpoint can tell
    report = verify(entries, checkpoints=pins)
    assert report.damage is not None
    assert (report.damage.seq, report.damage.kind) == (40, "edit")
    assert "seqs 11-40" in report.damage.detail
    assert (report.checked, report.last_seq) == (39, 39)


def test_it_catches_a_deletion_rehashed_behind_a_checkpoint() -> None:
    entries = build_ledger()
    pins = [(40, at(entries, 40).hash)]
    del entries[K - 1]
    entries = rehash_from([renumbered(e, i) for i, e in enumerate(entries, start=1)], K)
    assert verify(entries).ok
    assert damage_of(entries, checkpoints=pins) == (40, "edit")


def test_conflicting_checkpoints_are_damage() -> None:
    entries = build_ledger()
    pins = [(40, at(entries, 40).hash), (40, at(entries, 41).hash)]
    assert damage_of(entries, checkpoints=pins) == (40, "edit")


def test_a_checkpoint_at_the_start_must_match_the_start_hash() -> None:
    entries = build_ledger()
    pins = [(30, at(entries, 29).hash)]
    assert damage_of(entries[30:], start_seq=31, start_prev=entries[29].hash, checkpoints=pins) == (
        30,
        "edit",
    )


# -- verify: tombstones -------------------------------------------------------------------------


def test_it_names_an_unauthorised_tombstone() -> None:
    entries = build_ledger()
    entries[K - 1] = tombstoned(entries[K - 1])
    assert damage_of(entries, authorized_tombstones={K + 1}) == (K, "tombstone")


# -- verify: streaming --------------------------------------------------------------------------


def test_it_reads_only_a_small_window_past_the_damage() -> None:
    entries = build_ledger(200)
    entries[K - 1] = with_values(entries[K - 1], purpose="changed")
    pulled = 0

    def stream() -> Iterator[StoredEntry]:
        nonlocal pulled
        for entry in entries:
            pulled += 1
            yield entry

    assert damage_of(list(entries)) == (K, "edit")
    verify(stream())
    assert pulled <= K + WINDOW


# -- properties ---------------------------------------------------------------------------------


def field_strategy(name: str) -> st.SearchStrategy[object]:
    if name in ("at_us", "subject_count"):
        return st.integers(min_value=0, max_value=2**63 - 1)
    if name == "actor_user_id":
        return st.none() | st.integers(min_value=1, max_value=2**31)
    return st.text(max_size=12)


row_strategy = st.tuples(*(field_strategy(name) for name in FIELDS[1:]))
rows_strategy = st.lists(row_strategy, min_size=1, max_size=12).map(
    lambda rows: [(seq, *row) for seq, row in enumerate(rows, start=1)]
)


@given(rows_strategy)
def test_any_chain_built_by_chain_verifies(rows: list[tuple[object, ...]]) -> None:
    entries = build(rows)
    report = verify(entries)
    assert report.ok
    assert (report.checked, report.last_seq) == (len(rows), len(rows))


@given(rows_strategy, st.data())
def test_any_single_field_mutation_is_caught_at_that_entry(
    rows: list[tuple[object, ...]], data: st.DataObject
) -> None:
    entries = build(rows)
    index = data.draw(st.integers(min_value=0, max_value=len(entries) - 1))
    entry = entries[index]
    assert entry.values is not None
    field = data.draw(st.sampled_from((*FIELDS, "stored seq", "prev_hash", "hash", "digest")))
    if field in FIELDS:
        old = entry.values[FIELDS.index(field)]
        new = data.draw(st.integers(min_value=0) if field == "seq" else field_strategy(field))
        assume(new != old or type(new) is not type(old))
        entries[index] = with_values(entry, **{field: new})
    elif field == "stored seq":
        new_seq = data.draw(st.integers(min_value=0, max_value=100))
        assume(new_seq != entry.seq)
        entries[index] = StoredEntry(
            new_seq, entry.prev_hash, entry.hash, entry.digest, entry.values
        )
    else:
        new_text = data.draw(st.text(alphabet="0123456789abcdef", min_size=64, max_size=64))
        assume(new_text != getattr(entry, field))
        stored = {"prev_hash": entry.prev_hash, "hash": entry.hash, "digest": entry.digest}
        stored[field] = new_text
        entries[index] = StoredEntry(seq=entry.seq, values=entry.values, **stored)
    assert damage_of(entries) == (entry.seq, "edit")


positions = st.integers(min_value=2, max_value=30).flatmap(
    lambda n: st.tuples(st.just(n), st.integers(min_value=1, max_value=n - 1))
)


@given(positions, st.booleans())
def test_any_deleted_entry_but_the_last_is_named_a_deletion(
    position: tuple[int, int], renumber: bool
) -> None:
    n, seq = position
    entries = build_ledger(n)
    del entries[seq - 1]
    if renumber:
        entries = [renumbered(e, i) for i, e in enumerate(entries, start=1)]
    assert damage_of(entries) == (seq, "deletion")


@given(positions, st.booleans())
def test_any_adjacent_swap_is_named_a_reordering(position: tuple[int, int], renumber: bool) -> None:
    n, seq = position
    entries = build_ledger(n)
    entries[seq - 1], entries[seq] = entries[seq], entries[seq - 1]
    if renumber:
        entries = [renumbered(e, i) for i, e in enumerate(entries, start=1)]
    assert damage_of(entries) == (seq, "reordering")


@given(positions, st.booleans(), st.sampled_from([forged, garbage]))
def test_any_inserted_entry_is_named_an_insertion(
    position: tuple[int, int], renumber: bool, make: object
) -> None:
    n, seq = position
    entries = build_ledger(n)
    prev = entries[seq - 2].hash if seq > 1 else GENESIS
    entries.insert(seq - 1, make(seq, prev))  # type: ignore[operator]
    if renumber:
        entries = [renumbered(e, i) for i, e in enumerate(entries, start=1)]
    assert damage_of(entries) == (seq, "insertion")
