"""The people of the synthetic district: schools' student bodies, families, guardians, staff.

Pure Python for `generate.py` (no Django). Everything is drawn from `random.Random` streams
seeded from the generator's seed, and names come from pools that Faker fills once per seed
(`Faker.seed_instance`, never the global seed), so the same seed always gives the same district.

Per-person data is kept in parallel lists and `array`s indexed by student, family or guardian
number rather than in objects, so that tier L (325,000 students, ~540,000 guardians) stays small.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from array import array
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from faker import Faker

from steward.roster.oneroster import synth_catalog as cat

LOCALES = ("en_US", "es_MX", "pt_BR", "fr_FR")
LOCALE_WEIGHTS = (0.68, 0.22, 0.07, 0.03)
HISPANIC_RATE = (0.12, 0.9, 0.05, 0.0)  # per locale of the family's names
EL_RATE = (0.02, 0.25, 0.4, 0.35)  # English learner rate per locale: ~10 % overall

# Special indicator bits, in the order of spec.META_INDICATORS.
IEP, SECTION504, EL, LOW_INCOME, HOMELESS, FOSTER, HEALTH = (1 << i for i in range(7))
# Race / ethnicity bits, in the order of the demographics.csv race columns.
AIAN, ASIAN, BLACK, NHPI, WHITE, TWO_OR_MORE, HISPANIC = (1 << i for i in range(7))
# Guardian link bits (the same for each of the guardian's children in a family).
CUSTODIAL, LIVES_WITH, EMERGENCY, RESTRICTED = 1, 2, 4, 8
GUARDIAN_KINDS = ("parent", "guardian", "relative")

CASELOAD_MIN, CASELOAD_MAX = 250, 400  # counselor caseloads
CASE_MANAGER_LOAD = 15  # IEP students per special-education case manager
TRANSFER_RATE = 0.03  # students leaving mid-term, and (others) arriving late

_RACES = {
    "default": ((WHITE, 0.62), (BLACK, 0.17), (ASIAN, 0.09), (TWO_OR_MORE, 0.10), (AIAN, 0.007),
                (NHPI, 0.004)),
    "hispanic": ((WHITE, 0.74), (TWO_OR_MORE, 0.13), (BLACK, 0.06), (AIAN, 0.03), (ASIAN, 0.02),
                 (NHPI, 0.01)),
    "haitian": ((BLACK, 0.9), (TWO_OR_MORE, 0.1)),
}  # fmt: skip
_MIXED = ((WHITE | BLACK, 0.4), (WHITE | ASIAN, 0.3), (BLACK | ASIAN, 0.1), (WHITE | AIAN, 0.12),
          (BLACK | AIAN, 0.05), (ASIAN | NHPI, 0.03))  # fmt: skip
AREA_CODES = ("617", "857", "781", "339", "508", "774", "978", "351", "413")


@dataclass(frozen=True)
class Pools:
    """Names drawn from Faker once per seed, per locale (duplicates kept: common names recur)."""

    female: tuple[tuple[str, ...], ...]
    male: tuple[tuple[str, ...], ...]
    last: tuple[tuple[str, ...], ...]
    cities: tuple[str, ...]


@lru_cache(maxsize=4)
def name_pools(seed: int) -> Pools:
    female, male, last = [], [], []
    cities: tuple[str, ...] = ()
    for i, locale in enumerate(LOCALES):
        fake = Faker(locale)
        fake.seed_instance(seed * len(LOCALES) + i)
        female.append(tuple(fake.first_name_female() for _ in range(1500)))
        male.append(tuple(fake.first_name_male() for _ in range(1500)))
        last.append(tuple(fake.last_name() for _ in range(2500)))
        if i == 0:
            cities = tuple(fake.city() for _ in range(300))
    return Pools(tuple(female), tuple(male), tuple(last), cities)


def ascii_slug(text: str) -> str:
    """Lowercase ASCII letters of `text` ("Ana Luiza" -> "analuiza"), for usernames."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", folded.lower()) or "x"


@dataclass(slots=True)
class School:
    number: int  # position among schools, 0-based
    sourced_id: str
    name: str
    level: str
    identifier: str
    start: int = 0  # first student number; the school's students are contiguous
    count: int = 0
    homerooms: list[tuple[int, int, int]] = field(default_factory=list)  # (grade, first, size)


