"""Student record page benchmark (issue #4): p95 of `/students/<id>/` at tier L.

Standalone: `python benchmarks/record_bench.py [--tier L] [--views 300]`, or `make bench`
(suite `record`). Uses the import suite's database for the tier (bench-out/data-<tier>,
imported if missing), migrates it, fills the rest of the record once (`steward
generate-records`), then serves the page in-process through Django's test client:

* ours: the real page, signed in as teachers, counselors, nurses and principals, each opening
  students they may see (access decision, per-part reads, one ledger entry per part shown,
  template rendering);
* peer, same run: a bare Django page showing the same parts with the same templates, read by
  plain ORM queries with no access decision and no ledger write: the floor an unprotected page
  costs.

Prints the index build time and the process's peak RSS too. Writes ledger entries and demo
logins into the benchmark database (never the demo's).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench-out"
STEWARD = Path(sys.executable).parent / "steward"
TARGET_P95_MS = 100.0


def prepare(tier: str) -> Path:
    data = OUT / f"data-{tier}"
    env = {**os.environ, "STEWARD_DATA_DIR": str(data)}
    env.pop("DATABASE_URL", None)
    if not (data / "steward.sqlite3").exists():
        import run

        print(f"importing tier {tier}...", flush=True)
        run.bench_steward(tier, run.package(tier))
    subprocess.run([str(STEWARD), "migrate", "-v0"], env=env, check=True)
    return data


def setup_django(tier: str) -> Path:
    """Prepare the tier's database, point Django at it and collect static files, as `steward
    serve` does (the pages link fingerprinted files). Returns the data directory."""
    data = prepare(tier)
    os.environ["STEWARD_DATA_DIR"] = str(data)
    os.environ.pop("DATABASE_URL", None)
    os.environ["STEWARD_ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from steward.accounts.server import collect_static

    collect_static()
    return data


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(values: list[float]) -> str:
    return (
        f"p50 {percentile(values, 0.5):.1f} ms, p95 {percentile(values, 0.95):.1f} ms, "
        f"max {max(values):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", default="L")
    parser.add_argument("--views", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    setup_django(args.tier)
    from django.utils import timezone

    from signin import signed_in_client
    from steward.access import service
    from steward.records.actions import do_generate_records, records_exist
    from steward.roster.models import Student

    if not records_exist():
        started = time.perf_counter()
        counts = do_generate_records()
        print(f"records generated in {time.perf_counter() - started:.0f} s: {counts}", flush=True)
    started = time.perf_counter()
    index = service.current_index()
    build_s = time.perf_counter() - started
    students = Student.objects.count()
    print(
        f"tier {args.tier}: {students:,} students; "
        f"index loaded from the database in {build_s:.1f} s"
    )

    views = plan_views(index, args.views, args.seed)
    users = {user.pk: user for user, _student in views}
    clients = {pk: signed_in_client(user) for pk, user in users.items()}
    ours: list[float] = []
    for user, student in views:
        client = clients[user.pk]
        started = time.perf_counter()
        response = client.get(f"/students/{student}/")
        ours.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (response.status_code, user, student)
    shown = [sorted(service.grants(service.actor_for(user), student)) for user, student in views]
    peer = [
        bare_page(student, scopes) for (_user, student), scopes in zip(views, shown, strict=True)
    ]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    verdict = "met" if percentile(ours, 0.95) <= TARGET_P95_MS else "MISSED"
    print(
        f"record page, {len(views)} views at {timezone.localdate()}: ours {summary(ours)} "
        f"(target p95 ≤ {TARGET_P95_MS:.0f} ms: {verdict}) | peer bare page {summary(peer)} | "
        f"peak RSS {rss:,.0f} MiB",
        flush=True,
    )


def plan_views(index: Any, count: int, seed: int) -> list[tuple[Any, int]]:
    """Logins for staff of each kind and, for each, students they may see today."""
    from django.utils import timezone

    from steward.accounts.actions import do_provision_account
    from steward.accounts.models import Account
    from steward.roster.models import Caseload, Enrollment, Staff, StaffRole

    rng = random.Random(seed)
    today = timezone.localdate()
    kinds = {
        Account.Role.TEACHER: list(
            Enrollment.objects.filter(role="teacher").values_list("staff_id", flat=True)[:2000]
        ),
        Account.Role.COUNSELOR: list(
            Caseload.objects.filter(kind="counselor").values_list("staff_id", flat=True)[:500]
        ),
        Account.Role.NURSE: list(
            StaffRole.objects.filter(position="nurse").values_list("staff_id", flat=True)
        ),
        Account.Role.PRINCIPAL: list(
            StaffRole.objects.filter(position="principal").values_list("staff_id", flat=True)
        ),
    }
    views: list[tuple[Any, int]] = []
    per_kind = max(1, count // len(kinds))
    for role, staff_ids in kinds.items():
        scope = "health" if role == Account.Role.NURSE else "directory"
        candidates = sorted(set(staff_ids))
        rng.shuffle(candidates)
        taken = 0
        for staff_id in candidates[:40]:
            visible = sorted(index.visible_students(staff_id, scope, today))
            if not visible:
                continue
            staff = Staff.objects.get(pk=staff_id)
            user, _created = do_provision_account(
                username=f"bench-{role}-{staff_id}", role=role, staff=staff
            )
            for student in rng.sample(visible, min(len(visible), per_kind // 10 + 1)):
                views.append((user, student))
                taken += 1
            if taken >= per_kind:
                break
    return views


def bare_page(student_id: int, scopes: list[str]) -> float:
    """The peer: the same parts with the same templates (the whole page, base template
    included), read by plain ORM queries; no access decision, no ledger entry."""
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    from steward.access.record import READERS, SCOPE_ORDER
    from steward.roster.models import Student

    started = time.perf_counter()
    student = Student.objects.get(pk=student_id)
    parts = []
    for scope in SCOPE_ORDER:
        if scope in scopes:
            part = SimpleNamespace(
                scope=scope,
                data=READERS[scope](student_id, []),
                narrowed_to_sections=None,
                break_glass=False,
            )
            parts.append(
                {
                    "part": part,
                    "label": scope,
                    "reasons": [],
                    "template": f"access/parts/{scope}.html",
                }
            )
    html = render_to_string(
        "access/record.html",
        {"student": student, "parts": parts, "shows_directory": True, "withheld": []},
    )
    assert html
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    main()
