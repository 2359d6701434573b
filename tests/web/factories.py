"""Small factories for roster rows, written straight through the ORM (no importer needed).

Every function takes only what a test cares about and fills the rest with plausible
defaults; sourced ids come from one counter so rows never collide.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.utils import timezone

from steward.accounts.models import Account
from steward.roster.models import (
    AcademicSession,
    Caseload,
    Course,
    Enrollment,
    Guardian,
    GuardianRelationship,
    ImportRun,
    Org,
    Section,
    SectionTerm,
    Staff,
    StaffRole,
    Student,
    StudentSchool,
)

_ids = itertools.count(1)


def _sid(prefix: str) -> str:
    return f"{prefix}-{next(_ids):05d}"


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    """The date `n` days from today (negative: in the past)."""
    return today() + datetime.timedelta(days=n)


def import_run(outcome: str = ImportRun.Outcome.SUCCEEDED) -> ImportRun:
    return ImportRun.objects.create(
        started_at=timezone.now(),
        finished_at=timezone.now(),
        source="tests",
        package_sha256="0" * 64,
        oneroster_version="1.2",
        outcome=outcome,
    )


def org(run: ImportRun, name: str, type: str = Org.Type.SCHOOL, parent: Org | None = None) -> Org:
    return Org.objects.create(
        sourced_id=_sid("org"),
        last_import=run,
        name=name,
        type=type,
        parent=parent,
        parent_sourced_id=parent.sourced_id if parent else "",
    )


def term(run: ImportRun, title: str, start: int = -60, end: int = 60) -> AcademicSession:
    """A term running from `start` to `end` days from today."""
    begin = days(start)
    return AcademicSession.objects.create(
        sourced_id=_sid("term"),
        last_import=run,
        title=title,
        type="term",
        start_date=begin,
        end_date=days(end),
        school_year=days(end).year,
    )


def section(
    run: ImportRun,
    school: Org,
    title: str,
    terms: Sequence[AcademicSession] = (),
    *,
    course_title: str = "",
    periods: str = "",
    active: bool = True,
) -> Section:
    course = None
    if course_title:
        course = Course.objects.create(
            sourced_id=_sid("course"), last_import=run, title=course_title, org=school
        )
    made = Section.objects.create(
        sourced_id=_sid("class"),
        last_import=run,
        title=title,
        class_type="scheduled",
        periods=periods,
        school=school,
        course_sourced_id=course.sourced_id if course else _sid("course"),
        course=course,
        active=active,
    )
    for t in terms:
        SectionTerm.objects.create(section=made, term=t)
    return made


def _person_fields(run: ImportRun, prefix: str, given: str, family: str) -> dict[str, object]:
    return {
        "sourced_id": _sid(prefix),
        "last_import": run,
        "username": f"{given}.{family}".lower(),
        "given_name": given,
        "family_name": family,
    }


def staff(run: ImportRun, given: str, family: str, *, active: bool = True) -> Staff:
    return Staff.objects.create(**_person_fields(run, "staff", given, family), active=active)


def staff_role(
    run: ImportRun,
    member: Staff,
    at: Org,
    position: str,
    begin: datetime.date | None = None,
    end: datetime.date | None = None,
) -> StaffRole:
    return StaffRole.objects.create(
        staff=member,
        org=at,
        position=position,
        oneroster_role=position,
        begin_date=begin,
        end_date=end,
        last_import=run,
    )


def student(run: ImportRun, given: str, family: str, grade: str = "03") -> Student:
    return Student.objects.create(**_person_fields(run, "stu", given, family), grade=grade)


def attend(
    run: ImportRun,
    pupil: Student,
    school: Org,
    begin: datetime.date | None = None,
    end: datetime.date | None = None,
) -> StudentSchool:
    return StudentSchool.objects.create(
        student=pupil, school=school, begin_date=begin, end_date=end, last_import=run
    )


def enroll(
    run: ImportRun,
    person: Student | Staff,
    on: Section,
    begin: datetime.date | None = None,
    end: datetime.date | None = None,
    *,
    active: bool = True,
) -> Enrollment:
    """Enroll a student (role student) or a member of staff (role teacher) on a section."""
    pupil = person if isinstance(person, Student) else None
    member = person if isinstance(person, Staff) else None
    return Enrollment.objects.create(
        sourced_id=_sid("enr"),
        last_import=run,
        section=on,
        school=on.school,
        student=pupil,
        staff=member,
        role=Enrollment.Role.STUDENT if pupil else Enrollment.Role.TEACHER,
        begin_date=begin,
        end_date=end,
        active=active,
    )


def guardian(run: ImportRun, given: str, family: str) -> Guardian:
    return Guardian.objects.create(**_person_fields(run, "grd", given, family))


def guardian_of(
    run: ImportRun,
    parent: Guardian,
    child: Student,
    *,
    restricted: bool = False,
    active: bool = True,
) -> GuardianRelationship:
    return GuardianRelationship.objects.create(
        guardian=parent,
        student=child,
        kind=GuardianRelationship.Kind.PARENT,
        access_restricted=restricted,
        active=active,
        last_import=run,
    )


def caseload(
    run: ImportRun,
    member: Staff,
    pupil: Student,
    kind: str = Caseload.Kind.COUNSELOR,
    begin: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Caseload:
    return Caseload.objects.create(
        staff=member, student=pupil, kind=kind, begin_date=begin, end_date=end, last_import=run
    )


def login(
    username: str,
    role: str | None = None,
    *,
    staff: Staff | None = None,
    guardian: Guardian | None = None,
    password: str | None = None,
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """A Django user, with an `Account` of `role` when one is given."""
    user = User.objects.create_user(
        username=username, password=password, is_staff=is_staff, is_superuser=is_superuser
    )
    if role is not None:
        Account.objects.create(user=user, role=role, staff=staff, guardian=guardian)
    return user
