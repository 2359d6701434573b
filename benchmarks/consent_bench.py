"""Media release benchmark (issue #5): "Can I post this?" and the class roster at tier L.

Standalone: `python benchmarks/consent_bench.py [--tier L] [--runs 50] [--views 200]`, or
`make bench` (suite `consent`). Uses the import suite's database for the tier
(bench-out/data-<tier>, imported if missing), migrates it, and fills it once with media
releases for the current school year (skipped when the year already has releases):

* 85% of students have a release, signed between August 15 and yesterday: 70% of families
  allow every use, 20% answer use by use (each use allowed with probability 0.6), 10% allow
  almost nothing (each use allowed with probability 0.1); 2% of them signed a second release
  that supersedes the first; 4% of releases have one allowed use withdrawn later.
* rows are written with `steward.sqlbulk` in one transaction, straight into the history
  tables: a fixture, so no ledger entries (the reads measured here do not look at the ledger).

Then, in-process:

(a) `steward.media.selectors.can_post` for a 600-student assembly (600 current students of one
    school), for 50 runs over different schools and uses after 5 warm-up runs; target p50 and
    p95 ≤ 50 ms. Peer, same run: the same answer from one plain SQL query through bare
    `sqlite3` on the same database file (checked equal to ours, student by student).
(b) `/media/sections/<id>/` for 30-student classes through Django's test client, signed in as
    the section's teacher (access decision, release statuses, full page render through every
    middleware), 200 views after one warm-up view per class; target p95 ≤ 100 ms. Peer, same
    run: a bare Django page served by the same client and middleware, rendering the same roster
    with the same template and the same status reads (`selectors.status_for`), with no access
    check (no staff actor, no visible-students filter).

Writes demo logins (`bench-teacher-<staff id>`) into the benchmark database, never the demo's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sqlite3
import sys
import time
import types
from pathlib import Path
from typing import Any

from record_bench import percentile, setup_django, summary

ROOT = Path(__file__).resolve().parents[1]
TARGET_POST_MS = 50.0
TARGET_ROSTER_P95_MS = 100.0
ASSEMBLY = 600
CLASS_SIZE = 30
RELEASE_TEXT = (
    "I allow the school to use my child's image, voice and work as I have chosen below, "
    "for the school year. I may withdraw any use at any time from then on."
)


def generate_releases(seed: int) -> dict[str, int]:
    """Releases for 85% of students for the current school year, once (idempotent)."""
    import hashlib

    from django.db import connection, transaction
    from django.utils import timezone

    from steward import sqlbulk
    from steward.media import selectors
    from steward.media.models import MediaChoice, MediaRelease, MediaRevocation
    from steward.roster.models import GuardianRelationship, Student

    now = timezone.now()
    year = selectors.school_year(now)
    if MediaRelease.objects.filter(school_year=year).exists():
        return {}
    rng = random.Random(seed)
    uses = [use.pk for use in selectors.active_uses()]
    students = sorted(Student.objects.filter(active=True).values_list("pk", flat=True))
    guardian_of: dict[int, int] = {}
    for student_id, guardian_id in (
        GuardianRelationship.objects.filter(active=True, access_restricted=False)
        .order_by("student_id", "guardian_id")
        .values_list("student_id", "guardian_id")
    ):
        guardian_of.setdefault(student_id, guardian_id)
    start = dt.datetime(int(year[:4]), 8, 15, 12, tzinfo=dt.UTC)
    window = max(60.0, (now - dt.timedelta(days=1) - start).total_seconds())
    text_sha = hashlib.sha256(RELEASE_TEXT.encode()).hexdigest()
    signers = [rng.random() < 0.85 for _ in students]
    releases: list[tuple[Any, ...]] = []
    for student_id, signs in zip(students, signers, strict=True):
        if not signs:
            continue
        signed_at = start + dt.timedelta(seconds=rng.random() * window * 0.8)
        guardian = guardian_of.get(student_id)
        electronic = guardian is not None and rng.random() < 0.7
        releases.append(
            (
                student_id,
                year,
                signed_at,
                "guardian" if electronic else "staff_paper",
                guardian,
                RELEASE_TEXT,
                text_sha,
                "electronic" if electronic else "paper",
                "" if electronic else "Entered from the signed back-to-school form.",
            )
        )
        if rng.random() < 0.02:  # signed again later: the second supersedes the first
            later = signed_at + dt.timedelta(seconds=rng.random() * window * 0.2)
            releases.append((student_id, *releases[-1][1:2], later, *releases[-1][3:]))
    fields = [
        "student",
        "school_year",
        "signed_at",
        "signer_kind",
        "signer_guardian",
        "text",
        "text_sha256",
        "method",
        "attestation",
    ]
    with transaction.atomic():
        sqlbulk.insert(MediaRelease, fields, releases)
        rows = list(
            MediaRelease.objects.filter(school_year=year)
            .order_by("student_id", "signed_at", "pk")
            .values_list("pk", "student_id", "signed_at")
        )
        previous: dict[int, int] = {}
        supersedes = []
        for pk, student_id, _signed in rows:
            if student_id in previous:
                supersedes.append((previous[student_id], pk))
            previous[student_id] = pk
        sqlbulk.update(MediaRelease, ["supersedes"], supersedes)

        def choices() -> Any:
            for pk, _student, _signed in rows:
                family = rng.random()
                p_yes = 1.0 if family < 0.7 else (0.6 if family < 0.9 else 0.1)
                for use in uses:
                    yield (pk, use, rng.random() < p_yes)

        written = sqlbulk.insert(MediaChoice, ["release", "use", "allowed"], choices())
        revocations = []
        allowed = (
            MediaChoice.objects.filter(release__school_year=year, allowed=True)
            .order_by("release_id", "use_id")
            .values_list("release_id", "use_id")
        )
        by_release: dict[int, list[int]] = {}
        for release_id, use_id in allowed.iterator(chunk_size=20000):
            by_release.setdefault(release_id, []).append(use_id)
        signed = {pk: when for pk, _s, when in rows}
        for release_id in sorted(by_release):
            if rng.random() < 0.04:
                when = signed[release_id] + (now - signed[release_id]) * rng.random()
                revocations.append((release_id, rng.choice(by_release[release_id]), when))
        sqlbulk.insert(MediaRevocation, ["release", "use", "revoked_at"], revocations)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "releases": len(rows),
        "students with a release": len(previous),
        "superseded": len(supersedes),
        "choices": written,
        "revocations": len(revocations),
    }


PEER_SQL = """
SELECT s.value,
       (SELECT c.allowed FROM media_mediachoice c WHERE c.release_id = r.id AND c.use_id = ?),
       (SELECT 1 FROM media_mediarevocation v
         WHERE v.release_id = r.id AND v.use_id = ? AND v.revoked_at <= ?)
