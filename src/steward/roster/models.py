"""Roster models, shaped after OneRoster (files, sourcedIds) and Ed-Fi (separate people tables).

Every imported row keeps its OneRoster `sourced_id`, the import that last touched it, and a
`row_hash` of its source fields so that a repeated import can tell "unchanged" cheaply. Rows are
never hard-deleted by an import: a person becomes inactive and an enrollment gets an end date,
because history is evidence (R55).

Sensitive parts live in their own tables (demographics, special indicators, guardian links),
so that access rules and exports can leave them out by table.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One run of `steward import`: what was read, what it changed, and how it ended."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        UNCHANGED = "unchanged", _("succeeded, nothing changed")

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=1000)
    package_sha256 = models.CharField(max_length=64, db_index=True)
    oneroster_version = models.CharField(max_length=8)
    manifest = models.JSONField(default=dict)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.RUNNING)
    counts = models.JSONField(default=dict)
    warnings = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"import #{self.pk} {self.source}"


class Sourced(models.Model):
    """Fields shared by every row that comes from a OneRoster file.

    `last_import` is not indexed: it is written on every imported row and read only when
    tracing one import, and an index would cost every bulk load (tier L: ~6M rows).
    """

    sourced_id = models.CharField(max_length=255, unique=True)
    active = models.BooleanField(default=True)
    date_last_modified = models.DateTimeField(null=True, blank=True)
    last_import = models.ForeignKey(
        ImportRun, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    row_hash = models.BigIntegerField(default=0)
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True


class Org(Sourced):
    """An organisation (OneRoster orgs.csv): district, school, department, …"""

    class Type(models.TextChoices):
        DEPARTMENT = "department", _("department")
        SCHOOL = "school", _("school")
        DISTRICT = "district", _("district")
        LOCAL = "local", _("local")
        STATE = "state", _("state")
        NATIONAL = "national", _("national")

    name = models.CharField(max_length=255)
    type = models.CharField(max_length=16, choices=Type.choices)
    identifier = models.CharField(max_length=255, blank=True)
    # The parent may arrive in a later package, so the raw id is kept beside the resolved link.
    parent_sourced_id = models.CharField(max_length=255, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )

    def __str__(self) -> str:
        return self.name


class AcademicSession(Sourced):
    """A school year, semester, term or grading period (academicSessions.csv)."""

    title = models.CharField(max_length=255)
    type = models.CharField(max_length=16)
    start_date = models.DateField()
    end_date = models.DateField()
    parent_sourced_id = models.CharField(max_length=255, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    school_year = models.PositiveSmallIntegerField(
        help_text=_("Calendar year the school year ends")
    )

    def __str__(self) -> str:
        return self.title


class Course(Sourced):
    """A course in the catalogue (courses.csv)."""

    title = models.CharField(max_length=255)
    course_code = models.CharField(max_length=255, blank=True)
    grades = models.CharField(max_length=255, blank=True)
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="courses")
    school_year_sourced_id = models.CharField(max_length=255, blank=True)
    subjects = models.CharField(max_length=1000, blank=True)

    def __str__(self) -> str:
        return self.title


class Section(Sourced):
    """A class (OneRoster classes.csv): a homeroom or a scheduled section of a course."""

    title = models.CharField(max_length=255)
    class_type = models.CharField(max_length=16)
    class_code = models.CharField(max_length=255, blank=True)
    grades = models.CharField(max_length=255, blank=True)
    location = models.CharField(max_length=255, blank=True)
    periods = models.CharField(max_length=255, blank=True)
    subjects = models.CharField(max_length=1000, blank=True)
    school = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="sections")
    # OneRoster requires courseSourcedId, but a package may mark courses.csv absent (the
    # public 1.1 samples do): the raw id is kept and the link resolved when the course arrives.
    course_sourced_id = models.CharField(max_length=255)
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.PROTECT, related_name="sections"
    )
    terms: models.ManyToManyField[AcademicSession, SectionTerm] = models.ManyToManyField(
        AcademicSession, through="SectionTerm", related_name="sections"
    )

    def __str__(self) -> str:
        return self.title


class SectionTerm(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE)
    term = models.ForeignKey(AcademicSession, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["section", "term"], name="uniq_section_term")
        ]


class Person(Sourced):
    """Fields every person row shares (OneRoster users.csv)."""

    username = models.CharField(max_length=255)
    given_name = models.CharField(max_length=255)
    family_name = models.CharField(max_length=255)
    middle_name = models.CharField(max_length=255, blank=True)
    preferred_given_name = models.CharField(max_length=255, blank=True)
    identifier = models.CharField(max_length=255, blank=True)
    email = models.CharField(max_length=255, blank=True)
    phone = models.CharField(max_length=64, blank=True)
    sms = models.CharField(max_length=64, blank=True)
    enabled = models.BooleanField(default=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.preferred_given_name or self.given_name} {self.family_name}"


class Student(Person):
    """A student. Read only through the access module (design.md §3 rule 1)."""

    grade = models.CharField(max_length=8, blank=True)
    user_ids = models.CharField(max_length=1000, blank=True)


class StudentSchool(models.Model):
    """A student's membership of a school (users.orgSourcedIds in 1.1, roles.csv in 1.2)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="school_links")
    school = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="student_links")
    primary = models.BooleanField(default=True)
    begin_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    last_import = models.ForeignKey(
        ImportRun, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student", "school"], name="uniq_student_school")
        ]


