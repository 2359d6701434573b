"""Which Exhibit B elements each OneRoster CSV column carries, per kind of row (R109).

A column may be sent only when every element it carries is among the agreement's
`data_elements`. `ALWAYS` columns carry no element of their own (sourcedIds, status,
dateLastModified, roles, and the structure of schools, sessions, courses and classes, whose
files are gated as a whole); `NEVER` columns are not sent whatever the agreement says
(passwords, app credentials, Steward's own guardian and caseload extension columns).

`catalog` names the data catalog elements (`steward.catalog.elements`) a column is read from;
`tests/sharing/test_columns.py` checks that the catalog gives each of them the same Exhibit B
element as this table. Pure data: no queries, no models.
"""

from __future__ import annotations

from dataclasses import dataclass

from steward.roster.oneroster import spec

Pair = tuple[str, str]

STUDENT, STAFF, GUARDIAN = "student", "staff", "guardian"
KINDS = (STUDENT, STAFF, GUARDIAN)


@dataclass(frozen=True)
class Carry:
    """What one column carries for one kind of row."""

    elements: tuple[Pair, ...] = ()
    catalog: tuple[str, ...] = ()
    never: bool = False


ALWAYS = Carry()
NEVER = Carry(never=True)

# Exhibit B elements that gate whole files or row kinds.
SCHEDULE: Pair = ("Schedule", "Student scheduled courses")
TEACHER_NAMES: Pair = ("Schedule", "Teacher names")
SCHOOL_ENROLLMENT: Pair = ("Enrollment", "Student school enrollment")
GUARDIAN_CATEGORIES = (
    "Parent/Guardian ID",
    "Parent/Guardian Name",
    "Parent/Guardian Contact Information",
)

_NAME: Pair = ("Student Name", "First and/or last")
_S = "roster.Student."
_G = "roster.Guardian."
_D = "roster.StudentDemographics."
_I = "roster.SpecialIndicators."
_P_ID: Pair = ("Parent/Guardian ID", "Parent ID number")
_P_NAME: Pair = ("Parent/Guardian Name", "First and/or last")


def _c(pair: Pair, *catalog: str) -> Carry:
    return Carry((pair,), catalog)


_HEAD = {"sourcedId": ALWAYS, "status": ALWAYS, "dateLastModified": ALWAYS}

_STUDENT_USER: dict[str, Carry] = {
    **_HEAD,
    "enabledUser": _c(("Application Technology Meta Data", "Other"), _S + "enabled"),
    "orgSourcedIds": _c(SCHOOL_ENROLLMENT, "roster.StudentSchool.school"),
    "role": ALWAYS,
    "username": _c(("Student Identifiers", "Student app username"), _S + "username"),
    "userIds": _c(
        ("Student Identifiers", "Provider/app assigned student ID number"), _S + "user_ids"
    ),
    "givenName": _c(_NAME, _S + "given_name"),
    "familyName": _c(_NAME, _S + "family_name"),
    "middleName": _c(_NAME, _S + "middle_name"),
    "identifier": _c(("Student Identifiers", "State ID number"), _S + "identifier"),
    "email": _c(("Student Contact Information", "Email"), _S + "email"),
    "sms": _c(("Student Contact Information", "Phone"), _S + "sms"),
    "phone": _c(("Student Contact Information", "Phone"), _S + "phone"),
    # Links to the student's parents: sent only with the guardians themselves.
    "agentSourcedIds": _c(_P_ID, _G + "sourced_id"),
    "grades": _c(("Enrollment", "Student grade level"), _S + "grade"),
    "password": NEVER,
    "userMasterIdentifier": _c(("Student Identifiers", "Local (school district) ID number")),
    "preferredGivenName": _c(_NAME, _S + "preferred_given_name"),
    "preferredMiddleName": _c(_NAME),
    "preferredFamilyName": _c(_NAME),
    "primaryOrgSourcedId": _c(SCHOOL_ENROLLMENT, "roster.StudentSchool.primary"),
    "pronouns": _c(("Demographics", "Other")),
}

