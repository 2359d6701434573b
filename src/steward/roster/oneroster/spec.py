"""The OneRoster CSV binding as data: files, columns in spec order, required fields, enumerations.

Sources: 1EdTech OneRoster 1.1 CSV Tables and 1.2.1 CSV Binding, summarised in
`shared/spec/oneroster.md` §1. Steward's own extension columns (`metadata.steward.*`) are
declared here too, so that the generator, the importer and the docs agree on one list.
"""

from __future__ import annotations

from dataclasses import dataclass

VERSIONS = ("1.1", "1.2")
MODES = ("absent", "bulk", "delta")
STATUSES = ("active", "tobedeleted")
LEGACY_STATUSES = ("inactive",)  # OneRoster 1.0; accepted with a warning.


@dataclass(frozen=True)
class Column:
    """One defined column of a OneRoster file."""

    name: str
    required: bool = False
    kind: str = "text"  # text | date | datetime | bool | enum | year | list | ref | refs | userids
    enum: tuple[str, ...] = ()
    ref: str = ""  # file whose sourcedId this column references (ref / refs kinds)


def _c(name: str, required: bool = False, kind: str = "text", **kw: object) -> Column:
    return Column(name, required, kind, **kw)  # type: ignore[arg-type]


GRADES = (
    "IT",
    "PR",
    "PK",
    "TK",
    "KG",
    "01",
    "02",
    "03",
    "04",
    "05",
    "06",
    "07",
    "08",
    "09",
    "10",
    "11",
    "12",
    "13",
    "PS",
    "UG",
    "Other",
)
ORG_TYPES = ("department", "school", "district", "local", "state", "national")
SESSION_TYPES = ("gradingPeriod", "semester", "schoolYear", "term")
CLASS_TYPES = ("homeroom", "scheduled")
ENROLLMENT_ROLES = ("administrator", "proctor", "student", "teacher")
ROLES_11 = (
    "administrator",
    "aide",
    "guardian",
    "parent",
    "proctor",
    "relative",
    "student",
    "teacher",
)
ROLES_12 = (
    "aide",
    "counselor",
    "districtAdministrator",
    "guardian",
    "parent",
    "principal",
    "proctor",
    "relative",
    "siteAdministrator",
    "student",
    "systemAdministrator",
    "teacher",
)
ROLE_TYPES = ("primary", "secondary")
SEX_11 = ("male", "female")
SEX_12 = ("male", "female", "unspecified", "other")
GUARDIAN_ROLES = ("parent", "guardian", "relative")

_HEAD = (
    _c("sourcedId", True),
    _c("status", kind="status"),
    _c("dateLastModified", kind="datetime"),
)

ORGS = (
    *_HEAD,
    _c("name", True),
    _c("type", True, "enum", enum=ORG_TYPES),
    _c("identifier"),
    _c("parentSourcedId", kind="softref", ref="orgs"),
)
ACADEMIC_SESSIONS = (
    *_HEAD,
    _c("title", True),
    _c("type", True, "enum", enum=SESSION_TYPES),
    _c("startDate", True, "date"),
    _c("endDate", True, "date"),
    _c("parentSourcedId", kind="softref", ref="academicSessions"),
    _c("schoolYear", True, "year"),
)
COURSES = (
    *_HEAD,
    _c("schoolYearSourcedId", kind="softref", ref="academicSessions"),
    _c("title", True),
    _c("courseCode"),
    _c("grades", kind="list", enum=GRADES),
    _c("orgSourcedId", True, "ref", ref="orgs"),
    _c("subjects", kind="list"),
    _c("subjectCodes", kind="list"),
)
CLASSES = (
    *_HEAD,
    _c("title", True),
    _c("grades", kind="list", enum=GRADES),
    _c("courseSourcedId", True, "ref", ref="courses"),
    _c("classCode"),
    _c("classType", True, "enum", enum=CLASS_TYPES),
    _c("location"),
    _c("schoolSourcedId", True, "ref", ref="orgs"),
    _c("termSourcedIds", True, "refs", ref="academicSessions"),
    _c("subjects", kind="list"),
    _c("subjectCodes", kind="list"),
    _c("periods", kind="list"),
)
ENROLLMENTS = (
    *_HEAD,
    _c("classSourcedId", True, "ref", ref="classes"),
    _c("schoolSourcedId", True, "ref", ref="orgs"),
    _c("userSourcedId", True, "ref", ref="users"),
    _c("role", True, "enum", enum=ENROLLMENT_ROLES),
    _c("primary", kind="bool"),
    _c("beginDate", kind="date"),
    _c("endDate", kind="date"),
)
_USER_NAMES = (
    _c("givenName", True),
    _c("familyName", True),
    _c("middleName"),
    _c("identifier"),
    _c("email"),
    _c("sms"),
    _c("phone"),
    _c("agentSourcedIds", kind="softrefs", ref="users"),
    _c("grades", kind="list", enum=GRADES),
    _c("password"),
)
USERS_11 = (
    *_HEAD,
    _c("enabledUser", True, "bool"),
    _c("orgSourcedIds", True, "refs", ref="orgs"),
    _c("role", True, "enum", enum=ROLES_11),
    _c("username", True),
    _c("userIds", kind="userids"),
    *_USER_NAMES,
)
USERS_12 = (
    *_HEAD,
    _c("enabledUser", True, "bool"),
    _c("username", True),
    _c("userIds", kind="userids"),
    *_USER_NAMES,
    _c("userMasterIdentifier"),
    _c("preferredGivenName"),
    _c("preferredMiddleName"),
    _c("preferredFamilyName"),
    _c("primaryOrgSourcedId", kind="ref", ref="orgs"),
    _c("pronouns"),
)
ROLES = (
    *_HEAD,
    _c("userSourcedId", True, "ref", ref="users"),
    _c("roleType", True, "enum", enum=ROLE_TYPES),
    _c("role", True, "enum", enum=ROLES_12),
    _c("beginDate", kind="date"),
    _c("endDate", kind="date"),
    _c("orgSourcedId", True, "ref", ref="orgs"),
    _c("userProfileSourcedId", kind="softref", ref="userProfiles"),
)
USER_PROFILES = (
    *_HEAD,
    _c("userSourcedId", True, "ref", ref="users"),
    _c("profileType", True),
    _c("vendorId", True),
    _c("applicationId"),
    _c("description"),
    _c("credentialType", True),
    _c("username", True),
    _c("password"),
)
RACE_COLUMNS = (
    "americanIndianOrAlaskaNative",
    "asian",
    "blackOrAfricanAmerican",
    "nativeHawaiianOrOtherPacificIslander",
    "white",
    "demographicRaceTwoOrMoreRaces",
    "hispanicOrLatinoEthnicity",
)