class StudentDemographics(models.Model):
    """demographics.csv for a student: kept apart because it is more sensitive (R3)."""

    student = models.OneToOneField(Student, on_delete=models.CASCADE, related_name="demographics")
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=16, blank=True)
    american_indian_or_alaska_native = models.BooleanField(null=True)
    asian = models.BooleanField(null=True)
    black_or_african_american = models.BooleanField(null=True)
    native_hawaiian_or_other_pacific_islander = models.BooleanField(null=True)
    white = models.BooleanField(null=True)
    two_or_more_races = models.BooleanField(null=True)
    hispanic_or_latino = models.BooleanField(null=True)
    country_of_birth = models.CharField(max_length=8, blank=True)
    state_of_birth = models.CharField(max_length=8, blank=True)
    city_of_birth = models.CharField(max_length=255, blank=True)
    public_school_residence_status = models.CharField(max_length=255, blank=True)
    active = models.BooleanField(default=True)
    date_last_modified = models.DateTimeField(null=True, blank=True)
    last_import = models.ForeignKey(
        ImportRun, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    row_hash = models.BigIntegerField(default=0)


class SpecialIndicators(models.Model):
    """IEP/504, English learner, low income, homeless/foster, health alert: the most
    sensitive flags, in their own table (sent as `metadata.steward.*` on demographics.csv)."""

    student = models.OneToOneField(
        Student, on_delete=models.CASCADE, related_name="special_indicators"
    )
    iep = models.BooleanField(default=False)
    section504 = models.BooleanField(default=False)
    english_learner = models.BooleanField(default=False)
    low_income = models.BooleanField(default=False)
    homeless = models.BooleanField(default=False)
    foster_care = models.BooleanField(default=False)
    health_alert = models.BooleanField(default=False)
    last_import = models.ForeignKey(
        ImportRun, on_delete=models.PROTECT, related_name="+", db_index=False
    )


class Guardian(Person):
    """A parent, guardian or relative (OneRoster users with those roles)."""


class GuardianRelationship(models.Model):
    """A guardian's relationship to one student (agentSourcedIds plus Steward metadata).

    `access_restricted` records a documented court order or legal restriction that removes
    this guardian's right to the record (R17): the portal must honour it.
    """

    class Kind(models.TextChoices):
        PARENT = "parent", _("parent")
        GUARDIAN = "guardian", _("guardian")
        RELATIVE = "relative", _("relative")

    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="relationships")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardian_links")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    custodial = models.BooleanField(default=True)
    lives_with = models.BooleanField(default=False)
    emergency_contact = models.BooleanField(default=False)
    access_restricted = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    last_import = models.ForeignKey(
        ImportRun, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["guardian", "student"], name="uniq_guardian_student")
        ]


