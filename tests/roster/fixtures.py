"""A tiny valid OneRoster package, written as a folder or a zip, with one-line mutations.

`package("1.1")` / `package("1.2")` build the same small district in either version:

- orgs: district ``dist`` with schools ``sch1`` (Adams) and ``sch2`` (Baker).
- academicSessions: school year ``y2026`` with terms ``t1`` (fall) and ``t2`` (spring).
- courses ``crs1`` (at sch1) and ``crs2`` (at sch2); classes ``cls1`` (terms t1, t2, at sch1)
  and ``cls2`` (term t1, at sch2).
- users: teachers ``tch1`` (sch1) and ``tch2`` (sch1 primary, sch2); counselor ``cns1``
  (1.1: administrator with metadata position ``counselor``); students ``stu1``, ``stu3``
  (sch1) and ``stu2`` (sch2); parent ``par1`` of stu1 and stu2; guardian ``par2`` of stu3.
  Every user has a password ``pw-SECRET-<sourcedId>`` that must never be stored.
- demographics for the three students, with Steward special-indicator metadata.
- enrollments ``e1``..``e5``: tch1, stu1, stu3 in cls1; tch2, stu2 in cls2.

Every file is bulk. Rows are addressed by their first column (sourcedId), so a bad-input
test is one call: ``pkg.set("users", "stu1", "role", "wizard")``. `line(file, sid)` gives the
line number a row will have in the written file (the header is line 1).
"""

from __future__ import annotations

import copy
import csv
import io
import zipfile
from pathlib import Path

from steward.roster.oneroster import spec

M = spec.META
USER_META = [
    spec.META_POSITION,
    spec.META_COUNSELOR,
    spec.META_CASE_MANAGER,
    *spec.GUARDIAN_META,
]
DEMO_META = list(spec.META_INDICATORS.values())
RACE = list(spec.RACE_COLUMNS)
DELTA_STAMP = "2025-09-01T12:00:00.000Z"


def password(sid: str) -> str:
    return f"pw-SECRET-{sid}"


class Table:
    """One CSV file: a header and rows (dicts keyed by header name)."""

    def __init__(self, header: list[str], rows: list[dict[str, str]]) -> None:
        self.header = list(header)
        self.rows = rows

    def find(self, key: str) -> dict[str, str]:
        first = self.header[0]
        for row in self.rows:
            if row.get(first) == key:
                return row
        raise KeyError(key)


def _table(header: list[str], *rows: dict[str, str]) -> Table:
    return Table(header, [dict(r) for r in rows])


# -- the district, as data --------------------------------------------------------------------

