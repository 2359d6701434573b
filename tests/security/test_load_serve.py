"""A bounded load test against `steward serve` (#10 item 6; R33, R56–R58, R63, R116(4)).

50 users at once for `STEWARD_LOAD_SECONDS` (default 60) against a real server process on a
loopback port, on the database the suite runs on (an SQLite file in a temporary data
directory, or a scratch PostgreSQL database when DATABASE_URL is PostgreSQL): 30 teachers
opening their students' records, 10 guardians reading their child's record and access log,
10 vendor clients paging through the OneRoster API with bearer tokens from the token
endpoint. The district is `steward demo --small` (1,000 students) with the logins added by
`load_district`; staff sessions are MFA-verified as a real second factor leaves them.

Asserted: every answer is the page (200, never a redirect to sign-in, never a 5xx or a
timeout); the ledger holds exactly what each answered request must have written, no more and
no less (`loadclient`: one read entry per record part shown, naming that student and that
user; one release entry per API page naming students), and nothing else was written; and
`steward audit verify` passes afterwards. p50 and p95 per kind are printed at the end of the
run (`load_report`), and on failure.
"""

from __future__ import annotations

import asyncio
import os
import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.security import loadclient
from tests.security.load_server import Server, district, steward

API = loadclient.API
USERS = 50
SECONDS = float(os.environ.get("STEWARD_LOAD_SECONDS", "60"))
THREADS = 8  # `steward serve`'s default
NOTHING_WRITTEN = {"entries": 0, "actions": [], "actors": [], "students": [], "scopes": [],
                   "subjects": 0}  # fmt: skip


def _users(base: str, facts: dict[str, Any], report: loadclient.Report) -> list[loadclient.User]:
    """The 50 users: teachers, guardians and vendor clients, 30/10/10. Vendors take their
    token and read the ids they will page through first (untimed, checked in the ledger)."""
    cookie = facts["cookie"]
    users = [
        loadclient.User(
            f"teacher{n}",
            "staff",
            {"Cookie": f"{cookie}={t['session']}"},
            [f"/students/{pk}/" for pk in t["students"]],
            t["user"],
        )
        for n, t in enumerate(facts["teachers"])
    ]
    for n, g in enumerate(facts["guardians"]):
        pages = [f"/portal/children/{pk}/{end}" for pk in g["children"] for end in ("", "log/")]
        users.append(
            loadclient.User(
                f"guardian{n}", "portal", {"Cookie": f"{cookie}={g['session']}"}, pages, g["user"]
            )
        )
    rng = random.Random(6)
    for n, credentials in enumerate(facts["api_clients"]):
        bearer, sample = loadclient.token(base, **credentials, rid=f"load-token-{n}")
        report.add(sample)
        vendor = loadclient.User(f"vendor{n}", "api", {"Authorization": f"Bearer {bearer}"}, [])
        vendor.paths = _api_paths(base, vendor, rng, report)
        users.append(vendor)
    assert [u.kind for u in users].count("staff") == 30 and len(users) == USERS
    return users


def _api_paths(
    base: str, vendor: loadclient.User, rng: random.Random, report: loadclient.Report
) -> list[str]:
    """Pages of students, single students and classes' students, from the API's own ids."""
    found = {}
    for name in ("students", "classes"):
        path = f"{API}/{name}?limit=1000"
        response, sample = loadclient.prepare(base, vendor, path, f"load-{vendor.name}-{name}")
        report.add(sample)
        assert response.status_code == 200, response.text[:500]
        found[name] = response
    total = int(found["students"].headers["X-Total-Count"])
    ids = [u["sourcedId"] for u in found["students"].json()["users"]]
    class_ids = [c["sourcedId"] for c in found["classes"].json()["classes"]]
    pages = [f"{API}/students?limit=50&offset={rng.randrange(0, total)}" for _ in range(5)]
    return (
        pages
        + [f"{API}/students/{sid}" for sid in rng.sample(ids, 5)]
        + [f"{API}/classes/{cid}/students" for cid in rng.sample(class_ids, 3)]
    )


def _ledger_problems(report: loadclient.Report, ledger: dict[str, Any]) -> list[str]:
    """Each answered request against the entries carrying its request id."""
    problems = []
    written = ledger["requests"]
    for sample in report.samples:
        want = sample.expected
        got = written.get(sample.request_id, NOTHING_WRITTEN)
        if want is None:
            continue
        if got["entries"] != want.entries:
            problems.append(f"{sample.path} ({sample.request_id}): {got['entries']} entries, "
                            f"{want.entries} expected")  # fmt: skip
        elif want.action == "read" and (
            sorted(got["scopes"]) != list(want.scopes)
            or got["students"] != [want.student]
            or got["actors"] != [want.actor]
        ):
            problems.append(f"{sample.path} ({sample.request_id}): read entries {got}")
        elif want.action == "release" and (
            got["actions"] != ["release"] or got["subjects"] != want.subjects
        ):
            problems.append(f"{sample.path} ({sample.request_id}): release entries {got}")
    if ledger["foreign"]:
        problems.append(
            f"{len(ledger['foreign'])} entries from no request of the load: {ledger['foreign'][:5]}"
        )
    return problems


