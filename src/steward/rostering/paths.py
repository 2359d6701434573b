"""Which rows each path of the OneRoster 1.2 rostering service serves, under one plan.

Each builder takes the plan's `View` (and the public ids in the path) and returns the
`Collection` to serve. A parent named in a path must itself be one the plan shows, or the
answer is 404 (`collections.find`). Paths that tell who is in which class (a class's
students, a student's classes) exist only when the plan sends enrollments for that kind of
row; a school's students, only when it sends school links; a student's guardians, only when
it sends guardians.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from steward.roster.models import (
    AcademicSession,
    Course,
    Enrollment,
    Guardian,
    GuardianRelationship,
    Org,
    Section,
    SectionTerm,
    Staff,
    StaffRole,
    Student,
    StudentDemographics,
    StudentSchool,
)
from steward.rostering.collections import Collection, Source, find
from steward.rostering.plans import GUARDIAN, STAFF, STUDENT, View

NOTHING = Q(pk__in=[])


def orgs(v: View) -> Collection:
    return Collection("org", [Source(Org, members=v.orgs)])


def schools(v: View) -> Collection:
    return Collection("org", [Source(Org, members=v.orgs, extra=Q(type=Org.Type.SCHOOL))])


def sessions(v: View, type_: str | None = None) -> Collection:
    extra = Q(type=type_) if type_ else None
    return Collection("academicSession", [Source(AcademicSession, members=v.sessions, extra=extra)])


def terms(v: View) -> Collection:
    return sessions(v, "term")


def grading_periods(v: View) -> Collection:
    return sessions(v, "gradingPeriod")


def courses(v: View) -> Collection:
    return Collection("course", [Source(Course, members=v.courses)])


def classes(v: View, extra: Q | None = None, **kw: object) -> Collection:
    return Collection("class", [Source(Section, members=v.sections, extra=extra)], **kw)  # type: ignore[arg-type]


def _people(v: View, kinds: tuple[str, ...], extra: dict[str, Q] | None = None) -> list[Source]:
    models = {STUDENT: Student, STAFF: Staff, GUARDIAN: Guardian}
    return [
        Source(models[kind], kind, v.people(kind), (extra or {}).get(kind))
        for kind in kinds
        if v.sends("users", kind)
    ]


def users(v: View) -> Collection:
    return Collection("user", _people(v, (STUDENT, STAFF, GUARDIAN)))


def students(v: View, extra: Q | None = None, **kw: object) -> Collection:
    return Collection("user", _people(v, (STUDENT,), {STUDENT: extra} if extra else None), **kw)  # type: ignore[arg-type]


def _teaching(org_id: int | None = None) -> Q:
    roles = StaffRole.objects.filter(staff=OuterRef("pk"), oneroster_role="teacher")
    if org_id is not None:
        roles = roles.filter(org_id=org_id)
    return Q(Exists(roles))


def teachers(v: View, extra: Q | None = None, **kw: object) -> Collection:
    condition = _teaching() if extra is None else _teaching() & extra
    return Collection("user", _people(v, (STAFF,), {STAFF: condition}), **kw)  # type: ignore[arg-type]


def enrollments(v: View, extra: Q | None = None) -> Collection:
    """Students' enrollments, then staff's: two sources, so that each kind of row is
    minimized (and filtered) by its own columns."""
    sources = []
    for kind in (STUDENT, STAFF):
        where = v.enrollment_q(kind) if extra is None else v.enrollment_q(kind) & extra
        sources.append(Source(Enrollment, kind, extra=where))
    return Collection("enrollment", sources)


def demographics(v: View) -> Collection:
    where = v.students.q("student_id") if v.sends("demographics", STUDENT) else NOTHING
    return Collection("demographics", [Source(StudentDemographics, STUDENT, extra=where)])


# -- nested --------------------------------------------------------------------------------


def _school(v: View, public_id: str) -> int:
    return find(schools(v), v, public_id)[1]


def _class(v: View, public_id: str, school: int | None = None) -> int:
    pk = find(classes(v), v, public_id)[1]
    if school is not None and not Section.objects.filter(pk=pk, school_id=school).exists():
        from steward.rostering.errors import not_found

        raise not_found("class")
    return pk


def _members(section: int, kind: str, v: View) -> Q:
    """People enrolled on `section` (record active), if the plan sends such enrollments."""
    if not v.sends("enrollments", kind):
        return NOTHING
    column = "student" if kind == STUDENT else "staff"
    return Q(
        Exists(
            Enrollment.objects.filter(section_id=section, active=True, **{column: OuterRef("pk")})
        )
    )


def school_classes(v: View, school: str) -> Collection:
    return classes(v, Q(school_id=_school(v, school)))


def school_class_enrollments(v: View, school: str, class_: str) -> Collection:
    return enrollments(v, Q(section_id=_class(v, class_, _school(v, school))))


def school_class_students(v: View, school: str, class_: str) -> Collection:
    section = _class(v, class_, _school(v, school))
    return students(v, _members(section, STUDENT, v), reveals_classes=True)


def school_class_teachers(v: View, school: str, class_: str) -> Collection:
    section = _class(v, class_, _school(v, school))
    return teachers(v, _members(section, STAFF, v))


def school_courses(v: View, school: str) -> Collection:
    return Collection(
        "course", [Source(Course, members=v.courses, extra=Q(org_id=_school(v, school)))]
    )


def school_enrollments(v: View, school: str) -> Collection:
    return enrollments(v, Q(school_id=_school(v, school)))


def school_students(v: View, school: str) -> Collection:
    pk = _school(v, school)
    if not v.school_links(STUDENT):
        return students(v, NOTHING)
    return students(
        v, Q(Exists(StudentSchool.objects.filter(student=OuterRef("pk"), school_id=pk)))
    )


def school_teachers(v: View, school: str) -> Collection:
    return teachers(v, _teaching(_school(v, school)))


def school_terms(v: View, school: str) -> Collection:
    pk = _school(v, school)
    taught = SectionTerm.objects.filter(
        v.sections.q("section_id"), term=OuterRef("pk"), section__school_id=pk
    )
    return Collection(
        "academicSession",
        [Source(AcademicSession, members=v.sessions, extra=Q(type="term") & Q(Exists(taught)))],
    )


def class_students(v: View, class_: str) -> Collection:
    return students(v, _members(_class(v, class_), STUDENT, v), reveals_classes=True)


def class_teachers(v: View, class_: str) -> Collection:
    return teachers(v, _members(_class(v, class_), STAFF, v))


def course_classes(v: View, course: str) -> Collection:
    return classes(v, Q(course_id=find(courses(v), v, course)[1]))


def _classes_of(v: View, kind: str, pk: int) -> Collection:
    if not v.sends("enrollments", kind):
        return classes(v, NOTHING)
    column = "student_id" if kind == STUDENT else "staff_id"
    taking = Enrollment.objects.filter(section=OuterRef("pk"), active=True, **{column: pk})
    about = frozenset({pk}) if kind == STUDENT else None
    return classes(v, Q(Exists(taking)), reveals_classes=kind == STUDENT, about=about)


def student_classes(v: View, student: str) -> Collection:
    return _classes_of(v, STUDENT, find(students(v), v, student)[1])


def teacher_classes(v: View, teacher: str) -> Collection:
    return _classes_of(v, STAFF, find(teachers(v), v, teacher)[1])


def user_classes(v: View, user: str) -> Collection:
    kind, pk = find(users(v), v, user)
    if kind == GUARDIAN:
        return classes(v, NOTHING)
    return _classes_of(v, kind, pk)


def term_classes(v: View, term: str) -> Collection:
    pk = find(terms(v), v, term)[1]
    return classes(v, Q(Exists(SectionTerm.objects.filter(section=OuterRef("pk"), term_id=pk))))


def term_grading_periods(v: View, term: str) -> Collection:
    pk = find(terms(v), v, term)[1]
    return Collection(
        "academicSession",
        [
            Source(
                AcademicSession,
                members=v.sessions,
                extra=Q(parent_id=pk, type="gradingPeriod"),
            )
        ],
    )


def user_agents(v: View, user: str) -> Collection:
    """A student's parents and guardians (OneRoster agents), when the plan sends them."""
    kind, pk = find(users(v), v, user)
    if kind != STUDENT:
        return Collection("user", _people(v, (GUARDIAN,), {GUARDIAN: NOTHING}))
    linked = GuardianRelationship.objects.filter(
        guardian=OuterRef("pk"), student_id=pk, active=True
    )
    return Collection("user", _people(v, (GUARDIAN,), {GUARDIAN: Q(Exists(linked))}))


def user_agent_for(v: View, user: str) -> Collection:
    """The students a parent or guardian is an agent for, when the plan sends guardians."""
    kind, pk = find(users(v), v, user)
    if kind != GUARDIAN:
        return students(v, NOTHING)
    linked = GuardianRelationship.objects.filter(
        student=OuterRef("pk"), guardian_id=pk, active=True
    )
    return students(v, Q(Exists(linked)))