ORGS = [
    {"sourcedId": "dist", "name": "Model District", "type": "district", "identifier": "D1"},
    {
        "sourcedId": "sch1",
        "name": "Adams Elementary",
        "type": "school",
        "identifier": "S1",
        "parentSourcedId": "dist",
    },
    {
        "sourcedId": "sch2",
        "name": "Baker Middle",
        "type": "school",
        "identifier": "S2",
        "parentSourcedId": "dist",
    },
]
SESSIONS = [
    {
        "sourcedId": "y2026",
        "title": "2025-26",
        "type": "schoolYear",
        "startDate": "2025-08-01",
        "endDate": "2026-06-30",
        "schoolYear": "2026",
    },
    {
        "sourcedId": "t1",
        "title": "Fall",
        "type": "term",
        "startDate": "2025-08-01",
        "endDate": "2025-12-31",
        "parentSourcedId": "y2026",
        "schoolYear": "2026",
    },
    {
        "sourcedId": "t2",
        "title": "Spring",
        "type": "term",
        "startDate": "2026-01-01",
        "endDate": "2026-06-30",
        "parentSourcedId": "y2026",
        "schoolYear": "2026",
    },
]
COURSES = [
    {
        "sourcedId": "crs1",
        "schoolYearSourcedId": "y2026",
        "title": "Mathematics 3",
        "courseCode": "M3",
        "grades": "03",
        "orgSourcedId": "sch1",
        "subjects": "Math",
    },
    {
        "sourcedId": "crs2",
        "schoolYearSourcedId": "y2026",
        "title": "Science 7",
        "courseCode": "SC7",
        "grades": "07",
        "orgSourcedId": "sch2",
        "subjects": "Science",
    },
]
CLASSES = [
    {
        "sourcedId": "cls1",
        "title": "Grade 3 Math",
        "grades": "03",
        "courseSourcedId": "crs1",
        "classCode": "M3-A",
        "classType": "scheduled",
        "location": "Room 1",
        "schoolSourcedId": "sch1",
        "termSourcedIds": "t1,t2",
        "subjects": "Math",
        "periods": "2",
    },
    {
        "sourcedId": "cls2",
        "title": "Science 7",
        "grades": "07",
        "courseSourcedId": "crs2",
        "classCode": "SC7-A",
        "classType": "scheduled",
        "location": "Lab",
        "schoolSourcedId": "sch2",
        "termSourcedIds": "t1",
        "subjects": "Science",
        "periods": "3",
    },
]
# (sourcedId, 1.1 role, 1.2 role, orgs (first is primary), username, given, family, extra)
PEOPLE: list[tuple[str, str, str, list[str], str, str, str, dict[str, str]]] = [
    ("tch1", "teacher", "teacher", ["sch1"], "tess", "Tess", "Teach", {}),
    ("tch2", "teacher", "teacher", ["sch1", "sch2"], "olga", "Olga", "Olsen", {}),
    (
        "cns1",
        "administrator",
        "counselor",
        ["sch1"],
        "carl",
        "Carl",
        "Cole",
        {spec.META_POSITION: "counselor"},
    ),
    (
        "stu1",
        "student",
        "student",
        ["sch1"],
        "ann",
        "Ann",
        "Adams",
        {
            "userIds": "{LDAP:s1},{SIS:1001}",
            "agentSourcedIds": "par1",
            "grades": "03",
            spec.META_COUNSELOR: "cns1",
        },
    ),
    (
        "stu2",
        "student",
        "student",
        ["sch2"],
        "ben",
        "Ben",
        "Baker",
        {"userIds": "{LDAP:s2}", "agentSourcedIds": "par1", "grades": "07"},
    ),
    (
        "stu3",
        "student",
        "student",
        ["sch1"],
        "cara",
        "Cara",
        "Cruz",
        {"agentSourcedIds": "par2", "grades": "03"},
    ),
    (
        "par1",
        "parent",
        "parent",
        ["sch1"],
        "gail",
        "Gail",
        "Adams",
        {
            "agentSourcedIds": "stu1,stu2",
            spec.META_CUSTODIAL: "stu1,stu2",
            spec.META_LIVES_WITH: "stu1",
            spec.META_EMERGENCY: "stu1,stu2",
        },
    ),
    (
        "par2",
        "guardian",
        "guardian",
        ["sch1"],
        "hank",
        "Hank",
        "Cruz",
        {"agentSourcedIds": "stu3", spec.META_CUSTODIAL: "stu3"},
    ),
]
DEMOGRAPHICS = [
    {
        "sourcedId": "stu1",
        "birthDate": "2017-03-04",
        "sex": "female",
        "white": "true",
        "hispanicOrLatinoEthnicity": "false",
        "countryOfBirthCode": "US",
        "stateOfBirthAbbreviation": "MA",
        "cityOfBirth": "Cambridge",
        M + "iep": "true",
        M + "englishLearner": "TRUE",
    },
    {
        "sourcedId": "stu2",
        "birthDate": "2013-05-06",
        "sex": "male",
        "asian": "true",
        M + "lowIncome": "true",
    },
    {"sourcedId": "stu3", "birthDate": "2017-01-02", "sex": "female"},
]
ENROLLMENTS = [
    ("e1", "cls1", "sch1", "tch1", "teacher", "true"),
    ("e2", "cls1", "sch1", "stu1", "student", "false"),
    ("e3", "cls1", "sch1", "stu3", "student", "false"),
    ("e4", "cls2", "sch2", "tch2", "teacher", "true"),
    ("e5", "cls2", "sch2", "stu2", "student", "false"),
]


