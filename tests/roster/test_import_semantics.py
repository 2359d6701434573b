"""What an accepted import does to the roster: ending instead of deleting, deltas, versions,
Steward's extension columns, secrets, and all-or-nothing application."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from steward.roster.importer import ImportResult, import_package
from steward.roster.importer.apply import Applier
from steward.roster.models import (
    Caseload,
    Enrollment,
    Guardian,
    GuardianRelationship,
    Org,
    SpecialIndicators,
    Staff,
    StaffRole,
    Student,
    StudentDemographics,
    StudentSchool,
)
from steward.roster.oneroster import spec

from .conftest import CliRun, db_snapshot, every_row_text, roster_content
from .fixtures import package, password

ImportPkg = Callable[..., ImportResult]

pytestmark = pytest.mark.django_db


def today() -> Any:
    return timezone.localdate()


def link(guardian: str, student: str) -> GuardianRelationship:
    return GuardianRelationship.objects.get(
        guardian__sourced_id=guardian, student__sourced_id=student
    )


def flags(guardian: str, student: str) -> tuple[str, bool, bool, bool, bool, bool]:
    g = link(guardian, student)
    return (
        g.kind,
        g.custodial,
        g.lives_with,
        g.emergency_contact,
        g.access_restricted,
        g.active,
    )


# -- ending, never deleting -----------------------------------------------------------------


def test_a_student_missing_from_a_bulk_users_file_becomes_inactive_and_keeps_enrollments(
    seeded: ImportResult, import_pkg: ImportPkg
) -> None:
    pkg = (
        package()
        .remove_row("users", "stu3")
        .remove_row("demographics", "stu3")
        .remove_row("enrollments", "e3")
    )
    result = import_pkg(pkg)

    assert result.counts["students"]["ended"] == 1
    cara = Student.objects.get(sourced_id="stu3")
    assert not cara.active
    assert Student.objects.count() == 3
    enrollment = Enrollment.objects.get(sourced_id="e3")
    assert enrollment.student == cara
    assert enrollment.end_date is not None and enrollment.end_date <= today()
    assert not StudentDemographics.objects.get(student=cara).active
    assert StudentSchool.objects.get(student=cara).end_date == today()
    assert Student.objects.get(sourced_id="stu1").active


def test_a_student_missing_while_enrollments_are_absent_keeps_the_enrollment_untouched(
    seeded: ImportResult, import_pkg: ImportPkg
) -> None:
    before = Enrollment.objects.get(sourced_id="e3")
    pkg = (
        package()
        .remove_row("users", "stu3")
        .remove_row("demographics", "stu3")
        .drop_file("enrollments")
    )
    import_pkg(pkg)
    assert not Student.objects.get(sourced_id="stu3").active
    after = Enrollment.objects.get(sourced_id="e3")
    assert (after.active, after.end_date, after.student_id) == (True, None, before.student_id)


def test_an_enrollment_missing_from_a_bulk_file_gets_an_end_date_and_is_not_deleted(
    seeded: ImportResult, import_pkg: ImportPkg
) -> None:
    result = import_pkg(package().remove_row("enrollments", "e2"))

    assert result.counts["enrollments"]["ended"] == 1
    assert Enrollment.objects.count() == 5
    ended = Enrollment.objects.get(sourced_id="e2")
    assert not ended.active
    assert ended.end_date is not None and ended.end_date <= today()
    assert ended.begin_date.isoformat() == "2025-08-25"
    assert Enrollment.objects.get(sourced_id="e3").end_date is None


def test_an_enrollment_that_already_ended_keeps_its_earlier_end_date(
    seeded: ImportResult, import_pkg: ImportPkg
) -> None:
    import_pkg(package().set("enrollments", "e2", "endDate", "2025-10-31"))
    import_pkg(package().remove_row("enrollments", "e2"))
    assert Enrollment.objects.get(sourced_id="e2").end_date.isoformat() == "2025-10-31"


def test_a_delta_tobedeleted_enrollment_is_ended(
    seeded: ImportResult, import_pkg: ImportPkg
) -> None:
    pkg = (
        package()
        .only("enrollments")
        .keep_rows("enrollments", "e2")
        .as_delta("enrollments", status="tobedeleted")
    )
    result = import_pkg(pkg)

    assert result.counts["enrollments"] == {
        "created": 0,
        "updated": 0,
        "ended": 1,
        "unchanged": 0,
        "skipped": 0,
    }
    e2 = Enrollment.objects.get(sourced_id="e2")
    assert not e2.active and e2.end_date <= today()
    e3 = Enrollment.objects.get(sourced_id="e3")
    assert e3.active and e3.end_date is None


def test_a_delta_tobedeleted_student_becomes_inactive(
    seeded: ImportResult, import_pkg: ImportPkg
) -> None:
    pkg = package().only("users").keep_rows("users", "stu3").as_delta("users", status="tobedeleted")
    import_pkg(pkg)
    assert not Student.objects.get(sourced_id="stu3").active
    assert Student.objects.get(sourced_id="stu1").active
    assert Student.objects.count() == 3


def test_a_delta_adds_an_enrollment_and_updates_a_name(
    seeded: ImportResult, import_pkg: ImportPkg
) -> None:
    pkg = package().only("users", "enrollments").keep_rows("users", "stu1")
    pkg.set("users", "stu1", "givenName", "Annie").as_delta("users")
    pkg.keep_rows("enrollments").add_row(
        "enrollments",
        sourcedId="e6",
        classSourcedId="cls2",
        schoolSourcedId="sch2",
        userSourcedId="stu1",
        role="student",
        primary="false",
        beginDate="2025-09-02",
    )
    pkg.as_delta("enrollments")
    result = import_pkg(pkg)

    assert result.changed
    assert result.counts["students"]["updated"] == 1
    assert result.counts["enrollments"]["created"] == 1
    ann = Student.objects.get(sourced_id="stu1")
    assert ann.given_name == "Annie"
    new = Enrollment.objects.get(sourced_id="e6")
    assert (new.student, new.section.sourced_id, new.active) == (ann, "cls2", True)
    # Rows the delta does not mention stay as they were.
    assert Student.objects.get(sourced_id="stu2").given_name == "Ben"
    assert Enrollment.objects.filter(active=True).count() == 6
    assert Enrollment.objects.get(sourced_id="e2").end_date is None


# -- OneRoster versions ---------------------------------------------------------------------


def roster_facts() -> dict[str, Any]:
    """What the roster says about people, independent of how the version spelled it."""

    def people(model: Any) -> set[tuple[Any, ...]]:
        return set(
            model.objects.values_list(
                "sourced_id", "username", "given_name", "family_name", "email", "enabled", "active"
            )
        )

    return {
        "students": people(Student),
        "student grades": set(Student.objects.values_list("sourced_id", "grade", "user_ids")),
        "staff": people(Staff),
        "guardians": people(Guardian),
        "schools": set(
            StudentSchool.objects.values_list(
                "student__sourced_id", "school__sourced_id", "primary", "end_date"
            )
        ),
        "staff roles": set(
            StaffRole.objects.values_list(
                "staff__sourced_id", "org__sourced_id", "position", "primary", "end_date"
            )
        ),
        "guardian links": set(
            GuardianRelationship.objects.values_list(
                "guardian__sourced_id",
                "student__sourced_id",
                "kind",
                "custodial",
                "lives_with",
                "emergency_contact",
                "access_restricted",
                "active",
            )
        ),
        "caseloads": set(
            Caseload.objects.values_list("staff__sourced_id", "student__sourced_id", "kind")
        ),
        "enrollments": set(
            Enrollment.objects.values_list(
                "sourced_id",
                "student__sourced_id",
                "staff__sourced_id",
                "section__sourced_id",
                "role",
                "primary",
            )
        ),
        "orgs": set(Org.objects.values_list("sourced_id", "type", "parent__sourced_id")),
    }


def test_a_1_1_package_and_the_equivalent_1_2_package_give_the_same_roster(
    db: None, import_pkg: ImportPkg
) -> None:
    found = {}
    for version in ("1.1", "1.2"):
        with transaction.atomic():
            import_pkg(package(version))
            found[version] = roster_facts()
            transaction.set_rollback(True)
    assert found["1.1"]["students"]  # the comparison below is not between two empty rosters
    assert len(found["1.1"]["staff roles"]) == 4
    assert found["1.1"] == found["1.2"]


# -- Steward's extension columns ------------------------------------------------------------


def test_guardian_metadata_columns_land_on_the_guardian_relationship(
    seeded: ImportResult, import_pkg: ImportPkg
) -> None:
    assert flags("par1", "stu1") == ("parent", True, True, True, False, True)
    assert flags("par1", "stu2") == ("parent", True, False, True, False, True)
    assert flags("par2", "stu3") == ("guardian", True, False, False, False, True)

    pkg = package()
    pkg.set("users", "par1", spec.META_CUSTODIAL, "stu1")
    pkg.set("users", "par1", spec.META_RESTRICTED, "stu2")
    pkg.set("users", "par1", spec.META_EMERGENCY, "")
    import_pkg(pkg)

    assert flags("par1", "stu1") == ("parent", True, True, False, False, True)
    assert flags("par1", "stu2") == ("parent", False, False, False, True, True)


def test_guardian_metadata_lists_may_have_spaces_after_commas(
    db: None, import_pkg: ImportPkg
) -> None:
    pkg = package()
    pkg.set("users", "par1", spec.META_RESTRICTED, "stu1, stu2")
    import_pkg(pkg)
    assert link("par1", "stu1").access_restricted
    assert link("par1", "stu2").access_restricted


def test_without_guardian_columns_a_parent_link_is_custodial(
    db: None, import_pkg: ImportPkg
) -> None:
    pkg = package()
    for name in spec.GUARDIAN_META:
        pkg.remove_column("users", name)
    import_pkg(pkg)
    # docs/oneroster.md: custodial (FERPA presumes a parent's rights), nothing else known.
    assert flags("par1", "stu1") == ("parent", True, False, False, False, True)
    assert flags("par2", "stu3") == ("guardian", True, False, False, False, True)


def test_a_delta_restating_only_a_student_keeps_the_guardian_relationship_details(
    seeded: ImportResult, import_pkg: ImportPkg
) -> None:
    restricted = package().set("users", "par2", spec.META_RESTRICTED, "stu3")
    import_pkg(restricted)
    assert flags("par2", "stu3") == ("guardian", True, False, False, True, True)
    before = flags("par1", "stu1")

    pkg = package().only("users").keep_rows("users", "stu1", "stu3")
    pkg.set("users", "stu3", "givenName", "Carla").as_delta("users")
    import_pkg(pkg)

    assert Student.objects.get(sourced_id="stu3").given_name == "Carla"
    # The guardians' rows were not in the delta: what they said still stands, in particular
    # the court-ordered restriction and the kind of guardian.
    assert flags("par2", "stu3") == ("guardian", True, False, False, True, True)
    assert flags("par1", "stu1") == before


def test_staff_positions_and_caseloads_come_from_metadata(seeded: ImportResult) -> None:
    carl = StaffRole.objects.get(staff__sourced_id="cns1")
    assert (carl.position, carl.oneroster_role) == ("counselor", "administrator")
    assert set(
        Caseload.objects.values_list("staff__sourced_id", "student__sourced_id", "kind")
    ) == {("cns1", "stu1", "counselor")}


def test_special_indicators_land_in_their_own_table_not_in_student_metadata(
    db: None, import_pkg: ImportPkg
) -> None:
    pkg = package().add_column("users", "metadata.district.house", "Blue")
    import_pkg(pkg)

    ann = SpecialIndicators.objects.get(student__sourced_id="stu1")
    assert (ann.iep, ann.english_learner, ann.low_income, ann.section504) == (
        True,
        True,
        False,
        False,
    )
    assert SpecialIndicators.objects.get(student__sourced_id="stu2").low_income
    for student in Student.objects.all():
        assert student.metadata == {"metadata.district.house": "Blue"}
        row = json.dumps(list(Student.objects.filter(pk=student.pk).values_list()), default=str)
        assert "steward" not in row and "iep" not in row.lower()
    for guardian in Guardian.objects.all():
        assert not any(key.startswith(spec.META) for key in guardian.metadata)


# -- secrets --------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_passwords_are_never_stored_anywhere(
    version: str,
    db: None,
    write: Callable[..., Path],
    steward_import: Callable[..., CliRun],
) -> None:
    run = steward_import(write(package(version)))
    assert run.code == 0, run.err

    stored = every_row_text()
    assert "tess" in stored  # the search does see imported text
    assert "pw-SECRET" not in stored
    assert password("stu1") not in run.out + run.err
    assert "pw-SECRET" not in run.log_path.read_text(encoding="utf-8")


# -- tolerated input ------------------------------------------------------------------------


def test_a_byte_order_mark_at_the_start_of_a_file_is_accepted(
    db: None, write: Callable[..., Path], steward_import: Callable[..., CliRun]
) -> None:
    pkg = package()
    for file in ("manifest", "users", "orgs"):
        first = "propertyName," if file == "manifest" else "sourcedId,"
        pkg.patch(file, first, "\ufeff" + first)
    assert all(pkg.to_bytes(f).startswith(b"\xef\xbb\xbf") for f in ("manifest", "users", "orgs"))
    path = write(pkg, as_zip=True)

    run = steward_import(path)
    assert run.code == 0, run.err
    assert Student.objects.count() == 3
    assert Org.objects.filter(sourced_id="dist").exists()  # not "\ufeffdist"


def test_an_inactive_status_is_a_warning_not_an_error(
    seeded: ImportResult, write: Callable[..., Path], steward_import: Callable[..., CliRun]
) -> None:
    run = steward_import(write(package().set("orgs", "sch2", "status", "inactive")))
    assert run.code == 0, run.err
    assert "warning: orgs.csv, line 4, column status (value 'inactive')" in run.err
    assert "error:" not in run.err
    assert Org.objects.get(sourced_id="sch2").active
    warnings = [r for r in run.log_rows() if r["result"] == "warning"]
    assert [(r["file"], r["line"], r["column"]) for r in warnings] == [("orgs.csv", "4", "status")]


# -- all or nothing -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_exception_in_the_middle_of_pass_2_leaves_the_database_exactly_as_before(
    seeded: ImportResult,
    write: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = Applier._apply_enrollments

    def crash(self: Applier) -> None:
        original(self)  # the enrollments are written first: all of it must roll back
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Applier, "_apply_enrollments", crash)
    pkg = (
        package()
        .set("users", "stu1", "givenName", "Annie")
        .remove_row("users", "stu3")
        .remove_row("demographics", "stu3")
        .remove_row("enrollments", "e3")
        .set("orgs", "sch1", "name", "Adams Academy")
    )
    assert not connection.in_atomic_block  # a real transaction, not the test's savepoint
    before = db_snapshot()
    with pytest.raises(RuntimeError, match="disk on fire"):
        import_package(write(pkg), error_log=tmp_path / "log.csv")
    assert db_snapshot() == before

    monkeypatch.setattr(Applier, "_apply_enrollments", original)
    result = import_package(write(pkg), error_log=tmp_path / "log2.csv")
    assert result.changed
    assert roster_content() != before
    assert Student.objects.get(sourced_id="stu1").given_name == "Annie"