FROM json_each(?) s
LEFT JOIN media_mediarelease r ON r.id = (
  SELECT r2.id FROM media_mediarelease r2
  WHERE r2.student_id = s.value AND r2.school_year = ? AND r2.signed_at <= ?
  ORDER BY r2.signed_at DESC, r2.id DESC LIMIT 1)
"""


def peer_can_post(
    db: sqlite3.Connection, ids: list[int], use_id: int, year: str, at: str
) -> list[tuple[int, bool]]:
    """The same answer as `can_post` from one plain SQL query: cleared = chosen yes and not
    withdrawn on or before `at`, on the latest release of the year signed by `at`."""
    import json

    rows = db.execute(PEER_SQL, (use_id, use_id, at, json.dumps(ids), year, at)).fetchall()
    return [(student, bool(allowed) and not revoked) for student, allowed, revoked in rows]


def assemblies(count: int, seed: int) -> list[list[int]]:
    """Up to `count` assemblies: 600 current students of one school each (schools with 600 or
    more current students, cycled)."""
    from django.db.models import Count
    from django.utils import timezone

    from steward.accounts.selectors import current
    from steward.roster.models import StudentSchool

    today = timezone.localdate()
    links = StudentSchool.objects.filter(current(today), student__active=True)
    big = list(
        links.values("school_id")
        .annotate(n=Count("student_id", distinct=True))
        .filter(n__gte=ASSEMBLY)
        .order_by("school_id")
        .values_list("school_id", flat=True)
    )
    if not big:
        raise SystemExit("no school has 600 current students")
    rng = random.Random(seed)
    rng.shuffle(big)
    out = []
    for school_id in big[: min(count, len(big))]:
        ids = sorted(set(links.filter(school_id=school_id).values_list("student_id", flat=True)))
        out.append(sorted(rng.sample(ids, ASSEMBLY)))
    return out


def bench_can_post(runs: int, seed: int, db_path: Path) -> tuple[list[float], list[float], int]:
    from django.db import connection
    from django.utils import timezone

    from steward.media import selectors

    uses = selectors.active_uses()
    groups = assemblies(runs, seed)
    db = sqlite3.connect(str(db_path))
    db.execute("PRAGMA query_only = 1")
    ours: list[float] = []
    peer: list[float] = []
    for i in range(runs + 5):
        ids = groups[i % len(groups)]
        use = uses[i % len(uses)]
        at = timezone.now()
        year = selectors.school_year(at)
        started = time.perf_counter()
        answer = selectors.can_post(ids, use.key, at)
        mine = (time.perf_counter() - started) * 1000
        at_sql = connection.ops.adapt_datetimefield_value(at)
        started = time.perf_counter()
        theirs = peer_can_post(db, ids, use.pk, year, at_sql)
        floor = (time.perf_counter() - started) * 1000
        assert [(s, c) for s, c, _r in answer] == theirs, "peer and Steward disagree"
        if i >= 5:
            ours.append(mine)
            peer.append(floor)
    db.close()
    return ours, peer, len(groups)


def classes(count: int, seed: int) -> list[tuple[int, int]]:
    """(section id, teacher staff id) for up to `count` active sections with 30 current
    students and a current teacher (widening to 29–31, then 28–32, when too few have 30)."""
    from django.db.models import Count
    from django.utils import timezone

    from steward.accounts.selectors import current
    from steward.roster.models import Enrollment

    today = timezone.localdate()
    enrolled = Enrollment.objects.filter(current(today), active=True, section__active=True)
    sizes = dict(
        enrolled.filter(role=Enrollment.Role.STUDENT)
        .values("section_id")
        .annotate(n=Count("student_id", distinct=True))
        .values_list("section_id", "n")
    )
    teachers: dict[int, int] = {}
    for section_id, staff_id in (
        enrolled.filter(role=Enrollment.Role.TEACHER, staff__isnull=False)
        .order_by("section_id", "staff_id")
        .values_list("section_id", "staff_id")
    ):
        teachers.setdefault(section_id, staff_id)
    for spread in (0, 1, 2):
        chosen = sorted(
            s for s, n in sizes.items() if abs(n - CLASS_SIZE) <= spread and s in teachers
        )
        if len(chosen) >= count:
            break
    rng = random.Random(seed)
    rng.shuffle(chosen)
    return [(section_id, teachers[section_id]) for section_id in chosen[:count]]


def bare_roster(request: Any, section_id: int) -> Any:
    """The peer page: the same roster, template and status reads, and no access check."""
    from django.shortcuts import render
    from django.utils import timezone

    from steward.media import selectors
    from steward.media.views import _section_student_ids, _students, roster_rows
    from steward.roster.models import Section

    section = Section.objects.select_related("school").get(pk=section_id)
    students = _students(_section_student_ids(section_id, timezone.localdate()))
    uses = selectors.active_uses()
    year = selectors.school_year(timezone.now())
    status = selectors.status_for([s.pk for s in students], year, uses=uses)
    rows = roster_rows(students, uses, status)
    return render(
        request,
        "media/section_roster.html",
        {"section": section, "uses": uses, "rows": rows, "year": year},
    )


def bench_roster(views: int, seed: int) -> tuple[list[float], list[float], int, float]:
    from django.test import override_settings
    from django.urls import include, path

    from signin import signed_in_client
    from steward.accounts.actions import do_provision_account
    from steward.accounts.models import Account
    from steward.roster.models import Staff

    urls = types.ModuleType("consent_bench_urls")
    urls.urlpatterns = [  # type: ignore[attr-defined]
        path("bare-roster/<int:section_id>/", bare_roster),
        path("", include("steward.urls")),
    ]
    sys.modules["consent_bench_urls"] = urls
    picked = classes(max(1, views // 5), seed)
    logins = {}
    for _section, staff_id in picked:
        if staff_id not in logins:
            logins[staff_id], _created = do_provision_account(
                username=f"bench-teacher-{staff_id}",
                role=Account.Role.TEACHER,
                staff=Staff.objects.get(pk=staff_id),
            )
    plan = [picked[i % len(picked)] for i in range(views)]
    ours: list[float] = []
    peer: list[float] = []
    sizes = []
    with override_settings(ROOT_URLCONF="consent_bench_urls"):
        # Both sign-in steps once per teacher (benchmarks/signin.py), outside the timing.
        clients = {staff_id: signed_in_client(user) for staff_id, user in logins.items()}
        for section_id, staff_id in picked:  # warm-up: one view of each class, each way
            client = clients[staff_id]
            assert client.get(f"/media/sections/{section_id}/").status_code == 200
            assert client.get(f"/bare-roster/{section_id}/").status_code == 200
        for section_id, staff_id in plan:
            client = clients[staff_id]
            started = time.perf_counter()
            response = client.get(f"/media/sections/{section_id}/")
            ours.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (response.status_code, section_id)
            sizes.append(response.content.count(b'<tr data-student="'))
            started = time.perf_counter()
            bare = client.get(f"/bare-roster/{section_id}/")
            peer.append((time.perf_counter() - started) * 1000)
            assert bare.status_code == 200
            assert bare.content.count(b'<tr data-student="') == sizes[-1]
    return ours, peer, len(picked), sum(sizes) / len(sizes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", default="L")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--views", type=int, default=200)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    data = setup_django(args.tier)
    from django.utils import timezone

    from steward.access import service
    from steward.media.models import MediaChoice, MediaRelease
    from steward.roster.models import Student

    started = time.perf_counter()
    made = generate_releases(args.seed)
    if made:
        print(
            f"media releases generated in {time.perf_counter() - started:.0f} s: {made}",
            flush=True,
        )
    students = Student.objects.count()
    releases = MediaRelease.objects.count()
    choices = MediaChoice.objects.count()
    print(
        f"tier {args.tier}: {students:,} students, {releases:,} media releases, "
        f"{choices:,} choices ({timezone.now():%Y-%m-%d %H:%M} UTC, load average "
        f"{os.getloadavg()[0]:.2f})",
        flush=True,
    )
    ours, peer, schools = bench_can_post(args.runs, args.seed, data / "steward.sqlite3")
    worst = max(percentile(ours, 0.5), percentile(ours, 0.95))
    verdict = "met" if worst <= TARGET_POST_MS else "MISSED"
    print(
        f"tier {args.tier}: can_post, {ASSEMBLY}-student assembly, {len(ours)} runs over "
        f"{schools} schools: ours {summary(ours)} (target ≤ {TARGET_POST_MS:.0f} ms: {verdict})"
        f" | peer one SQL query via sqlite3 {summary(peer)} | load average "
        f"{os.getloadavg()[0]:.2f}",
        flush=True,
    )
    started = time.perf_counter()
    service.current_index()
    print(f"access index loaded from the database in {time.perf_counter() - started:.1f} s")
    ours, peer, count, mean = bench_roster(args.views, args.seed)
    verdict = "met" if percentile(ours, 0.95) <= TARGET_ROSTER_P95_MS else "MISSED"
    print(
        f"tier {args.tier}: class roster /media/sections/<id>/, {len(ours)} views of {count} "
        f"classes (mean {mean:.1f} students): ours {summary(ours)} (target p95 ≤ "
        f"{TARGET_ROSTER_P95_MS:.0f} ms: {verdict}) | peer bare page, no access check "
        f"{summary(peer)} | load average {os.getloadavg()[0]:.2f} "
        f"({timezone.now():%H:%M} UTC)",
        flush=True,
    )


if __name__ == "__main__":
    main()