def _users(version: str) -> tuple[Table, Table | None]:
    users = Table(spec.header(version, "users") + USER_META, [])
    roles = Table(spec.header("1.2", "roles"), []) if version == "1.2" else None
    for sid, role11, role12, orgs, username, given, family, extra in PEOPLE:
        row = {
            "sourcedId": sid,
            "enabledUser": "true",
            "username": username,
            "givenName": given,
            "familyName": family,
            "identifier": sid.upper(),
            "email": f"{username}@example.org",
            "password": password(sid),
            **extra,
        }
        if version == "1.1":
            row["orgSourcedIds"] = ",".join(orgs)
            row["role"] = role11
        else:
            row["primaryOrgSourcedId"] = orgs[0]
            assert roles is not None
            for n, org in enumerate(orgs):
                roles.rows.append(
                    {
                        "sourcedId": f"r-{sid}-{org}",
                        "userSourcedId": sid,
                        "roleType": "primary" if n == 0 else "secondary",
                        "role": role12,
                        "orgSourcedId": org,
                    }
                )
        users.rows.append(row)
    return users, roles


def _manifest(version: str, files: list[str]) -> dict[str, str]:
    manifest = {"manifest.version": "1.0", "oneroster.version": version}
    for key in spec.MANIFEST_FILES[version]:
        manifest[f"file.{key}"] = "bulk" if key in files else "absent"
    manifest["source.systemName"] = "Steward tests"
    return manifest


