"""Audit ledger benchmarks (issue #3): append, verify, student lookup, beside their peers.

Run through `benchmarks/run.py --suite audit` (or `make bench`, which runs every suite). Each
part runs in a child process (this file, `child <part>`) with its own fresh SQLite data
directory (`STEWARD_DATA_DIR`), migrated by `call_command("migrate")`, so nothing is shared
with the developer's database and every part starts from the same state.

* append: `ledger.record_many()` in batches of 1,000 events (one student each, realistic field
  sizes; events are built before the clock starts) into the fresh database. Peer: the same rows,
  read back, written with plain `sqlite3` `executemany` into an empty copy of the same schema in
  batches of the same size, one commit per batch (no hashing, no model objects): the floor.
  Also reported: a further quarter of entries naming only students whose subject set exists.
* verify: a ledger built by `record_many()` in batches of 10,000, then `verify_ledger()` timed
  end to end (database read + hashing), in the same process. Peer: `sha256sum` over a file
  holding the canonical bytes (`chain.canonical`) of every entry, concatenated.
* lookup: an Entry table generated directly (executemany, the columns and value shapes
  `record_many()` writes, via `ledger._values`): single-student entries naming their student in
  `subject_student`, and a few bulk subject sets; `hash`, `prev_hash` and `digest` are random
  hex (the chain is not computed), which does not change what the lookup reads. Timed:
  `queries.search(student=X)[:100]` (or the equivalent ORM
  query while `steward.audit.queries` does not exist), p50/p95 over random students. Peer: the
  same SQL through plain `sqlite3` (no ORM, no model instances).

Sizes scale with `--audit-scale`; `--audit-parts` picks parts; `--audit-profile` runs the timed
region under cProfile (timings are then inflated and marked so).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import json
import os
import pstats
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench-out"
SEED = 2026

# Full-size figures (issue #3 targets); --audit-scale multiplies the sizes.
APPEND_ENTRIES = 200_000
APPEND_BATCH = 1_000
# (batch size, workload): interleaved requests from every staff member, and bulk jobs (one
# staff member's report over many students), each in batches of 1,000 and 10,000.
APPEND_RUNS = ((1_000, "mixed"), (10_000, "mixed"), (1_000, "job"), (10_000, "job"))
APPEND_STUDENTS = 100_000
VERIFY_ENTRIES = 1_000_000
VERIFY_BATCH = 10_000
LOOKUP_ENTRIES = 10_000_000
LOOKUP_STUDENTS = 100_000  # students with a single-student subject set
LOOKUP_DISTRICT = 350_000  # student ids the bulk sets draw from
LOOKUP_BULK_SETS = 3
LOOKUP_BULK_SIZE = 300_000
LOOKUP_BULK_ENTRIES = 10  # entries naming each bulk set
LOOKUP_QUERIES = 200
LOOKUP_WARMUP = 50
LOOKUP_LIMIT = 100

TARGET_APPEND = 50_000  # entries/s, at least
TARGET_VERIFY = 5.0  # seconds for 1M entries, at most
TARGET_LOOKUP = 10.0  # ms, at most (p95 reported against it)

PARTS = ("append", "verify", "lookup")

# --- realistic event content ------------------------------------------------------------------

FIRST = ("Maria", "James", "Aisha", "Wei", "Olga", "Diego", "Priya", "Samuel", "Fatima", "Liam")
LAST = ("Rodriguez", "O'Connor", "Nguyen", "Okafor", "Kowalski", "Fitzgerald", "Haddad")
SCHOOLS = (
    "Abraham Lincoln Elementary School",
    "Eleanor Roosevelt Middle School",
    "John F. Kennedy High School",
    "Central Office – Student Services",
)
ROLES = ("teacher", "teacher", "teacher", "counselor", "nurse", "principal", "registrar")
PURPOSES = {
    "teacher": "Instruction: reviewing the record of a student in the teacher's class",
    "counselor": "Guidance: course planning and social-emotional support",
    "nurse": "Health services: medication and allergy information",
    "principal": "Administration: attendance and discipline follow-up",
    "registrar": "Enrollment: verifying records for transfer and placement",
}
INTEREST = "School official with a legitimate educational interest (34 CFR 99.31(a)(1)(i)(A))"
SCOPES = {
    "teacher": ("demographics", "enrollments", "grades"),
    "counselor": ("demographics", "enrollments", "grades", "attendance", "contacts"),
    "nurse": ("demographics", "health", "contacts"),
    "principal": ("demographics", "attendance", "discipline", "enrollments"),
    "registrar": ("demographics", "enrollments", "contacts", "transcripts"),
}


def make_event(
    rng: random.Random, students: Sequence[int], event_cls: Any, actor: int | None = None
) -> Any:
    """One access event naming one student, with the sizes a real request would have; by a
    random one of 5,000 staff unless `actor` is given."""
    actor = rng.randrange(1, 5_001) if actor is None else actor
    role = ROLES[actor % len(ROLES)]
    student = students[rng.randrange(len(students))]
    roll = rng.random()
    action, method = ("read", "GET") if roll < 0.9 else ("change", "POST")
    return event_cls(
        action=action,
        actor_user_id=actor,
        actor_name=f"{FIRST[actor % len(FIRST)]} {LAST[actor % len(LAST)]}-{actor}",
        actor_role=role,
        actor_affiliation=SCHOOLS[actor % len(SCHOOLS)],
        students=(student,),
        scopes=SCOPES[role],
        purpose=PURPOSES[role],
        legitimate_interest=INTEREST,
        basis="FERPA-99.31A1",
        request_id=f"{rng.getrandbits(128):032x}",
        client_ip=f"10.{actor % 250}.{(actor // 250) % 250}.{rng.randrange(2, 250)}",
        detail={"view": "roster:student_detail", "path": f"/students/{student}/", "method": method},
    )


# --- child side: runs inside Django -----------------------------------------------------------


def setup_django() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S', time.gmtime())}] {message}", file=sys.stderr, flush=True)


def timed(profile: bool, label: str, func: Callable[[], Any]) -> tuple[float, Any]:
    """Run `func`, return (wall seconds, result); optionally under cProfile (stats to stderr)."""
    gc.collect()
    if not profile:
        start = time.perf_counter()
        result = func()
        return time.perf_counter() - start, result
    profiler = cProfile.Profile()
    start = time.perf_counter()
    result = profiler.runcall(func)
    elapsed = time.perf_counter() - start
    print(f"\n--- cProfile: {label} ({elapsed:.2f} s under the profiler) ---", file=sys.stderr)
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("tottime").print_stats(18)
    stats.sort_stats("cumulative").print_stats(18)
    return elapsed, result


def db_path() -> str:
    from django.conf import settings

    return str(settings.DATABASES["default"]["NAME"])


def entry_columns() -> list[str]:
    """Column names in the order `ledger._insert` writes them."""
    from steward.audit import chain
    from steward.audit.models import Entry

    names = [
        "seq",
        "prev_hash",
        "hash",
        "digest",
        "tombstone",
        "subject_set",
        "subject_student",
        *chain.FIELDS[1:],
    ]
    return [Entry._meta.get_field(name).column for name in names]  # type: ignore[misc]


def child_append(args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection

    from steward.audit.ledger import Event, record_many

    rng = random.Random(SEED)
    students = list(range(1, args.students + 1))
    batches = []
    for _ in range(args.entries // args.batch):
        # "mixed": every event by a random staff member (requests from everyone, interleaved);
        # "job": one batch, one staff member reading many students (a report, a class list).
        actor = rng.randrange(1, 5_001) if args.workload == "job" else None
        batches.append([make_event(rng, students, Event, actor) for _ in range(args.batch)])
    log(f"append: {len(batches)} batches of {args.batch:,} events built ({args.workload})")
    per_batch: list[float] = []

    def run(batches: list[list[Any]]) -> None:
        for batch in batches:
            start = time.perf_counter()
            record_many(batch)
            per_batch.append(time.perf_counter() - start)

    elapsed, _ = timed(args.profile, "record_many", lambda: run(batches))
    entries = len(batches) * args.batch
    quarter = max(1, len(per_batch) // 4)
    last_quarter = quarter * args.batch / sum(per_batch[-quarter:])

    # Steady state: a further quarter naming only students whose subject set already exists.
    named = sorted({s for batch in batches for event in batch for s in event.students})
    again = []
    for _ in range(max(1, len(batches) // 4)):
        actor = rng.randrange(1, 5_001) if args.workload == "job" else None
        again.append([make_event(rng, named, Event, actor) for _ in range(args.batch)])
    per_batch.clear()
    steady, _ = timed(args.profile, "record_many, subject sets known", lambda: run(again))
    steady_rate = len(again) * args.batch / steady
    entries_total = entries + len(again) * args.batch
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM audit_entry")
        assert cursor.fetchone()[0] == entries_total
        cursor.execute("SELECT COUNT(*) FROM audit_subjectset")
        sets = cursor.fetchone()[0]
    connection.close()
    peer = peer_append(db_path(), args.batch)
    log(f"append: ours {elapsed:.1f} s, peer {peer:.1f} s")
    return {
        "entries": entries,
        "batch": args.batch,
        "workload": args.workload,
        "seconds": elapsed,
        "subject_sets_created": sets,
        "last_quarter_rate": last_quarter,
        "steady_entries": len(again) * args.batch,
        "steady_rate": steady_rate,
        "peer_seconds": peer,
    }


def peer_append(source: str, batch: int) -> float:
    """Write the rows record_many wrote with bare sqlite3 into an empty copy of the schema."""
    target = source + ".peer"
    for suffix in ("", "-wal", "-shm"):
        Path(target + suffix).unlink(missing_ok=True)
    src = sqlite3.connect(source)
    schema = [
        sql
        for (sql,) in src.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'audit_entry' AND sql IS NOT NULL "
            "ORDER BY type DESC"  # table before its indexes
        )
    ]
    rows = src.execute("SELECT * FROM audit_entry ORDER BY seq").fetchall()
    width = len(rows[0])
    src.close()
    dst = sqlite3.connect(target, isolation_level=None)
    for pragma in (
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "cache_size=-200000",
        "wal_autocheckpoint=40000",  # as Steward's settings
    ):
        dst.execute(f"PRAGMA {pragma}")
    for sql in schema:
        dst.execute(sql)
    insert = f"INSERT INTO audit_entry VALUES ({', '.join('?' * width)})"  # noqa: S608
    gc.collect()
    start = time.perf_counter()
    for offset in range(0, len(rows), batch):
        dst.execute("BEGIN IMMEDIATE")
        dst.executemany(insert, rows[offset : offset + batch])
        dst.execute("COMMIT")
    elapsed = time.perf_counter() - start
    dst.close()
    for suffix in ("", "-wal", "-shm"):
        Path(target + suffix).unlink(missing_ok=True)
    return elapsed


def child_verify(args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection

    from steward.audit import chain
    from steward.audit.ledger import Event, record_many
    from steward.audit.verify import stored_entries, verify_ledger

    rng = random.Random(SEED + 1)
    students = list(range(1, args.students + 1))
    build_start = time.perf_counter()
    written = 0
    while written < args.entries:
        size = min(args.batch, args.entries - written)
        record_many([make_event(rng, students, Event) for _ in range(size)])
        written += size
        if written % (args.batch * 20) == 0:
            log(f"verify: built {written:,} entries")
    build = time.perf_counter() - build_start
    log(f"verify: ledger of {written:,} entries built in {build:.1f} s (events included)")

    read_only, count = timed(False, "read", lambda: sum(1 for _ in stored_entries()))
    assert count == written
    # As `steward audit verify` runs it: one process per CPU for a ledger this size.
    workers = os.cpu_count() or 1
    elapsed, report = timed(args.profile, "verify_ledger", lambda: verify_ledger(workers=workers))
    log(f"verify: {report!r}"[:400])
    # Where the time goes: the same chain.verify over entries already in memory (hashing only).
    in_memory = list(stored_entries())
    hashing, again = timed(False, "chain.verify", lambda: chain.verify(in_memory))
    assert report_ok(again) is not False
    in_memory.clear()

    # Peer input: the canonical bytes of every entry, concatenated.
    canon = Path(db_path()).with_name("canonical.bin")
    total = 0
    with canon.open("wb") as handle:
        for stored in stored_entries():
            data = chain.canonical(list(stored.values))
            total += len(data)
            handle.write(data)
    connection.close()
    subprocess.run(["sha256sum", str(canon)], check=True, capture_output=True)  # page it in
    start = time.perf_counter()
    subprocess.run(["sha256sum", str(canon)], check=True, capture_output=True)
    peer = time.perf_counter() - start
    canon.unlink()
    return {
        "entries": written,
        "build_seconds": build,
        "workers": workers,
        "read_seconds": read_only,
        "hash_seconds": hashing,
        "seconds": elapsed,
        "report_ok": report_ok(report),
        "report": repr(report)[:300],
        "canonical_bytes": total,
        "peer_seconds": peer,
    }


def report_ok(report: Any) -> bool | None:
    for name in ("ok", "valid", "intact"):
        value = getattr(report, name, None)
        if isinstance(value, bool):
            return value
    return None


def child_lookup(args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection

    path = db_path()
    connection.close()
    build_start = time.perf_counter()
    students = build_lookup_table(path, args)
    build = time.perf_counter() - build_start
    log(f"lookup: table built in {build:.0f} s; {os.path.getsize(path) / 2**30:.1f} GiB")

    from steward.audit.models import Entry, SubjectSetMember

    try:
        from steward.audit.queries import search  # type: ignore[import-not-found]

        def query(student: int) -> Any:
            return search(student=student)[:LOOKUP_LIMIT]

        via = "steward.audit.queries.search(student=X)[:100]"
    except ImportError:

        def query(student: int) -> Any:
            sets = SubjectSetMember.objects.filter(student_id=student).values("subject_set_id")
            return Entry.objects.filter(subject_set_id__in=sets).order_by("-seq")[:LOOKUP_LIMIT]

        via = "Entry.objects.filter(subject_set_id__in=<member subquery>).order_by('-seq')[:100]"

    rng = random.Random(SEED + 2)
    picked = rng.sample(students, min(len(students), LOOKUP_QUERIES + LOOKUP_WARMUP))
    warmup, measured = picked[:LOOKUP_WARMUP], picked[LOOKUP_WARMUP:]
    for student in warmup:
        list(query(student))

    def run(pass_students: list[int]) -> tuple[list[float], int]:
        times, rows = [], 0
        for student in pass_students:
            start = time.perf_counter()
            rows += len(list(query(student)))
            times.append((time.perf_counter() - start) * 1000)
        return times, rows

    _, (first, rows) = timed(args.profile, "search", lambda: run(measured))
    again, _rows = run(measured)
    sql, params = query(measured[0]).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = [str(row[-1]) for row in cursor.fetchall()]
    connection.close()

    bound = {}
    for student in [*warmup, *measured]:
        student_sql, student_params = query(student).query.sql_with_params()
        bound[student] = (student_sql.replace("%s", "?"), student_params)
    peer_db = sqlite3.connect(path)
    peer_db.execute("PRAGMA cache_size=-200000")
    peer_times = []
    for student in warmup:
        peer_db.execute(*bound[student]).fetchall()
    for student in measured:
        start = time.perf_counter()
        peer_db.execute(*bound[student]).fetchall()
        peer_times.append((time.perf_counter() - start) * 1000)
    peer_db.close()
    return {
        "entries": args.entries,
        "students": len(students),
        "build_seconds": build,
        "db_gib": os.path.getsize(path) / 2**30,
        "via": via,
        "queries": len(measured),
        "rows_per_query": rows / len(measured),
        "p50": percentile(first, 50),
        "p95": percentile(first, 95),
        "max": max(first),
        "again_p50": percentile(again, 50),
        "again_p95": percentile(again, 95),
        "peer_p50": percentile(peer_times, 50),
        "peer_p95": percentile(peer_times, 95),
        "plan": plan,
    }


def percentile(values: list[float], pct: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def build_lookup_table(path: str, args: argparse.Namespace) -> list[int]:
    """Fill the migrated database with subject sets and `args.entries` entries; return students.

    The schema is Django's (migrated); the Entry indexes are dropped during the load and
    re-created from their own stored SQL afterwards, which is faster than maintaining them.
    """
    from steward.audit import chain
    from steward.audit.ledger import Event, _values

    rng = random.Random(SEED + 3)
    scale_students = args.students
    district = max(scale_students + 10, int(LOOKUP_DISTRICT * args.scale))
    bulk_size = min(district, max(10, int(LOOKUP_BULK_SIZE * args.scale)))
    singles = sorted(rng.sample(range(1, district + 1), scale_students))

    db = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-1000000"):
        db.execute(f"PRAGMA {pragma}")
    db.execute("BEGIN")
    # One-student entries name their student in `subject_student`, as `record_many` writes
    # them; only the bulk operations get subject sets.
    set_rows: list[tuple[Any, ...]] = []
    member_rows: list[tuple[int, int]] = []
    set_info = [(chain.subjects_digest([student]), None, 1, student) for student in singles]
    for offset in range(LOOKUP_BULK_SETS):
        set_id = 1 + offset
        ids = sorted(rng.sample(range(1, district + 1), bulk_size))
        set_rows.append((set_id, chain.subjects_digest(ids), len(ids), ",".join(map(str, ids))))
        member_rows.extend((set_id, s) for s in ids)
    db.executemany(
        "INSERT INTO audit_subjectset (id, digest, size, members) VALUES (?, ?, ?, ?)", set_rows
    )
    db.executemany(
        "INSERT INTO audit_subjectsetmember (subject_set_id, student_id) VALUES (?, ?)",
        member_rows,
    )
    bulk_info = [(digest, set_id, size, None) for set_id, digest, size, _m in set_rows]
    db.execute("COMMIT")
    log(f"lookup: {len(set_rows):,} subject sets, {len(member_rows):,} members")
    del member_rows, set_rows

    indexes = [
        (name, sql)
        for name, sql in db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = 'audit_entry' AND sql IS NOT NULL"
        )
    ]
    for name, _sql in indexes:
        db.execute(f'DROP INDEX "{name}"')

    columns = entry_columns()
    insert = (
        f"INSERT INTO audit_entry ({', '.join(columns)}) "  # noqa: S608
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    templates = [make_event(rng, singles, Event) for _ in range(4_000)]
    nobody = chain.subjects_digest([])
    bulk_every = max(1, args.entries // (LOOKUP_BULK_SETS * LOOKUP_BULK_ENTRIES))
    start_us = int(dt.datetime(2026, 8, 24, 7, 30, tzinfo=dt.UTC).timestamp() * 1_000_000)
    step_us = 300 * 86400 * 1_000_000 // args.entries  # spread over a school year

    def rows() -> Iterator[tuple[Any, ...]]:
        prev = chain.GENESIS
        bits, pick, randrange = rng.getrandbits, rng.choice, rng.randrange
        for seq in range(1, args.entries + 1):
            template = pick(templates)
            if seq % bulk_every == 0:
                digest, set_id, count, single = bulk_info[(seq // bulk_every) % len(bulk_info)]
            elif seq % 20 == 0:  # logins and other entries about nobody
                digest, set_id, count, single = nobody, None, 0, None
            else:
                digest, set_id, count, single = set_info[randrange(len(set_info))]
            values = _values(seq, template, digest, count, start_us + step_us * seq)
            entry_hash = f"{bits(256):064x}"
            yield (
                seq, prev, entry_hash, f"{bits(256):064x}", False, set_id, single, *values[1:]
            )  # fmt: skip
            prev = entry_hash

    generated = rows()
    chunk = 50_000
    done = 0
    while True:
        batch = [row for _, row in zip(range(chunk), generated, strict=False)]
        if not batch:
            break
        db.execute("BEGIN")
        db.executemany(insert, batch)
        db.execute("COMMIT")
        done += len(batch)
        if done % 1_000_000 == 0:
            log(f"lookup: {done:,} entries written")
    for name, sql in indexes:
        db.execute(sql)
        log(f"lookup: index {name} re-created")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    return singles


def child_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("part", choices=PARTS)
    parser.add_argument("--entries", type=int, required=True)
    parser.add_argument("--batch", type=int, default=APPEND_BATCH)
    parser.add_argument("--workload", choices=("mixed", "job"), default="mixed")
    parser.add_argument("--students", type=int, required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    setup_django()
    gc.freeze()
    result = {"append": child_append, "verify": child_verify, "lookup": child_lookup}[args.part](
        args
    )
    print("RESULT " + json.dumps(result), flush=True)


# --- parent side: called by run.py ------------------------------------------------------------


def run_child(part: str, data: Path, flags: list[str]) -> tuple[dict[str, Any], int]:
    """Run one part in a fresh data directory; return (result, peak RSS MiB)."""
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    env = {
        **os.environ,
        "STEWARD_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "steward.settings",
    }
    env.pop("DATABASE_URL", None)
    cmd = [sys.executable, str(Path(__file__).resolve()), "child", part, *flags]
    print(f"  audit {part}: load average {os.getloadavg()[0]:.2f} at start", flush=True)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    stdout = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"audit benchmark {part} failed (exit {code})")
    lines = [line for line in stdout.splitlines() if line.startswith("RESULT ")]
    if not lines:
        raise SystemExit(f"audit benchmark {part} printed no result")
    return json.loads(lines[-1][len("RESULT ") :]), usage.ru_maxrss // 1024


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def free_gib(path: Path) -> float:
    usage = shutil.disk_usage(path)
    return usage.free / 2**30


def run_suite(scale: float, parts: Sequence[str], *, profile: bool, keep: bool) -> None:
    base = OUT / "audit"
    base.mkdir(parents=True, exist_ok=True)
    extra = ["--profile"] if profile else []
    note = " [UNDER cProfile: timings inflated]" if profile else ""
    scaled = f" (--audit-scale {scale:g})" if scale != 1 else ""
    try:
        if "append" in parts:
            for batch, workload in APPEND_RUNS:
                entries = max(batch, int(APPEND_ENTRIES * scale) // batch * batch)
                students = max(100, int(APPEND_STUDENTS * scale))
                flags = ["--entries", str(entries), "--students", str(students)]
                flags += ["--batch", str(batch), "--workload", workload, *extra]
                r, _ = run_child("append", base / f"append-{batch}-{workload}", flags)
                ours = r["entries"] / r["seconds"]
                peer = (r["entries"] + r["steady_entries"]) / r["peer_seconds"]
                print(
                    f"audit append{scaled}, {workload}: {r['entries']:,} entries, record_many() "
                    f"x{r['batch']:,}, {students:,} students | steward {r['seconds']:.1f} s, "
                    f"{ours:,.0f} entries/s (target ≥ {TARGET_APPEND:,}/s: "
                    f"{verdict(ours >= TARGET_APPEND)}; {r['subject_sets_created']:,} subject "
                    f"sets created; last quarter {r['last_quarter_rate']:,.0f}/s; then "
                    f"{r['steady_entries']:,} more naming only known students "
                    f"{r['steady_rate']:,.0f}/s) | peer sqlite3 executemany of the same "
                    f"{r['entries'] + r['steady_entries']:,} rows in batches of {r['batch']:,} "
                    f"{r['peer_seconds']:.1f} s, {peer:,.0f} entries/s{note}",
                    flush=True,
                )
        if "verify" in parts:
            entries = max(1_000, int(VERIFY_ENTRIES * scale))
            students = max(100, int(APPEND_STUDENTS * scale))
            flags = ["--entries", str(entries), "--students", str(students)]
            flags += ["--batch", str(VERIFY_BATCH), *extra]
            r, _ = run_child("verify", base / "verify", flags)
            target = TARGET_VERIFY * entries / VERIFY_ENTRIES
            mib = r["canonical_bytes"] / 2**20
            print(
                f"audit verify{scaled}: {r['entries']:,} entries (built by record_many in "
                f"{r['build_seconds']:.0f} s) | steward verify_ledger(workers={r['workers']}) "
                f"{r['seconds']:.2f} s, "
                f"{r['entries'] / r['seconds']:,.0f} entries/s, "
                f"{mib / r['seconds']:,.0f} MiB/s canonical, report ok={r['report_ok']} "
                f"(apart: DB read into StoredEntry {r['read_seconds']:.2f} s, chain.verify over "
                f"entries in memory {r['hash_seconds']:.2f} s) "
                f"(target ≤ {target:g} s: {verdict(r['seconds'] <= target)}) | peer sha256sum "
                f"over {mib:,.0f} MiB of canonical bytes {r['peer_seconds']:.2f} s, "
                f"{mib / r['peer_seconds']:,.0f} MiB/s, "
                f"{r['entries'] / r['peer_seconds']:,.0f} entries/s{note}",
                flush=True,
            )
        if "lookup" in parts:
            entries = max(10_000, int(LOOKUP_ENTRIES * scale))
            need = 12 * entries / 10_000_000 + 1
            if free_gib(base) < need:
                raise SystemExit(f"audit lookup needs ~{need:.0f} GiB free under {base}")
            students = max(100, int(LOOKUP_STUDENTS * scale))
            flags = ["--entries", str(entries), "--students", str(students)]
            flags += ["--scale", str(scale), *extra]
            r, _ = run_child("lookup", base / "lookup", flags)
            met = r["p95"] <= TARGET_LOOKUP
            print(
                f"audit lookup{scaled}: {r['entries']:,} entries, {r['students']:,} students "
                f"named alone + {LOOKUP_BULK_SETS} bulk sets, random hex hashes (not chained), "
                f"DB {r['db_gib']:.1f} GiB | steward {r['via']} over {r['queries']} random "
                f"students, warm: p50 {r['p50']:.2f} ms, p95 {r['p95']:.2f} ms, max "
                f"{r['max']:.2f} ms, {r['rows_per_query']:.0f} rows/query (same students again: "
                f"p50 {r['again_p50']:.2f} ms, p95 {r['again_p95']:.2f} ms) "
                f"(target ≤ {TARGET_LOOKUP:g} ms: {verdict(met)}) | peer same SQL via "
                f"sqlite3: p50 {r['peer_p50']:.2f} ms, p95 {r['peer_p95']:.2f} ms{note}",
                flush=True,
            )
            print(f"  lookup query plan: {' / '.join(r['plan'])}", flush=True)
    finally:
        if not keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        child_main(sys.argv[2:])
    else:
        raise SystemExit("run through benchmarks/run.py --suite audit")
