"""`make bench`: every benchmark suite (`--suite import,audit`, the default, runs both).

Suite `import`: OneRoster import on SQLite, tiers M and L, beside the sqlite3 CLI `.import`.
Suite `audit`: the audit ledger (issue #3), see benchmarks/audit_bench.py; `--audit-scale 0.01`
for a quick smoke run, `--audit-parts append,verify,lookup` to pick parts.
Suite `access`: the access index beside pycasbin (issue #4), see benchmarks/access_bench.py.
Suite `record`: the student record page at tier L (issue #4), see benchmarks/record_bench.py.
Suite `api`: one OneRoster REST page of 100 users at tier L (issue #7), benchmarks/api_bench.py.
Suite `export`: a minimized bulk vendor export at tier L (issue #7), benchmarks/export_bench.py.
Suite `sdc`: disclosure avoidance beside τ-ARGUS Modular (issue #9), benchmarks/sdc_bench.py.
Suite `consent`: media release at tier L (issue #5): "Can I post this?" for a 600-student
assembly and the class roster with release badges, see benchmarks/consent_bench.py.

Import suite, for each tier: generate the package once (cached in bench-out/), import it into
a fresh SQLite data directory with `steward import` (time, rows/s, peak RSS of the child
process), then load the same CSV files with the `sqlite3` command-line `.import` into a fresh
database (no validation, no relations): the floor any importer is measured against. Prints one
line per measurement; `--tiers M` limits the run. Figures are recorded in docs/benchmarks.md by
hand.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import audit_bench

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench-out"
STEWARD = Path(sys.executable).parent / "steward"
TIERS = {"S": 1_000, "M": 7_000, "L": 325_000}
TARGETS = {"S": None, "M": 10.0, "L": 180.0}
SEED = 2026


def run_child(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Run `cmd`, return (wall seconds, peak RSS of that child in MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err[-2000:]}")
    return elapsed, usage.ru_maxrss // 1024


def package(tier: str) -> Path:
    folder = OUT / f"tier-{tier}"
    if not (folder / "manifest.csv").exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"generating tier {tier} ({TIERS[tier]:,} students)...", flush=True)
        run_child(
            [
                str(STEWARD),
                "generate",
                "--students",
                str(TIERS[tier]),
                "--seed",
                str(SEED),
                "--out",
                str(folder),
            ]
        )
    return folder


def data_rows(folder: Path) -> int:
    total = 0
    for csv_file in folder.glob("*.csv"):
        if csv_file.name != "manifest.csv":
            with csv_file.open("rb") as handle:
                total += sum(1 for _ in handle) - 1
    return total


def bench_steward(tier: str, folder: Path) -> tuple[float, int]:
    data = OUT / f"data-{tier}"
    shutil.rmtree(data, ignore_errors=True)
    env = {**os.environ, "STEWARD_DATA_DIR": str(data)}
    env.pop("DATABASE_URL", None)
    subprocess.run([str(STEWARD), "migrate", "-v0"], env=env, check=True)
    return run_child([str(STEWARD), "import", str(folder)], env=env)


def bench_sqlite_cli(tier: str, folder: Path) -> tuple[float, int]:
    db = OUT / f"cli-{tier}.sqlite3"
    db.unlink(missing_ok=True)
    script = OUT / f"cli-{tier}.sql"
    files = sorted(f for f in folder.glob("*.csv") if f.name != "manifest.csv")
    script.write_text("".join(f".import --csv '{f}' {f.stem}\n" for f in files))
    return run_child(["sqlite3", str(db), f".read '{script}'"])


SUITES = ("import", "audit", "access", "record", "consent", "api", "export", "sdc")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--suite",
        default=",".join(SUITES),
        help="comma-separated: import,audit,access,record,consent",
    )
    parser.add_argument("--tiers", default="M,L", help="import suite: tiers to run")
    parser.add_argument("--audit-scale", type=float, default=1.0, help="audit suite: size factor")
    parser.add_argument("--audit-parts", default=",".join(audit_bench.PARTS))
    parser.add_argument("--audit-profile", action="store_true", help="timed regions in cProfile")
    parser.add_argument("--audit-keep", action="store_true", help="keep bench-out/audit/")
    args = parser.parse_args()
    suites = args.suite.split(",")
    parts = args.audit_parts.split(",")
    for name, chosen, allowed in (("suite", suites, SUITES), ("part", parts, audit_bench.PARTS)):
        unknown = set(chosen) - set(allowed)
        if unknown:
            parser.error(f"unknown {name}: {', '.join(sorted(unknown))}")
    OUT.mkdir(exist_ok=True)
    cli_version = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite CLI {cli_version.stdout.split()[0]}, "
        f"Python sqlite3 module on SQLite {sqlite3.sqlite_version}"
    )
    if "import" in suites:
        import_suite(args.tiers.split(","))
    if "audit" in suites:
        audit_bench.run_suite(
            args.audit_scale, parts, profile=args.audit_profile, keep=args.audit_keep
        )
    if "access" in suites:
        # Its own process: the 660k relationship records would otherwise share this heap.
        subprocess.run(
            [sys.executable, str(Path(__file__).with_name("access_bench.py"))], check=True
        )
    if "record" in suites:
        # The student record page at tier L, on the import suite's database (imported if absent).
        subprocess.run(
            [sys.executable, str(Path(__file__).with_name("record_bench.py"))], check=True
        )
    if "consent" in suites:
        # Media release at tier L on the same database: releases generated once, then
        # "Can I post this?" and the class roster, each beside its peer.
        subprocess.run(
            [sys.executable, str(Path(__file__).with_name("consent_bench.py"))], check=True
        )
    if "api" in suites:  # one OneRoster REST page of 100 users at tier L (issue #7)
        subprocess.run([sys.executable, str(Path(__file__).with_name("api_bench.py"))], check=True)
    if "export" in suites:  # a minimized bulk export at tier L, beside a plain query → CSV
        subprocess.run(
            [sys.executable, str(Path(__file__).with_name("export_bench.py"))], check=True
        )
    if "sdc" in suites:  # protect + audit beside τ-ARGUS Modular (issue #9)
        subprocess.run([sys.executable, str(Path(__file__).with_name("sdc_bench.py"))], check=True)


def import_suite(tiers: list[str]) -> None:
    for tier in tiers:
        folder = package(tier)
        rows = data_rows(folder)
        ours, our_rss = bench_steward(tier, folder)
        peer, peer_rss = bench_sqlite_cli(tier, folder)
        target = TARGETS[tier]
        verdict = ""
        if target is not None:
            verdict = f" (target ≤ {target:.0f} s: {'met' if ours <= target else 'MISSED'})"
        print(
            f"tier {tier}: {rows:,} data rows | steward import {ours:.1f} s, "
            f"{rows / ours:,.0f} rows/s, peak RSS {our_rss:,} MiB{verdict} | "
            f"peer sqlite3 .import {peer:.1f} s, {rows / peer:,.0f} rows/s, "
            f"peak RSS {peer_rss:,} MiB",
            flush=True,
        )


if __name__ == "__main__":
    main()
