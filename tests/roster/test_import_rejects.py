"""Bad input is rejected as a whole, with a precise message, and the database is untouched.

Each case is one mutation of the small valid package of `fixtures.py`, imported through the
real CLI (`steward import PATH --error-log LOG`) onto a database that already holds the valid
package. Every case checks: exit status 2; a stderr line
``error: <file>, line N, column C (value 'v'): <reason>``; a `fail` row per error in the
conformance log, with file, line and column; and an identical database snapshot.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from steward import cli
from steward.roster.importer import ImportResult
from steward.roster.models import Org
from steward.roster.oneroster import spec

from .conftest import CliRun, db_snapshot
from .fixtures import (
    M,
    OneRosterPackage,
    package,
    scramble_deflated_member,
    truncate,
    write_stored_zip_with_bad_crc,
)

Mutation = Callable[[OneRosterPackage], object]
Maker = Callable[[OneRosterPackage, Path], Path]

_BASE = {"1.1": package("1.1"), "1.2": package("1.2")}


def line(file: str, key: str, version: str = "1.1") -> int:
    """The line of row `key` in the unmutated package."""
    return _BASE[version].line(file, key)


def manifest_line(key: str, version: str = "1.1") -> int:
    return 2 + list(_BASE[version].manifest).index(key)


NEXT_MANIFEST_LINE = 2 + len(_BASE["1.1"].manifest)


def folder(pkg: OneRosterPackage, dest: Path) -> Path:
    return pkg.write(dest)


def zipped(pkg: OneRosterPackage, dest: Path) -> Path:
    return pkg.write(dest, as_zip=True)


def truncated_zip(pkg: OneRosterPackage, dest: Path) -> Path:
    return truncate(pkg.write(dest, as_zip=True))


def not_a_zip(pkg: OneRosterPackage, dest: Path) -> Path:
    dest.mkdir(parents=True)
    path = dest / "package.zip"
    path.write_bytes(pkg.to_bytes("users"))
    return path


def crc_corrupt_zip(pkg: OneRosterPackage, dest: Path) -> Path:
    return write_stored_zip_with_bad_crc(pkg, dest, "users.csv")


def corrupt_deflate_zip(pkg: OneRosterPackage, dest: Path) -> Path:
    return scramble_deflated_member(pkg.write(dest, as_zip=True), "users.csv")


def no_such_path(pkg: OneRosterPackage, dest: Path) -> Path:
    return dest / "nowhere.zip"


@dataclass(frozen=True)
class Bad:
    """One bad-input case and the error it must produce."""

    id: str
    mutate: Mutation
    file: str
    line: int | None
    column: str
    value: str
    reason: str
    version: str = "1.1"
    make: Maker = folder

    def prefix(self) -> str:
        """The start of the expected stderr line, built here independently of the importer."""
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column {self.column}"
        shown = f" (value {self.value!r})" if self.value else ""
        return f"error: {where}{shown}: "


def same(p: OneRosterPackage) -> None:
    """No mutation: the damage is done when the package is written."""


V12 = "1.2"
U = "users.csv"
E = "enrollments.csv"
C = "classes.csv"
REF = "refers to {!r}, which is not in {}.csv nor already imported"

CASES = [
    # -- header rules -----------------------------------------------------------------------
    Bad(
        "a-required-header-column-is-missing",
        lambda p: p.remove_column("users", "username"),
        *(U, 1, "username", ""),
        "required header column 'username' is missing",
    ),
    Bad(
        "a-header-name-in-the-wrong-case",
        lambda p: p.rename_column("orgs", "sourcedId", "sourcedid"),
        *("orgs.csv", 1, "sourcedId", "sourcedid"),
        "column 1 must be named 'sourcedId' (header names are case-sensitive)",
    ),
    Bad(
        "header-columns-out-of-order",
        lambda p: p.swap_columns("classes", "title", "grades"),
        *(C, 1, "title", "grades"),
        "column 4 must be 'title': the columns are out of order",
    ),
    Bad(
        "a-duplicate-header-name",
        lambda p: p.duplicate_column("orgs", "name"),
        *("orgs.csv", 1, "name", ""),
        "header names must be unique",
    ),
    Bad(
        "an-unknown-extra-column-not-named-metadata",
        lambda p: p.add_column("users", "nickname", "Annie"),
        *(U, 1, "nickname", "nickname"),
        "unknown column: extension columns must be named metadata.*",
    ),
    # -- enumerations -----------------------------------------------------------------------
    Bad(
        "orgs-type-outside-the-enumeration",
        lambda p: p.set("orgs", "sch1", "type", "campus"),
        *("orgs.csv", line("orgs", "sch1"), "type", "campus"),
        "type must be one of department, school, district, local, state, national",
    ),
    Bad(
        "academic-session-type-outside-the-enumeration",
        lambda p: p.set("academicSessions", "t1", "type", "quarter"),
        *("academicSessions.csv", line("academicSessions", "t1"), "type", "quarter"),
        "type must be one of gradingPeriod, semester, schoolYear, term",
    ),
    Bad(
        "class-type-outside-the-enumeration",
        lambda p: p.set("classes", "cls1", "classType", "lecture"),
        *(C, line("classes", "cls1"), "classType", "lecture"),
        "classType must be one of homeroom, scheduled",
    ),
    Bad(
        "enrollment-role-outside-the-enumeration",
        lambda p: p.set("enrollments", "e2", "role", "learner"),
        *(E, line("enrollments", "e2"), "role", "learner"),
        "role must be one of administrator, proctor, student, teacher",
    ),
    Bad(
        "users-role-outside-the-1.1-enumeration",
        lambda p: p.set("users", "stu1", "role", "pupil"),
        *(U, line("users", "stu1"), "role", "pupil"),
        "role must be one of administrator, aide, guardian, parent",
    ),
    Bad(
        "a-1.2-only-role-in-a-1.1-users-file",
        lambda p: p.set("users", "cns1", "role", "counselor"),
        *(U, line("users", "cns1"), "role", "counselor"),
        "role must be one of administrator, aide",
    ),
    Bad(
        "roles-role-outside-the-1.2-enumeration",
        lambda p: p.set("roles", "r-stu1-sch1", "role", "pupil"),
        *("roles.csv", line("roles", "r-stu1-sch1", V12), "role", "pupil"),
        "role must be one of aide, counselor, districtAdministrator",
        V12,
    ),
    Bad(
        "roles-role-type-outside-the-enumeration",
        lambda p: p.set("roles", "r-stu1-sch1", "roleType", "main"),
        *("roles.csv", line("roles", "r-stu1-sch1", V12), "roleType", "main"),
        "roleType must be one of primary, secondary",
        V12,
    ),
    Bad(
        "sex-outside-the-enumeration",
        lambda p: p.set("demographics", "stu1", "sex", "f"),
        *("demographics.csv", line("demographics", "stu1"), "sex", "f"),
        "sex must be one of male, female",
    ),
    Bad(
        "a-1.2-only-sex-value-in-a-1.1-package",
        lambda p: p.set("demographics", "stu2", "sex", "unspecified"),
        *("demographics.csv", line("demographics", "stu2"), "sex", "unspecified"),
        "sex must be one of male, female",
    ),
    Bad(
        "a-status-outside-the-enumeration",
        lambda p: p.set("orgs", "sch2", "status", "deleted"),
        *("orgs.csv", line("orgs", "sch2"), "status", "deleted"),
        "status must be active or tobedeleted",
    ),
    # -- formats ----------------------------------------------------------------------------
    Bad(
        "a-date-not-written-yyyy-mm-dd",
        lambda p: p.set("enrollments", "e2", "beginDate", "08/25/2025"),
        *(E, line("enrollments", "e2"), "beginDate", "08/25/2025"),
        "beginDate must be a date written YYYY-MM-DD",
    ),
    Bad(
        "an-impossible-date",
        lambda p: p.set("academicSessions", "t1", "endDate", "2023-02-30"),
        *("academicSessions.csv", line("academicSessions", "t1"), "endDate", "2023-02-30"),
        "endDate is not a real date",
    ),
    Bad(
        "a-bad-datetime",
        lambda p: p.set("orgs", "sch1", "dateLastModified", "2025-09-01 12:00:00"),
        *("orgs.csv", line("orgs", "sch1"), "dateLastModified", "2025-09-01 12:00:00"),
        "dateLastModified must be an ISO 8601 UTC dateTime",
    ),
    Bad(
        "a-datetime-that-leaves-the-calendar-in-utc",
        lambda p: p.set("orgs", "sch1", "dateLastModified", "0001-01-01T00:00:00+05:00"),
        *("orgs.csv", line("orgs", "sch1"), "dateLastModified", "0001-01-01T00:00:00+05:00"),
        "dateLastModified is not a real dateTime",
    ),
    Bad(
        "a-bad-boolean",
        lambda p: p.set("users", "stu1", "enabledUser", "yes"),
        *(U, line("users", "stu1"), "enabledUser", "yes"),
        "enabledUser must be true or false",
    ),
    Bad(
        "a-bad-boolean-in-an-optional-column",
        lambda p: p.set("enrollments", "e2", "primary", "Y"),
        *(E, line("enrollments", "e2"), "primary", "Y"),
        "primary must be true or false",
    ),
    Bad(
        "a-bad-race-flag",
        lambda p: p.set("demographics", "stu1", "white", "1"),
        *("demographics.csv", line("demographics", "stu1"), "white", "1"),
        "white must be true or false",
    ),
    Bad(
        "a-school-year-that-is-not-four-digits",
        lambda p: p.set("academicSessions", "t1", "schoolYear", "25-26"),
        *("academicSessions.csv", line("academicSessions", "t1"), "schoolYear", "25-26"),
        "schoolYear must be a four-digit year",
    ),
    Bad(
        "a-school-year-in-non-ascii-digits",
        lambda p: p.set("academicSessions", "t1", "schoolYear", "٢٠٢٦"),
        *("academicSessions.csv", line("academicSessions", "t1"), "schoolYear", "٢٠٢٦"),
        "schoolYear must be a four-digit year",
    ),
    Bad(
        "a-grade-outside-the-code-list",
        lambda p: p.set("users", "stu1", "grades", "3"),
        *(U, line("users", "stu1"), "grades", "3"),
        "grades has values outside the code list: 3",
    ),
    Bad(
        "one-bad-grade-in-a-list",
        lambda p: p.set("classes", "cls1", "grades", "03,Third"),
        *(C, line("classes", "cls1"), "grades", "03,Third"),
        "grades has values outside the code list: Third",
    ),
    Bad(
        "user-ids-not-written-type-colon-identifier-in-braces",
        lambda p: p.set("users", "stu1", "userIds", "LDAP:s1"),
        *(U, line("users", "stu1"), "userIds", "LDAP:s1"),
        "userIds must be written {type:identifier}",
    ),
    # -- references -------------------------------------------------------------------------
    Bad(
        "an-enrollment-in-a-class-that-does-not-exist",
        lambda p: p.set("enrollments", "e2", "classSourcedId", "cls9"),
        *(E, line("enrollments", "e2"), "classSourcedId", "cls9"),
        REF.format("cls9", "classes"),
    ),
    Bad(
        "an-enrollment-of-a-user-who-does-not-exist",
        lambda p: p.set("enrollments", "e2", "userSourcedId", "stu9"),
        *(E, line("enrollments", "e2"), "userSourcedId", "stu9"),
        REF.format("stu9", "users"),
    ),
    Bad(
        "an-enrollment-at-a-school-that-does-not-exist",
        lambda p: p.set("enrollments", "e2", "schoolSourcedId", "sch9"),
        *(E, line("enrollments", "e2"), "schoolSourcedId", "sch9"),
        REF.format("sch9", "orgs"),
    ),
    Bad(
        "an-enrollment-in-a-class-the-bulk-file-no-longer-lists",
        lambda p: p.remove_row("classes", "cls2"),
        *(E, line("enrollments", "e4"), "classSourcedId", "cls2"),
        REF.format("cls2", "classes"),
    ),
    Bad(
        "a-class-at-a-school-that-does-not-exist",
        lambda p: p.set("classes", "cls1", "schoolSourcedId", "sch9"),
        *(C, line("classes", "cls1"), "schoolSourcedId", "sch9"),
        REF.format("sch9", "orgs"),
    ),
    Bad(
        "a-class-in-a-term-that-does-not-exist",
        lambda p: p.set("classes", "cls1", "termSourcedIds", "t1,t9"),
        *(C, line("classes", "cls1"), "termSourcedIds", "t9"),
        REF.format("t9", "academicSessions"),
    ),
    Bad(
        "a-class-of-a-course-missing-from-courses-csv",
        lambda p: p.set("classes", "cls1", "courseSourcedId", "crs9"),
        *(C, line("classes", "cls1"), "courseSourcedId", "crs9"),
        REF.format("crs9", "courses"),
    ),
    Bad(
        "a-course-at-an-org-that-does-not-exist",
        lambda p: p.set("courses", "crs1", "orgSourcedId", "sch9"),
        *("courses.csv", line("courses", "crs1"), "orgSourcedId", "sch9"),
        REF.format("sch9", "orgs"),
    ),
    Bad(
        "a-role-of-a-user-who-does-not-exist",
        lambda p: p.set("roles", "r-stu1-sch1", "userSourcedId", "stu9"),
        *("roles.csv", line("roles", "r-stu1-sch1", V12), "userSourcedId", "stu9"),
        REF.format("stu9", "users"),
        V12,
    ),
    Bad(
        "a-role-at-an-org-that-does-not-exist",
        lambda p: p.set("roles", "r-stu1-sch1", "orgSourcedId", "sch9"),
        *("roles.csv", line("roles", "r-stu1-sch1", V12), "orgSourcedId", "sch9"),
        REF.format("sch9", "orgs"),
        V12,
    ),
    Bad(
        "a-1.2-user-whose-primary-org-does-not-exist",
        lambda p: p.set("users", "stu1", "primaryOrgSourcedId", "sch9"),
        *(U, line("users", "stu1", V12), "primaryOrgSourcedId", "sch9"),
        REF.format("sch9", "orgs"),
        V12,
    ),
    Bad(
        "a-user-profile-of-a-user-who-does-not-exist",
        lambda p: p.set("userProfiles", "prof1", "userSourcedId", "stu9"),
        *("userProfiles.csv", 2, "userSourcedId", "stu9"),
        REF.format("stu9", "users"),
        V12,
    ),
    Bad(
        "demographics-of-a-user-who-does-not-exist",
        lambda p: p.set("demographics", "stu3", "sourcedId", "stu9"),
        *("demographics.csv", line("demographics", "stu3"), "sourcedId", "stu9"),
        REF.format("stu9", "users"),
    ),
    Bad(
        "a-1.1-user-in-an-org-that-does-not-exist",
        lambda p: p.set("users", "stu1", "orgSourcedIds", "sch1,sch9"),
        *(U, line("users", "stu1"), "orgSourcedIds", "sch9"),
        REF.format("sch9", "orgs"),
    ),
    Bad(
        "a-duplicate-sourced-id",
        lambda p: p.copy_row("users", "stu2"),
        *(U, 2 + len(_BASE["1.1"].tables["users"].rows), "sourcedId", "stu2"),
        "duplicate sourcedId: it appears earlier in this file",
    ),
    # -- manifest ---------------------------------------------------------------------------
    Bad(
        "a-package-without-a-manifest",
        lambda p: p.omit("manifest"),
        *("manifest.csv", None, "", ""),
        "the package has no manifest.csv",
    ),
    Bad(
        "a-manifest-with-an-unknown-oneroster-version",
        lambda p: p.set_manifest("oneroster.version", "1.3"),
        *("manifest.csv", manifest_line("oneroster.version"), "oneroster.version", "1.3"),
        "oneroster.version must be 1.1 or 1.2",
    ),
    Bad(
        "a-manifest-with-a-wrong-manifest-version",
        lambda p: p.set_manifest("manifest.version", "2.0"),
        *("manifest.csv", manifest_line("manifest.version"), "manifest.version", "2.0"),
        "manifest.version must be 1.0",
    ),
    Bad(
        "a-manifest-with-an-unknown-file-key",
        lambda p: p.set_manifest("file.grades", "bulk"),
        *("manifest.csv", NEXT_MANIFEST_LINE, "file.grades", "bulk"),
        "'grades' is not a file of OneRoster 1.1",
    ),
    Bad(
        "a-1.1-manifest-with-a-1.2-only-file-key",
        lambda p: p.set_manifest("file.roles", "absent"),
        *("manifest.csv", NEXT_MANIFEST_LINE, "file.roles", "absent"),
        "'roles' is not a file of OneRoster 1.1",
    ),
    Bad(
        "a-manifest-with-a-bad-mode",
        lambda p: p.set_manifest("file.users", "full"),
        *("manifest.csv", manifest_line("file.users"), "file.users", "full"),
        "must be absent, bulk or delta",
    ),
    Bad(
        "a-manifest-listing-a-property-twice",
        lambda p: p.patch("manifest", "oneroster.version,1.1\r\n", "oneroster.version,1.1\r\n" * 2),
        *("manifest.csv", manifest_line("oneroster.version") + 1, "propertyName"),
        "oneroster.version",
        "property is listed twice",
    ),
    Bad(
        "a-manifest-saying-bulk-for-a-missing-file",
        lambda p: p.omit("demographics"),
        *("demographics.csv", None, "", ""),
        "the manifest says bulk but the file is missing",
    ),
    Bad(
        "a-file-the-manifest-does-not-list",
        lambda p: p.unlist("demographics"),
        *("manifest.csv", None, "file.demographics", ""),
        "demographics.csv is in the package but the manifest has no file.demographics row",
    ),
    # -- bulk and delta ---------------------------------------------------------------------
    Bad(
        "a-delta-row-without-date-last-modified",
        lambda p: p.as_delta("enrollments").set("enrollments", "e2", "dateLastModified", ""),
        *(E, line("enrollments", "e2"), "dateLastModified", ""),
        "dateLastModified is required in a delta file",
    ),
    Bad(
        "a-delta-row-without-status",
        lambda p: p.as_delta("enrollments").set("enrollments", "e2", "status", ""),
        *(E, line("enrollments", "e2"), "status", ""),
        "status is required in a delta file",
    ),
    Bad(
        "a-header-only-bulk-file",
        lambda p: p.clear_rows("demographics"),
        *("demographics.csv", None, "", ""),
        "a bulk file must have data rows",
    ),
    # -- required values --------------------------------------------------------------------
    Bad(
        "a-required-value-left-empty",
        lambda p: p.set("users", "stu1", "givenName", ""),
        *(U, line("users", "stu1"), "givenName", ""),
        "a value is required",
    ),
    Bad(
        "a-required-list-left-empty",
        lambda p: p.set("classes", "cls2", "termSourcedIds", ""),
        *(C, line("classes", "cls2"), "termSourcedIds", ""),
        "a value is required",
    ),
    # -- bytes, CSV and containers ----------------------------------------------------------
    Bad(
        "bytes-that-are-not-utf-8",
        lambda p: p.patch("users", "Cara", b"C\xe1ra"),
        *(U, line("users", "stu3"), "", ""),
        "the file is not valid UTF-8",
    ),
    Bad(
        "a-truncated-zip",
        same,
        *("package.zip", None, "", ""),
        "not a readable zip file",
        make=truncated_zip,
    ),
    Bad(
        "a-file-that-is-not-a-zip",
        same,
        *("package.zip", None, "", ""),
        "not a readable zip file",
        make=not_a_zip,
    ),
    Bad(
        "a-zip-member-failing-its-crc-check",
        same,
        *("package.zip", None, "", ""),
        "member users.csv is corrupt (CRC check failed)",
        make=crc_corrupt_zip,
    ),
    Bad(
        "a-zip-member-whose-compressed-data-is-corrupt",
        same,
        *("package.zip", None, "", ""),
        "member users.csv is corrupt (its compressed data is damaged",
        make=corrupt_deflate_zip,
    ),
    Bad(
        "a-subfolder-inside-the-zip",
        lambda p: p.add_member("extra/users.csv", p.to_bytes("users")),
        *("extra/users.csv", None, "", ""),
        "files must sit at the top of the zip",
        make=zipped,
    ),
    Bad(
        "a-path-that-does-not-exist",
        same,
        *("nowhere.zip", None, "", ""),
        "no such file or folder",
        make=no_such_path,
    ),
    Bad(
        "a-carriage-return-inside-a-quoted-field",
        lambda p: p.set("users", "stu1", "givenName", "An\rn"),
        *(U, line("users", "stu1"), "givenName", "An\\rn"),
        "line break inside a field",
    ),
    Bad(
        "a-newline-inside-a-quoted-field",
        lambda p: p.set("users", "stu1", "familyName", "Ad\nams"),
        *(U, line("users", "stu1"), "familyName", "Ad\\nams"),
        "line break inside a field",
    ),
    Bad(
        "a-row-with-too-many-fields",
        lambda p: p.patch("orgs", "Baker Middle", "Baker, Middle"),
        *("orgs.csv", line("orgs", "sch2"), "", ""),
        "the row has 8 fields but the header has 7",
    ),
    Bad(
        "a-row-with-too-few-fields",
        lambda p: p.patch("orgs", ",S1,", ","),
        *("orgs.csv", line("orgs", "sch1"), "", ""),
        "the row has 6 fields but the header has 7",
    ),
    Bad(
        "an-unterminated-quote",
        lambda p: p.patch("users", ",hank,", ',"hank,'),
        *(U, line("users", "par2"), "", ""),
        "malformed CSV: unexpected end of data",
    ),
    Bad(
        "text-after-a-closing-quote",
        lambda p: p.patch("users", '"stu1,stu2",', '"stu1,stu2"x,'),
        *(U, line("users", "par1"), "", ""),
        "malformed CSV: ',' expected after '\"'",
    ),
    Bad(
        "a-nul-byte",
        lambda p: p.patch("users", ",Ben,", ",B\x00en,"),
        *(U, line("users", "stu2"), "givenName", "B\\0en"),
        "NUL character",
    ),
    Bad(
        "a-blank-line-inside-a-file",
        lambda p: p.patch("orgs", "\r\nsch1,", "\r\n\r\nsch1,"),
        *("orgs.csv", line("orgs", "sch1"), "", ""),
        "blank line inside the file",
    ),
    Bad(
        "an-empty-file-without-a-header",
        lambda p: p.replace("orgs", b""),
        *("orgs.csv", 1, "", ""),
        "the file is empty: a header row is required",
    ),
    # -- people and Steward's extension columns ---------------------------------------------
    Bad(
        "a-1.2-user-without-a-role",
        lambda p: p.copy_row("users", "stu2", sourcedId="new1", username="newt"),
        *(U, 2 + len(_BASE[V12].tables["users"].rows), "sourcedId", "new1"),
        "the user has no role in roles.csv",
        V12,
    ),
    Bad(
        "a-caseload-naming-a-user-who-is-not-staff",
        lambda p: p.set("users", "stu1", spec.META_COUNSELOR, "stu2"),
        *(U, line("users", "stu1"), spec.META_COUNSELOR, "stu2"),
        "refers to 'stu2', which is not a member of staff",
    ),
    Bad(
        "a-caseload-on-a-row-that-is-not-a-student",
        lambda p: p.set("users", "tch1", spec.META_CASE_MANAGER, "cns1"),
        *(U, line("users", "tch1"), spec.META_CASE_MANAGER, "cns1"),
        "caseloads can only be given on a student's row",
    ),
    Bad(
        "guardian-metadata-naming-a-student-not-in-agent-sourced-ids",
        lambda p: p.set("users", "par1", spec.META_RESTRICTED, "stu3"),
        *(U, line("users", "par1"), spec.META_RESTRICTED, "stu3"),
        "lists students that are not in this user's agentSourcedIds: stu3",
    ),
    Bad(
        "a-staff-position-outside-stewards-list",
        lambda p: p.set("users", "tch1", spec.META_POSITION, "janitor"),
        *(U, line("users", "tch1"), spec.META_POSITION, "janitor"),
        "must be one of teacher, counselor, nurse",
    ),
    Bad(
        "a-special-indicator-that-is-not-a-boolean",
        lambda p: p.set("demographics", "stu1", M + "iep", "yes"),
        *("demographics.csv", line("demographics", "stu1"), M + "iep", "yes"),
        "must be true or false",
    ),
]

ERROR_COUNT = re.compile(r"Import rejected: (\d+) error\(s\)")


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_it_rejects_the_package_and_changes_nothing(
    case: Bad, seeded: ImportResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pkg = package(case.version)
    case.mutate(pkg)
    path = case.make(pkg, tmp_path / "bad")
    log_path = tmp_path / "conformance.csv"
    before = db_snapshot()
    capsys.readouterr()

    with pytest.raises(SystemExit) as exited:
        cli.main(["steward", "import", str(path), "--error-log", str(log_path)])

    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert db_snapshot() == before
    errors = [text for text in err.splitlines() if text.startswith("error: ")]
    matching = [text for text in errors if text.startswith(case.prefix()) and case.reason in text]
    assert matching, f"expected {case.prefix()}…{case.reason}… in:\n{err}"
    count = ERROR_COUNT.search(err)
    assert count is not None and int(count.group(1)) == len(errors)

    run = CliRun(2, "", err, log_path)
    rows = run.log_rows()
    assert rows[0]["testId"] == "package" and rows[0]["result"] == "fail"
    fails = [r for r in rows[1:] if r["result"] == "fail"]
    assert len(fails) == len(errors)
    assert any(
        r["file"] == case.file
        and r["line"] == ("" if case.line is None else str(case.line))
        and r["column"] == case.column
        and case.reason in r["explanation"]
        for r in fails
    ), fails


def test_there_are_enough_bad_input_cases() -> None:
    assert len(CASES) >= 45
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.django_db
def test_it_accepts_a_metadata_extension_column(
    seeded: ImportResult, write: Callable[..., Path], steward_import: Callable[..., CliRun]
) -> None:
    pkg = package().add_column("orgs", "metadata.district.region", "north")
    result = steward_import(write(pkg))
    assert result.code == 0, result.err
    assert "error:" not in result.err
    assert Org.objects.get(sourced_id="sch1").metadata == {"metadata.district.region": "north"}
    assert all(r["result"] != "fail" for r in result.log_rows())


@pytest.mark.django_db
def test_it_reports_every_error_of_a_package_at_once(
    seeded: ImportResult, write: Callable[..., Path], steward_import: Callable[..., CliRun]
) -> None:
    pkg = (
        package()
        .set("orgs", "sch1", "type", "campus")
        .set("users", "stu1", "enabledUser", "maybe")
        .set("enrollments", "e5", "classSourcedId", "cls9")
    )
    before = db_snapshot()
    result = steward_import(write(pkg))
    assert result.code == 2
    assert "Import rejected: 3 error(s)" in result.err
    for expected in (
        "error: orgs.csv, line 3, column type (value 'campus')",
        "error: users.csv, line 5, column enabledUser (value 'maybe')",
        "error: enrollments.csv, line 6, column classSourcedId (value 'cls9')",
    ):
        assert expected in result.err
    assert db_snapshot() == before


@pytest.mark.django_db
def test_it_never_echoes_a_password_in_an_error(
    seeded: ImportResult, write: Callable[..., Path], steward_import: Callable[..., CliRun]
) -> None:
    pkg = package().set("users", "stu1", "password", "hunter2\nsecret")
    result = steward_import(write(pkg))
    assert result.code == 2
    assert "error: users.csv, line 5, column password" in result.err
    assert "hunter2" not in result.err
    assert "hunter2" not in result.log_path.read_text(encoding="utf-8")


@pytest.mark.django_db
@pytest.mark.parametrize("as_zip", [False, True], ids=["folder", "zip"])
@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_the_unmutated_package_imports_cleanly(
    version: str,
    as_zip: bool,
    write: Callable[..., Path],
    steward_import: Callable[..., CliRun],
) -> None:
    """The baseline every case mutates: no error and no warning, so each rejection above is
    caused by its one mutation."""
    run = steward_import(write(package(version), as_zip=as_zip))
    assert run.code == 0, run.err
    assert run.err == ""
    assert "Imported" in run.out
    assert [r["result"] for r in run.log_rows()] == ["success"]


@pytest.mark.django_db
def test_it_reports_a_broken_file_once_not_as_dangling_references_into_it(
    seeded: ImportResult, write: Callable[..., Path], steward_import: Callable[..., CliRun]
) -> None:
    result = steward_import(write(package().rename_column("classes", "title", "Title")))
    assert result.code == 2
    assert "error: classes.csv, line 1, column title (value 'Title')" in result.err
    assert "Import rejected: 1 error(s)" in result.err
    assert "enrollments.csv" not in result.err
