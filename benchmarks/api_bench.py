"""OneRoster REST benchmark (issue #7): p95 of one page of 100 users at tier L.

Standalone: `python benchmarks/api_bench.py [--tier L] [--pages 300]`, or `make bench`
(suite `api`). Uses the import suite's database for the tier (bench-out/data-<tier>, imported
if missing; `record_bench.setup_django`), gives a benchmark vendor an active district-wide
agreement (roster elements: names, grade, school, schedule, teacher names) and an API client,
then serves `GET /ims/oneroster/rostering/v1p2/users?limit=100&offset=N` in-process through
Django's test client at random offsets:

* ours: the whole API: bearer-token check, scope, the plan's fingerprint, paging, loading
  the page with roles and agents, minimization, JSON, and the disclosure entry in the ledger;
* peer, same run: the same page's rows read with plain ORM queries (the users and their
  school links) and `json.dumps`, with no token, no plan, no minimization and no ledger.

The first request builds the agreement's sharing plan (reported apart: it is paid once per
change of the roster or of a family's decision, not per page). Writes a vendor, an agreement,
a client and ledger entries into the benchmark database (never the demo's).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from typing import Any

import record_bench

TARGET_P95_MS = 50.0
PAGE = 100
ELEMENTS = [
    ["Student Name", "First and/or last"],
    ["Enrollment", "Student grade level"],
    ["Enrollment", "Student school enrollment"],
    ["Schedule", "Student scheduled courses"],
    ["Schedule", "Teacher names"],
]


def agreement() -> Any:
    """The benchmark vendor's active district-wide agreement (made once, then reused)."""
    import datetime as dt

    from django.utils import timezone

    from steward.vendors.models import Agreement, AgreementKind, AgreementStatus, Vendor

    now = timezone.now()
    vendor, _created = Vendor.objects.get_or_create(
        name="Benchmark rostering vendor", defaults={"created_at": now}
    )
    found = Agreement.objects.filter(vendor=vendor, title="Benchmark OneRoster API").first()
    if found is not None:
        return found
    return Agreement.objects.create(
        vendor=vendor,
        title="Benchmark OneRoster API",
        kind=AgreementKind.SCHOOL_OFFICIAL_DPA,
        ferpa_basis="A1",
        status=AgreementStatus.ACTIVE,
        purpose="Rostering benchmark",
        data_elements=ELEMENTS,
        scope_kind="district",
        start_date=timezone.localdate() - dt.timedelta(days=1),
        end_date=timezone.localdate() + dt.timedelta(days=365),
        created_at=now,
        updated_at=now,
    )


def bearer(deal: Any) -> str:
    from steward.rostering import actions
    from steward.rostering import scopes as sc

    client, _secret = actions.do_create_api_client(
        agreement=deal, name="benchmark", scopes=[sc.CORE, sc.ROSTER], by=None
    )
    token, _row = actions.do_issue_access_token(client=client, scopes=[sc.CORE, sc.ROSTER])
    return f"Bearer {token}"


def peer_page(offset: int) -> float:
    """The same page read with plain ORM queries and serialized with json.dumps."""
    from steward.roster.models import Guardian, Staff, Student, StudentSchool

    started = time.perf_counter()
    fields = ("pk", "sourced_id", "active", "username", "given_name", "family_name")
    rows: list[dict[str, Any]] = []
    remaining, skip = PAGE, offset
    for model in (Student, Staff, Guardian):
        count = model.objects.count()
        if skip >= count:
            skip -= count
            continue
        rows += list(model.objects.order_by("pk").values(*fields)[skip : skip + remaining])
        remaining, skip = PAGE - len(rows), 0
        if remaining <= 0:
            break
    schools: dict[int, list[str]] = {}
    for student, school in StudentSchool.objects.filter(
        student_id__in=[r["pk"] for r in rows]
    ).values_list("student_id", "school__sourced_id"):
        schools.setdefault(student, []).append(school)
    body = json.dumps({"users": [{**r, "orgs": schools.get(r["pk"], [])} for r in rows]})
    assert body
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", default="L")
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    record_bench.setup_django(args.tier)
    from django.test import Client

    deal = agreement()
    header = bearer(deal)
    client = Client()
    url = "/ims/oneroster/rostering/v1p2/users"
    started = time.perf_counter()
    first = client.get(url, {"limit": PAGE}, HTTP_AUTHORIZATION=header)
    plan_s = time.perf_counter() - started
    assert first.status_code == 200, first.content[:500]
    total = int(first["X-Total-Count"])
    rng = random.Random(args.seed)
    offsets = [rng.randrange(0, max(1, total - PAGE)) for _ in range(args.pages)]
    ours: list[float] = []
    for offset in offsets:
        started = time.perf_counter()
        response = client.get(url, {"limit": PAGE, "offset": offset}, HTTP_AUTHORIZATION=header)
        ours.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:500]
        assert len(response.json()["users"]) == PAGE
    peer = [peer_page(offset) for offset in offsets]
    p95 = record_bench.percentile(ours, 0.95)
    verdict = "met" if p95 <= TARGET_P95_MS else "MISSED"
    print(
        f"tier {args.tier}: {total:,} users in the plan; first page (builds the sharing plan) "
        f"{plan_s:.1f} s | REST page of {PAGE} users, {len(ours)} pages: ours "
        f"{record_bench.summary(ours)} (target p95 ≤ {TARGET_P95_MS:.0f} ms: {verdict}) | "
        f"peer ORM + json.dumps {record_bench.summary(peer)}",
        flush=True,
    )


if __name__ == "__main__":
    main()
