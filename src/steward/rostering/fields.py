"""The JSON fields of each OneRoster 1.2 type, and the CSV column that governs each one.

The sharing plan speaks in OneRoster CSV files and columns (`steward.sharing.columns`); the
REST binding speaks in JSON fields. `FIELDS[type][name]` says which (file, column) a JSON
field carries, so the API sends a field only when the plan allows its column for that kind of
row, exactly as an export would (issue #7 item 3 "the same minimization as exports").

`column=None` marks structure that every row carries (sourcedId, status, dateLastModified).
`required` fields of the 1EdTech schema are sent as "" when the plan withholds them, so a
response stays valid without saying anything. Passwords have no entry: they are never sent.

Pure data: no Django imports.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    file: str | None = None
    column: str | None = None
    required: bool = False
    text: bool = True  # a string (withheld and required: sent as "")


ALWAYS = Field()
ALWAYS_REQUIRED = Field(required=True)


def _head() -> dict[str, Field]:
    return {
        "sourcedId": ALWAYS_REQUIRED,
        "status": ALWAYS_REQUIRED,
        "dateLastModified": ALWAYS_REQUIRED,
    }


def _of(file: str, **columns: str | tuple[str, bool] | tuple[str, bool, bool]) -> dict[str, Field]:
    """Fields of one file: name=column, or name=(column, required[, text])."""
    out: dict[str, Field] = {}
    for name, spec in columns.items():
        if isinstance(spec, str):
            out[name] = Field(file, spec)
        else:
            out[name] = Field(file, *spec)
    return out


ORG = {
    **_head(),
    "metadata": Field("orgs", "metadata", text=False),
    **_of("orgs", name=("name", True), type=("type", True), identifier=("identifier", True)),
    "parent": Field("orgs", "parentSourcedId", text=False),
    "children": Field("orgs", "sourcedId", text=False),
}

ACADEMIC_SESSION = {
    **_head(),
    "metadata": Field("academicSessions", "metadata", text=False),
    **_of(
        "academicSessions",
        title=("title", True),
        startDate=("startDate", True),
        endDate=("endDate", True),
        type=("type", True),
        schoolYear=("schoolYear", True),
    ),
    "parent": Field("academicSessions", "parentSourcedId", text=False),
    "children": Field("academicSessions", "sourcedId", text=False),
}

COURSE = {
    **_head(),
    "metadata": Field("courses", "metadata", text=False),
    **_of("courses", title=("title", True), courseCode=("courseCode", True)),
    "schoolYear": Field("courses", "schoolYearSourcedId", text=False),
    "grades": Field("courses", "grades", text=False),
    "subjects": Field("courses", "subjects", text=False),
    "org": Field("courses", "orgSourcedId", text=False),
}

CLASS = {
    **_head(),
    "metadata": Field("classes", "metadata", text=False),
    **_of("classes", title=("title", True), classCode="classCode", location="location"),
    "classType": Field("classes", "classType"),
    "grades": Field("classes", "grades", text=False),
    "subjects": Field("classes", "subjects", text=False),
    "course": Field("classes", "courseSourcedId", True, text=False),
    "school": Field("classes", "schoolSourcedId", True, text=False),
    "terms": Field("classes", "termSourcedIds", True, text=False),
    "periods": Field("classes", "periods", text=False),
}

USER = {
    **_head(),
    "metadata": Field("users", "metadata", text=False),
    "userMasterIdentifier": Field("users", "userMasterIdentifier"),
    "username": Field("users", "username"),
    "userIds": Field("users", "userIds", text=False),
    "enabledUser": Field("users", "enabledUser", True),
    "givenName": Field("users", "givenName", True),
    "familyName": Field("users", "familyName", True),
    "middleName": Field("users", "middleName"),
    "preferredFirstName": Field("users", "preferredGivenName"),
    "preferredMiddleName": Field("users", "preferredMiddleName"),
    "preferredLastName": Field("users", "preferredFamilyName"),
    "pronouns": Field("users", "pronouns"),
    # The user's schools and roles: roles.csv in 1.2 (users.orgSourcedIds in 1.1).
    "roles": Field("roles", "orgSourcedId", True, text=False),
    "primaryOrg": Field("users", "primaryOrgSourcedId", text=False),
    "identifier": Field("users", "identifier"),
    "email": Field("users", "email"),
    "sms": Field("users", "sms"),
    "phone": Field("users", "phone"),
    "agents": Field("users", "agentSourcedIds", text=False),
    "grades": Field("users", "grades", text=False),
}

ENROLLMENT = {
    **_head(),
    "metadata": Field("enrollments", "metadata", text=False),
    "user": Field("enrollments", "userSourcedId", True, text=False),
    "class": Field("enrollments", "classSourcedId", True, text=False),
    "school": Field("enrollments", "schoolSourcedId", True, text=False),
    "role": Field("enrollments", "role", True),
    "primary": Field("enrollments", "primary"),
    "beginDate": Field("enrollments", "beginDate"),
    "endDate": Field("enrollments", "endDate"),
}

RACE = (
    "americanIndianOrAlaskaNative",
    "asian",
    "blackOrAfricanAmerican",
    "nativeHawaiianOrOtherPacificIslander",
    "white",
    "demographicRaceTwoOrMoreRaces",
    "hispanicOrLatinoEthnicity",
)

DEMOGRAPHICS = {
    **_head(),
    # metadata carries the special indicators, each gated by its own extension column.
    "metadata": Field("demographics", None, text=False),
    **_of(
        "demographics",
        birthDate="birthDate",
        sex="sex",
        countryOfBirthCode="countryOfBirthCode",
        stateOfBirthAbbreviation="stateOfBirthAbbreviation",
        cityOfBirth="cityOfBirth",
        publicSchoolResidenceStatus="publicSchoolResidenceStatus",
    ),
    **{name: Field("demographics", name) for name in RACE},
}

FIELDS: dict[str, dict[str, Field]] = {
    "org": ORG,
    "academicSession": ACADEMIC_SESSION,
    "course": COURSE,
    "class": CLASS,
    "user": USER,
    "enrollment": ENROLLMENT,
    "demographics": DEMOGRAPHICS,
}

# The CSV file each type's sourcedIds belong to (pseudonyms are computed per file).
FILE_OF: dict[str, str] = {
    "org": "orgs",
    "academicSession": "academicSessions",
    "course": "courses",
    "class": "classes",
    "user": "users",
    "enrollment": "enrollments",
    "demographics": "users",  # a demographics record's sourcedId is its user's
}