class OneRosterPackage:
    """A package held as tables; mutate it, then `write` it as a folder or a zip."""

    def __init__(self, version: str) -> None:
        self.version = version
        users, roles = _users(version)
        self.tables: dict[str, Table] = {
            "orgs": _table(spec.header(version, "orgs"), *ORGS),
            "academicSessions": _table(spec.header(version, "academicSessions"), *SESSIONS),
            "courses": _table(spec.header(version, "courses"), *COURSES),
            "classes": _table(spec.header(version, "classes"), *CLASSES),
            "users": users,
            "demographics": _table(spec.header(version, "demographics") + DEMO_META, *DEMOGRAPHICS),
            "enrollments": Table(
                spec.header(version, "enrollments"),
                [
                    {
                        "sourcedId": sid,
                        "classSourcedId": cls,
                        "schoolSourcedId": school,
                        "userSourcedId": user,
                        "role": role,
                        "primary": primary,
                        "beginDate": "2025-08-25",
                    }
                    for sid, cls, school, user, role, primary in ENROLLMENTS
                ],
            ),
        }
        if roles is not None:
            self.tables["roles"] = roles
            self.tables["userProfiles"] = _table(
                spec.header(version, "userProfiles"),
                {
                    "sourcedId": "prof1",
                    "userSourcedId": "tch1",
                    "profileType": "lms",
                    "vendorId": "V1",
                    "credentialType": "login",
                    "username": "tess.lms",
                    "password": password("prof1"),
                },
            )
        self.manifest = _manifest(version, list(self.tables))
        self.patches: list[tuple[str, bytes, bytes]] = []
        self.raw: dict[str, bytes] = {}  # file name -> bytes written instead of the table
        self.extra: dict[str, bytes] = {}  # more members: "notes/readme.csv", …
        self.missing: set[str] = set()  # tables not written (the manifest still lists them)

    def copy(self) -> OneRosterPackage:
        return copy.deepcopy(self)

    # -- row edits ------------------------------------------------------------------------

    def row(self, file: str, key: str) -> dict[str, str]:
        return self.tables[file].find(key)

    def set(self, file: str, key: str, column: str, value: str) -> OneRosterPackage:
        """Set one value; the column must be in the header (add extension columns first)."""
        assert column in self.tables[file].header, f"{column} is not a column of {file}"
        self.row(file, key)[column] = value
        return self

    def add_row(self, file: str, **values: str) -> OneRosterPackage:
        self.tables[file].rows.append(dict(values))
        return self

    def copy_row(self, file: str, key: str, **changes: str) -> OneRosterPackage:
        """Append a copy of row `key`, with `changes` (e.g. a new sourcedId)."""
        self.tables[file].rows.append({**self.row(file, key), **changes})
        return self

    def remove_row(self, file: str, key: str) -> OneRosterPackage:
        table = self.tables[file]
        table.rows.remove(table.find(key))
        return self

    def keep_rows(self, file: str, *keys: str) -> OneRosterPackage:
        """Keep only the rows whose sourcedId is in `keys` (e.g. to build a delta)."""
        table = self.tables[file]
        table.rows = [row for row in table.rows if row.get(table.header[0]) in keys]
        return self

    def clear_rows(self, file: str) -> OneRosterPackage:
        self.tables[file].rows.clear()
        return self

    def line(self, file: str, key: str) -> int:
        """The line number row `key` has in the written file (header is line 1)."""
        table = self.tables[file]
        return 2 + table.rows.index(table.find(key))

    # -- header edits ---------------------------------------------------------------------

    def rename_column(self, file: str, old: str, new: str) -> OneRosterPackage:
        table = self.tables[file]
        table.header[table.header.index(old)] = new
        for row in table.rows:
            if old in row:
                row[new] = row.pop(old)
        return self

    def remove_column(self, file: str, name: str) -> OneRosterPackage:
        table = self.tables[file]
        table.header.remove(name)
        return self

    def swap_columns(self, file: str, a: str, b: str) -> OneRosterPackage:
        header = self.tables[file].header
        i, j = header.index(a), header.index(b)
        header[i], header[j] = header[j], header[i]
        return self

    def add_column(self, file: str, name: str, value: str = "") -> OneRosterPackage:
        """Append a column at the right, with `value` on every row."""
        table = self.tables[file]
        table.header.append(name)
        for row in table.rows:
            row[name] = value
        return self

    def duplicate_column(self, file: str, name: str) -> OneRosterPackage:
        self.tables[file].header.append(name)
        return self

    # -- modes ----------------------------------------------------------------------------

    def mode(self, file: str, mode: str) -> OneRosterPackage:
        self.manifest[f"file.{file}"] = mode
        return self

    def as_delta(
        self, file: str, status: str = "active", modified: str = DELTA_STAMP
    ) -> OneRosterPackage:
        """Mark `file` delta and fill status and dateLastModified on every row."""
        self.mode(file, "delta")
        for row in self.tables[file].rows:
            row["status"] = row.get("status") or status
            row["dateLastModified"] = row.get("dateLastModified") or modified
        return self

    def set_manifest(self, key: str, value: str) -> OneRosterPackage:
        self.manifest[key] = value
        return self

    def unlist(self, file: str) -> OneRosterPackage:
        """Remove the manifest's `file.<file>` row (the file itself stays)."""
        del self.manifest[f"file.{file}"]
        return self

    def omit(self, file: str) -> OneRosterPackage:
        """Leave `file` ("users", or "manifest") out; the manifest still lists it."""
        self.missing.add(file)
        return self

    def replace(self, file: str, data: str | bytes) -> OneRosterPackage:
        """Write `data` as the whole of `file` ("users", or "manifest")."""
        self.raw[f"{file}.csv"] = _b(data)
        return self

    def add_member(self, name: str, data: str | bytes) -> OneRosterPackage:
        """Add one more member, e.g. ``"extra/users.csv"`` (a subfolder) or ``"notes.csv"``."""
        self.extra[name] = _b(data)
        return self

    def only(self, *files: str) -> OneRosterPackage:
        """Keep only `files`; every other file is left out and marked absent."""
        for file in [f for f in self.tables if f not in files]:
            self.drop_file(file)
        return self

    def drop_file(self, file: str) -> OneRosterPackage:
        """Leave `file` out of the package and mark it absent in the manifest."""
        del self.tables[file]
        self.manifest[f"file.{file}"] = "absent"
        return self

    # -- byte-level edits -----------------------------------------------------------------

    def patch(self, file: str, old: str | bytes, new: str | bytes) -> OneRosterPackage:
        """Replace bytes in the written `file` (the first occurrence; it must occur)."""
        self.patches.append((file, _b(old), _b(new)))
        return self

    def append(self, file: str, raw: str | bytes) -> OneRosterPackage:
        """Append raw bytes (e.g. a malformed line) to the end of the written `file`."""
        self.patches.append((file, b"", _b(raw)))
        return self

    # -- output ---------------------------------------------------------------------------

    def manifest_table(self) -> Table:
        return Table(
            ["propertyName", "value"],
            [{"propertyName": k, "value": v} for k, v in self.manifest.items()],
        )

    def to_bytes(self, file: str) -> bytes:
        """The bytes of `file` ("users", or "manifest")."""
        name = f"{file}.csv"
        if name in self.raw:
            data = self.raw[name]
        else:
            table = self.manifest_table() if file == "manifest" else self.tables[file]
            data = render(table)
        for target, old, new in self.patches:
            if target != file:
                continue
            if old == b"":
                data += new
            else:
                assert old in data, f"{old!r} is not in {name}"
                data = data.replace(old, new, 1)
        return data

    def members(self) -> dict[str, bytes]:
        out = {"manifest.csv": self.to_bytes("manifest")}
        for file in self.tables:
            if file not in self.missing:
                out[f"{file}.csv"] = self.to_bytes(file)
        for name, data in self.raw.items():
            out.setdefault(name, data)
        out.update(self.extra)
        if "manifest" in self.missing:
            del out["manifest.csv"]
        return out

    def write(self, dest: Path, *, as_zip: bool = False, name: str = "package") -> Path:
        """Write the package under `dest` as `name/` (folder) or `name.zip`; return its path."""
        members = self.members()
        if as_zip:
            dest.mkdir(parents=True, exist_ok=True)
            path = dest / f"{name}.zip"
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
                for member, data in members.items():
                    archive.writestr(member, data)
            return path
        path = dest / name
        path.mkdir(parents=True)
        for member, data in members.items():
            target = path / member
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return path


