"""Minimized vendor export benchmark (issue #7): a bulk OneRoster CSV export at tier L.

Standalone: `python benchmarks/export_bench.py [--tier L]`, or `make bench` (suite `export`).
Uses the import suite's database for the tier (bench-out/data-<tier>, imported if missing;
`record_bench.setup_django`), gives a benchmark vendor an active district-wide agreement with
the elements a rostering app usually asks for (names, grade, school, username, schedule,
teacher names, parents' names and e-mail), then, in the same run:

* ours: `steward.sharing.actions.do_export`, end to end: the sharing plan (scope, consents,
  opt-outs, columns), every file minimized and written into a zip with the manifest and the
  redisclosure notice, its SHA-256, the `Export` row and the disclosure entry in the ledger;
* peer: the same tables read with one unfiltered query each (every row, no plan, no
  minimization, no pseudonyms) and written straight to CSV files with the csv module: the
  floor any export is measured against.

Target: ours ≤ 60 s at tier L (design.md §5). Writes a vendor, an agreement, an export and a
ledger entry into the benchmark database (never the demo's).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import shutil
import time
from pathlib import Path
from typing import Any

import record_bench

TARGET_S = 60.0
ELEMENTS = [
    ["Student Name", "First and/or last"],
    ["Student Identifiers", "Student app username"],
    ["Enrollment", "Student grade level"],
    ["Enrollment", "Student school enrollment"],
    ["Schedule", "Student scheduled courses"],
    ["Schedule", "Teacher names"],
    ["Parent/Guardian Name", "First and/or last"],
    ["Parent/Guardian Contact Information", "Email"],
]
PERSON = ("sourced_id", "enabled", "username", "given_name", "family_name", "middle_name",
          "identifier", "email", "sms", "phone", "preferred_given_name")  # fmt: skip


def agreement() -> Any:
    """The benchmark vendor's active district-wide agreement (made once, then reused)."""
    from django.utils import timezone

    from steward.vendors.models import Agreement, AgreementKind, AgreementStatus, Vendor

    now = timezone.now()
    vendor, _created = Vendor.objects.get_or_create(
        name="Benchmark export vendor", defaults={"created_at": now}
    )
    found = Agreement.objects.filter(vendor=vendor, title="Benchmark OneRoster export").first()
    if found is not None:
        return found
    return Agreement.objects.create(
        vendor=vendor,
        title="Benchmark OneRoster export",
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


def peer(folder: Path) -> dict[str, int]:
    """Every row of the tables the export reads, unfiltered, straight to CSV."""
    from steward.roster import models as m

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    tables: dict[str, list[tuple[Any, tuple[str, ...]]]] = {
        "orgs": [(m.Org, ("sourced_id", "name", "type", "identifier", "parent_id"))],
        "academicSessions": [
            (
                m.AcademicSession,
                (
                    "sourced_id",
                    "title",
                    "type",
                    "start_date",
                    "end_date",
                    "parent_id",
                    "school_year",
                ),
            ),
        ],
        "courses": [(m.Course, ("sourced_id", "title", "course_code", "grades", "org_id"))],
        "classes": [
            (
                m.Section,
                (
                    "sourced_id",
                    "title",
                    "grades",
                    "course_id",
                    "class_type",
                    "school_id",
                    "periods",
                ),
            ),
        ],
        "users": [(m.Student, (*PERSON, "grade")), (m.Staff, PERSON), (m.Guardian, PERSON)],
        "roles": [
            (m.StudentSchool, ("student_id", "school_id", "primary", "begin_date", "end_date")),
            (m.StaffRole, ("staff_id", "org_id", "oneroster_role", "begin_date", "end_date")),
        ],
        "enrollments": [
            (
                m.Enrollment,
                (
                    "sourced_id",
                    "section_id",
                    "school_id",
                    "student_id",
                    "staff_id",
                    "role",
                    "primary",
                    "begin_date",
                    "end_date",
                ),
            ),
        ],
    }
    counts: dict[str, int] = {}
    for name, sources in tables.items():
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            rows = 0
            for model, fields in sources:
                writer.writerow(fields)
                for row in model.objects.values_list(*fields).iterator(chunk_size=20000):
                    writer.writerow(row)
                    rows += 1
            counts[f"{name}.csv"] = rows
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tier", default="L")
    args = parser.parse_args()
    record_bench.setup_django(args.tier)
    from steward.roster.models import Student
    from steward.sharing.actions import do_export

    deal = agreement()
    out = record_bench.OUT / f"export-{args.tier}"
    out.mkdir(exist_ok=True)
    target = out / "steward-export.zip"
    target.unlink(missing_ok=True)
    started = time.perf_counter()
    made = do_export(deal, out=target, operator="benchmarks/export_bench.py")
    ours = time.perf_counter() - started
    started = time.perf_counter()
    plain = peer(out / "peer")
    theirs = time.perf_counter() - started
    rows = sum(made.counts.values())
    verdict = "met" if ours <= TARGET_S else "MISSED"
    print(
        f"tier {args.tier}: {Student.objects.count():,} students | steward export (bulk, "
        f"minimized, zip, disclosure) {ours:.1f} s, {rows:,} rows, "
        f"{made.size / 2**20:,.0f} MiB zip (target ≤ {TARGET_S:.0f} s: {verdict}) | "
        f"peer unfiltered query → csv {theirs:.1f} s, {sum(plain.values()):,} rows",
        flush=True,
    )
    print("  ours: " + ", ".join(f"{name} {n:,}" for name, n in made.counts.items()))
    print("  peer: " + ", ".join(f"{name} {n:,}" for name, n in plain.items()))


if __name__ == "__main__":
    main()