# Staff are not students: their work identifiers go with them, their names are the
# "Teacher names" of the Schedule, and nothing private about them (phones) is sent.
_STAFF_USER: dict[str, Carry] = {
    **_HEAD,
    "enabledUser": ALWAYS,
    "orgSourcedIds": ALWAYS,
    "role": ALWAYS,
    "username": ALWAYS,
    "userIds": ALWAYS,
    "givenName": Carry((TEACHER_NAMES,)),
    "familyName": Carry((TEACHER_NAMES,)),
    "middleName": Carry((TEACHER_NAMES,)),
    "identifier": ALWAYS,
    "email": ALWAYS,
    "sms": NEVER,
    "phone": NEVER,
    "agentSourcedIds": NEVER,
    "grades": NEVER,
    "password": NEVER,
    "userMasterIdentifier": NEVER,
    "preferredGivenName": Carry((TEACHER_NAMES,)),
    "preferredMiddleName": NEVER,
    "preferredFamilyName": NEVER,
    "primaryOrgSourcedId": ALWAYS,
    "pronouns": NEVER,
}

_GUARDIAN_USER: dict[str, Carry] = {
    **_HEAD,
    "enabledUser": _c(("Application Technology Meta Data", "Other"), _G + "enabled"),
    "orgSourcedIds": _c(SCHOOL_ENROLLMENT, "roster.StudentSchool.school"),
    "role": ALWAYS,
    "username": _c(_P_ID, _G + "username"),
    "userIds": _c(_P_ID),
    "givenName": _c(_P_NAME, _G + "given_name"),
    "familyName": _c(_P_NAME, _G + "family_name"),
    "middleName": _c(_P_NAME, _G + "middle_name"),
    "identifier": _c(_P_ID, _G + "identifier"),
    "email": _c(("Parent/Guardian Contact Information", "Email"), _G + "email"),
    "sms": _c(("Parent/Guardian Contact Information", "Phone"), _G + "sms"),
    "phone": _c(("Parent/Guardian Contact Information", "Phone"), _G + "phone"),
    # The guardian's children: the link that makes the row a guardian's.
    "agentSourcedIds": ALWAYS,
    "grades": NEVER,
    "password": NEVER,
    "userMasterIdentifier": NEVER,
    "preferredGivenName": _c(_P_NAME, _G + "preferred_given_name"),
    "preferredMiddleName": _c(_P_NAME),
    "preferredFamilyName": _c(_P_NAME),
    "primaryOrgSourcedId": _c(SCHOOL_ENROLLMENT, "roster.StudentSchool.primary"),
    "pronouns": NEVER,
}

_STUDENT_ROLE: dict[str, Carry] = {
    **_HEAD,
    "userSourcedId": ALWAYS,
    "roleType": ALWAYS,
    "role": ALWAYS,
    "beginDate": _c(SCHOOL_ENROLLMENT, "roster.StudentSchool.begin_date"),
    "endDate": _c(SCHOOL_ENROLLMENT, "roster.StudentSchool.end_date"),
    "orgSourcedId": _c(SCHOOL_ENROLLMENT, "roster.StudentSchool.school"),
    "userProfileSourcedId": NEVER,
}
_STAFF_ROLE: dict[str, Carry] = {
    **{name: ALWAYS for name in _STUDENT_ROLE},
    "userProfileSourcedId": NEVER,
}
_GUARDIAN_ROLE: dict[str, Carry] = {
    **_STUDENT_ROLE,
    "beginDate": NEVER,
    "endDate": NEVER,
}

_DEMOGRAPHICS: dict[str, Carry] = {
    **_HEAD,
    "birthDate": _c(("Demographics", "Date of birth"), _D + "birth_date"),
    "sex": _c(("Demographics", "Gender"), _D + "sex"),
    **{
        column: _c(("Demographics", "Ethnicity or race"), _D + field)
        for column, field in zip(
            spec.RACE_COLUMNS,
            (
                "american_indian_or_alaska_native",
                "asian",
                "black_or_african_american",
                "native_hawaiian_or_other_pacific_islander",
                "white",
                "two_or_more_races",
                "hispanic_or_latino",
            ),
            strict=True,
        )
    },
    "countryOfBirthCode": _c(("Demographics", "Place of birth"), _D + "country_of_birth"),
    "stateOfBirthAbbreviation": _c(("Demographics", "Place of birth"), _D + "state_of_birth"),
    "cityOfBirth": _c(("Demographics", "Place of birth"), _D + "city_of_birth"),
    "publicSchoolResidenceStatus": _c(
        ("Demographics", "Other"), _D + "public_school_residence_status"
    ),
}

