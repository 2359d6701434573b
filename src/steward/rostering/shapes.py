"""Steward's roster rows as OneRoster 1.2 JSON objects (1EdTech OpenAPI `*DType` schemas).

Each `load_*` function takes the primary keys of one page, in order, and returns the JSON
objects in that order with a fixed number of queries whatever the page size (no N+1). The
objects are complete here; `steward.rostering.minimize` then removes what the plan withholds
and what the `fields` parameter leaves out. Every sourcedId, in an object or in a reference,
goes through `View.public`, so a pseudonymous plan never shows a real id.

Enumerations: `status` is "active" or "tobedeleted" (the roster keeps inactive rows as
history); booleans are the strings "true"/"false" as the binding has them; dateTimes are UTC
with milliseconds. `dateLastModified` is the row's own, or the import that last wrote it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db.models import Model

from steward.roster.models import (
    AcademicSession,
    Course,
    Enrollment,
    GuardianRelationship,
    Org,
    Section,
    SectionTerm,
    StaffRole,
    StudentDemographics,
    StudentSchool,
)
from steward.roster.oneroster import spec
from steward.rostering.plans import GUARDIAN, KIND_MODEL, STAFF, STUDENT, View

Json = dict[str, Any]
ROLES_12 = frozenset(spec.ROLES_12)
SEX_12 = frozenset(spec.SEX_12)


@dataclass(frozen=True)
class Context:
    view: View
    base: str  # absolute URL of the service root, without a trailing slash


def when(value: dt.datetime | None) -> str:
    """A OneRoster dateTime: UTC, milliseconds, "Z"."""
    if value is None:
        return "1970-01-01T00:00:00.000Z"
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{value.astimezone(dt.UTC).microsecond // 1000:03d}Z"
    )


def day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def flag(value: bool | None) -> str:
    return "true" if value else "false"


def listed(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _head(row: Any, ctx: Context, file: str) -> Json:
    modified = row.date_last_modified
    if modified is None:
        run = row.last_import
        modified = run.finished_at or run.started_at
    return {
        "sourcedId": ctx.view.public(file, row.sourced_id),
        "status": "active" if row.active else "tobedeleted",
        "dateLastModified": when(modified),
    }


_PATHS = {
    "org": "orgs",
    "academicSession": "academicSessions",
    "course": "courses",
    "class": "classes",
    "user": "users",
}


def ref(ctx: Context, type_: str, real: str) -> Json:
    """A GUIDRef: {href, sourcedId, type}."""
    public = ctx.view.public(_PATHS[type_], real)
    return {"href": f"{ctx.base}/{_PATHS[type_]}/{public}", "sourcedId": public, "type": type_}


_RUN_JSON = ("last_import__manifest", "last_import__counts")


def _ordered(model: type[Model], pks: Sequence[int], *related: str) -> list[Any]:
    rows = {
        row.pk: row
        for row in model._default_manager.filter(pk__in=pks).select_related("last_import", *related)
    }
    return [rows[pk] for pk in pks if pk in rows]


_PERSON = (
    "pk", "sourced_id", "active", "date_last_modified", "username", "given_name",
    "family_name", "middle_name", "preferred_given_name", "identifier", "email", "phone",
    "sms", "enabled", "last_import__started_at", "last_import__finished_at",
)  # fmt: skip


def _people(model: type[Model], pks: Sequence[int], *extra: str) -> list[SimpleNamespace]:
    """People rows as plain objects, in `pks` order: a page of users is the hot path of a
    sync, and model instances cost several times more to build than these."""
    rows = {}
    for values in model._default_manager.filter(pk__in=pks).values(*_PERSON, *extra):
        run = SimpleNamespace(
            started_at=values.pop("last_import__started_at"),
            finished_at=values.pop("last_import__finished_at"),
        )
        rows[values["pk"]] = SimpleNamespace(**values, last_import=run)
    return [rows[pk] for pk in pks if pk in rows]


# -- orgs and academic sessions ------------------------------------------------------------


def load_orgs(pks: Sequence[int], ctx: Context) -> list[Json]:
    rows = _ordered(Org, pks, "parent")
    children: defaultdict[int, list[str]] = defaultdict(list)
    for parent_id, sourced_id in (
        Org.objects.filter(ctx.view.orgs.q(), parent_id__in=pks)
        .order_by("pk")
        .values_list("parent_id", "sourced_id")
    ):
        children[parent_id].append(sourced_id)
    out = []
    for org in rows:
        data = _head(org, ctx, "orgs")
        data.update(name=org.name, type=org.type, identifier=org.identifier)
        if org.parent is not None and org.parent_id in ctx.view.orgs:
            data["parent"] = ref(ctx, "org", org.parent.sourced_id)
        data["children"] = [ref(ctx, "org", sid) for sid in children[org.pk]]
        out.append(data)
    return out


def load_sessions(pks: Sequence[int], ctx: Context) -> list[Json]:
    rows = _ordered(AcademicSession, pks, "parent")
    children: defaultdict[int, list[str]] = defaultdict(list)
    for parent_id, sourced_id in (
        AcademicSession.objects.filter(ctx.view.sessions.q(), parent_id__in=pks)
        .order_by("start_date", "pk")
        .values_list("parent_id", "sourced_id")
    ):
        children[parent_id].append(sourced_id)
    out = []
    for session in rows:
        data = _head(session, ctx, "academicSessions")
        data.update(
            title=session.title,
            startDate=day(session.start_date),
            endDate=day(session.end_date),
            type=session.type,
            schoolYear=str(session.school_year),
        )
        if session.parent is not None and session.parent_id in ctx.view.sessions:
            data["parent"] = ref(ctx, "academicSession", session.parent.sourced_id)
        data["children"] = [ref(ctx, "academicSession", sid) for sid in children[session.pk]]
        out.append(data)
    return out


# -- courses and classes -------------------------------------------------------------------


def load_courses(pks: Sequence[int], ctx: Context) -> list[Json]:
    rows = _ordered(Course, pks, "org")
    years = {
        sid
        for sid in AcademicSession.objects.filter(ctx.view.sessions.q()).values_list(
            "sourced_id", flat=True
        )
    }
    out = []
    for course in rows:
        data = _head(course, ctx, "courses")
        data.update(
            title=course.title,
            courseCode=course.course_code,
            grades=listed(course.grades),
            subjects=listed(course.subjects),
        )
        if course.school_year_sourced_id in years:
            data["schoolYear"] = ref(ctx, "academicSession", course.school_year_sourced_id)
        if course.org_id in ctx.view.orgs:
            data["org"] = ref(ctx, "org", course.org.sourced_id)
        out.append(data)
    return out


def load_classes(pks: Sequence[int], ctx: Context) -> list[Json]:
    rows = _ordered(Section, pks, "school", "course")
    terms: defaultdict[int, list[str]] = defaultdict(list)
    for section_id, term_sid in (
        SectionTerm.objects.filter(section_id__in=pks)
        .order_by("term__start_date", "term_id")
        .values_list("section_id", "term__sourced_id")
    ):
        terms[section_id].append(term_sid)
    out = []
    for section in rows:
        data = _head(section, ctx, "classes")
        data.update(
            title=section.title,
            classCode=section.class_code,
            classType=section.class_type,
            location=section.location,
            grades=listed(section.grades),
            subjects=listed(section.subjects),
            course=ref(
                ctx,
                "course",
                section.course.sourced_id if section.course else section.course_sourced_id,
            ),
            school=ref(ctx, "org", section.school.sourced_id),
            terms=[ref(ctx, "academicSession", sid) for sid in terms[section.pk]],
            periods=listed(section.periods),
        )
        out.append(data)
    return out


# -- users ---------------------------------------------------------------------------------


def _role(role: str) -> str:
    return role if role in ROLES_12 else f"ext:{''.join(c for c in role if c.isalnum()) or 'x'}"


def _user_ids(text: str) -> list[Json]:
    """`{type:identifier},{type:identifier}` (the CSV form) as UserIdDType objects."""
    out = []
    for part in text.replace("},{", "}\x00{").split("\x00"):
        part = part.strip().strip("{}")
        kind, colon, identifier = part.partition(":")
        if colon and kind and identifier:
            out.append({"type": kind, "identifier": identifier})
    return out


def _person(row: Any, ctx: Context) -> Json:
    data = _head(row, ctx, "users")
    data.update(
        username=row.username,
        enabledUser=flag(row.enabled and row.active),
        givenName=row.given_name,
        familyName=row.family_name,
        identifier=row.identifier,
        email=row.email,
        sms=row.sms,
        phone=row.phone,
    )
    if row.middle_name:
        data["middleName"] = row.middle_name
    if row.preferred_given_name:
        data["preferredFirstName"] = row.preferred_given_name
    return data


def _role_entry(ctx: Context, role: str, org_sid: str, primary: bool, begin: Any, end: Any) -> Json:
    entry: Json = {
        "roleType": "primary" if primary else "secondary",
        "role": _role(role),
        "org": ref(ctx, "org", org_sid),
    }
    if begin is not None:
        entry["beginDate"] = begin.isoformat()
    if end is not None:
        entry["endDate"] = end.isoformat()
    return entry


def _district(ctx: Context) -> str | None:
    """The district's real sourcedId. When the plan withholds school enrollment a user's
    roles name the district, never a school, as in exports (`steward.sharing.people`)."""
    pk = ctx.view.district_org_id
    if pk is None:
        return None
    return Org.objects.filter(pk=pk).values_list("sourced_id", flat=True).first()


def _primary_first(roles: list[Json]) -> list[Json]:
    """At most one primary role (the first); the others secondary."""
    seen_primary = False
    for entry in roles:
        if entry["roleType"] == "primary":
            if seen_primary:
                entry["roleType"] = "secondary"
            seen_primary = True
    if roles and not seen_primary:
        roles[0]["roleType"] = "primary"
    return roles


def load_students(pks: Sequence[int], ctx: Context) -> list[Json]:
    view = ctx.view
    rows = _people(KIND_MODEL[STUDENT], pks, "grade", "user_ids")
    roles: defaultdict[int, list[Json]] = defaultdict(list)
    if not view.school_links(STUDENT):
        district = _district(ctx)
        for pk in pks if district else ():
            roles[pk].append(_role_entry(ctx, "student", district or "", True, None, None))
    # Links are read for the page's rows and kept in Python when their other end is in the
    # plan: a membership test per row is cheaper than the plan's ids in every query.
    for student_id, school_id, sid, primary, begin, end in (
        StudentSchool.objects.filter(student_id__in=pks)
        .order_by("-primary", "school_id")
        .values_list(
            "student_id", "school_id", "school__sourced_id", "primary", "begin_date", "end_date"
        )
        if view.school_links(STUDENT)
        else ()
    ):
        if school_id in view.orgs:
            roles[student_id].append(_role_entry(ctx, "student", sid, primary, begin, end))
    agents: defaultdict[int, list[str]] = defaultdict(list)
    if view.guardians.ids:
        for student_id, guardian_id, sid in (
            GuardianRelationship.objects.filter(student_id__in=pks, active=True)
            .order_by("student_id", "guardian__sourced_id")
            .values_list("student_id", "guardian_id", "guardian__sourced_id")
        ):
            if guardian_id in view.guardians:
                agents[student_id].append(sid)
    out = []
    for student in rows:
        data = _person(student, ctx)
        data["roles"] = _primary_first(roles[student.pk])
        if data["roles"]:
            data["primaryOrg"] = data["roles"][0]["org"]
        data["userIds"] = _user_ids(student.user_ids)
        data["grades"] = [student.grade] if student.grade else []
        data["agents"] = [ref(ctx, "user", sid) for sid in agents[student.pk]]
        out.append(data)
    return out


def load_staff(pks: Sequence[int], ctx: Context) -> list[Json]:
    rows = _people(KIND_MODEL[STAFF], pks)
    roles: defaultdict[int, list[Json]] = defaultdict(list)
    for staff_id, role, org_id, sid, primary, begin, end in (
        StaffRole.objects.filter(staff_id__in=pks)
        .order_by("-primary", "org_id", "pk")
        .values_list(
            "staff_id",
            "oneroster_role",
            "org_id",
            "org__sourced_id",
            "primary",
            "begin_date",
            "end_date",
        )
    ):
        if org_id in ctx.view.orgs:
            roles[staff_id].append(_role_entry(ctx, role, sid, primary, begin, end))
    out = []
    for member in rows:
        data = _person(member, ctx)
        data["roles"] = _primary_first(roles[member.pk])
        if data["roles"]:
            data["primaryOrg"] = data["roles"][0]["org"]
        out.append(data)
    return out


def load_guardians(pks: Sequence[int], ctx: Context) -> list[Json]:
    """A guardian's roles are "parent", "guardian" or "relative" at the schools of their
    children in the plan; their `agents` are those children (OneRoster's agentSourcedIds)."""
    view = ctx.view
    rows = _people(KIND_MODEL[GUARDIAN], pks)
    children: defaultdict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for guardian_id, kind, sid, student_id in (
        GuardianRelationship.objects.filter(guardian_id__in=pks, active=True)
        .order_by("student_id")
        .values_list("guardian_id", "kind", "student__sourced_id", "student_id")
    ):
        if student_id in view.students:
            children[guardian_id].append((kind, sid, student_id))
    student_ids = {student for links in children.values() for _k, _s, student in links}
    schools: defaultdict[int, list[str]] = defaultdict(list)
    if not view.school_links(GUARDIAN):
        district = _district(ctx)
        for student_id in student_ids if district else ():
            schools[student_id].append(district or "")
    for student_id, school_id, school_sid in (
        StudentSchool.objects.filter(student_id__in=student_ids)
        .order_by("-primary", "school_id")
        .values_list("student_id", "school_id", "school__sourced_id")
        if view.school_links(GUARDIAN)
        else ()
    ):
        if school_id in view.orgs:
            schools[student_id].append(school_sid)
    out = []
    for guardian in rows:
        data = _person(guardian, ctx)
        roles: list[Json] = []
        seen: set[tuple[str, str]] = set()
        for kind, _sid, student_id in children[guardian.pk]:
            for school in schools[student_id]:
                if (kind, school) not in seen:
                    seen.add((kind, school))
                    roles.append(_role_entry(ctx, kind, school, not roles, None, None))
        data["roles"] = roles
        if roles:
            data["primaryOrg"] = roles[0]["org"]
        data["agents"] = [ref(ctx, "user", sid) for _kind, sid, _pk in children[guardian.pk]]
        out.append(data)
    return out


USER_LOADERS = {STUDENT: load_students, STAFF: load_staff, GUARDIAN: load_guardians}


# -- enrollments and demographics ----------------------------------------------------------


def load_enrollments(pks: Sequence[int], ctx: Context) -> list[Json]:
    rows = {
        row.pk: row
        for row in Enrollment.objects.filter(pk__in=pks)
        .select_related("last_import", "section", "school", "student", "staff")
        .only(
            "sourced_id",
            "active",
            "date_last_modified",
            "role",
            "primary",
            "begin_date",
            "end_date",
            "student_id",
            "staff_id",
            "last_import__started_at",
            "last_import__finished_at",
            "section__sourced_id",
            "school__sourced_id",
            "student__sourced_id",
            "staff__sourced_id",
        )
    }
    out = []
    for pk in pks:
        row = rows.get(pk)
        if row is None:
            continue
        person = row.student if row.student_id is not None else row.staff
        data = _head(row, ctx, "enrollments")
        data["_kind"] = STUDENT if row.student_id is not None else STAFF
        data.update(
            user=ref(ctx, "user", person.sourced_id if person else ""),
            **{"class": ref(ctx, "class", row.section.sourced_id)},
            school=ref(ctx, "org", row.school.sourced_id),
            role=row.role,
            primary=flag(row.primary),
        )
        if row.begin_date is not None:
            data["beginDate"] = row.begin_date.isoformat()
        if row.end_date is not None:
            data["endDate"] = row.end_date.isoformat()
        out.append(data)
    return out


_RACE_FIELDS = (
    ("americanIndianOrAlaskaNative", "american_indian_or_alaska_native"),
    ("asian", "asian"),
    ("blackOrAfricanAmerican", "black_or_african_american"),
    ("nativeHawaiianOrOtherPacificIslander", "native_hawaiian_or_other_pacific_islander"),
    ("white", "white"),
    ("demographicRaceTwoOrMoreRaces", "two_or_more_races"),
    ("hispanicOrLatinoEthnicity", "hispanic_or_latino"),
)


def load_demographics(pks: Sequence[int], ctx: Context) -> list[Json]:
    """Demographics rows with primary keys `pks` (a demographics record's sourcedId is its
    student's). Special indicators go in `metadata` as Steward's documented
    extension keys, each only if its column is allowed (checked in `minimize`)."""
    rows = {
        row.pk: row
        for row in StudentDemographics.objects.filter(pk__in=pks).select_related(
            "student", "student__special_indicators", "last_import"
        )
    }
    out = []
    for pk in pks:
        row = rows.get(pk)
        if row is None:
            continue
        modified = row.date_last_modified or row.last_import.finished_at
        data: Json = {
            "sourcedId": ctx.view.public("users", row.student.sourced_id),
            "status": "active" if row.active else "tobedeleted",
            "dateLastModified": when(modified or row.last_import.started_at),
        }
        if row.birth_date is not None:
            data["birthDate"] = row.birth_date.isoformat()
        if row.sex:
            data["sex"] = row.sex if row.sex in SEX_12 else f"ext:{row.sex}"
        for name, field in _RACE_FIELDS:
            value = getattr(row, field)
            if value is not None:
                data[name] = flag(value)
        for name, value in (
            ("countryOfBirthCode", row.country_of_birth),
            ("stateOfBirthAbbreviation", row.state_of_birth),
            ("cityOfBirth", row.city_of_birth),
            ("publicSchoolResidenceStatus", row.public_school_residence_status),
        ):
            if value:
                data[name] = value
        indicators = getattr(row.student, "special_indicators", None)
        if indicators is not None:
            data["metadata"] = {
                column.removeprefix("metadata."): flag(getattr(indicators, field))
                for field, column in spec.META_INDICATORS.items()
            }
        out.append(data)
    return out
