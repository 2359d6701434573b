"""Disclosure-avoidance benchmark (issue #9): protect + audit beside τ-ARGUS Modular.

Standalone: `python benchmarks/sdc_bench.py [--tiers 80,200] [--max-minutes 5]
[--timeout-minutes 150]`, or
`make bench` (suite `sdc`). For each tier, a synthetic school × grade × race enrollment table
with every margin (80 × 13 × 7: 9,072 cells; 200 × 13 × 7: 22,512 cells; schools of one level
each, sizes spread over an order of magnitude, two very rare groups;
steward.reports.sdc.synthetic), then, in the same run:

* ours: `protect` then `audit` (steward.reports.sdc), the audit in its default mode (exact
  pre-check, verified moves, LPs where needed);
* peer: pytauargus 0.6.0 Modular (HiTaS, HiGHS) in a child process on the same table, with
  the same primary cells (counts 1–9) and the same protection levels (3 up, down to the cell's
  a-priori floor), wall time of the child; its pattern is then audited by ours. τ-ARGUS's
  solver limit per subtable is 5 minutes, as in INSEE's rtauargus default `MOD(1,5,1,0,0)`
  (a subtable that reaches it keeps the best pattern found); the run as a whole may take up
  to `--timeout-minutes`.

Both sides use τ-ARGUS's attacker model (cells known non-negative only) so that the counts
compare; ours under the stricter default model (a "*" is never 0) is printed as well.
Target: ours (protect + audit) ≤ 1/5 of τ-ARGUS's time, with at most 10% more suppressed cells.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

from steward.reports.sdc import Rules, audit, protect, tauargus
from steward.reports.sdc.primary import primary_suppression
from steward.reports.sdc.protect import publish_pattern
from steward.reports.sdc.synthetic import enrollment

TIME_RATIO = 5.0
COUNT_SLACK = 1.10


def ours(schools: int, rules: Rules) -> tuple[float, float, int, bool]:
    table = enrollment(schools)
    started = time.perf_counter()
    protection = protect([table], rules)
    protected = time.perf_counter()
    report = audit(protection.tables, rules)
    done = time.perf_counter()
    return protected - started, done - protected, protection.suppressed_count, report.ok


def run_tier(schools: int, max_minutes: int, timeout_minutes: int) -> None:
    table = enrollment(schools)
    rules = Rules(attacker_knows_nonzero=False)
    primary = primary_suppression(table, rules).primary
    tier = f"{schools} × 13 × 7 ({table.size:,} cells, {int(primary.sum()):,} primary)"
    protect_s, audit_s, count, ok = ours(schools, rules)
    total = protect_s + audit_s
    print(
        f"tier {tier}: steward protect {protect_s:.2f} s + audit {audit_s:.2f} s = "
        f"{total:.2f} s, {count:,} suppressed, audit {'passed' if ok else 'FAILED'}",
        flush=True,
    )
    s_protect, s_audit, s_count, s_ok = ours(schools, Rules())
    print(
        f"tier {tier}: steward, strict model (a '*' is never 0): {s_protect + s_audit:.2f} s, "
        f"{s_count:,} suppressed, audit {'passed' if s_ok else 'FAILED'}",
        flush=True,
    )
    if not tauargus.available():
        print(f"tier {tier}: peer τ-ARGUS: not installed (pip install pytauargus)", flush=True)
        return
    lower, upper = tauargus.protection_levels(table, primary, rules)
    try:
        peer = tauargus.run(
            table,
            primary,
            lower,
            upper,
            method="MOD",
            max_minutes=max_minutes,
            timeout_minutes=timeout_minutes,
        )
    except Exception as error:  # a timeout or a solver failure is a result to print
        print(f"tier {tier}: peer τ-ARGUS MOD failed: {error}", flush=True)
        return
    peer_count = int(peer.suppressed.sum())
    peer_ok = audit([publish_pattern(table, peer.suppressed, rules)], rules).ok
    time_ok = total * TIME_RATIO <= peer.seconds
    count_ok = count <= COUNT_SLACK * peer_count
    print(
        f"tier {tier}: peer τ-ARGUS MOD {peer.seconds:.2f} s, {peer_count:,} suppressed, "
        f"our audit of its pattern {'passed' if peer_ok else 'FAILED'} | "
        f"time ratio {peer.seconds / total:.1f}× (target ≥ {TIME_RATIO:.0f}×: "
        f"{'met' if time_ok else 'MISSED'}), cells {count / peer_count:.3f}× "
        f"(target ≤ {COUNT_SLACK:.2f}×: {'met' if count_ok else 'MISSED'})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tiers", default="80,200", help="numbers of schools")
    parser.add_argument(
        "--max-minutes", type=int, default=5, help="τ-ARGUS's solver limit per subtable"
    )
    parser.add_argument(
        "--timeout-minutes", type=int, default=150, help="limit for τ-ARGUS's whole run"
    )
    args = parser.parse_args()
    print(
        f"sdc suite: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, threshold 10, protection level 3, "
        f"τ-ARGUS MOD limit {args.max_minutes} min per subtable",
        flush=True,
    )
    for schools in (int(s) for s in args.tiers.split(",")):
        run_tier(schools, args.max_minutes, args.timeout_minutes)


if __name__ == "__main__":
    main()
