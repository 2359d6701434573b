"""An asyncio load client on httpx for `steward serve` (#10 item 6).

Each simulated user is one coroutine with its own connection, sending one request at a time
(a closed loop with a short think time) until the deadline: teachers open student records,
guardians read their child's record and access log, vendor clients page through the OneRoster
API with a bearer token. Every request carries its own X-Request-ID, which the ledger entries
it writes keep, and every answer is turned into what the ledger must then hold for it:

* a record page (staff or family) shows one `<section ... id="part-SCOPE">` per part read, and
  `open_record` writes one read entry per part: the entries must be exactly those scopes, about
  that student, by that user;
* a family's access-log page reads no record and writes nothing (that is how the project logs
  it: the log is the record of reads, not a read of the record);
* an API page naming students writes exactly one release entry naming all of them, and a page
  naming none writes nothing.
"""

from __future__ import annotations

import asyncio
import base64
import json
import math
import random
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field

import httpx

API = "/ims/oneroster/rostering/v1p2"
KINDS = ("staff", "portal", "api")
_PART = re.compile(r'<section class="card record-part" id="part-([a-z_]+)"')
_RECORD = re.compile(r"^/(?:students|portal/children)/(\d+)/$")
THINK_SECONDS = 0.05  # at most, uniformly: users click, they do not hammer


@dataclass(frozen=True)
class Expected:
    """What the ledger must hold for one answered request."""

    entries: int
    action: str = ""  # "read" or "release" when entries > 0
    student: int | None = None  # the one student a record view is about
    actor: int | None = None  # the user who read it
    scopes: tuple[str, ...] = ()  # one entry per record part shown
    subjects: int = 0  # students the release names


@dataclass(frozen=True)
class Sample:
    request_id: str
    kind: str
    path: str
    status: int | None  # None: no answer (connection error, timeout)
    seconds: float
    expected: Expected | None
    timed: bool  # False during the warm-up: counted in the ledger, not in the latencies


@dataclass
class User:
    name: str
    kind: str
    headers: dict[str, str]
    paths: list[str]
    actor: int | None = None


@dataclass
class Report:
    samples: list[Sample] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, sample: Sample) -> None:
        self.samples.append(sample)

    def errors(self) -> list[Sample]:
        return [s for s in self.samples if s.status != 200 or s.expected is None]

    def latencies(self) -> dict[str, list[float]]:
        out: dict[str, list[float]] = defaultdict(list)
        for sample in self.samples:
            if sample.timed:
                out[sample.kind].append(sample.seconds)
        return out

    def summary(self) -> str:
        """Requests, throughput, p50 / p95 / max per kind, as CI prints them."""
        lines = []
        for kind, values in sorted(self.latencies().items()):
            lines.append(
                f"{kind}: {len(values)} requests ({len(values) / self.seconds:.1f}/s), "
                f"p50 {percentile(values, 50) * 1000:.0f} ms, "
                f"p95 {percentile(values, 95) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"
            )
        return "; ".join(lines)


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def expected(user: User, path: str, response: httpx.Response) -> Expected | None:
    """What the ledger must hold for this answer; None when the answer is not the page."""
    if response.status_code != 200:
        return None
    if user.kind == "api":
        body = response.json()
        people = body.get("users") or ([body["user"]] if "user" in body else [])
        students = [
            u for u in people if any(r.get("role") == "student" for r in u.get("roles", []))
        ]
        return Expected(1, "release", subjects=len(students)) if students else Expected(0)
    record = _RECORD.match(path)
    if record is None:  # the family's access log
        return Expected(0)
    scopes = tuple(sorted(_PART.findall(response.text)))
    return Expected(len(scopes), "read", int(record.group(1)), user.actor, scopes)


async def _one(client: httpx.AsyncClient, user: User, path: str, rid: str, timed: bool) -> Sample:
    started = time.perf_counter()
    try:
        response = await client.get(path, headers={**user.headers, "X-Request-ID": rid})
    except httpx.HTTPError:
        return Sample(rid, user.kind, path, None, time.perf_counter() - started, None, timed)
    seconds = time.perf_counter() - started
    return Sample(rid, user.kind, path, response.status_code, seconds,
                  expected(user, path, response), timed)  # fmt: skip


async def _user(
    base: str, user: User, report: Report, *, warm: bool, until: float, seed: int
) -> None:
    """Warm: each of the user's paths once, in order. Timed: random paths until `until`."""
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, timeout=60, follow_redirects=False) as client:
        number = 0
        while (number < len(user.paths)) if warm else (time.monotonic() < until):
            path = user.paths[number] if warm else rng.choice(user.paths)
            rid = f"load-{'warm' if warm else 'run'}-{user.name}-{number}"
            report.samples.append(await _one(client, user, path, rid, timed=not warm))
            number += 1
            if not warm:
                await asyncio.sleep(rng.uniform(0, THINK_SECONDS))


async def run(
    base: str, users: list[User], seconds: float, report: Report, seed: int = 10
) -> Report:
    """Every user at once for `seconds`, after a warm-up in which each user opens each of its
    pages once (filling what a long-running server has warm: the access index, the vendors'
    sharing plans). Warm-up requests are checked against the ledger too, but not timed."""
    await asyncio.gather(*(_user(base, u, report, warm=True, until=0, seed=0) for u in users))
    started = time.monotonic()
    until = started + seconds
    await asyncio.gather(
        *(_user(base, u, report, warm=False, until=until, seed=seed + n)
          for n, u in enumerate(users))
    )  # fmt: skip
    report.seconds = time.monotonic() - started
    return report


def token(base: str, client_id: str, secret: str, rid: str) -> tuple[str, Sample]:
    """A bearer token from the token endpoint (RFC 6749 §4.4, HTTP Basic), and the request as
    a sample: issuing a token is a security entry in the ledger (R65)."""
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    started = time.perf_counter()
    response = httpx.post(
        base + API + "/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}", "X-Request-ID": rid},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    sample = Sample(rid, "token", API + "/token", 200, time.perf_counter() - started,
                    Expected(1, "security"), timed=False)  # fmt: skip
    return str(json.loads(response.text)["access_token"]), sample


def prepare(base: str, user: User, path: str, rid: str) -> tuple[httpx.Response, Sample]:
    """One untimed request before the load (the vendor reading the ids it will page through),
    checked against the ledger like the others."""
    started = time.perf_counter()
    response = httpx.get(base + path, headers={**user.headers, "X-Request-ID": rid}, timeout=60)
    sample = Sample(rid, user.kind, path, response.status_code, time.perf_counter() - started,
                    expected(user, path, response), timed=False)  # fmt: skip
    return response, sample
