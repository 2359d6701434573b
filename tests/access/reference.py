"""A brute-force reference for the access index: loops over every relationship record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from steward.access.index import (
    CaseloadLink,
    StaffSchool,
    StaffSection,
    StudentSchoolLink,
    StudentSection,
)
from steward.access.policy import CASELOAD, DEFAULT_POLICY, SCHOOL, SECTION, Policy


def _active(begin: dt.date | None, end: dt.date | None, at: dt.date) -> bool:
    return (begin is None or begin <= at) and (end is None or at <= end)


@dataclass
class Roster:
    staff_sections: list[StaffSection] = field(default_factory=list)
    student_sections: list[StudentSection] = field(default_factory=list)
    staff_schools: list[StaffSchool] = field(default_factory=list)
    student_schools: list[StudentSchoolLink] = field(default_factory=list)
    caseloads: list[CaseloadLink] = field(default_factory=list)


def reference_can_access(
    roster: Roster,
    actor: int,
    student: int,
    scope: str,
    at: dt.date,
    policy: Policy = DEFAULT_POLICY,
) -> bool:
    for rule in policy.rules:
        if scope not in rule.scopes:
            continue
        if rule.relation == SECTION:
            for taught in roster.staff_sections:
                if taught.staff != actor:
                    continue
                for enrolled in roster.student_sections:
                    if enrolled.student != student or enrolled.section != taught.section:
                        continue
                    begins = [d for d in (taught.begin, enrolled.begin) if d is not None]
                    ends = [d for d in (taught.end, enrolled.end) if d is not None]
                    begin = max(begins) if begins else None
                    end = min(ends) if ends else None
                    if begin is not None and end is not None and begin > end:
                        continue  # the two enrollments never overlapped
                    last = end + dt.timedelta(days=rule.grace_days) if end is not None else None
                    if _active(begin, last, at):
                        return True
        elif rule.relation == CASELOAD:
            for link in roster.caseloads:
                if (
                    link.staff == actor
                    and link.student == student
                    and link.kind == rule.qualifier
                    and _active(link.begin, link.end, at)
                ):
                    return True
        elif rule.relation == SCHOOL:
            for role in roster.staff_schools:
                if role.staff != actor or role.position != rule.qualifier:
                    continue
                if not _active(role.begin, role.end, at):
                    continue
                for link in roster.student_schools:
                    if (
                        link.student == student
                        and link.school == role.school
                        and _active(link.begin, link.end, at)
                    ):
                        return True
    return False
