"""Read-only queries behind the home pages.

Every function does its queries itself and returns plain frozen dataclasses, so templates
never touch the database: the number of queries per page is fixed whatever the size of the
district (no N+1), and the tests pin it.

"Current" always means by dates, never by the `active` flag alone (oneroster.md §1.4): a row
is current on day `at` when its begin date is empty or on/before `at`, and its end date is
empty or on/after `at` (both ends inclusive).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from steward.accounts.models import Account
from steward.roster.models import (
    Caseload,
    Enrollment,
    Guardian,
    GuardianRelationship,
    Org,
    Section,
    Staff,
    StaffRole,
    StudentSchool,
)


@dataclass(frozen=True)
class SchoolRow:
    """A school as a home page shows it; `section_count` only on aggregate pages."""

    sourced_id: str
    name: str
    section_count: int | None = None


@dataclass(frozen=True)
class SectionRow:
    """A section (class) with its school and the names of its terms."""

    sourced_id: str
    title: str
    school_name: str
    course_title: str
    periods: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class SchoolSections:
    """One school and its sections, for the principal's page."""

    school: SchoolRow
    sections: tuple[SectionRow, ...]


@dataclass(frozen=True)
class ChildRow:
    """One child of a guardian, with the child's current schools and sections."""

    sourced_id: str
    name: str
    grade: str
    schools: tuple[SchoolRow, ...]
    sections: tuple[SectionRow, ...]


def current(at: datetime.date, prefix: str = "") -> Q:
    """Q for rows current on `at` by `begin_date`/`end_date`; `prefix` reaches a relation."""
    begin, end = f"{prefix}begin_date", f"{prefix}end_date"
    return (Q(**{f"{begin}__isnull": True}) | Q(**{f"{begin}__lte": at})) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": at})
    )


def account_for(user: AbstractBaseUser | AnonymousUser) -> Account | None:
    """The user's `Account` with its staff and guardian rows, or None (one query at most)."""
    if not user.is_authenticated:
        return None
    return Account.objects.select_related("staff", "guardian").filter(user_id=user.pk).first()


def _section_row(section: Section) -> SectionRow:
    # Needs `school` and `course` selected and `terms` prefetched, or it queries per row.
    return SectionRow(
        sourced_id=section.sourced_id,
        title=section.title,
        school_name=section.school.name,
        course_title=section.course.title if section.course else "",
        periods=section.periods,
        terms=tuple(term.title for term in section.terms.all()),
    )


def _school_row(org: Org) -> SchoolRow:
    return SchoolRow(sourced_id=org.sourced_id, name=org.name)


def district_schools(at: datetime.date) -> list[SchoolRow]:
    """All active schools of the district, by name, each with its number of active sections.

    Aggregate only: no student or staff names (the privacy officer's overview). One query.
    `at` is accepted for symmetry with the other selectors; sections carry no dates.
    """
    schools = (
        Org.objects.filter(type=Org.Type.SCHOOL, active=True)
        .annotate(n_sections=Count("sections", filter=Q(sections__active=True)))
        .order_by("name", "sourced_id")
    )
    return [
        SchoolRow(sourced_id=s.sourced_id, name=s.name, section_count=s.n_sections) for s in schools
    ]


def staff_schools(staff: Staff | None, at: datetime.date) -> list[SchoolRow]:
    """Active schools where `staff` holds any position current on `at`, by name. One query."""
    if staff is None:
        return []
    roles = StaffRole.objects.filter(current(at), staff=staff, org=OuterRef("pk"))
    schools = Org.objects.filter(Exists(roles), type=Org.Type.SCHOOL, active=True)
    return [_school_row(s) for s in schools.order_by("name", "sourced_id")]


def principal_schools(staff: Staff | None, at: datetime.date) -> list[SchoolRow]:
    """Active schools where `staff` is principal on `at` (StaffRole dates), by name. One query."""
    if staff is None:
        return []
    roles = StaffRole.objects.filter(
        current(at), staff=staff, org=OuterRef("pk"), position=StaffRole.Position.PRINCIPAL
    )
    schools = Org.objects.filter(Exists(roles), type=Org.Type.SCHOOL, active=True)
    return [_school_row(s) for s in schools.order_by("name", "sourced_id")]


