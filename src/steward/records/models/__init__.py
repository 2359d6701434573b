"""Models of the student record parts beyond the roster (issue #4 item 2, R4, R38–R44).

Every row belongs to one student (`student`, a link to `roster.Student`) and is read per
student through `steward.records.parts`, which only the access chokepoint calls (design.md §3
rule 1). Each table's first index starts with the student, for those per-student reads. The
fields are declared in the data catalog (`steward.catalog.elements`).
"""

from steward.records.models.academic import AssessmentResult, CourseGrade
from steward.records.models.attendance import DailyAttendance
from steward.records.models.conduct import DisciplineIncident
from steward.records.models.health import HealthAlert, HealthNote
from steward.records.models.special_education import Accommodation, EducationPlan
from steward.records.models.work import StudentWork

__all__ = [
    "Accommodation",
    "AssessmentResult",
    "CourseGrade",
    "DailyAttendance",
    "DisciplineIncident",
    "EducationPlan",
    "HealthAlert",
    "HealthNote",
    "StudentWork",
]