def _b(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else value


def render(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow([row.get(name, "") for name in table.header])
    return buffer.getvalue().encode("utf-8")


def package(version: str = "1.1") -> OneRosterPackage:
    """A fresh valid package of the small district (all files bulk)."""
    return OneRosterPackage(version)


# -- damaged zips -----------------------------------------------------------------------------


def truncate(path: Path, keep: float = 0.6) -> Path:
    """Cut the file at `keep` of its length, as an interrupted transfer would."""
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def write_stored_zip_with_bad_crc(pkg: OneRosterPackage, dest: Path, member: str) -> Path:
    """Write `pkg` as an uncompressed zip, then flip one byte of `member`'s data, so the
    archive opens but the member fails its CRC check."""
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / "package.zip"
    members = pkg.members()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    raw = bytearray(path.read_bytes())
    body = members[member]
    at = raw.find(body) + len(body) // 2
    raw[at] = ord("#") if raw[at] != ord("#") else ord("%")
    path.write_bytes(bytes(raw))
    return path


def scramble_deflated_member(path: Path, member: str) -> Path:
    """Overwrite part of `member`'s compressed data in the zip at `path`, so that inflating it
    fails (the archive's directory is intact, so the zip still opens)."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    raw = bytearray(path.read_bytes())
    # local header: 30 bytes + name + extra field, then the compressed data
    name_len = int.from_bytes(raw[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_len = int.from_bytes(raw[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    for at in range(start + 2, min(start + 40, start + info.compress_size)):
        raw[at] ^= 0x55
    path.write_bytes(bytes(raw))
    return path