class Staff(Person):
    """A member of staff (OneRoster users with a staff role)."""

    class Meta(Person.Meta):
        verbose_name_plural = _("staff")


class StaffRole(models.Model):
    """A staff member's position at an organisation, with dates (roles.csv / users.csv)."""

    class Position(models.TextChoices):
        TEACHER = "teacher", _("teacher")
        COUNSELOR = "counselor", _("counselor")
        NURSE = "nurse", _("nurse")
        PRINCIPAL = "principal", _("principal")
        SPECIAL_EDUCATION = "specialEducation", _("special-education staff")
        DISTRICT_ADMINISTRATOR = "districtAdministrator", _("district administrator")
        RECORDS_CUSTODIAN = "recordsCustodian", _("records custodian")
        AIDE = "aide", _("aide")
        OTHER = "other", _("other staff")

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="roles")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="staff_roles")
    position = models.CharField(max_length=32, choices=Position.choices)
    oneroster_role = models.CharField(max_length=32)
    primary = models.BooleanField(default=True)
    begin_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    last_import = models.ForeignKey(
        ImportRun, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff", "org", "position"], name="uniq_staff_role")
        ]


class Enrollment(Sourced):
    """A section enrollment (enrollments.csv), of a student or of a member of staff.

    Exactly one of `student` and `staff` is set. Whether it is current is read from
    `begin_date`/`end_date`, never from `active` alone (oneroster.md §1.4).
    """

    class Role(models.TextChoices):
        STUDENT = "student", _("student")
        TEACHER = "teacher", _("teacher")
        ADMINISTRATOR = "administrator", _("administrator")
        PROCTOR = "proctor", _("proctor")

    # The single-column FK indexes are left out: the composite indexes in Meta start with
    # section, student and staff and serve the same lookups, and every index costs each of the
    # millions of rows a district import writes.
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="enrollments", db_index=False
    )
    school = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", db_index=False)
    student = models.ForeignKey(
        Student,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrollments",
        db_index=False,
    )
    staff = models.ForeignKey(
        Staff,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrollments",
        db_index=False,
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    primary = models.BooleanField(default=False)
    begin_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["student", "section"], name="enr_student_section"),
            models.Index(fields=["staff", "section"], name="enr_staff_section"),
            models.Index(fields=["section", "role"], name="enr_section_role"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(student__isnull=False, staff__isnull=True)
                    | models.Q(student__isnull=True, staff__isnull=False)
                ),
                name="enrollment_one_person",
            )
        ]


class Caseload(models.Model):
    """A counselor's or special-education case manager's assignment of one student."""

    class Kind(models.TextChoices):
        COUNSELOR = "counselor", _("counselor")
        SPECIAL_EDUCATION = "specialEducation", _("special-education case manager")

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="caseload")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="caseloads")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    begin_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    last_import = models.ForeignKey(
        ImportRun, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff", "student", "kind"], name="uniq_caseload")
        ]


class RosterVersion(models.Model):
    """A single stamp, changed in the same transaction as every change to the relationships
    that grant access (enrollments, school memberships, staff roles, caseloads, guardian links)
    and to the access policy.

    Every worker process compares it with the stamp its in-process access index was built
    from, before each decision, so a withdrawal committed by one process is seen by the very
    next check in every other (issue #4; access-control.md §5 "read-your-writes"). The stamp
    is random rather than a counter so that a rolled-back change can never be mistaken for a
    later one that reaches the same count.
    """

    value = models.BigIntegerField(default=0)


# Kept in its own module (models.py is long); imported here so that Django registers it.
from steward.roster.models_restrictions import RestrictionDocument  # noqa: E402, F401
