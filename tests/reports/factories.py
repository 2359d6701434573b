"""A small synthetic district for the report and extract tests, written through the ORM.

`district(seed, students)` builds Model District with three schools (Adams Elementary K–5,
Baker Middle 6–8, Central High 9–12), students spread over them with demographics, special
indicators, absences, discipline incidents and MCAS results, all drawn from a seeded random
generator. It also returns every student's attributes as plain data (`pupils`), so that tests
can count what a report should show in Python, independently of the SQL under test.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from steward.bases import FerpaBasis, MassachusettsBasis
from steward.records.models import AssessmentResult, DailyAttendance, DisciplineIncident
from steward.roster.models import (
    ImportRun,
    Org,
    SpecialIndicators,
    Student,
    StudentDemographics,
)
from steward.vendors.actions import agreements
from steward.vendors.mandatory import DIRECT_CONTROL
from steward.vendors.models import Agreement, AgreementKind, ScopeKind, Template, Vendor
from tests.web import factories as f

AS_OF = dt.date(2026, 3, 2)  # school year 2025-2026
YEAR_START = dt.date(2025, 7, 1)
SCHOOL_DAYS = 100
SCHOOLS = (
    ("Adams Elementary", ("KG", "01", "02", "03", "04", "05")),
    ("Baker Middle", ("06", "07", "08")),
    ("Central High", ("09", "10", "11", "12")),
)
RACES = (
    ("white", 0.45),
    ("hispanic", 0.22),
    ("black", 0.12),
    ("asian", 0.12),
    ("multiracial", 0.06),
    ("american_indian", 0.02),
    ("pacific", 0.01),
)
_RACE_FIELD = {
    "white": "white",
    "black": "black_or_african_american",
    "asian": "asian",
    "american_indian": "american_indian_or_alaska_native",
    "pacific": "native_hawaiian_or_other_pacific_islander",
}
LEVELS = (
    "Exceeding Expectations",
    "Meeting Expectations",
    "Partially Meeting Expectations",
    "Not Meeting Expectations",
)


@dataclass
class Pupil:
    """One generated student's attributes, as the tests' oracle."""

    id: int
    school: str
    grade: str
    born: dt.date
    sex: str
    race: str
    el: bool
    iep: bool
    section504: bool
    low_income: bool
    homeless: bool
    foster: bool
    absences: int
    incidents: int
    suspended: bool
    ela: str  # "" when not tested


def _choose(rng: random.Random, weights: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([k for k, _w in weights], [w for _k, w in weights])[0]


def _school_day(rng: random.Random) -> dt.date:
    # Weekdays from September to the as-of date.
    while True:
        day = dt.date(2025, 9, 2) + dt.timedelta(
            days=rng.randrange((AS_OF - dt.date(2025, 9, 2)).days)
        )
        if day.weekday() < 5:
            return day


def district(seed: int = 7, students: int = 240) -> SimpleNamespace:
    """The district; `students` are spread over the schools (see the module docstring)."""
    rng = random.Random(seed)
    run = f.import_run()
    w = SimpleNamespace(run=run, pupils=[])
    w.district = f.org(run, "Model District", Org.Type.DISTRICT)
    w.schools = {name: f.org(run, name, parent=w.district) for name, _grades in SCHOOLS}
    for i in range(students):
        name, grades = SCHOOLS[i % len(SCHOOLS)]
        grade = rng.choice(grades)
        pupil = _pupil(rng, i, name, grade)
        student = f.student(run, f"Kid{i}", f"Family{i}", grade=grade)
        pupil.id = student.pk
        f.attend(run, student, w.schools[name], begin=dt.date(2025, 8, 27))
        _records(rng, run, student, w.schools[name], pupil)
        w.pupils.append(pupil)
    # A student who left before the as-of date and an inactive one: never counted.
    gone = f.student(run, "Gone", "Away", grade="03")
    f.attend(run, gone, w.schools["Adams Elementary"], end=dt.date(2026, 1, 15))
    inactive = f.student(run, "Not", "Active", grade="03")
    Student.objects.filter(pk=inactive.pk).update(active=False)
    f.attend(run, inactive, w.schools["Adams Elementary"])
    return w


def _pupil(rng: random.Random, i: int, school: str, grade: str) -> Pupil:
    rank = 0 if grade == "KG" else int(grade)
    born = dt.date(2025 - 5 - rank, rng.randint(1, 12), rng.randint(1, 28))
    iep = rng.random() < 0.16
    return Pupil(
        id=0,
        school=school,
        grade=grade,
        born=born,
        sex=rng.choices(["female", "male", "other"], [0.49, 0.49, 0.02])[0],
        race=_choose(rng, RACES),
        el=rng.random() < 0.12,
        iep=iep,
        section504=not iep and rng.random() < 0.05,
        low_income=rng.random() < 0.35,
        homeless=rng.random() < 0.02,
        foster=rng.random() < 0.01,
        absences=min(SCHOOL_DAYS, int(rng.betavariate(1.3, 15) * SCHOOL_DAYS)),
        incidents=rng.choices([0, 1, 2], [0.85, 0.1, 0.05])[0],
        suspended=False,
        ela=rng.choice(LEVELS) if rank in (3, 4, 5, 6, 7, 8, 10) else "",
    )


def _records(
    rng: random.Random, run: ImportRun, student: Student, school: Org, pupil: Pupil
) -> None:
    demo: dict[str, Any] = {
        "student": student,
        "last_import": run,
        "birth_date": pupil.born,
        "sex": pupil.sex,
    }
    if pupil.race == "hispanic":
        demo["hispanic_or_latino"] = True
        demo["white"] = True
    elif pupil.race == "multiracial":
        demo["white"] = True
        demo["asian"] = True
    else:
        demo[_RACE_FIELD[pupil.race]] = True
    StudentDemographics.objects.create(**demo)
    SpecialIndicators.objects.create(
        student=student,
        last_import=run,
        iep=pupil.iep,
        section504=pupil.section504,
        english_learner=pupil.el,
        low_income=pupil.low_income,
        homeless=pupil.homeless,
        foster_care=pupil.foster,
    )
    days: set[dt.date] = set()
    while len(days) < pupil.absences:
        days.add(_school_day(rng))
    DailyAttendance.objects.bulk_create(
        [
            DailyAttendance(
                student=student,
                school=school,
                date=day,
                status=rng.choice(["absent_excused", "absent_unexcused"]),
            )
            for day in sorted(days)
        ]
    )
    # A tardy is not an absence, and last year's absences are outside the period.
    tardy = _school_day(rng)
    if tardy not in days:
        DailyAttendance.objects.create(student=student, school=school, date=tardy, status="tardy")
    DailyAttendance.objects.create(
        student=student, school=school, date=dt.date(2025, 5, 5), status="absent_unexcused"
    )
    actions = [
        rng.choice(["warning", "detention", "out_of_school_suspension"])
        for _ in range(pupil.incidents)
    ]
    pupil.suspended = any(a.endswith("suspension") for a in actions)
    for action in actions:
        DisciplineIncident.objects.create(
            student=student,
            school=school,
            date=_school_day(rng),
            kind="disruption",
            description="Disrupted class.",
            action=action,
        )
    if pupil.ela:
        grade = 10 if pupil.grade == "10" else int(pupil.grade)
        AssessmentResult.objects.create(
            student=student,
            name=f"MCAS ELA Grade {grade}",
            subject="English Language Arts",
            administered=dt.date(2026, 2, 2),
            school_year=2026,
            scale_score=500,
            performance_level=pupil.ela,
        )
        # Last year's MCAS and another assessment never count.
        AssessmentResult.objects.create(
            student=student,
            name=f"MCAS ELA Grade {grade}",
            subject="English Language Arts",
            administered=dt.date(2025, 2, 3),
            school_year=2025,
            scale_score=520,
            performance_level="Exceeding Expectations",
        )
        AssessmentResult.objects.create(
            student=student,
            name="i-Ready Diagnostic Reading (Fall)",
            subject="Reading",
            administered=dt.date(2025, 9, 30),
            school_year=2026,
            scale_score=480,
            performance_level="Meeting Expectations",
        )


# --- Study agreements (R79) -------------------------------------------------------------------

STUDY_ELEMENTS = [
    ["Demographics", "Date of birth"],
    ["Demographics", "Gender"],
    ["Demographics", "Ethnicity or race"],
    ["Enrollment", "Student school enrollment"],
    ["Enrollment", "Student grade level"],
    ["Special Indicator", "English language learner information"],
    ["Special Indicator", "Specialized education services (IEP or 504)"],
    ["Special Indicator", "Low income status"],
    ["Attendance", "School daily attendance"],
    ["Assessment", "Standardized test scores"],
]
SIGNED_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def study_agreement(
    officer: User,
    *,
    kind: str = AgreementKind.STUDY,
    title: str = "Reading fluency study",
    **over: Any,
) -> Agreement:
    """An ACTIVE agreement with State University covering the whole district (through the
    vendors' actions, as the office makes one), for a study unless `kind` says otherwise."""
    vendor, _created = Vendor.objects.get_or_create(
        name="State University", defaults={"created_at": timezone.now()}
    )
    today = timezone.localdate()
    terms: dict[str, Any] = {
        "title": title,
        "kind": kind,
        "template": Template.OTHER,
        "ferpa_basis": FerpaBasis.A6 if kind == AgreementKind.STUDY else FerpaBasis.A1,
        "ma_basis": MassachusettsBasis.OTHER,
        "purpose": "Whether daily reading practice improves fluency.",
        "services": "A study of reading fluency by the university's education school.",
        "data_elements": STUDY_ELEMENTS,
        "scope_kind": ScopeKind.DISTRICT,
        "start_date": today - dt.timedelta(days=30),
        "end_date": today + dt.timedelta(days=335),
        "parent_access_days": 5,
        "breach_notification_hours": 72,
        "security_framework": "NIST CSF",
        "signed_on": today - dt.timedelta(days=31),
        "district_signatory": "Dana Director",
        "provider_signatory": "Prof. Uma University",
        "representative": "Prof. Uma University",
        "study_scope": "Reading fluency in grades 3 to 8.",
        "study_duration": "Two school years",
        "destruction_terms": "Destroyed within 60 days after the study ends.",
        "irb_evidence": "University IRB exemption 2026-117.",
        "activity_description": "Evaluate the reading program.",
    }
    if kind == AgreementKind.SCHOOL_OFFICIAL_DPA:
        terms["direct_control"] = list(DIRECT_CONTROL)
    agreement = agreements.create_agreement(vendor, by=officer, **(terms | over))
    agreements.attach_signed_document(agreement, SIGNED_PDF, "signed.pdf", by=officer)
    agreements.activate_agreement(agreement, by=officer)
    agreement.refresh_from_db()
    return agreement
