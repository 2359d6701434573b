"""Access policy as data: which relationship grants which record parts (scopes).

Pure Python, no Django (design.md §3, rules 3 and 4). The district's configuration replaces
`DEFAULT_POLICY`; `Policy.to_dict()` / `Policy.from_dict()` give it a plain, storable form.

A rule names a relationship path and the scopes it grants:

* ``section``: the staff member teaches a section the student is enrolled in, while both
  enrollments are active, plus `grace_days` after the overlap ends;
* ``caseload``: the student is on the staff member's caseload of the given kind
  (``counselor`` or ``specialEducation``), while the caseload entry is active;
* ``school``: the staff member holds the given position (``nurse``, ``principal``, ...) at
  a school the student is enrolled in, while both are active.

District-wide roles get nothing by default: no rule names them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Record parts (scopes), as named in the data catalog (issue #4, item 1).
DIRECTORY = "directory"
CONTACT = "contact"
DEMOGRAPHICS = "demographics"
ENROLLMENT_SCHEDULE = "enrollment_schedule"
ATTENDANCE = "attendance"
GRADES_TRANSCRIPT = "grades_transcript"
ASSESSMENTS = "assessments"
DISCIPLINE = "discipline"
HEALTH = "health"
SPECIAL_EDUCATION = "special_education"
ACCOMMODATIONS_SUMMARY = "accommodations_summary"
SPECIAL_INDICATORS = "special_indicators"
STUDENT_GENERATED_CONTENT = "student_generated_content"
GUARDIAN_CONTACT = "guardian_contact"

ALL_SCOPES: frozenset[str] = frozenset(
    {
        DIRECTORY,
        CONTACT,
        DEMOGRAPHICS,
        ENROLLMENT_SCHEDULE,
        ATTENDANCE,
        GRADES_TRANSCRIPT,
        ASSESSMENTS,
        DISCIPLINE,
        HEALTH,
        SPECIAL_EDUCATION,
        ACCOMMODATIONS_SUMMARY,
        SPECIAL_INDICATORS,
        STUDENT_GENERATED_CONTENT,
        GUARDIAN_CONTACT,
    }
)

# Relationship paths.
SECTION = "section"
CASELOAD = "caseload"
SCHOOL = "school"
RELATIONS: frozenset[str] = frozenset({SECTION, CASELOAD, SCHOOL})

DEFAULT_GRACE_DAYS = 30


@dataclass(frozen=True)
class Rule:
    """One grant path: `relation` (qualified by a caseload kind or a school position)
    grants `scopes`. `grace_days` applies to the section path only."""

    relation: str
    scopes: frozenset[str]
    qualifier: str | None = None
    grace_days: int = 0
    label: str = ""

    def __post_init__(self) -> None:
        if self.relation not in RELATIONS:
            raise ValueError(f"unknown relation {self.relation!r}")
        unknown = set(self.scopes) - ALL_SCOPES
        if unknown:
            raise ValueError(f"unknown scopes {sorted(unknown)}")
        if self.relation == SECTION and self.qualifier is not None:
            raise ValueError("the section path takes no qualifier")
        if self.relation != SECTION and self.qualifier is None:
            raise ValueError(f"the {self.relation} path needs a qualifier")
        if self.grace_days < 0 or (self.relation != SECTION and self.grace_days):
            raise ValueError("grace days apply to the section path only, and are >= 0")

    def to_dict(self) -> dict[str, Any]:
        return {
            "relation": self.relation,
            "qualifier": self.qualifier,
            "scopes": sorted(self.scopes),
            "grace_days": self.grace_days,
            "label": self.label,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rule:
        return cls(
            relation=data["relation"],
            qualifier=data.get("qualifier"),
            scopes=frozenset(data["scopes"]),
            grace_days=int(data.get("grace_days", 0)),
            label=data.get("label", ""),
        )


@dataclass(frozen=True, init=False)
class Policy:
    """The district's role → scope rules."""

    rules: tuple[Rule, ...]

    def __init__(self, rules: Iterable[Rule] = ()) -> None:
        object.__setattr__(self, "rules", tuple(rules))

    def to_dict(self) -> dict[str, Any]:
        return {"rules": [rule.to_dict() for rule in self.rules]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Policy:
        return cls(Rule.from_dict(item) for item in data["rules"])


TEACHER_SCOPES: frozenset[str] = frozenset(
    {
        DIRECTORY,
        CONTACT,
        ENROLLMENT_SCHEDULE,
        ATTENDANCE,
        GRADES_TRANSCRIPT,  # the record page narrows this to the reason's own section
        ASSESSMENTS,
        ACCOMMODATIONS_SUMMARY,
        STUDENT_GENERATED_CONTENT,
    }
)
COUNSELOR_SCOPES: frozenset[str] = frozenset(
    {
        DIRECTORY,
        CONTACT,
        ENROLLMENT_SCHEDULE,
        ATTENDANCE,
        GRADES_TRANSCRIPT,
        ASSESSMENTS,
        DISCIPLINE,
        ACCOMMODATIONS_SUMMARY,
        GUARDIAN_CONTACT,
    }
)
SPECIAL_EDUCATION_SCOPES: frozenset[str] = frozenset(
    {DIRECTORY, SPECIAL_EDUCATION, ACCOMMODATIONS_SUMMARY}
)
NURSE_SCOPES: frozenset[str] = frozenset({DIRECTORY, HEALTH})
PRINCIPAL_SCOPES: frozenset[str] = ALL_SCOPES - {HEALTH}

DEFAULT_POLICY = Policy(
    (
        Rule(SECTION, TEACHER_SCOPES, None, DEFAULT_GRACE_DAYS, "teacher"),
        Rule(CASELOAD, COUNSELOR_SCOPES, "counselor", 0, "counselor"),
        Rule(CASELOAD, SPECIAL_EDUCATION_SCOPES, "specialEducation", 0, "special education"),
        Rule(SCHOOL, NURSE_SCOPES, "nurse", 0, "nurse"),
        Rule(SCHOOL, PRINCIPAL_SCOPES, "principal", 0, "principal"),
    )
)