def sections_by_school(schools: list[SchoolRow]) -> list[SchoolSections]:
    """The active sections of each given school, by title, in the order of `schools`.

    Two queries (sections with school and course; their terms), whatever the counts.
    """
    if not schools:
        return []
    sections = (
        Section.objects.filter(active=True, school__sourced_id__in=[s.sourced_id for s in schools])
        .select_related("school", "course")
        .prefetch_related("terms")
        .order_by("title", "sourced_id")
    )
    grouped: dict[str, list[SectionRow]] = {s.sourced_id: [] for s in schools}
    for section in sections:
        grouped[section.school.sourced_id].append(_section_row(section))
    return [SchoolSections(school=s, sections=tuple(grouped[s.sourced_id])) for s in schools]


def taught_sections(staff: Staff | None, at: datetime.date) -> list[SectionRow]:
    """Active sections `staff` is enrolled on (any staff enrollment role), current on `at`.

    Ordered by school name then title. Two queries (sections; their terms).
    """
    if staff is None:
        return []
    enrolled = Enrollment.objects.filter(
        current(at), section=OuterRef("pk"), staff=staff, active=True
    )
    sections = (
        Section.objects.filter(Exists(enrolled), active=True)
        .select_related("school", "course")
        .prefetch_related("terms")
        .order_by("school__name", "title", "sourced_id")
    )
    return [_section_row(s) for s in sections]


def caseload_size(staff: Staff | None, at: datetime.date, kind: str) -> int:
    """How many students are on `staff`'s caseload of `kind`, current on `at`.

    A count only: the page names no student. One query.
    """
    if staff is None:
        return 0
    return Caseload.objects.filter(
        current(at), staff=staff, kind=kind, student__active=True
    ).count()


def guardian_children(guardian: Guardian, at: datetime.date) -> list[ChildRow]:
    """The children `guardian` may see, with their current schools and sections, by name.

    A child is listed when the relationship is active and NOT `access_restricted` (a court
    order or legal restriction on file removes the guardian's right to the record, R17), and
    the student is active. Four queries (children; schools; sections; terms).

    This is a read of student data outside the access module; it moves behind
    `visible_students(actor, scope, at)` and is logged once that module lands (issue #4).
    """
    schools = StudentSchool.objects.filter(current(at), school__active=True).select_related(
        "school"
    )
    enrollments = (
        Enrollment.objects.filter(
            current(at), active=True, role=Enrollment.Role.STUDENT, section__active=True
        )
        .select_related("section__school", "section__course")
        .prefetch_related("section__terms")
    )
    links = (
        GuardianRelationship.objects.filter(
            guardian=guardian, active=True, access_restricted=False, student__active=True
        )
        .select_related("student")
        .prefetch_related(
            Prefetch("student__school_links", queryset=schools, to_attr="current_schools"),
            Prefetch("student__enrollments", queryset=enrollments, to_attr="current_enrollments"),
        )
        .order_by("student__given_name", "student__family_name", "student__sourced_id")
    )
    children = []
    for link in links:
        student = link.student
        school_rows = sorted(
            (_school_row(ss.school) for ss in student.current_schools),  # type: ignore[attr-defined]
            key=lambda s: s.name,
        )
        # A student enrolled twice on one section (two rows) still shows it once.
        by_id = {e.section.sourced_id: e.section for e in student.current_enrollments}  # type: ignore[attr-defined]
        section_rows = sorted(
            (_section_row(section) for section in by_id.values()),
            key=lambda s: (s.school_name, s.title),
        )
        children.append(
            ChildRow(
                sourced_id=student.sourced_id,
                name=student.display_name,
                grade=student.grade,
                schools=tuple(school_rows),
                sections=tuple(section_rows),
            )
        )
    return children


def signed_in(user: Any) -> Any:
    """`user` when it is an authenticated login, else None (anonymous, or no user at all)."""
    return user if getattr(user, "is_authenticated", False) else None


def account_of(user: Any) -> Account | None:
    """The signed-in user's `Account` through the cached relation (no query once loaded), or
    None for an anonymous visitor or a login without a Steward role."""
    if signed_in(user) is None:
        return None
    try:
        account: Account = user.account
    except ObjectDoesNotExist:
        return None
    return account


def is_privacy_office(user: Any) -> bool:
    """The privacy office (records custodian, R61(2)): a superuser, or a login with the
    privacy-officer role."""
    if signed_in(user) is None:
        return False
    if getattr(user, "is_superuser", False):
        return True
    account = account_of(user)
    return account is not None and account.role == Account.Role.PRIVACY_OFFICER
