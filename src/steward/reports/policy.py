"""The reporting policy's data (design.md §3 rule 3): which assessment and levels count as
proficient, which attendance statuses are absences, and the defaults of research extracts.

The suppression rules' defaults are the engine's (`sdc.rules.Rules`: minimum n 10, the modal
state value, never below 5, R92; 20 for rare attributes, R98); the privacy office chooses a
series' rules when it creates it, and every release of the series keeps them (R97).
"""

from __future__ import annotations

from steward.records.models import DailyAttendance
from steward.reports.spec import Subject

# The state assessment reported on, by subject: results whose name starts with the prefix
# and whose subject is one of these (as `AssessmentResult.subject` holds them).
ASSESSMENT_PREFIX = "MCAS"
ASSESSMENT_SUBJECTS: dict[str, tuple[str, ...]] = {
    Subject.ELA: ("English Language Arts",),
    Subject.MATH: ("Mathematics",),
    Subject.SCIENCE: ("Science",),
}
# MCAS achievement levels at or above the standard ("meeting or exceeding expectations").
PROFICIENT_LEVELS: tuple[str, ...] = ("Meeting Expectations", "Exceeding Expectations")

# A day absent, excused or not; tardy and early dismissal count as present.
ABSENT_STATUSES: tuple[str, ...] = (
    DailyAttendance.Status.ABSENT_EXCUSED,
    DailyAttendance.Status.ABSENT_UNEXCUSED,
)

# Research extracts (R91): the k of k-anonymity, ℓ of ℓ-diversity, and the share of rows that
# may be suppressed rather than generalize every row further.
DEFAULT_K = 10
MIN_K = 5
DEFAULT_L = 2
DEFAULT_MAX_SUPPRESSED_PERCENT = 5
MAX_QUASI_IDENTIFIERS = 8