@dataclass(slots=True)
class Staff:
    given: str
    family: str
    position: str  # spec.POSITIONS
    org: int  # school number, or -1 for the district
    other_orgs: tuple[int, ...] = ()
    room: int = 0


@dataclass
class District:
    seed: int
    calendar: cat.Calendar
    name: str
    identifier: str
    domain: str
    schools: list[School]
    pools: Pools
    # per student
    grade: array = field(default_factory=lambda: array("b"))
    school: array = field(default_factory=lambda: array("i"))
    given: list[str] = field(default_factory=list)
    surname: list[str] = field(default_factory=list)
    middle: list[str] = field(default_factory=list)
    sex: list[str] = field(default_factory=list)
    family: array = field(default_factory=lambda: array("i"))
    flags: array = field(default_factory=lambda: array("B"))
    state_id: list[int] = field(default_factory=list)
    preferred: dict[int, str] = field(default_factory=dict)
    arrive: dict[int, date] = field(default_factory=dict)
    leave: dict[int, date] = field(default_factory=dict)
    counselor: array = field(default_factory=lambda: array("i"))
    case_manager: array = field(default_factory=lambda: array("i"))
    # per family
    fam_students: list[tuple[int, ...]] = field(default_factory=list)
    fam_guardians: array = field(default_factory=lambda: array("i"))  # first guardian number
    fam_locale: array = field(default_factory=lambda: array("b"))
    fam_race: array = field(default_factory=lambda: array("B"))
    fam_flags: array = field(default_factory=lambda: array("B"))
    # per guardian
    g_family: array = field(default_factory=lambda: array("i"))
    g_given: list[str] = field(default_factory=list)
    g_surname: list[str] = field(default_factory=list)
    g_kind: array = field(default_factory=lambda: array("b"))
    g_flags: array = field(default_factory=lambda: array("B"))
    staff: list[Staff] = field(default_factory=list)

    @property
    def students(self) -> int:
        return len(self.grade)

    def family_guardians(self, fam: int) -> range:
        end = (
            self.fam_guardians[fam + 1] if fam + 1 < len(self.fam_guardians) else len(self.g_family)
        )
        return range(self.fam_guardians[fam], end)

    def present(self, student: int, start: date, end: date) -> bool:
        """Whether the student is enrolled at some time between start and end."""
        a, lv = self.arrive.get(student), self.leave.get(student)
        return (a is None or a <= end) and (lv is None or lv >= start)

    def first_name(self, rng: random.Random, locale: int, female: bool) -> str:
        pool = self.pools.female[locale] if female else self.pools.male[locale]
        return pool[rng.randrange(len(pool))]

    def last_name(self, rng: random.Random, locale: int) -> str:
        pool = self.pools.last[locale]
        return pool[rng.randrange(len(pool))]

    def add_staff(self, rng: random.Random, position: str, org: int, **kw: object) -> int:
        locale = 0 if rng.random() < 0.8 else rng.randrange(1, len(LOCALES))
        female = rng.random() < (
            0.75 if position in ("teacher", "nurse", "specialEducation") else 0.55
        )
        given = self.first_name(rng, locale, female)
        self.staff.append(Staff(given, self.last_name(rng, locale), position, org, **kw))  # type: ignore[arg-type]
        return len(self.staff) - 1


def staff_id(number: int) -> str:
    return f"stf-{number + 1:05d}"


def student_id(number: int) -> str:
    return f"stu-{number + 1:06d}"


def guardian_id(number: int) -> str:
    return f"gdn-{number + 1:06d}"


def largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Split `total` into integers proportional to `weights`, summing exactly to `total`."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def balanced(n: int, k: int) -> list[int]:
    """`n` split into `k` sizes differing by at most one."""
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def sections_for(n: int, typical: int, most: int, least: int = 20) -> int:
    """How many sections of about `typical` students `n` students make: never more than
    `most` per section, and none under `least` unless `n` is too small for that."""
    if n <= 0:
        return 0
    fewest = math.ceil(n / most)
    return max(fewest, min(round(n / typical), n // least))


def weighted(rng: random.Random, table: tuple[tuple[int, float], ...]) -> int:
    r = rng.random() * sum(w for _, w in table)
    for value, w in table:
        r -= w
        if r < 0:
            return value
    return table[-1][0]


def _plan_schools(
    students: int, rng: random.Random, pools: Pools, city: str
) -> tuple[list[School], list[list[tuple[int, int]]]]:
    """Schools and, per school, its (grade, size) cohorts in order; elementary cohorts are
    homerooms of at most HOMEROOM_MAX students, dealt round-robin to the elementary schools."""
    per_grade = largest_remainder(students, list(cat.GRADE_WEIGHTS))
    cohorts: list[list[tuple[int, int]]] = []
    levels: list[str] = []
    for level in cat.LEVELS:
        grades = cat.LEVEL_GRADES[level]
        total = sum(per_grade[g] for g in grades)
        if not total:
            continue
        if level == "elementary":
            k = max(1, round(total / cat.ELEMENTARY_SIZE))
        elif level == "middle":
            k = max(1, round(total / cat.MIDDLE_SIZE))
        else:
            k = max(1, math.ceil(total / cat.HIGH_MAX))
        mine: list[list[tuple[int, int]]] = [[] for _ in range(k)]
        dealt = 0
        for g in grades:
            if level == "elementary":
                rooms = sections_for(per_grade[g], cat.HOMEROOM_SIZE, cat.HOMEROOM_MAX)
                for size in balanced(per_grade[g], rooms) if rooms else ():
                    mine[dealt % k].append((g, size))
                    dealt += 1
            else:
                sizes = balanced(per_grade[g], k)
                for s in range(k):
                    size = sizes[(s + g) % k]  # rotate who gets the extra student
                    if size:
                        mine[s].append((g, size))
        cohorts.extend(mine)
        levels.extend([level] * k)
    used: set[str] = set()
    schools: list[School] = []
    for n, level in enumerate(levels):
        if level == "high" and "high" not in {s.level for s in schools}:
            name = f"{city} High School"
        else:
            name = _school_name(rng, pools, level, used)
        schools.append(School(n, f"org-{n + 2:04d}", name, level, f"{n * 5 + 5:04d}"))
    return schools, cohorts


def _school_name(rng: random.Random, pools: Pools, level: str, used: set[str]) -> str:
    """A school named after someone: a surname, or a full name once surnames run short."""
    last, first = pools.last[0], pools.female[0] if rng.random() < 0.5 else pools.male[0]
    for attempt in range(1000):
        honoree = last[rng.randrange(len(last))]
        if attempt >= 20:
            honoree = f"{first[rng.randrange(len(first))]} {honoree}"
        if honoree not in used:
            used.add(honoree)
            return f"{honoree} {level.capitalize()} School"
    return f"{level.capitalize()} School {len(used) + 1}"  # pragma: no cover


def build_district(students: int, seed: int, calendar: cat.Calendar) -> District:
    """Plan the district: schools, students, families and guardians, non-teaching staff and
    caseloads. Teachers are added by the section pass of `generate.py`."""
    rng = random.Random(f"steward-generate:{seed}:district")
    pools = name_pools(seed)
    city = pools.cities[rng.randrange(len(pools.cities))]
    schools, cohorts = _plan_schools(students, rng, pools, city)
    code = rng.randrange(100, 1000)
    for s in schools:
        s.identifier = f"{code:04d}{s.identifier}"
    d = District(
        seed, calendar, f"{city} Public Schools", f"{code:04d}0000",
        f"{ascii_slug(city)}-ps.example", schools, pools,
    )  # fmt: skip
    n = 0
    for s, mine in zip(schools, cohorts, strict=True):
        s.start = n
        for g, size in sorted(mine, key=lambda c: c[0]):
            if s.level == "elementary":
                s.homerooms.append((g, n, size))
            d.grade.extend([g] * size)
            d.school.extend([s.number] * size)
            n += size
        s.count = n - s.start
    _families(d, random.Random(f"steward-generate:{seed}:families"))
    _students(d, random.Random(f"steward-generate:{seed}:students"))
    _staff(d, random.Random(f"steward-generate:{seed}:staff"))
    return d


def _families(d: District, rng: random.Random) -> None:
    """Group students into families (siblings in different grades, a few twins) and give each
    family 1-4 guardians: ~1.9 guardian links per student, ~1.14 students per family."""
    n = d.students
    order = list(range(n))
    rng.shuffle(order)
    pos = 0
    d.family.extend([0] * n)  # numbered below, once families are sorted
    while pos < n:
        size = weighted(rng, ((1, 0.88), (2, 0.10), (3, 0.02)))
        fam: list[int] = [order[pos]]
        grades = {d.grade[order[pos]]}
        pos += 1
        for _ in range(size - 1):
            twins = rng.random() < 0.03
            j, limit = pos, min(n, pos + 40)
            while j < limit and not twins and d.grade[order[j]] in grades:
                j += 1
            if j >= limit:
                break
            order[pos], order[j] = order[j], order[pos]
            fam.append(order[pos])
            grades.add(d.grade[order[pos]])
            pos += 1
        fam.sort()
        d.fam_students.append(tuple(fam))
    d.fam_students.sort()  # number families by their first student
    for number, members in enumerate(d.fam_students):
        for s in members:
            d.family[s] = number
        _guardians(d, rng, number)


def _guardians(d: District, rng: random.Random, fam: int) -> None:
    locale = weighted(rng, tuple(enumerate(LOCALE_WEIGHTS)))
    d.fam_locale.append(locale)
    hispanic = rng.random() < HISPANIC_RATE[locale]
    table = _RACES["haitian" if locale == 3 else "hispanic" if hispanic else "default"]
    race = weighted(rng, table)
    if race == TWO_OR_MORE:
        race |= weighted(rng, _MIXED)
    d.fam_race.append(race | (HISPANIC if hispanic else 0))
    foster = rng.random() < 0.005
    count = weighted(rng, ((1, 0.20), (2, 0.72), (3, 0.06), (4, 0.02)))
    d.fam_guardians.append(len(d.g_family))
    surname = d.last_name(rng, locale)
    for k in range(count):
        if k == 0:
            kind, flags, name = 0, CUSTODIAL | LIVES_WITH | EMERGENCY, surname
            female = first_female = rng.random() < 0.72
        elif k == 1:
            female = first_female != (rng.random() < 0.9)  # mostly the other sex
            name = surname if rng.random() < 0.65 else d.last_name(rng, locale)
            kind, r = 0, rng.random()
            if r < 0.024:  # barred by a court order: never custodial, no contact
                flags = RESTRICTED
            elif r < 0.174:  # separated parent
                flags = EMERGENCY | (CUSTODIAL if rng.random() < 0.6 else 0)
            else:
                flags = CUSTODIAL | LIVES_WITH | EMERGENCY
        elif rng.random() < 0.7:  # grandparent, aunt or uncle
            kind, female, name = 2, rng.random() < 0.6, d.last_name(rng, locale)
            flags = EMERGENCY | (LIVES_WITH if rng.random() < 0.3 else 0)
        else:  # step-parent or legal guardian
            kind, female, name = 1, rng.random() < 0.5, d.last_name(rng, locale)
            flags = LIVES_WITH | EMERGENCY
        if foster and flags & CUSTODIAL:
            kind = 1
        d.g_family.append(fam)
        d.g_given.append(d.first_name(rng, locale, female))
        d.g_surname.append(name)
        d.g_kind.append(kind)
        d.g_flags.append(flags)
    # family-level indicators, copied onto each child by _students
    d.fam_flags.append(
        (LOW_INCOME if rng.random() < 0.40 else 0)
        | (HOMELESS if rng.random() < 0.015 else 0)
        | (FOSTER if foster else 0)
    )


def _students(d: District, rng: random.Random) -> None:
    n = d.students
    d.flags.extend([0] * n)
    d.state_id = rng.sample(range(1_000_000_000, 10_000_000_000), n)
    for s in range(n):
        fam = d.family[s]
        locale = d.fam_locale[fam]
        r = rng.random()
        sex = (
            "female" if r < 0.485 else "male" if r < 0.995 else ("other", "unspecified")[r > 0.998]
        )
        female = sex == "female" or (sex != "male" and rng.random() < 0.5)
        d.sex.append(sex)
        d.given.append(d.first_name(rng, locale, female))
        first_guardian = d.fam_guardians[fam]
        if rng.random() < 0.85 or len(d.family_guardians(fam)) < 2:
            d.surname.append(d.g_surname[first_guardian])
        else:
            d.surname.append(d.g_surname[first_guardian + 1])
        d.middle.append(d.first_name(rng, locale, female) if rng.random() < 0.6 else "")
        if rng.random() < 0.03:
            d.preferred[s] = d.first_name(rng, locale, female)
        f = d.fam_flags[fam]
        if rng.random() < 0.17:
            f |= IEP
        elif rng.random() < 0.04 / 0.83:
            f |= SECTION504
        if rng.random() < EL_RATE[locale]:
            f |= EL
        if rng.random() < 0.08:
            f |= HEALTH
        d.flags[s] = f
    movers = rng.sample(range(n), min(n, 2 * round(n * TRANSFER_RATE)))
    half = len(movers) // 2
    for i, s in enumerate(movers):
        start, end = d.calendar.terms[rng.randrange(2)]
        day = start + timedelta(days=rng.randrange(7, (end - start).days - 6))
        (d.leave if i < half else d.arrive)[s] = day


def _caseloads(d: District, rng: random.Random, schools: list[School], position: str) -> None:
    """Counselors over `schools` (taken together), each with a caseload of 250-400 students:
    every student when the count allows it, otherwise as many as 400 per counselor do."""
    pupils = [s for school in schools for s in range(school.start, school.start + school.count)]
    n = len(pupils)
    if n < CASELOAD_MIN:
        return
    k = math.ceil(n / CASELOAD_MAX)
    if n / k < CASELOAD_MIN:
        k = n // CASELOAD_MIN
    covered = sorted(rng.sample(pupils, min(n, CASELOAD_MAX * k)))
    first = 0
    for size in balanced(len(covered), k):
        chunk = covered[first : first + size]
        first += size
        by_school: dict[int, int] = {}
        for s in chunk:
            by_school[d.school[s]] = by_school.get(d.school[s], 0) + 1
        home = max(by_school, key=lambda o: (by_school[o], -o))
        others = tuple(sorted(o for o in by_school if o != home))
        staff = d.add_staff(rng, position, home, other_orgs=others)
        for s in chunk:
            d.counselor[s] = staff


def _staff(d: District, rng: random.Random) -> None:
    """District administrators; per school a principal, a records custodian and nurses;
    counselors with their caseloads; special-education case managers for IEP students."""
    n = d.students
    d.counselor.extend([-1] * n)
    d.case_manager.extend([-1] * n)
    for _ in range(3 + n // 50_000):
        d.add_staff(rng, "districtAdministrator", -1)
    for school in d.schools:
        d.add_staff(rng, "principal", school.number)
        d.add_staff(rng, "recordsCustodian", school.number)
        for _ in range(1 + school.count // 1000):
            d.add_staff(rng, "nurse", school.number)
    # Secondary schools are grouped so that a school too small for a counselor of its own
    # shares one with the next; elementary schools get counselors at lower coverage.
    group: list[School] = []
    groups: list[list[School]] = []
    for school in d.schools:
        if school.level != "elementary":
            group.append(school)
            if sum(s.count for s in group) >= CASELOAD_MIN:
                groups.append(group)
                group = []
    if group and groups:
        groups[-1].extend(group)
    for g in groups:
        _caseloads(d, rng, g, "counselor")
    for school in d.schools:
        if school.level == "elementary" and rng.random() < 0.5:
            _caseloads(d, rng, [school], "counselor")
    for school in d.schools:
        iep = [s for s in range(school.start, school.start + school.count) if d.flags[s] & IEP]
        if not iep:
            continue
        first = 0
        for size in balanced(len(iep), math.ceil(len(iep) / CASE_MANAGER_LOAD)):
            staff = d.add_staff(rng, "specialEducation", school.number)
            for s in iep[first : first + size]:
                d.case_manager[s] = staff
            first += size