def _demographics(sexes: tuple[str, ...]) -> tuple[Column, ...]:
    return (
        _c("sourcedId", True, "ref", ref="users"),
        _c("status", kind="status"),
        _c("dateLastModified", kind="datetime"),
        _c("birthDate", kind="date"),
        _c("sex", kind="enum", enum=sexes),
        *(_c(name, kind="bool") for name in RACE_COLUMNS),
        _c("countryOfBirthCode"),
        _c("stateOfBirthAbbreviation"),
        _c("cityOfBirth"),
        _c("publicSchoolResidenceStatus"),
    )


# Files Steward reads, per version, in dependency order (a file only references earlier ones,
# except for the soft references resolved after all files are read).
ROSTER_FILES: dict[str, dict[str, tuple[Column, ...]]] = {
    "1.1": {
        "orgs": ORGS,
        "academicSessions": ACADEMIC_SESSIONS,
        "courses": COURSES,
        "classes": CLASSES,
        "users": USERS_11,
        "demographics": _demographics(SEX_11),
        "enrollments": ENROLLMENTS,
    },
    "1.2": {
        "orgs": ORGS,
        "academicSessions": ACADEMIC_SESSIONS,
        "courses": COURSES,
        "classes": CLASSES,
        "users": USERS_12,
        "userProfiles": USER_PROFILES,
        "roles": ROLES,
        "demographics": _demographics(SEX_12),
        "enrollments": ENROLLMENTS,
    },
}

# Every file key a manifest may carry, per version; the ones not in ROSTER_FILES (resources,
# gradebook) are outside rostering: Steward accepts them in the manifest and ignores their data.
_MANIFEST_FILES_11 = (
    "academicSessions",
    "categories",
    "classes",
    "classResources",
    "courses",
    "courseResources",
    "demographics",
    "enrollments",
    "lineItems",
    "orgs",
    "resources",
    "results",
    "users",
)
MANIFEST_FILES: dict[str, tuple[str, ...]] = {
    "1.1": _MANIFEST_FILES_11,
    "1.2": (
        *_MANIFEST_FILES_11,
        "roles",
        "userProfiles",
        "userResources",
        "scoreScales",
        "lineItemLearningObjectiveIds",
        "lineItemScoreScales",
        "resultLearningObjectiveIds",
        "resultScoreScales",
    ),
}

# Steward's documented extension columns (docs/oneroster.md). OneRoster has no columns for
# special indicators, guardian relationship details, staff positions or caseloads; districts
# send them as `metadata.*` columns to the right of the defined ones.
META = "metadata.steward."
# demographics.csv: special indicators, each a boolean (R3 sensitive categories).
META_INDICATORS = {
    "iep": META + "iep",
    "section504": META + "section504",
    "english_learner": META + "englishLearner",
    "low_income": META + "lowIncome",
    "homeless": META + "homeless",
    "foster_care": META + "fosterCare",
    "health_alert": META + "healthAlert",
}
# users.csv, on a staff row: the Steward position (refines the OneRoster role).
META_POSITION = META + "position"
POSITIONS = (
    "teacher",
    "counselor",
    "nurse",
    "principal",
    "specialEducation",
    "districtAdministrator",
    "recordsCustodian",
    "aide",
    "other",
)
# users.csv, on a student row: the staff sourcedIds holding the student on a caseload.
META_COUNSELOR = META + "counselorSourcedIds"
META_CASE_MANAGER = META + "caseManagerSourcedIds"
# users.csv, on a guardian row: student sourcedIds (subsets of agentSourcedIds) for which the
# guardian is custodial, lives with the student, is an emergency contact, or is barred from
# the record by a documented court order or legal restriction (R17).
META_CUSTODIAL = META + "custodialFor"
META_LIVES_WITH = META + "livesWith"
META_EMERGENCY = META + "emergencyContactFor"
META_RESTRICTED = META + "accessRestrictedFor"
GUARDIAN_META = (META_CUSTODIAL, META_LIVES_WITH, META_EMERGENCY, META_RESTRICTED)


def columns(version: str, file: str) -> tuple[Column, ...]:
    """The defined columns of `file` in `version`, in spec order."""
    return ROSTER_FILES[version][file]


def header(version: str, file: str) -> list[str]:
    """The header row of `file` in `version` without extension columns."""
    return [c.name for c in columns(version, file)]