@pytest.mark.slow
def test_fifty_users_for_a_minute_get_every_page_and_leave_exactly_one_entry_per_read(
    scratch_env: dict[str, str], tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    env = {**scratch_env}
    env.pop("STEWARD_DEBUG", None)
    # Ten vendor clients in a closed loop: over the production limit of 1,200 a minute each
    # on a fast machine, which is the rate-limit tests' subject, not this one's.
    env["STEWARD_ROSTERING_CLIENT_RATE"] = "1000000/m"
    env["STEWARD_ROSTERING_TOKEN_RATE"] = "1000/m"
    steward(env, "migrate", "-v0")
    steward(env, "demo", "--small", "--no-serve")
    facts = district(env, "setup")
    server = Server(env, tmp_path / "serve.log", THREADS)
    report = loadclient.Report()
    try:
        users = _users(server.url, facts, report)
        asyncio.run(loadclient.run(server.url, users, SECONDS, report))
    finally:
        server.stop()
    ids = "\n".join(s.request_id for s in report.samples)
    ledger = district(env, "ledger", str(facts["head"]), stdin=ids)
    verified = steward(env, "audit", "verify", "--workers", "1")

    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    entries = Counter({kind: 0 for kind in loadclient.KINDS})
    for sample in report.samples:
        if sample.expected is not None:
            entries[sample.kind] += sample.expected.entries
    figures = (f"{USERS} users, {report.seconds:.0f} s, {THREADS} threads: {report.summary()}; "
               f"ledger entries checked per kind: {dict(entries)}")  # fmt: skip
    record_property(f"figures: load on {database}", figures)
    print(figures)
    errors = report.errors()
    assert not errors, (
        f"{len(errors)} errors of {len(report.samples)}: "
        + ", ".join(f"{s.status} {s.path}" for s in errors[:10])
        + f"\n{server.tail()}"
    )
    problems = _ledger_problems(report, ledger)
    assert not problems, f"{len(problems)} ledger mismatches: " + "\n".join(problems[:10])
    assert all(report.latencies()[kind] for kind in loadclient.KINDS), "every kind was served"
    assert verified.startswith("Ledger intact"), verified


def _sample(rid: str, want: loadclient.Expected | None, kind: str = "staff") -> loadclient.Sample:
    return loadclient.Sample(rid, kind, "/students/7/", 200, 0.01, want, timed=True)


def _written(entries: int, **fields: Any) -> dict[str, Any]:
    return {**NOTHING_WRITTEN, "entries": entries, **fields}


def test_the_ledger_check_finds_a_lost_a_doubled_a_misattributed_and_a_stray_entry() -> None:
    read = loadclient.Expected(2, "read", student=7, actor=3, scopes=("directory", "health"))
    good = _written(2, actions=["read"], actors=[3], students=[7], scopes=["health", "directory"])
    report = loadclient.Report(
        [_sample(f"r{n}", read) for n in range(5)]
        + [_sample("a1", loadclient.Expected(1, "release", subjects=50), "api")]
    )
    ledger = {
        "requests": {
            "r0": good,
            "r1": _written(1, actions=["read"], actors=[3], students=[7], scopes=["health"]),
            "r2": _written(
                3,
                actions=["read"],
                actors=[3],
                students=[7],
                scopes=["health", "directory", "health"],
            ),
            "r3": {**good, "students": [8]},
            "a1": _written(1, actions=["release"], subjects=49),
        },
        "foreign": [["somebody-else", "read"]],
    }
    problems = _ledger_problems(report, ledger)
    assert [p.split(" ")[1] for p in problems[:5]] == ["(r1):", "(r2):", "(r3):", "(r4):", "(a1):"]
    assert problems[5].startswith("1 entries from no request of the load")
    ledger["requests"] = {"r0": good, "r1": good, "r2": good, "r3": good, "r4": good,
                          "a1": _written(1, actions=["release"], subjects=50)}  # fmt: skip
    ledger["foreign"] = []
    assert _ledger_problems(report, ledger) == []


def test_a_record_page_expects_one_read_entry_per_part_it_shows() -> None:
    page = (
        '<section class="card record-part" id="part-health" aria-labelledby="h-health">'
        '<section class="card record-part" id="part-directory" aria-labelledby="h-directory">'
    )
    teacher = loadclient.User("t", "staff", {}, [], actor=3)
    answer = httpx.Response(200, text=page)
    assert loadclient.expected(teacher, "/students/7/", answer) == loadclient.Expected(
        2, "read", student=7, actor=3, scopes=("directory", "health")
    )
    assert loadclient.expected(teacher, "/students/7/", httpx.Response(302)) is None
    family = loadclient.User("g", "portal", {}, [], actor=4)
    assert loadclient.expected(family, "/portal/children/7/log/", answer) == loadclient.Expected(0)
    vendor = loadclient.User("v", "api", {}, [])
    body = {"users": [{"roles": [{"role": "student"}]}, {"roles": [{"role": "teacher"}]}]}
    one = loadclient.Expected(1, "release", subjects=1)
    assert loadclient.expected(vendor, "/x", httpx.Response(200, json=body)) == one
    none = httpx.Response(200, json={"users": []})
    assert loadclient.expected(vendor, "/x", none) == loadclient.Expected(0)
