"""The data catalog as data (design.md P1, P7; §3 rule 3 "policy is data").

Every field Steward holds about a student or guardian is declared here once, as an `Element`:
which model field, which record part (`Scope`), its class (P7), its Massachusetts part (R4),
whether it may be designated Massachusetts directory information (R8), its NDPA Exhibit B
element (R109), its sensitivity, its purpose and why it is collected. The public page and the
JSON/CSV exports are generated from `ELEMENTS`; `tests/catalog/test_coverage.py` fails when a
field of a catalogued model (roster and student records) holding student or guardian data is
neither declared nor listed in `EXCLUDED`.

A record part without fields (none today) would be declared as a scope with no elements: the
catalog lists only fields Steward actually holds.

This module makes no database queries and imports no models, so the page costs none.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DataClass(models.TextChoices):
    """The three classes of student data (design.md P7)."""

    STUDENT_RECORD = "student_record", _("student record")
    STUDENT_INFORMATION = "student_information", _("student information (personally identifiable)")
    STUDENT_GENERATED_CONTENT = "student_generated_content", _("student-generated content")


class MAPart(models.TextChoices):
    """Which part of the Massachusetts student record an element belongs to (603 CMR 23.02, R4)."""

    TRANSCRIPT = "transcript", _("transcript")
    TEMPORARY = "temporary", _("temporary record")


class Sensitivity(models.TextChoices):
    LOW = "low", _("low")
    MODERATE = "moderate", _("moderate")
    HIGH = "high", _("high")


@dataclass(frozen=True)
class Scope:
    """A record part: the unit of access (issue #4) and the page's grouping.

    `may_be_transcript` is False for parts that 603 CMR 23.02 never puts in the transcript
    (R4: a disciplinary note tagged TRANSCRIPT is rejected).
    """

    key: str
    label: Promise
    description: Promise
    may_be_transcript: bool = False


SCOPES: tuple[Scope, ...] = (
    Scope(
        "directory",
        _("Directory"),
        _("Who the student is: name, identifiers and grade level."),
        may_be_transcript=True,
    ),
    Scope(
        "contact",
        _("Student contact"),
        _("How to reach the student: e-mail and phone numbers."),
        may_be_transcript=True,
    ),
    Scope(
        "demographics",
        _("Demographics"),
        _("Date and place of birth, sex, race and ethnicity, residence status."),
        may_be_transcript=True,
    ),
    Scope(
        "enrollment_schedule",
        _("Enrollment and schedule"),
        _("Which schools the student attends, which classes they take, and their counselors."),
        may_be_transcript=True,
    ),
    Scope(
        "attendance",
        _("Attendance"),
        _("Daily and class attendance."),
    ),
    Scope(
        "grades_transcript",
        _("Grades and transcript"),
        _("Course grades, credits and the grade levels completed."),
        may_be_transcript=True,
    ),
    Scope(
        "assessments",
        _("Assessments"),
        _("Standardized test scores and other assessment results."),
    ),
    Scope(
        "discipline",
        _("Discipline"),
        _("Conduct incidents and their outcomes."),
    ),
    Scope(
        "health",
        _("Health"),
        _("Health notes and medical alerts kept by the school nurse."),
    ),
    Scope(
        "special_education",
        _("Special education (IEP/504)"),
        _("Individualized education programs, Section 504 plans and accommodations."),
    ),
    Scope(
        "special_indicators",
        _("Special indicators"),
        _("Flags such as English learner, low income, homeless or foster care, IEP/504."),
    ),
    Scope(
        "student_generated_content",
        _("Student work"),
        _("Anything the student creates: writing, pictures, projects."),
    ),
    Scope(
        "guardian_contact",
        _("Parents and guardians"),
        _("Who the student's parents and guardians are and how to reach them."),
        may_be_transcript=True,
    ),
)

SCOPE_KEYS: frozenset[str] = frozenset(scope.key for scope in SCOPES)

# NDPA Exhibit B "Schedule of Data" (R109): category → elements, in the agreement's order.
EXHIBIT_B: dict[str, tuple[str, ...]] = {
    "Application Technology Meta Data": ("IP addresses", "Cookies", "Other"),
    "Application Use Statistics": ("Meta data on user interaction",),
    "Assessment": ("Standardized test scores", "Observation data", "Other"),
    "Attendance": ("School daily attendance", "Class attendance"),
    "Communications": ("Online communications captured",),
    "Conduct": ("Conduct or behavioral data",),
    "Demographics": (
        "Date of birth",
        "Place of birth",
        "Gender",
        "Ethnicity or race",
        "Language",
        "Other",
    ),
    "Enrollment": (
        "Student school enrollment",
        "Student grade level",
        "Homeroom",
        "Guidance counselor",
        "Specific curriculum programs",
        "Year of graduation",
        "Other",
    ),
    "Parent/Guardian Contact Information": ("Address", "Email", "Phone"),
    "Parent/Guardian ID": ("Parent ID number",),
    "Parent/Guardian Name": ("First and/or last",),
    "Schedule": ("Student scheduled courses", "Teacher names"),
    "Special Indicator": (
        "English language learner information",
        "Low income status",
        "Student medical alerts/health data",
        "Student disability information",
        "Specialized education services (IEP or 504)",
        "Living situations (homeless/foster care)",
        "Other",
    ),
    "Student Contact Information": ("Address", "Email", "Phone"),
    "Student Identifiers": (
        "Local (school district) ID number",
        "State ID number",
        "Provider/app assigned student ID number",
        "Student app username",
        "Student app passwords",
    ),
    "Student Name": ("First and/or last",),
    "Student In App Performance": ("Program/application performance",),
    "Student Program Membership": ("Academic or extracurricular activities",),
    "Student Survey Responses": ("Student responses to surveys or questionnaires",),
    "Student Work": ("Student generated content", "Other"),
    "Transcript": ("Student course grades", "Student course data", "Performance scores", "Other"),
    "Transportation": (
        "Student bus assignment",
        "Pick-up and/or drop-off location",
        "Student bus card ID number",
        "Other",
    ),
    "Other": ("Other",),
}


@dataclass(frozen=True)
class Element:
    """One field Steward holds about a student or guardian. `model` is "app_label.Model"."""

    model: str
    field: str
    scope: str
    label: Promise
    purpose: Promise
    legal_basis: Promise
    exhibit_b: tuple[str, str]
    data_class: DataClass = DataClass.STUDENT_RECORD
    sensitivity: Sensitivity = Sensitivity.MODERATE
    ma_part: MAPart = MAPart.TEMPORARY
    ma_directory: bool = False

    def __post_init__(self) -> None:
        if self.scope not in SCOPE_KEYS:
            raise ValueError(f"{self.key}: unknown record part {self.scope!r}")
        category, name = self.exhibit_b
        if name not in EXHIBIT_B.get(category, ()):
            raise ValueError(f"{self.key}: not an Exhibit B element: {self.exhibit_b!r}")
        if self.ma_part == MAPart.TRANSCRIPT and not SCOPE_BY_KEY[self.scope].may_be_transcript:
            raise ValueError(f"{self.key}: a {self.scope} element cannot be in the transcript")

    @property
    def key(self) -> str:
        """Stable identifier, e.g. "roster.Student.given_name"."""
        return f"{self.model}.{self.field}"


SCOPE_BY_KEY: dict[str, Scope] = {scope.key: scope for scope in SCOPES}

# Why each element is held. Shared texts, so that one change of wording changes every use.
_SERVICES = _(
    "Needed to provide education services; shown only to school officials with a legitimate "
    "educational interest (34 CFR 99.31(a)(1), 603 CMR 23.02)."
)
_IDENTIFY = _(
    "Links the records sent by the district's student information system to the right person; "
    "not directory information in Massachusetts (603 CMR 23.07(4)(a))."
)
_ACCESS = _(
    "Decides which staff may see the record: access follows enrollments and assignments "
    "(34 CFR 99.31(a)(1), 603 CMR 23.02)."
)
_REPORTING = _(
    "Collected by the district for required state and federal reporting; Steward holds it only "
    "to apply the protections that go with it."
)
_PROTECT = _(
    "Needed to apply the legal protections that go with it (IDEA, Section 504, McKinney-Vento, "
    "foster care and English learner rules); the most sensitive part of the record."
)
_PARENTS = _(
    "Parents and guardians hold rights over the student record (34 CFR 99.4, 603 CMR 23.00); "
    "Steward must know who they are to honour those rights."
)

_ATTENDANCE = _(
    "Schools must keep daily attendance and follow up on absences (M.G.L. c. 76 § 1); shown only "
    "to school officials with a legitimate educational interest (34 CFR 99.31(a)(1))."
)
_TRANSCRIPT = _(
    "Final grades and credits form the transcript, kept for 60 years after the student leaves "
    "(603 CMR 23.02, 23.06); shown only to school officials with a legitimate educational "
    "interest, teachers only for their own classes."
)
_CONDUCT = _(
    "Needed to keep the school safe and to give students facing discipline their due-process "
    "rights (M.G.L. c. 71 § 37H¾, 603 CMR 53.00); temporary record, never in the transcript "
    "(603 CMR 23.02)."
)
_HEALTH = _(
    "Kept by the school nurse for the student's health and safety at school; part of the "
    "student record (34 CFR 99.3, 603 CMR 23.02), shown only to staff responsible for the "
    "student's care."
)
_SPECIAL_ED = _(
    "Needed to provide the special education, related services and accommodations the student "
    "is entitled to (IDEA, 34 CFR 300; Section 504, 34 CFR 104; M.G.L. c. 71B)."
)

_RESTRICTION = _(
    "Massachusetts lets a district deny a parent access to the record only when it holds the "
    "court order or other document (603 CMR 23.07(5)(a), M.G.L. c. 71 § 34H); kept encrypted, "
    "seen only by the privacy office, and never part of a family's copy of the record."
)

STUDENT = "roster.Student"
DEMOGRAPHICS = "roster.StudentDemographics"
INDICATORS = "roster.SpecialIndicators"
SCHOOL = "roster.StudentSchool"
ENROLLMENT = "roster.Enrollment"
CASELOAD = "roster.Caseload"
GUARDIAN = "roster.Guardian"
RELATIONSHIP = "roster.GuardianRelationship"
RESTRICTION = "roster.RestrictionDocument"

ATTENDANCE = "records.DailyAttendance"
GRADE = "records.CourseGrade"
ASSESSMENT = "records.AssessmentResult"
INCIDENT = "records.DisciplineIncident"
HEALTH_NOTE = "records.HealthNote"
HEALTH_ALERT = "records.HealthAlert"
PLAN = "records.EducationPlan"
ACCOMMODATION = "records.Accommodation"
WORK = "records.StudentWork"

PII = DataClass.STUDENT_INFORMATION
SGC = DataClass.STUDENT_GENERATED_CONTENT
LOW, HIGH = Sensitivity.LOW, Sensitivity.HIGH
TRANSCRIPT = MAPart.TRANSCRIPT

# The declarations below are tables: one element per block, the same arguments in the same
# order (model, field, scope, label, purpose, basis, Exhibit B, then class, sensitivity, MA
# part, MA directory), so they are kept as written rather than one argument per line.
_STUDENT_ELEMENTS: tuple[Element, ...] = (
    Element(
        STUDENT, "sourced_id", "directory", _("Student information system ID"),
        _("Identifies the student in the files the district's systems send."),
        _IDENTIFY, ("Student Identifiers", "Local (school district) ID number"), PII,
    ),
    Element(
        STUDENT, "identifier", "directory", _("Student number"),
        _("The district or state number printed on the student's records."),
        _IDENTIFY, ("Student Identifiers", "State ID number"), PII,
    ),
    Element(
        STUDENT, "user_ids", "directory", _("Other system IDs"),
        _("The student's IDs in other district systems, to match their records."),
        _IDENTIFY, ("Student Identifiers", "Provider/app assigned student ID number"), PII,
    ),
    Element(
        STUDENT, "username", "directory", _("Username"),
        _("The student's sign-in name for district systems."),
        _IDENTIFY, ("Student Identifiers", "Student app username"), PII,
    ),
    Element(
        STUDENT, "given_name", "directory", _("First name"),
        _("Shows staff and parents whose record they are looking at."),
        _SERVICES, ("Student Name", "First and/or last"), PII, LOW, TRANSCRIPT, True,
    ),
    Element(
        STUDENT, "middle_name", "directory", _("Middle name"),
        _("Tells apart students who share a first and last name."),
        _SERVICES, ("Student Name", "First and/or last"), PII, LOW, TRANSCRIPT, True,
    ),
    Element(
        STUDENT, "family_name", "directory", _("Last name"),
        _("Shows staff and parents whose record they are looking at."),
        _SERVICES, ("Student Name", "First and/or last"), PII, LOW, TRANSCRIPT, True,
    ),
    Element(
        STUDENT, "preferred_given_name", "directory", _("Preferred first name"),
        _("Lets staff address the student by the name they use."),
        _SERVICES, ("Student Name", "First and/or last"), PII, LOW, TRANSCRIPT, True,
    ),
    Element(
        STUDENT, "grade", "directory", _("Grade level"),
        _("Places the student in the right grade for classes and reports."),
        _SERVICES, ("Enrollment", "Student grade level"), ma_directory=True,
        sensitivity=LOW,
    ),
    Element(
        STUDENT, "enabled", "directory", _("Account enabled"),
        _("Whether the student may sign in to district systems."),
        _SERVICES, ("Application Technology Meta Data", "Other"), sensitivity=LOW,
    ),
    Element(
        STUDENT, "active", "enrollment_schedule", _("Enrollment status"),
        _("Whether the student is currently enrolled in the district."),
        _SERVICES, ("Enrollment", "Student school enrollment"), sensitivity=LOW,
    ),
    Element(
        STUDENT, "metadata", "enrollment_schedule", _("Other information from the district"),
        _("Extra columns the district's system sends; kept so that nothing is silently lost."),
        _SERVICES, ("Other", "Other"), sensitivity=HIGH,
    ),
    Element(
        STUDENT, "email", "contact", _("E-mail address"),
        _("Lets teachers and the school write to the student."),
        _SERVICES, ("Student Contact Information", "Email"), PII,
    ),
    Element(
        STUDENT, "phone", "contact", _("Phone number"),
        _("Lets the school call the student."),
        _SERVICES, ("Student Contact Information", "Phone"), PII, ma_part=TRANSCRIPT,
        ma_directory=True,
    ),
    Element(
        STUDENT, "sms", "contact", _("Mobile number for text messages"),
        _("Lets the school send the student text messages."),
        _SERVICES, ("Student Contact Information", "Phone"), PII, ma_part=TRANSCRIPT,
    ),
)  # fmt: skip

_DEMOGRAPHIC_ELEMENTS: tuple[Element, ...] = (
    Element(
        DEMOGRAPHICS, "birth_date", "demographics", _("Date of birth"),
        _("Confirms the student's identity and age for grade placement and services."),
        _SERVICES, ("Demographics", "Date of birth"), PII, ma_part=TRANSCRIPT, ma_directory=True,
    ),
    Element(
        DEMOGRAPHICS, "city_of_birth", "demographics", _("City of birth"),
        _("Part of the place of birth the district records at enrollment."),
        _REPORTING, ("Demographics", "Place of birth"), PII, ma_directory=True,
    ),
    Element(
        DEMOGRAPHICS, "state_of_birth", "demographics", _("State of birth"),
        _("Part of the place of birth the district records at enrollment."),
        _REPORTING, ("Demographics", "Place of birth"), PII, ma_directory=True,
    ),
    Element(
        DEMOGRAPHICS, "country_of_birth", "demographics", _("Country of birth"),
        _("Part of the place of birth the district records at enrollment."),
        _REPORTING, ("Demographics", "Place of birth"), PII, ma_directory=True,
    ),
    Element(
        DEMOGRAPHICS, "sex", "demographics", _("Sex"),
        _("Reported by the district to the state and used in equity reports."),
        _REPORTING, ("Demographics", "Gender"),
    ),
    *(
        Element(
            DEMOGRAPHICS, field, "demographics", label,
            _("Reported by the district to the state and used in equity reports."),
            _REPORTING, ("Demographics", "Ethnicity or race"), sensitivity=HIGH,
        )
        for field, label in (
            ("american_indian_or_alaska_native", _("Race: American Indian or Alaska Native")),
            ("asian", _("Race: Asian")),
            ("black_or_african_american", _("Race: Black or African American")),
            (
                "native_hawaiian_or_other_pacific_islander",
                _("Race: Native Hawaiian or other Pacific Islander"),
            ),
            ("white", _("Race: White")),
            ("two_or_more_races", _("Race: two or more races")),
            ("hispanic_or_latino", _("Ethnicity: Hispanic or Latino")),
        )
    ),
    Element(
        DEMOGRAPHICS, "public_school_residence_status", "demographics",
        _("Residence status"),
        _("Whether the student lives in the district, for enrollment and state reporting."),
        _REPORTING, ("Demographics", "Other"),
    ),
)  # fmt: skip

_INDICATOR_ELEMENTS: tuple[Element, ...] = tuple(
    Element(
        INDICATORS, field, "special_indicators", label, purpose, _PROTECT,
        ("Special Indicator", exhibit), sensitivity=HIGH,
    )
    for field, label, purpose, exhibit in (
        (
            "iep", _("Has an IEP"),
            _("Tells the student's teachers to follow an individualized education program."),
            "Specialized education services (IEP or 504)",
        ),
        (
            "section504", _("Has a Section 504 plan"),
            _("Tells the student's teachers to provide the accommodations in a 504 plan."),
            "Specialized education services (IEP or 504)",
        ),
        (
            "english_learner", _("English learner"),
            _("Ensures the student receives English language support."),
            "English language learner information",
        ),
        (
            "low_income", _("Low income"),
            _("Gives the student access to free meals and fee waivers."),
            "Low income status",
        ),
        (
            "homeless", _("Experiencing homelessness"),
            _("Gives the student the transport and enrollment rights of homeless students."),
            "Living situations (homeless/foster care)",
        ),
        (
            "foster_care", _("In foster care"),
            _("Lets the school work with the child welfare agency as the law requires."),
            "Living situations (homeless/foster care)",
        ),
        (
            "health_alert", _("Health alert"),
            _("Warns staff that the nurse holds a health alert, such as a severe allergy."),
            "Student medical alerts/health data",
        ),
    )
)  # fmt: skip

_ENROLLMENT_ELEMENTS: tuple[Element, ...] = (
    Element(
        SCHOOL, "school", "enrollment_schedule", _("School attended"),
        _("Shows which school is responsible for the student."),
        _ACCESS, ("Enrollment", "Student school enrollment"), sensitivity=LOW,
    ),
    Element(
        SCHOOL, "primary", "enrollment_schedule", _("Main school"),
        _("Shows which school is the student's main school when they attend more than one."),
        _ACCESS, ("Enrollment", "Student school enrollment"), sensitivity=LOW,
    ),
    Element(
        SCHOOL, "begin_date", "enrollment_schedule", _("School start date"),
        _("The first day of the student's attendance at the school."),
        _ACCESS, ("Enrollment", "Student school enrollment"), ma_directory=True,
        sensitivity=LOW,
    ),
    Element(
        SCHOOL, "end_date", "enrollment_schedule", _("School end date"),
        _("The last day of the student's attendance at the school."),
        _ACCESS, ("Enrollment", "Student school enrollment"), ma_directory=True,
        sensitivity=LOW,
    ),
    Element(
        ENROLLMENT, "sourced_id", "enrollment_schedule", _("Class enrollment ID"),
        _("Identifies the class enrollment in the files the district's systems send."),
        _IDENTIFY, ("Schedule", "Student scheduled courses"), sensitivity=LOW,
    ),
    Element(
        ENROLLMENT, "section", "enrollment_schedule", _("Class"),
        _("Shows which classes the student takes, so their teachers can see their record."),
        _ACCESS, ("Schedule", "Student scheduled courses"), ma_part=TRANSCRIPT,
        sensitivity=LOW,
    ),
    Element(
        ENROLLMENT, "school", "enrollment_schedule", _("School of the class"),
        _("Shows which school teaches the class."),
        _ACCESS, ("Schedule", "Student scheduled courses"), sensitivity=LOW,
    ),
    Element(
        ENROLLMENT, "primary", "enrollment_schedule", _("Main class"),
        _("Marks the student's main class, such as their homeroom."),
        _ACCESS, ("Enrollment", "Homeroom"), sensitivity=LOW,
    ),
    Element(
        ENROLLMENT, "begin_date", "enrollment_schedule", _("Class start date"),
        _("When the student joined the class; access by the teacher starts then."),
        _ACCESS, ("Schedule", "Student scheduled courses"), sensitivity=LOW,
    ),
    Element(
        ENROLLMENT, "end_date", "enrollment_schedule", _("Class end date"),
        _("When the student left the class; access by the teacher ends after it."),
        _ACCESS, ("Schedule", "Student scheduled courses"), sensitivity=LOW,
    ),
    Element(
        ENROLLMENT, "active", "enrollment_schedule", _("Class enrollment status"),
        _("Whether the district's system still lists the class enrollment."),
        _ACCESS, ("Schedule", "Student scheduled courses"), sensitivity=LOW,
    ),
    Element(
        ENROLLMENT, "metadata", "enrollment_schedule", _("Other class enrollment information"),
        _("Extra columns the district's system sends; kept so that nothing is silently lost."),
        _SERVICES, ("Other", "Other"), sensitivity=HIGH,
    ),
    Element(
        CASELOAD, "staff", "enrollment_schedule", _("Counselor or case manager"),
        _("Shows who counsels the student or manages their special education case."),
        _ACCESS, ("Enrollment", "Guidance counselor"),
    ),
    Element(
        CASELOAD, "kind", "enrollment_schedule", _("Kind of caseload"),
        _("Whether the assignment is for counseling or special education."),
        _ACCESS, ("Enrollment", "Guidance counselor"), sensitivity=HIGH,
    ),
    Element(
        CASELOAD, "begin_date", "enrollment_schedule", _("Caseload start date"),
        _("When the counselor or case manager took on the student."),
        _ACCESS, ("Enrollment", "Guidance counselor"),
    ),
    Element(
        CASELOAD, "end_date", "enrollment_schedule", _("Caseload end date"),
        _("When the counselor or case manager handed the student on."),
        _ACCESS, ("Enrollment", "Guidance counselor"),
    ),
)  # fmt: skip

_GUARDIAN_ELEMENTS: tuple[Element, ...] = (
    Element(
        GUARDIAN, "sourced_id", "guardian_contact", _("Parent or guardian ID"),
        _("Links the parent or guardian to their children in the district's files."),
        _PARENTS, ("Parent/Guardian ID", "Parent ID number"), PII,
    ),
    Element(
        GUARDIAN, "identifier", "guardian_contact", _("Parent or guardian number"),
        _("The district's own number for the parent or guardian."),
        _PARENTS, ("Parent/Guardian ID", "Parent ID number"), PII,
    ),
    Element(
        GUARDIAN, "username", "guardian_contact", _("Parent or guardian username"),
        _("The parent's or guardian's sign-in name for the family portal."),
        _PARENTS, ("Parent/Guardian ID", "Parent ID number"), PII,
    ),
    Element(
        GUARDIAN, "enabled", "guardian_contact", _("Parent or guardian account enabled"),
        _("Whether the parent or guardian may sign in to district systems."),
        _PARENTS, ("Application Technology Meta Data", "Other"), sensitivity=LOW,
    ),
    Element(
        GUARDIAN, "active", "guardian_contact", _("Parent or guardian status"),
        _("Whether the district's system still lists the parent or guardian."),
        _PARENTS, ("Parent/Guardian ID", "Parent ID number"), sensitivity=LOW,
    ),
    Element(
        GUARDIAN, "metadata", "guardian_contact", _("Other parent or guardian information"),
        _("Extra columns the district's system sends; kept so that nothing is silently lost."),
        _PARENTS, ("Other", "Other"), PII, HIGH,
    ),
    *(
        Element(
            GUARDIAN, field, "guardian_contact", label,
            _("Shows staff who the student's parents and guardians are."),
            _PARENTS, ("Parent/Guardian Name", "First and/or last"), PII, LOW, TRANSCRIPT,
        )
        for field, label in (
            ("given_name", _("Parent or guardian first name")),
            ("middle_name", _("Parent or guardian middle name")),
            ("family_name", _("Parent or guardian last name")),
            ("preferred_given_name", _("Parent or guardian preferred first name")),
        )
    ),
    Element(
        GUARDIAN, "email", "guardian_contact", _("Parent or guardian e-mail address"),
        _("Lets the school write to the parent or guardian and send required notices."),
        _PARENTS, ("Parent/Guardian Contact Information", "Email"), PII,
    ),
    Element(
        GUARDIAN, "phone", "guardian_contact", _("Parent or guardian phone number"),
        _("Lets the school call the parent or guardian, also in an emergency."),
        _PARENTS, ("Parent/Guardian Contact Information", "Phone"), PII, ma_part=TRANSCRIPT,
    ),
    Element(
        GUARDIAN, "sms", "guardian_contact", _("Parent or guardian mobile number"),
        _("Lets the school send the parent or guardian text messages."),
        _PARENTS, ("Parent/Guardian Contact Information", "Phone"), PII, ma_part=TRANSCRIPT,
    ),
    Element(
        RELATIONSHIP, "kind", "guardian_contact", _("Relationship to the student"),
        _("Whether the person is a parent, guardian or other relative of the student."),
        _PARENTS, ("Parent/Guardian ID", "Parent ID number"),
    ),
    Element(
        RELATIONSHIP, "custodial", "guardian_contact", _("Custodial parent"),
        _("Whether the parent has custody, which decides some notices and consents."),
        _PARENTS, ("Parent/Guardian ID", "Parent ID number"), sensitivity=HIGH,
    ),
    Element(
        RELATIONSHIP, "lives_with", "guardian_contact", _("Lives with the student"),
        _("Whether the student lives with this parent or guardian."),
        _PARENTS, ("Demographics", "Other"), sensitivity=HIGH,
    ),
    Element(
        RELATIONSHIP, "emergency_contact", "guardian_contact", _("Emergency contact"),
        _("Whether the school may call this person in an emergency."),
        _PARENTS, ("Parent/Guardian Contact Information", "Phone"), sensitivity=LOW,
    ),
    Element(
        RELATIONSHIP, "access_restricted", "guardian_contact", _("Access restricted"),
        _("Records a court order or legal restriction that removes this person's access."),
        _PARENTS, ("Parent/Guardian ID", "Parent ID number"), sensitivity=HIGH,
    ),
    Element(
        RELATIONSHIP, "active", "guardian_contact", _("Relationship status"),
        _("Whether the relationship to the student is current."),
        _PARENTS, ("Parent/Guardian ID", "Parent ID number"), sensitivity=LOW,
    ),
)  # fmt: skip

# The documents behind a restricted guardian link (R17; steward.roster.models_restrictions).
_RESTRICTION_ELEMENTS: tuple[Element, ...] = tuple(
    Element(
        RESTRICTION, field, "guardian_contact", label, purpose, _RESTRICTION,
        ("Other", "Other"), sensitivity=HIGH,
    )
    for field, label, purpose in (
        ("kind", _("Kind of restriction document"),
         _("Whether the document is a court order, a protective order or a custody judgment.")),
        ("issuer", _("Court or authority that issued the restriction"),
         _("Which court or authority issued the document, to check it is genuine.")),
        ("issued_on", _("Date the restriction was issued"),
         _("When the court or authority issued the document.")),
        ("effective_on", _("Date the restriction takes effect"),
         _("When the restriction starts, if not on the date of issue.")),
        ("expires_on", _("Date the restriction expires"),
         _("When the document says the restriction ends, so that the office reviews it.")),
        ("content", _("Restriction document"),
         _("The court order or other document itself, as the district received it.")),
        ("filename", _("File name of the restriction document"),
         _("The name of the file the privacy office received.")),
        ("note", _("Privacy office note on the restriction"),
         _("What the privacy office noted about the document, such as what it allows.")),
        ("withdrawn_at", _("Date the restriction document was withdrawn"),
         _("When the document stopped applying, for example when a court lifted the order.")),
        ("withdrawn_reason", _("Why the restriction document was withdrawn"),
         _("The reason the privacy office gave for withdrawing the document.")),
    )
)  # fmt: skip

# The record parts beyond the roster (steward.records, issue #4 item 2).
_RECORD_ELEMENTS: tuple[Element, ...] = (
    *(
        Element(
            ATTENDANCE, field, "attendance", label, purpose, _ATTENDANCE,
            ("Attendance", "School daily attendance"), sensitivity=sensitivity,
        )
        for field, label, purpose, sensitivity in (
            ("date", _("Date of absence"),
             _("The school day on which the student was absent, tardy or dismissed early."),
             Sensitivity.MODERATE),
            ("status", _("Attendance status"),
             _("Whether the student was absent (excused or not), tardy or dismissed early."),
             Sensitivity.MODERATE),
            ("note", _("Attendance note"),
             _("The reason given for the absence, such as illness or an appointment."),
             HIGH),
            ("school", _("School of the attendance record"),
             _("Which school recorded the attendance."), LOW),
        )
    ),
    *(
        Element(
            GRADE, field, "grades_transcript", label, purpose, _TRANSCRIPT,
            ("Transcript", exhibit), ma_part=ma_part,
        )
        for field, label, purpose, exhibit, ma_part in (
            ("section", _("Class graded"), _("Which class the grade is for."),
             "Student course data", TRANSCRIPT),
            ("term", _("Term graded"), _("Which term the grade is for."),
             "Student course data", TRANSCRIPT),
            ("mark", _("Grade"), _("The student's mark in the class for the term."),
             "Student course grades", TRANSCRIPT),
            ("percent", _("Grade percentage"), _("The percentage behind a letter grade."),
             "Student course grades", TRANSCRIPT),
            ("credits", _("Credits earned"),
             _("High-school credits earned toward graduation."),
             "Student course data", TRANSCRIPT),
            ("comment", _("Teacher's comment"),
             _("The teacher's remark on the student's work in the term."),
             "Other", MAPart.TEMPORARY),
            ("posted", _("Date the grade was posted"),
             _("When the teacher posted the grade."), "Other", MAPart.TEMPORARY),
            ("final", _("Final or progress grade"),
             _("Whether the grade is final or a progress grade during the term."),
             "Other", MAPart.TEMPORARY),
        )
    ),
    *(
        Element(
            ASSESSMENT, field, "assessments", label, purpose, _SERVICES,
            ("Assessment", "Standardized test scores"),
        )
        for field, label, purpose in (
            ("name", _("Assessment"),
             _("Which test the student took, such as MCAS or a reading benchmark.")),
            ("subject", _("Subject assessed"), _("What the test measures.")),
            ("administered", _("Date of the assessment"), _("When the student took the test.")),
            ("school_year", _("School year of the assessment"),
             _("Which school year the result belongs to.")),
            ("scale_score", _("Scale score"),
             _("The student's score, used to plan instruction and support.")),
            ("performance_level", _("Performance level"),
             _("How the score compares with the state standard, such as meeting it.")),
        )
    ),
    *(
        Element(
            INCIDENT, field, "discipline", label, purpose, _CONDUCT,
            ("Conduct", "Conduct or behavioral data"), sensitivity=HIGH,
        )
        for field, label, purpose in (
            ("date", _("Date of the incident"), _("When the incident happened.")),
            ("school", _("School of the incident"), _("Where the incident happened.")),
            ("kind", _("Type of incident"), _("What kind of conduct was reported.")),
            ("description", _("Description of the incident"), _("What happened, as reported.")),
            ("action", _("Action taken"),
             _("What the school did, from a warning to a suspension.")),
            ("action_days", _("Days of detention or suspension"),
             _("How long a detention or suspension lasted.")),
            ("reported_by", _("Reported by"), _("Which member of staff reported the incident.")),
        )
    ),
    *(
        Element(
            model, field, "health", label, purpose, _HEALTH,
            ("Special Indicator", "Student medical alerts/health data"), sensitivity=HIGH,
        )
        for model, field, label, purpose in (
            (HEALTH_NOTE, "date", _("Date of the health note"),
             _("When the nurse saw the student.")),
            (HEALTH_NOTE, "author", _("Author of the health note"),
             _("Which nurse wrote the note.")),
            (HEALTH_NOTE, "text", _("Health note"),
             _("What the nurse saw and did, such as a visit or a screening result.")),
            (HEALTH_ALERT, "kind", _("Kind of health alert"),
             _("Whether the alert is an allergy, a medication or a condition.")),
            (HEALTH_ALERT, "text", _("Health alert"),
             _("What staff must know to keep the student safe, such as a severe allergy.")),
            (HEALTH_ALERT, "severity", _("Severity of the health alert"),
             _("How serious the allergy or condition is.")),
            (HEALTH_ALERT, "active", _("Health alert in force"),
             _("Whether the alert still applies.")),
        )
    ),
    *(
        Element(
            model, field, "special_education", label, purpose, _SPECIAL_ED,
            ("Special Indicator", exhibit), sensitivity=HIGH,
        )
        for model, field, label, purpose, exhibit in (
            (PLAN, "kind", _("Kind of plan"), _("Whether the plan is an IEP or a 504 plan."),
             "Specialized education services (IEP or 504)"),
            (PLAN, "start_date", _("Plan start date"), _("When the plan took effect."),
             "Specialized education services (IEP or 504)"),
            (PLAN, "end_date", _("Plan end or review date"),
             _("When the plan ends or must be reviewed."),
             "Specialized education services (IEP or 504)"),
            (PLAN, "disability_category", _("Disability category"),
             _("The disability that makes the student eligible for an IEP."),
             "Student disability information"),
            (PLAN, "case_manager", _("Case manager"),
             _("Who coordinates the student's plan."),
             "Specialized education services (IEP or 504)"),
            (PLAN, "summary", _("Plan summary"),
             _("The services the plan provides, such as specialized instruction or therapy."),
             "Specialized education services (IEP or 504)"),
            (ACCOMMODATION, "text", _("Accommodation"),
             _("What teachers provide, such as extended time on tests; teachers see this "
               "summary, not the plan."),
             "Specialized education services (IEP or 504)"),
            (ACCOMMODATION, "setting", _("Setting of the accommodation"),
             _("Whether the accommodation applies in class, in tests or both."),
             "Specialized education services (IEP or 504)"),
        )
    ),
    *(
        Element(
            WORK, field, "student_generated_content", label, purpose, _SERVICES,
            ("Student Work", exhibit), SGC,
        )
        for field, label, purpose, exhibit in (
            ("title", _("Title of the work"), _("What the student called their work."),
             "Student generated content"),
            ("body", _("Text of the work"), _("What the student wrote."),
             "Student generated content"),
            ("file_name", _("File of the work"),
             _("The file the student handed in, such as a drawing or a recording."),
             "Student generated content"),
            ("content_type", _("Kind of file"),
             _("Whether the work is text, a document, an image, audio or video."), "Other"),
            ("created", _("Date of the work"), _("When the student made the work."), "Other"),
            ("section", _("Class of the work"), _("Which class the work was made for."),
             "Other"),
        )
    ),
)  # fmt: skip


ELEMENTS: tuple[Element, ...] = (
    _STUDENT_ELEMENTS
    + _DEMOGRAPHIC_ELEMENTS
    + _INDICATOR_ELEMENTS
    + _ENROLLMENT_ELEMENTS
    + _GUARDIAN_ELEMENTS
    + _RESTRICTION_ELEMENTS
    + _RECORD_ELEMENTS
)

# The models that hold data about a student or guardian: each of their concrete fields is
# either an element above or listed in `EXCLUDED` (tests/catalog/test_coverage.py).
CATALOGUED_MODELS: tuple[str, ...] = (
    STUDENT,
    DEMOGRAPHICS,
    INDICATORS,
    SCHOOL,
    ENROLLMENT,
    CASELOAD,
    GUARDIAN,
    RELATIONSHIP,
    RESTRICTION,
    ATTENDANCE,
    GRADE,
    ASSESSMENT,
    INCIDENT,
    HEALTH_NOTE,
    HEALTH_ALERT,
    PLAN,
    ACCOMMODATION,
    WORK,
)

# Fields that say nothing about the person, by field name on every catalogued model ("*") or on
# one model. Identifiers from the source system (`sourced_id`) are NOT bookkeeping: declared.
_ROW_KEY = "database row number, internal to Steward"
_IMPORT = "which import run last wrote the row (provenance, R55)"
_HASH = "checksum of the source row, to detect unchanged rows on re-import"
_MODIFIED = "when the source system last changed the row"
_SUBJECT = "whose row this is: the link to the student or guardian the row describes"
EXCLUDED: dict[tuple[str, str], str] = {
    ("*", "id"): _ROW_KEY,
    ("*", "last_import"): _IMPORT,
    ("*", "row_hash"): _HASH,
    ("*", "date_last_modified"): _MODIFIED,
    (DEMOGRAPHICS, "student"): _SUBJECT,
    (DEMOGRAPHICS, "active"): "whether the source system still sends the demographics row",
    (INDICATORS, "student"): _SUBJECT,
    (SCHOOL, "student"): _SUBJECT,
    (ENROLLMENT, "student"): _SUBJECT,
    (ENROLLMENT, "staff"): "set only on a staff member's enrollment, never a student's",
    (ENROLLMENT, "role"): "tells student enrollments from staff ones; always 'student' here",
    (CASELOAD, "student"): _SUBJECT,
    (RELATIONSHIP, "student"): _SUBJECT,
    (RELATIONSHIP, "guardian"): _SUBJECT,
    (RESTRICTION, "link"): _SUBJECT,
    (RESTRICTION, "size"): "the stored file's length, to check it arrived whole",
    (RESTRICTION, "sha256"): "checksum of the stored file, so a copy can be checked against it",
    (RESTRICTION, "uploaded_by"): "which member of the privacy office filed the document",
    (RESTRICTION, "uploaded_at"): "when the privacy office filed the document",
    (RESTRICTION, "withdrawn_by"): "which member of the privacy office withdrew the document",
    **{(model, "student"): _SUBJECT for model in CATALOGUED_MODELS if model.startswith("records.")},
    (ACCOMMODATION, "plan"): "which plan the accommodation belongs to; the plan's fields are "
    "declared",
}


# Catalogued, held, and deliberately left out of a family's copy of the record (R25, R27): the
# parent a restriction document is about must never receive it (R17), and whether the other
# parent may inspect a court order about their co-parent is a policy question for the district
# and its counsel, not a default. `steward.requests.record_tables` builds no table for them.
OFFICE_ONLY_MODELS: frozenset[str] = frozenset({RESTRICTION})


def is_excluded(model: str, field: str) -> bool:
    return ("*", field) in EXCLUDED or (model, field) in EXCLUDED


def by_scope() -> list[tuple[Scope, list[Element]]]:
    """Every scope in declaration order with its elements (possibly none)."""
    return [(scope, [e for e in ELEMENTS if e.scope == scope.key]) for scope in SCOPES]
