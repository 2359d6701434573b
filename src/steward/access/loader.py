"""Build the in-process `AccessIndex` from the roster tables and the stored policy.

Five `values_list` queries (one per relationship table) plus one for the policy; no model
instances. Only relationships that can grant anything are loaded: teachers' section
enrollments (the `teacher` enrollment role), students' section and school enrollments, staff
positions at schools, and caseloads. Dates decide what is current, never `active` alone.
"""

from __future__ import annotations

from steward.access.index import (
    AccessIndex,
    CaseloadLink,
    StaffSchool,
    StaffSection,
    StudentSchoolLink,
    StudentSection,
)
from steward.access.models import PolicyRevision
from steward.access.policy import DEFAULT_POLICY, Policy
from steward.roster.models import Caseload, Enrollment, StaffRole, StudentSchool

DATES = ("begin_date", "end_date")


def current_policy() -> Policy:
    """The newest stored policy revision, or the default policy if none was ever saved."""
    stored = PolicyRevision.objects.order_by("-pk").values_list("policy", flat=True).first()
    return Policy.from_dict(stored) if stored is not None else DEFAULT_POLICY


def load_index(policy: Policy | None = None) -> AccessIndex:
    """A fresh index over the whole roster as the current transaction sees it."""
    enrollments = Enrollment.objects.filter(role__in=("student", "teacher"))
    student_rows = enrollments.filter(student__isnull=False).values_list(
        "student_id", "section_id", *DATES
    )
    staff_rows = enrollments.filter(role="teacher", staff__isnull=False).values_list(
        "staff_id", "section_id", *DATES
    )
    return AccessIndex.build(
        staff_sections=(StaffSection(*row) for row in staff_rows.iterator(chunk_size=20_000)),
        student_sections=(StudentSection(*row) for row in student_rows.iterator(chunk_size=20_000)),
        staff_schools=(
            StaffSchool(*row)
            for row in StaffRole.objects.values_list("staff_id", "org_id", "position", *DATES)
        ),
        student_schools=(
            StudentSchoolLink(*row)
            for row in StudentSchool.objects.values_list("student_id", "school_id", *DATES)
        ),
        caseloads=(
            CaseloadLink(*row)
            for row in Caseload.objects.values_list("staff_id", "student_id", "kind", *DATES)
        ),
        policy=policy if policy is not None else current_policy(),
    )
