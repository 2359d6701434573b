"""Synthetic student records, generated from the roster in the database (issue #4 item 2).

`fill(seed, through)` reads the roster (students, their section enrollments and the sections'
terms, special indicators, staff positions, caseloads; eight queries), generates every record
part student by student and writes it with `steward.sqlbulk.insert` in batches, so memory holds
one batch per table. Call it through `steward.records.actions.do_generate_records`, which runs
it in one transaction with its ledger entry.

Deterministic: each student's rows come from random generators seeded with the seed, the part
and the student's sourced id, so the same seed, roster and `through` date give the same rows,
and one student's rows do not depend on the others. Nothing is dated after `through`.

The rules (docs/records.md):

- Attendance: only exceptions are stored (absent, tardy, dismissed early); a school day with no
  row is a day present. School days are the weekdays of the student's section enrollments
  (within their terms), without the usual Massachusetts holidays and vacations. Each student's
  absence rate is drawn from Beta(1.3, 19) (mean ~7 % of school days, median ~5 %, about one
  student in five chronically absent, i.e. 10 % or more), in episodes of one to three days;
  tardies ~3 %, early dismissals ~1 %.
- Grades: one per enrolled (section, term) that has begun: final once the term has ended
  (posted a week later), otherwise a progress grade posted on the last Friday; "W" when the
  student left the section before the term ended. Elementary: standards marks 1–4; middle:
  letter and percentage; high: letter, percentage and 2.5 credits per passed term.
- Assessments: DIBELS 8 (K–2) and i-Ready (3–8) benchmarks three times a year, MCAS for the
  tested grades this year and the three before (ELA and mathematics 3–8 and 10, science 5 and
  8, high-school biology or physics in 9), ACCESS for ELLs for English learners, PSAT and SAT
  in high school. Scores follow one latent ability per student, shared with grades.
- Discipline: ~4 % of elementary, ~15 % of middle and ~12 % of high-school students, one to
  six incidents, reported by one of their teachers or the principal.
- Health: every student flagged with a health alert in the roster gets a severe or
  life-threatening alert (and its medication); ~8.5 % of the others an everyday one (~15 % of
  students in all); nurse's notes for about a third of students.
- Special education: an IEP for each student flagged `iep`, a 504 plan for each flagged
  `section504`, none for anyone else. Plans are annual; a plan that ends during the school
  year is followed by its renewal. Three to six accommodations each.
- Student work: two to five items per student, for their sections, dated in the section's term.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable

from django.db.models import Max, Model

from steward import sqlbulk
from steward.records.models import (
    Accommodation,
    AssessmentResult,
    CourseGrade,
    DailyAttendance,
    DisciplineIncident,
    EducationPlan,
    HealthAlert,
    HealthNote,
    StudentWork,
)
from steward.records.synth_parts import (
    Row,
    assessment_rows,
    attendance_rows,
    discipline_rows,
    grade_rows,
    health_rows,
    plan_rows,
    work_rows,
)
from steward.records.synth_roster import Pupil, Roster, load_roster, pupils

DEFAULT_SEED = 1


# The tables, in writing order, with the columns written; the count keys are these names.
TABLES: dict[str, tuple[type[Model], tuple[str, ...]]] = {
    "attendance": (DailyAttendance, ("student", "school", "date", "status", "note")),
    "grades": (
        CourseGrade,
        ("student", "section", "term", "mark", "percent", "credits", "comment", "posted", "final"),
    ),
    "assessments": (
        AssessmentResult,
        (
            "student",
            "name",
            "subject",
            "administered",
            "school_year",
            "scale_score",
            "performance_level",
        ),
    ),
    "discipline": (
        DisciplineIncident,
        (
            "student",
            "school",
            "date",
            "kind",
            "description",
            "action",
            "action_days",
            "reported_by",
        ),
    ),
    "health_notes": (HealthNote, ("student", "date", "author", "text")),
    "health_alerts": (HealthAlert, ("student", "kind", "text", "severity", "active")),
    "plans": (
        EducationPlan,
        (
            "student",
            "kind",
            "start_date",
            "end_date",
            "disability_category",
            "case_manager",
            "summary",
        ),
    ),
    "accommodations": (Accommodation, ("plan", "student", "text", "setting")),
    "student_work": (
        StudentWork,
        ("student", "section", "title", "body", "file_name", "content_type", "created"),
    ),
}


# --- Writing --------------------------------------------------------------------------------


class _Sink:
    """Per-table row buffers written with `sqlbulk.insert` every `sqlbulk.BATCH` rows."""

    def __init__(self) -> None:
        self.buffers: dict[str, list[Row]] = {name: [] for name in TABLES}
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)

    def add(self, table: str, rows: Iterable[Row]) -> None:
        buffer = self.buffers[table]
        buffer.extend(rows)
        if len(buffer) >= sqlbulk.BATCH:
            self.flush(table)

    def flush(self, table: str) -> None:
        model, fields = TABLES[table]
        self.counts[table] += sqlbulk.insert(model, fields, self.buffers[table])
        self.buffers[table].clear()


def fill(
    seed: int,
    through: dt.date,
    roster: Roster | None = None,
    on_student: Callable[[], None] | None = None,
) -> dict[str, int]:
    """Generate and write every record part for every student; returns rows written per table.

    Run inside a transaction (`do_generate_records`): it writes in batches as it goes.
    """
    roster = roster if roster is not None else load_roster()
    before = EducationPlan.objects.aggregate(last=Max("pk"))["last"] or 0
    sink = _Sink()
    pending: list[tuple[Row, list[tuple[str, str]]]] = []

    def rng(part: str, pupil: Pupil) -> random.Random:
        return random.Random(f"{seed}:{part}:{pupil.sourced_id}")

    for pupil in pupils(roster, seed, through):
        sink.add("attendance", attendance_rows(rng("attendance", pupil), pupil))
        sink.add("grades", grade_rows(rng("grades", pupil), pupil, roster, through))
        sink.add(
            "assessments", assessment_rows(rng("assessments", pupil), pupil, roster.year, through)
        )
        sink.add("discipline", discipline_rows(rng("discipline", pupil), pupil, roster))
        notes, alerts = health_rows(rng("health", pupil), pupil, roster)
        sink.add("health_notes", notes)
        sink.add("health_alerts", alerts)
        plans = plan_rows(rng("plans", pupil), pupil, roster, through)
        sink.add("plans", (plan for plan, _ in plans))
        pending.extend(plans)
        sink.add("student_work", work_rows(rng("work", pupil), pupil, roster, through))
        if on_student is not None:
            on_student()
    for table in TABLES:
        if table != "accommodations":
            sink.flush(table)
    # Accommodations need their plan's id: read back the plans just written, by their key.
    plan_ids = {
        (student, kind, start): pk
        for pk, student, kind, start in EducationPlan.objects.filter(pk__gt=before).values_list(
            "pk", "student_id", "kind", "start_date"
        )
    }
    sink.add(
        "accommodations",
        (
            (plan_ids[plan[0], plan[1], plan[2]], plan[0], text, setting)
            for plan, accommodations in pending
            for text, setting in accommodations
        ),
    )
    sink.flush("accommodations")
    return sink.counts