_SI = "Special Indicator"
# Special indicators travel as Steward's documented extension columns on demographics.csv.
INDICATORS: dict[str, tuple[str, Carry]] = {
    field: (column, _c((_SI, element), _I + field))
    for field, column, element in (
        ("iep", spec.META_INDICATORS["iep"], "Specialized education services (IEP or 504)"),
        (
            "section504",
            spec.META_INDICATORS["section504"],
            "Specialized education services (IEP or 504)",
        ),
        (
            "english_learner",
            spec.META_INDICATORS["english_learner"],
            "English language learner information",
        ),
        ("low_income", spec.META_INDICATORS["low_income"], "Low income status"),
        ("homeless", spec.META_INDICATORS["homeless"], "Living situations (homeless/foster care)"),
        (
            "foster_care",
            spec.META_INDICATORS["foster_care"],
            "Living situations (homeless/foster care)",
        ),
        (
            "health_alert",
            spec.META_INDICATORS["health_alert"],
            "Student medical alerts/health data",
        ),
    )
}

_ENROLLMENT_STUDENT: dict[str, Carry] = {
    **_HEAD,
    "classSourcedId": ALWAYS,
    "schoolSourcedId": ALWAYS,
    "userSourcedId": ALWAYS,
    "role": ALWAYS,
    "primary": _c(("Enrollment", "Homeroom"), "roster.Enrollment.primary"),
    "beginDate": _c(SCHEDULE, "roster.Enrollment.begin_date"),
    "endDate": _c(SCHEDULE, "roster.Enrollment.end_date"),
}
_ENROLLMENT_STAFF: dict[str, Carry] = {name: ALWAYS for name in _ENROLLMENT_STUDENT}


def _structure(file: str) -> dict[str, Carry]:
    """A file without personal data: every column always (the file itself is gated)."""
    names = {c.name for version in spec.VERSIONS for c in spec.ROSTER_FILES[version][file]}
    return dict.fromkeys(sorted(names), ALWAYS)


# (file, kind of row) -> {column: Carry}. Rows of "" kind hold no personal data.
TABLE: dict[tuple[str, str], dict[str, Carry]] = {
    ("orgs", ""): _structure("orgs"),
    ("academicSessions", ""): _structure("academicSessions"),
    ("courses", ""): _structure("courses"),
    ("classes", ""): _structure("classes"),
    ("users", STUDENT): _STUDENT_USER,
    ("users", STAFF): _STAFF_USER,
    ("users", GUARDIAN): _GUARDIAN_USER,
    ("roles", STUDENT): _STUDENT_ROLE,
    ("roles", STAFF): _STAFF_ROLE,
    ("roles", GUARDIAN): _GUARDIAN_ROLE,
    ("demographics", STUDENT): _DEMOGRAPHICS,
    ("enrollments", STUDENT): _ENROLLMENT_STUDENT,
    ("enrollments", STAFF): _ENROLLMENT_STAFF,
}

# Files never sent: app credentials with passwords (Steward holds none, R109 "app passwords").
NEVER_FILES = frozenset({"userProfiles"})


def allowed(carry: Carry, elements: frozenset[Pair]) -> bool:
    """Whether a column with `carry` may be sent under an agreement allowing `elements`."""
    return not carry.never and all(pair in elements for pair in carry.elements)


def allowed_columns(file: str, kind: str, version: str, elements: frozenset[Pair]) -> list[str]:
    """The columns of `file` (spec order of `version`, then allowed extension columns) that a
    row of `kind` may carry under `elements`."""
    table = TABLE[(file, kind)]
    names = [c.name for c in spec.columns(version, file) if allowed(table[c.name], elements)]
    if file == "demographics":
        names += [column for column, carry in INDICATORS.values() if allowed(carry, elements)]
    return names


def header(file: str, version: str, elements: frozenset[Pair]) -> list[str]:
    """The header row written for `file`: every defined column in spec order (the binding
    requires them), then the extension columns the agreement allows."""
    names = [c.name for c in spec.columns(version, file)]
    if file == "demographics":
        names += [column for column, carry in INDICATORS.values() if allowed(carry, elements)]
    return names


def carried(file: str, kind: str, column: str) -> Carry:
    """The Carry of one column (extension columns included)."""
    if file == "demographics":
        for name, carry in INDICATORS.values():
            if name == column:
                return carry
    return TABLE[(file, kind)][column]
