"""A seeded synthetic district written as a OneRoster 1.1 or 1.2 CSV package (`steward generate`).

Pure Python (no Django). `generate_package(out, students=N, seed=S)` writes a folder, or a zip
when `out` ends in `.zip`, and returns the data rows written per file. The same arguments give
byte-identical output. The district has the shape of a Massachusetts city district (Cambridge
at 7,000 students, oneroster.md §5), scaled with the number of students: `synth_catalog` holds
the calendar and courses, `synth_people` the students, families, guardians and staff, and
`synth_sections` the classes, teachers and enrollments.

Conventions of the package:
- bulk files only: `status` and `dateLastModified` blank; passwords never written; userProfiles
  marked absent; lists comma-separated in one field; dates YYYY-MM-DD; booleans true/false;
  RFC 4180 with CRLF line ends, UTF-8 without BOM; a zip holds the files in sorted order with
  fixed timestamps.
- Steward's extension columns (spec.META_*) follow the defined columns: on users.csv one column
  set for every row (position on staff rows; counselor and case manager on student rows; the
  guardian's custodial / lives-with / emergency-contact / court-restricted children on guardian
  rows, each a subset of the guardian's agentSourcedIds), and the special indicators on
  demographics.csv.
- Mid-year transfers (~3 % each way): a student who leaves has enrollments ending that day and
  none in later terms, and a student role ending then; a late arrival the reverse.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from steward.roster.oneroster import spec
from steward.roster.oneroster import synth_catalog as cat
from steward.roster.oneroster import synth_people as people
from steward.roster.oneroster.synth_people import guardian_id, staff_id, student_id
from steward.roster.oneroster.synth_sections import SectionPass

SYSTEM_NAME = "Steward synthetic"
SYSTEM_CODE = "steward-generate"
LINE_END = "\r\n"
USERS_META = (spec.META_POSITION, spec.META_COUNSELOR, spec.META_CASE_MANAGER, *spec.GUARDIAN_META)
DEMOGRAPHICS_META = tuple(spec.META_INDICATORS.values())
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# Steward position -> OneRoster role, per version.
ROLE_11 = {
    "teacher": "teacher", "specialEducation": "teacher", "nurse": "aide", "aide": "aide",
    "counselor": "administrator", "principal": "administrator",
    "recordsCustodian": "administrator", "districtAdministrator": "administrator",
    "other": "aide",
}  # fmt: skip
ROLE_12 = {
    "teacher": "teacher", "specialEducation": "teacher", "nurse": "aide", "aide": "aide",
    "counselor": "counselor", "principal": "principal",
    "recordsCustodian": "siteAdministrator", "districtAdministrator": "districtAdministrator",
    "other": "aide",
}  # fmt: skip

_FOREIGN = (
    ("CN", "IN", "VN", "KR", "GB", "CA", "RU"),
    ("DO", "SV", "GT", "MX", "CO", "HN", "VE"),
    ("BR", "CV", "PT"),
    ("HT",),
)
_STATES = ("NH", "NY", "RI", "CT", "FL", "CA", "TX", "NJ", "PA", "ME")
_TF = ("false", "true")


def generate_package(
    out: Path,
    *,
    students: int,
    seed: int,
    version: str = "1.2",
    progress: Callable[[int], None] | None = None,
    school_year: int | None = None,
) -> dict[str, int]:
    """Write a synthetic district of `students` students to `out` (a folder, or a zip when the
    name ends in .zip) and return the number of data rows per file written, e.g.
    {"orgs": 18, ..., "enrollments": 84000}. `progress`, if given, is called with the number of
    rows just written (increments, for a progress bar; see `estimated_rows`).

    `school_year` is the year the package's school year ends (2026 for 2025-2026). By default
    it is the one in progress today (from July on, the one about to start), so that a demo
    built from the package has current classes; the output is then the same for the same
    arguments throughout a school year. Pass it to pin the output for good."""
    if version not in spec.VERSIONS:
        raise ValueError(f"unknown OneRoster version {version!r}; expected one of {spec.VERSIONS}")
    if students < 1:
        raise ValueError("students must be at least 1")
    out = Path(out)
    if school_year is None:
        school_year = cat.current_school_year(date.today())
    district = people.build_district(students, seed, cat.calendar(school_year))
    if out.suffix.lower() != ".zip":
        out.mkdir(parents=True, exist_ok=True)
        return _write(out, district, version, progress)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".steward-generate-") as tmp:
        counts = _write(Path(tmp), district, version, progress)
        part = out.with_name(out.name + ".part")
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in sorted(os.listdir(tmp)):
                info = zipfile.ZipInfo(name, ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o100644 << 16
                with (
                    open(Path(tmp) / name, "rb") as src,
                    zf.open(info, "w", force_zip64=True) as dst,
                ):
                    shutil.copyfileobj(src, dst, 1 << 20)
        os.replace(part, out)
    return counts


def estimated_rows(students: int, version: str = "1.2") -> int:
    """About how many data rows `generate_package` writes (for a progress bar's total)."""
    per_student = 15.9 + (3.0 if version == "1.2" else 0.0)
    return round(students * per_student) + 120


class _Csv:
    def __init__(self, folder: Path, name: str, header: list[str], report: Callable[[int], None]):
        self.file: IO[str] = open(  # noqa: SIM115 - closed by _Writer.close
            folder / f"{name}.csv", "w", encoding="utf-8", newline="", buffering=1 << 20
        )
        self.writer = csv.writer(self.file, lineterminator=LINE_END)
        self.writer.writerow(header)
        self.header = header
        self.index = {c: i for i, c in enumerate(header)}
        self.rows = 0
        self.report = report

    def write(self, rows: list[Any]) -> None:
        self.writer.writerows(rows)
        self.rows += len(rows)
        self.report(len(rows))

    def blank(self) -> list[str]:
        return [""] * len(self.header)


@dataclass
class _Writer:
    folder: Path
    version: str
    report: Callable[[int], None]
    files: dict[str, _Csv] = field(default_factory=dict)

    def open(self, name: str, extra: tuple[str, ...] = ()) -> _Csv:
        f = _Csv(self.folder, name, spec.header(self.version, name) + list(extra), self.report)
        self.files[name] = f
        return f

    def close(self, name: str) -> None:
        self.files[name].file.close()


def _write(
    folder: Path, d: people.District, version: str, progress: Callable[[int], None] | None
) -> dict[str, int]:
    w = _Writer(folder, version, progress or (lambda n: None))
    catalogue = cat.build_catalogue()
    _write_orgs(w, d)
    _write_sessions(w, d.calendar)
    courses = w.open("courses")
    courses.write([
        [c.sourced_id, "", "", d.calendar.year_id, c.title, c.code,
         ",".join(cat.GRADE_CODES[g] for g in c.grades), "org-0001", c.subject, ""]
        for c in catalogue.courses
    ])  # fmt: skip
    w.close("courses")
    classes, enrollments = w.open("classes"), w.open("enrollments")
    SectionPass(d, catalogue, classes.write, enrollments.write).run()
    w.close("classes")
    w.close("enrollments")
    _write_users(w, d)
    if version == "1.2":
        _write_roles(w, d)
    _write_demographics(w, d)
    written = list(w.files)
    for name in spec.MANIFEST_FILES[version]:  # a stale file of an earlier run in this folder
        if name not in written and (folder / f"{name}.csv").exists():
            (folder / f"{name}.csv").unlink()
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as f:
        mw = csv.writer(f, lineterminator=LINE_END)
        mw.writerow(["propertyName", "value"])
        mw.writerow(["manifest.version", "1.0"])
        mw.writerow(["oneroster.version", version])
        for name in spec.MANIFEST_FILES[version]:
            mw.writerow([f"file.{name}", "bulk" if name in written else "absent"])
        mw.writerow(["source.systemName", SYSTEM_NAME])
        mw.writerow(["source.systemCode", SYSTEM_CODE])
    return {name: f.rows for name, f in w.files.items()}


def _write_orgs(w: _Writer, d: people.District) -> None:
    orgs = w.open("orgs")
    rows = [["org-0001", "", "", d.name, "district", d.identifier, ""]]
    rows += [[s.sourced_id, "", "", s.name, "school", s.identifier, "org-0001"] for s in d.schools]
    orgs.write(rows)
    w.close("orgs")


def _write_sessions(w: _Writer, cal: cat.Calendar) -> None:
    sessions = w.open("academicSessions")
    year = str(cal.school_year)
    rows = [[cal.year_id, "", "", cal.title, "schoolYear", cal.start.isoformat(),
             cal.end.isoformat(), "", year]]  # fmt: skip
    for t, (start, end) in enumerate(cal.terms):
        rows.append([cal.term_ids[t], "", "", f"Semester {t + 1} {cal.title}", "semester",
                     start.isoformat(), end.isoformat(), cal.year_id, year])  # fmt: skip
    sessions.write(rows)
    w.close("academicSessions")


def _org_id(d: people.District, number: int) -> str:
    return "org-0001" if number < 0 else d.schools[number].sourced_id


def _write_users(w: _Writer, d: people.District) -> None:
    users = w.open("users", USERS_META)
    ix = users.index
    v11 = w.version == "1.1"
    roles = ROLE_11 if v11 else ROLE_12
    rng = random.Random(f"steward-generate:{d.seed}:contacts")
    rows = []
    for n, st in enumerate(d.staff):
        row = users.blank()
        user = f"{people.ascii_slug(st.given)[0]}{people.ascii_slug(st.family)}{n + 1}"
        row[ix["sourcedId"]], row[ix["enabledUser"]], row[ix["username"]] = (
            staff_id(n),
            "true",
            user,
        )
        row[ix["givenName"]], row[ix["familyName"]] = st.given, st.family
        row[ix["identifier"]], row[ix["email"]] = f"E{n + 1:06d}", f"{user}@{d.domain}"
        orgs = [_org_id(d, o) for o in (st.org, *st.other_orgs)]
        if v11:
            row[ix["orgSourcedIds"]], row[ix["role"]] = ",".join(orgs), roles[st.position]
        else:
            row[ix["primaryOrgSourcedId"]] = orgs[0]
        row[ix[spec.META_POSITION]] = st.position
        rows.append(row)
    users.write(rows)
    rows = []
    for s in range(d.students):
        row = users.blank()
        given, family = d.given[s], d.surname[s]
        user = f"{people.ascii_slug(given)}.{people.ascii_slug(family)}{s + 1}"
        school = d.schools[d.school[s]].sourced_id
        row[ix["sourcedId"]], row[ix["enabledUser"]], row[ix["username"]] = (
            student_id(s),
            "true",
            user,
        )
        row[ix["givenName"]], row[ix["familyName"]], row[ix["middleName"]] = (
            given,
            family,
            d.middle[s],
        )
        row[ix["identifier"]], row[ix["email"]] = str(d.state_id[s]), f"{user}@students.{d.domain}"
        row[ix["agentSourcedIds"]] = ",".join(
            guardian_id(g) for g in d.family_guardians(d.family[s])
        )
        row[ix["grades"]] = cat.GRADE_CODES[d.grade[s]]
        if v11:
            row[ix["orgSourcedIds"]], row[ix["role"]] = school, "student"
        else:
            row[ix["primaryOrgSourcedId"]] = school
            row[ix["preferredGivenName"]] = d.preferred.get(s, "")
        if d.counselor[s] >= 0:
            row[ix[spec.META_COUNSELOR]] = staff_id(d.counselor[s])
        if d.case_manager[s] >= 0:
            row[ix[spec.META_CASE_MANAGER]] = staff_id(d.case_manager[s])
        rows.append(row)
        if len(rows) == 20_000:
            users.write(rows)
            rows = []
    users.write(rows)
    rows = []
    meta = [(bit, ix[col]) for bit, col in zip(
        (people.CUSTODIAL, people.LIVES_WITH, people.EMERGENCY, people.RESTRICTED),
        spec.GUARDIAN_META, strict=True,
    )]  # fmt: skip
    for g in range(len(d.g_family)):
        row = users.blank()
        given, family = d.g_given[g], d.g_surname[g]
        children = d.fam_students[d.g_family[g]]
        kids = ",".join(student_id(s) for s in children)
        slug = f"{people.ascii_slug(given)}.{people.ascii_slug(family)}"
        row[ix["sourcedId"]], row[ix["enabledUser"]] = guardian_id(g), "true"
        row[ix["username"]], row[ix["givenName"]], row[ix["familyName"]] = (
            f"{slug}.p{g + 1}",
            given,
            family,
        )
        row[ix["email"]] = f"{slug}{g + 1}@example.{('com', 'net', 'org')[rng.randrange(3)]}"
        area = people.AREA_CODES[rng.randrange(len(people.AREA_CODES))]
        phone = f"({area}) 555-01{rng.randrange(100):02d}"  # numbers reserved for fiction
        row[ix["phone"]] = phone
        if rng.random() < 0.6:
            row[ix["sms"]] = phone
        row[ix["agentSourcedIds"]] = kids
        orgs = list(dict.fromkeys(d.schools[d.school[s]].sourced_id for s in children))
        if v11:
            row[ix["orgSourcedIds"]] = ",".join(orgs)
            row[ix["role"]] = people.GUARDIAN_KINDS[d.g_kind[g]]
        else:
            row[ix["primaryOrgSourcedId"]] = orgs[0]
        flags = d.g_flags[g]
        for bit, col in meta:
            if flags & bit:
                row[col] = kids
        rows.append(row)
        if len(rows) == 20_000:
            users.write(rows)
            rows = []
    users.write(rows)
    w.close("users")


def _write_roles(w: _Writer, d: people.District) -> None:
    roles = w.open("roles")
    rows: list[list[str]] = []
    n = 0

    def add(user: str, org_ids: list[str], role: str, begin: str = "", end: str = "") -> None:
        nonlocal n
        for i, org in enumerate(org_ids):
            n += 1
            kind = "primary" if i == 0 else "secondary"
            rows.append([f"rol-{n:07d}", "", "", user, kind, role, begin, end, org, ""])

    for k, st in enumerate(d.staff):
        add(staff_id(k), [_org_id(d, o) for o in (st.org, *st.other_orgs)], ROLE_12[st.position])
    for s in range(d.students):
        a, lv = d.arrive.get(s), d.leave.get(s)
        add(student_id(s), [d.schools[d.school[s]].sourced_id], "student",
            a.isoformat() if a else "", lv.isoformat() if lv else "")  # fmt: skip
        if len(rows) >= 20_000:
            roles.write(rows)
            rows = []
    for g in range(len(d.g_family)):
        children = d.fam_students[d.g_family[g]]
        orgs = list(dict.fromkeys(d.schools[d.school[s]].sourced_id for s in children))
        add(guardian_id(g), orgs, people.GUARDIAN_KINDS[d.g_kind[g]])
        if len(rows) >= 20_000:
            roles.write(rows)
            rows = []
    roles.write(rows)
    w.close("roles")


def _write_demographics(w: _Writer, d: people.District) -> None:
    demo = w.open("demographics", DEMOGRAPHICS_META)
    rng = random.Random(f"steward-generate:{d.seed}:demographics")
    sexes = spec.SEX_11 if w.version == "1.1" else spec.SEX_12
    cities = d.pools.cities
    rows = []
    for s in range(d.students):
        g, flags = d.grade[s], d.flags[s]
        # age 5 on 1 September for kindergarten; ~5 % a year older (retained), ~1 % younger
        r = rng.random()
        shift = 1 if r < 0.05 else -1 if r < 0.06 else 0
        born = date(d.calendar.school_year - 7 - g - shift, 9, 2)
        born = born.fromordinal(born.toordinal() + rng.randrange(365))
        race = d.fam_race[d.family[s]]
        locale = d.fam_locale[d.family[s]]
        if rng.random() < (0.5 if flags & people.EL else 0.04):
            countries = _FOREIGN[locale]
            birth = (countries[rng.randrange(len(countries))], "", "")
        else:
            state = "MA" if rng.random() < 0.8 else _STATES[rng.randrange(len(_STATES))]
            birth = ("US", state, cities[rng.randrange(len(cities))])
        rows.append([
            student_id(s), "", "", born.isoformat(), d.sex[s] if d.sex[s] in sexes else "",
            *(_TF[(race >> i) & 1] for i in range(7)), *birth, "",
            *(_TF[(flags >> i) & 1] for i in range(7)),
        ])  # fmt: skip
        if len(rows) == 20_000:
            demo.write(rows)
            rows = []
    demo.write(rows)
    w.close("demographics")
