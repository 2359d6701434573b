"""Access index benchmark (issue #4): build, memory, checks and listings at district scale,
side by side with pycasbin's FastEnforcer over the same relationships.

Standalone: `python benchmarks/access_bench.py [--students 50000] [--checks 100000]`.

Synthetic district: 30 schools, 50,000 students, each enrolled in 7 sections (one per
period, sections of about 25, half of them full-year and half split into two semesters, 3% of
enrollments ended early by a withdrawal): about 500,000 student enrollments, 20,000 sections,
4,000 teachers (about 5 sections each), 4 counselors, 3 special-education case managers, a
nurse and a principal per school, plus district staff with no grants.

The peer: pycasbin FastEnforcer (`cache_key_order=[1, 2]`, keyed by student and action; pycasbin
2.8.0's FastPolicy breaks with a single key, `[1]`: its iteration assumes two levels) with the
same relationships as policy lines: `p, section:X, student:Y, read` for each enrollment, `p,
school:K, student:Y, read` for each school enrollment, `p, caseload:T, student:Y, read` for each
caseload entry, and `g, staff:T, section:X` / `g, staff:T, school:K` / `g, staff:T, caseload:T`
for the staff side. Casbin has no dates and no scopes here, so it answers a simpler question
than ours (relationship exists, ever); its figures are a floor. Its listing is
`get_implicit_roles_for_user` then `get_filtered_policy` per role.

Per-check times include one `perf_counter_ns` pair (about 0.1 µs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from steward.access.index import (
    AccessIndex,
    CaseloadLink,
    StaffSchool,
    StaffSection,
    StudentSchoolLink,
    StudentSection,
)
from steward.access.policy import ALL_SCOPES, ATTENDANCE, DIRECTORY

YEAR_BEGIN = dt.date(2026, 9, 2)
YEAR_END = dt.date(2027, 6, 18)
FALL_END = dt.date(2027, 1, 24)
SPRING_BEGIN = dt.date(2027, 1, 25)
SCHOOLS = 30
PERIODS = 7
SECTION_SIZE = 25


class District:
    def __init__(self, students: int, seed: int) -> None:
        rng = random.Random(seed)
        self.staff_sections: list[StaffSection] = []
        self.student_sections: list[StudentSection] = []
        self.staff_schools: list[StaffSchool] = []
        self.student_schools: list[StudentSchoolLink] = []
        self.caseloads: list[CaseloadLink] = []
        self.teachers: list[int] = []
        self.principals: list[int] = []
        self.roster: dict[int, list[int]] = {}  # teacher -> students, for likely-allowed checks
        teachers_per_school = max(1, round(4000 * students / 50_000 / SCHOOLS))
        next_staff = 1
        next_section = 1
        by_school: list[list[int]] = [[] for _ in range(SCHOOLS)]
        for student in range(1, students + 1):
            school = rng.randrange(SCHOOLS)
            by_school[school].append(student)
            self.student_schools.append(StudentSchoolLink(student, school, YEAR_BEGIN, None))
        for school, pupils in enumerate(by_school):
            teachers = list(range(next_staff, next_staff + teachers_per_school))
            next_staff += teachers_per_school
            for teacher in teachers:
                self.staff_schools.append(StaffSchool(teacher, school, "teacher", YEAR_BEGIN))
            self.teachers.extend(teachers)
            slot = 0
            for _period in range(PERIODS):
                rng.shuffle(pupils)
                for start in range(0, len(pupils), SECTION_SIZE):
                    group = pupils[start : start + SECTION_SIZE]
                    split = rng.random() < 0.5
                    terms = (
                        [(YEAR_BEGIN, FALL_END), (SPRING_BEGIN, YEAR_END)]
                        if split
                        else [(YEAR_BEGIN, YEAR_END)]
                    )
                    for begin, end in terms:
                        section = next_section
                        next_section += 1
                        teacher = teachers[slot % len(teachers)]
                        slot += 1
                        self.staff_sections.append(StaffSection(teacher, section, begin, end))
                        roster = self.roster.setdefault(teacher, [])
                        for student in group:
                            left = end
                            if rng.random() < 0.03:
                                left = begin + dt.timedelta(days=rng.randrange(10, 100))
                            self.student_sections.append(
                                StudentSection(student, section, begin, left)
                            )
                            roster.append(student)
            counselors = list(range(next_staff, next_staff + 4))
            sped = list(range(next_staff + 4, next_staff + 7))
            nurse, principal = next_staff + 7, next_staff + 8
            next_staff += 9
            self.staff_schools.append(StaffSchool(nurse, school, "nurse", YEAR_BEGIN))
            self.staff_schools.append(StaffSchool(principal, school, "principal", YEAR_BEGIN))
            self.principals.append(principal)
            for i, student in enumerate(pupils):
                self.caseloads.append(
                    CaseloadLink(counselors[i % 4], student, "counselor", YEAR_BEGIN)
                )
                if rng.random() < 0.15:
                    self.caseloads.append(
                        CaseloadLink(sped[i % 3], student, "specialEducation", YEAR_BEGIN)
                    )
        self.district_staff = list(range(next_staff, max(next_staff, 5001)))
        for staff in self.district_staff:
            self.staff_schools.append(StaffSchool(staff, 0, "districtAdministrator", YEAR_BEGIN))
        self.staff_count = next_staff - 1 + len(self.district_staff)
        self.students = students

    def build(self) -> AccessIndex:
        return AccessIndex.build(
            staff_sections=self.staff_sections,
            student_sections=self.student_sections,
            staff_schools=self.staff_schools,
            student_schools=self.student_schools,
            caseloads=self.caseloads,
        )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_queries(district: District, n: int, seed: int) -> list[tuple[int, int, str, dt.date]]:
    rng = random.Random(seed)
    scopes = sorted(ALL_SCOPES)
    span = (YEAR_END - YEAR_BEGIN).days + 40
    queries = []
    for _ in range(n):
        at = YEAR_BEGIN + dt.timedelta(days=rng.randrange(span))
        if rng.random() < 0.5:
            actor = rng.choice(district.teachers)
            student = rng.choice(district.roster[actor])
        else:
            actor = rng.randrange(1, district.staff_count + 1)
            student = rng.randrange(1, district.students + 1)
        queries.append((actor, student, rng.choice(scopes), at))
    return queries


def time_each(fn: Callable[..., Any], calls: list[tuple[Any, ...]]) -> list[float]:
    clock = time.perf_counter_ns
    out = []
    for args in calls:
        start = clock()
        fn(*args)
        out.append((clock() - start) / 1000)
    return out


def fmt_us(values: list[float]) -> str:
    return f"p50 {percentile(values, 0.5):.2f} µs, p99 {percentile(values, 0.99):.2f} µs"


def fmt_ms(values: list[float]) -> str:
    return f"p50 {percentile(values, 0.5) / 1000:.3f} ms, max {max(values) / 1000:.3f} ms"


CASBIN_MODEL = """
[request_definition]
r = sub, obj, act
[policy_definition]
p = sub, obj, act
[role_definition]
g = _, _
[policy_effect]
e = some(where (p.eft == allow))
[matchers]
m = g(r.sub, p.sub) && r.obj == p.obj && r.act == p.act
"""


def casbin_enforcer(district: District) -> Any:
    import tempfile

    import casbin
    from casbin import persist

    p_lines = [
        (f"section:{e.section}", f"student:{e.student}", "read") for e in district.student_sections
    ]
    p_lines += [
        (f"school:{s.school}", f"student:{s.student}", "read") for s in district.student_schools
    ]
    p_lines += [(f"caseload:{c.staff}", f"student:{c.student}", "read") for c in district.caseloads]
    g_lines = [(f"staff:{s.staff}", f"section:{s.section}") for s in district.staff_sections]
    g_lines += [
        (f"staff:{s.staff}", f"school:{s.school}")
        for s in district.staff_schools
        if s.position in ("nurse", "principal")
    ]
    g_lines += sorted({(f"staff:{c.staff}", f"caseload:{c.staff}") for c in district.caseloads})

    class MemoryAdapter(persist.Adapter):  # type: ignore[misc]
        def load_policy(self, model: Any) -> None:
            # as casbin's own file adapter does (`load_policy_line`): append to the policy
            p_policy = model.model["p"]["p"].policy
            for line in p_lines:
                p_policy.append(list(line))
            g_policy = model.model["g"]["g"].policy
            for line in g_lines:
                g_policy.append(list(line))

    with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as conf:
        conf.write(CASBIN_MODEL)
    enforcer = casbin.FastEnforcer(conf.name, MemoryAdapter(), cache_key_order=[1, 2])
    Path(conf.name).unlink()
    return enforcer


def casbin_listing(enforcer: Any, staff: int) -> set[str]:
    out: set[str] = set()
    for role in enforcer.get_implicit_roles_for_user(f"staff:{staff}"):
        for rule in enforcer.get_filtered_policy(0, role):
            out.add(rule[1])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=50_000)
    parser.add_argument("--checks", type=int, default=100_000)
    parser.add_argument("--no-peer", action="store_true", help="skip pycasbin")
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()

    started = time.perf_counter()
    district = District(args.students, args.seed)
    print(
        f"data: {district.students:,} students, {district.staff_count:,} staff, "
        f"{len(district.student_sections):,} student enrollments, "
        f"{len(district.staff_sections):,} teacher enrollments, "
        f"{len(district.caseloads):,} caseload entries "
        f"(generated in {time.perf_counter() - started:.1f} s)"
    )
    relationships = (
        len(district.student_sections)
        + len(district.staff_sections)
        + len(district.student_schools)
        + len(district.staff_schools)
        + len(district.caseloads)
    )

    gc.collect()
    tracemalloc.start()
    index = district.build()
    index_mb = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    del index
    gc.collect()
    started = time.perf_counter()
    index = district.build()
    build_s = time.perf_counter() - started
    rss_ours = rss_mb()

    queries = make_queries(district, args.checks, args.seed + 1)
    time_each(index.can_access, queries[:5000])  # warm up
    checks = time_each(index.can_access, queries)
    allowed = sum(index.can_access(*q) for q in queries)
    at = dt.date(2026, 11, 16)
    rng = random.Random(args.seed + 2)
    sample = rng.sample(district.teachers, min(500, len(district.teachers)))
    teacher_calls = [(t, ATTENDANCE, at) for t in sample]
    teacher_list = time_each(index.visible_students, teacher_calls)
    teacher_sizes = [len(index.visible_students(*c)) for c in teacher_calls]
    principal_calls = [(p, DIRECTORY, at) for p in district.principals]
    principal_list = time_each(index.visible_students, principal_calls)
    principal_sizes = [len(index.visible_students(*c)) for c in principal_calls]
    who_calls = [(rng.randrange(1, district.students + 1), DIRECTORY, at) for _ in range(2000)]
    who = time_each(index.who_can_access, who_calls)
    why = time_each(index.why, queries[:20_000])

    peer: dict[str, str] = {}
    if args.no_peer:
        reason = "skipped (--no-peer)"
    else:
        try:
            import casbin  # noqa: F401

            reason = ""
        except ImportError:
            reason = "not installed (pip install pycasbin)"
    if not reason:
        gc.collect()
        rss_before = rss_mb()
        started = time.perf_counter()
        enforcer = casbin_enforcer(district)
        peer["build"] = f"{time.perf_counter() - started:.2f} s"
        peer["rss"] = f"+{rss_mb() - rss_before:.0f} MB peak RSS"
        casbin_queries = [(f"staff:{a}", f"student:{s}", "read") for a, s, _, _ in queries]
        time_each(enforcer.enforce, casbin_queries[:2000])
        peer_checks = time_each(enforcer.enforce, casbin_queries)
        peer["check"] = fmt_us(peer_checks)
        peer["allowed"] = (
            f"{sum(enforcer.enforce(*q) for q in casbin_queries[:20_000]):,} of 20,000"
        )
        for name, calls in (("teacher", teacher_calls[:10]), ("principal", principal_calls[:10])):
            try:
                times = time_each(casbin_listing, [(enforcer, c[0]) for c in calls])
                peer[name] = fmt_ms(times)
            except Exception as exc:  # report the peer's failure, do not hide it
                peer[name] = f"failed: {type(exc).__name__}: {exc}"[:120]
    else:
        peer = dict.fromkeys(("build", "rss", "check", "allowed", "teacher", "principal"), reason)

    print(f"relationships: {relationships:,}")
    print(f"build: ours {build_s:.2f} s | pycasbin {peer['build']}")
    print(
        f"memory: ours index {index_mb:.0f} MB traced, process peak RSS {rss_ours:.0f} MB "
        f"| pycasbin {peer['rss']}"
    )
    print(f"check ({len(checks):,}): ours {fmt_us(checks)} | pycasbin {peer['check']}")
    print(
        f"checks allowed: ours {allowed:,} of {len(queries):,} "
        f"(first 20,000: {sum(index.can_access(*q) for q in queries[:20_000]):,}) "
        f"| pycasbin {peer['allowed']} (no dates or scopes)"
    )
    print(
        f"teacher visible_students ({len(teacher_calls)}, "
        f"mean {statistics.mean(teacher_sizes):.0f} students): "
        f"ours {fmt_ms(teacher_list)} | pycasbin {peer['teacher']}"
    )
    print(
        f"principal visible_students ({len(principal_calls)}, "
        f"mean {statistics.mean(principal_sizes):.0f} students): "
        f"ours {fmt_ms(principal_list)} | pycasbin {peer['principal']}"
    )
    print(f"who_can_access (2,000): ours {fmt_ms(who)} | pycasbin n/a")
    print(f"why (20,000): ours {fmt_us(why)} | pycasbin n/a")


if __name__ == "__main__":
    main()
