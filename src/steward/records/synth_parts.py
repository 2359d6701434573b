"""The record parts of one student, as rows for `sqlbulk.insert` (see `synth` for the rules).

Pure Python: each function takes the student's own random generator and plain roster data,
and returns tuples in the column order of `synth.TABLES`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypeVar

from steward.records import synth_text as txt
from steward.records.synth_roster import (
    DAY,
    ELEMENTARY,
    HIGH,
    Pupil,
    Roster,
    SchoolYear,
    is_school_day,
    school_days,
)
from steward.roster.models import Caseload, StaffRole

Row = tuple[Any, ...]
T = TypeVar("T")


def _weighted(rng: random.Random, choices: Sequence[tuple[T, float]]) -> T:
    return rng.choices([c for c, _ in choices], [w for _, w in choices])[0]


def _weekday_on_or_after(day: dt.date) -> dt.date:
    while not is_school_day(day):
        day += DAY
    return day


# --- The parts ------------------------------------------------------------------------------


def attendance_rows(rng: random.Random, pupil: Pupil) -> list[Row]:
    """Absences (in episodes), tardies and early dismissals on the pupil's school days."""
    days = pupil.calendar.days
    n = len(days)
    if not n:
        return []
    # Beta(1.3, 19): mean ~6.4 %, about one student in five chronically absent (10 % or more);
    # students who do well in school miss a little less.
    rate = rng.betavariate(1.3, 19) * (1 - 0.15 * max(-1.0, min(1.0, pupil.ability)))
    target = round(min(rate, 0.6) * n)
    status: dict[int, tuple[str, str]] = {}
    while len(status) < target:
        start = rng.randrange(n)
        excused = rng.random() < 0.62
        kind = "absent_excused" if excused else "absent_unexcused"
        note = _weighted(rng, txt.EXCUSED_NOTES if excused else txt.UNEXCUSED_NOTES)
        length = _weighted(rng, ((1, 0.6), (2, 0.25), (3, 0.15)))
        for i in range(start, min(n, start + length)):
            status.setdefault(i, (kind, note))
    free = [i for i in range(n) if i not in status]
    tardy = min(len(free), round(rng.betavariate(1.1, 35) * n))
    for i in rng.sample(free, tardy):
        status[i] = ("tardy", _weighted(rng, txt.TARDY_NOTES))
    free = [i for i in free if i not in status]
    dismissed = min(len(free), round(rng.betavariate(1, 90) * n))
    for i in rng.sample(free, dismissed):
        status[i] = ("dismissed", _weighted(rng, txt.DISMISSED_NOTES))
    cal = pupil.calendar
    return [(pupil.id, cal.school(i), days[i], *status[i]) for i in sorted(status)]


def _last_friday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - 4) % 7)


def _mark(percent: int, scale: Sequence[tuple[int, str]]) -> str:
    return next(mark for floor, mark in scale if percent >= floor)


def grade_rows(rng: random.Random, pupil: Pupil, roster: Roster, through: dt.date) -> list[Row]:
    """One grade per enrolled (section, term) that has begun by `through`."""
    rows: list[Row] = []
    credits: Decimal | None
    for e in pupil.enrollments:
        info = roster.sections.get(e.section_id)
        level = info.level if info is not None and info.level is not None else pupil.level
        high = level == HIGH and (info is None or info.subject != "Homeroom")
        for t in roster.terms.get(e.section_id, ()):
            first, last = max(t.start, e.begin or t.start), min(t.end, e.end or t.end)
            if first > last or first > through:
                continue
            z = 0.75 * pupil.ability + 0.65 * rng.gauss(0, 1)
            percent = round(84 + 9.5 * z)
            if level != ELEMENTARY and rng.random() < 0.04:
                percent -= rng.randint(10, 30)
            percent = max(35, min(100, percent))
            comment = ""
            if rng.random() < 0.35:
                pool = (
                    txt.COMMENTS_HIGH
                    if percent >= 88
                    else txt.COMMENTS_MID
                    if percent >= 72
                    else txt.COMMENTS_LOW
                )
                comment = rng.choice(pool)
            final = True
            if e.end is not None and e.end < t.end and e.end <= through:
                mark, shown, posted, comment = "W", None, e.end, "Withdrew from the class."
                credits = Decimal("0.00") if high else None
                rows.append(
                    (pupil.id, e.section_id, t.id, mark, shown, credits, comment, posted, final)
                )
                continue
            if t.end + dt.timedelta(days=7) <= through:
                posted = t.end + dt.timedelta(days=7)
            else:
                final, posted = False, max(first, _last_friday(through))
            if level == ELEMENTARY:
                mark, shown, credits = _mark(percent, txt.STANDARDS), None, None
            else:
                mark, shown = _mark(percent, txt.LETTERS), percent
                credits = None
                if high and final:
                    credits = Decimal("2.50") if percent >= 60 else Decimal("0.00")
            rows.append(
                (pupil.id, e.section_id, t.id, mark, shown, credits, comment, posted, final)
            )
    return rows


_MCAS_LEVELS = (
    (530, "Exceeding Expectations"),
    (500, "Meeting Expectations"),
    (470, "Partially Meeting Expectations"),
    (440, "Not Meeting Expectations"),
)
_IREADY_LEVELS = (
    (0.6, "Mid or Above Grade Level"),
    (0.0, "Early On Grade Level"),
    (-1.0, "One Grade Level Below"),
    (-1.8, "Two Grade Levels Below"),
    (-99.0, "Three or More Grade Levels Below"),
)
_DIBELS_LEVELS = (
    (0.9, "Above Benchmark"),
    (-0.3, "At Benchmark"),
    (-1.1, "Below Benchmark"),
    (-99.0, "Well Below Benchmark"),
)
_SEASONS = (("Fall", 28), ("Winter", 150), ("Spring", 259))


def assessment_rows(
    rng: random.Random, pupil: Pupil, year: SchoolYear | None, through: dt.date
) -> list[Row]:
    """Benchmark, MCAS, ACCESS and college-entrance results for the pupil's grade."""
    grade = pupil.grade
    if grade is None or year is None:
        return []
    rows: list[Row] = []

    def add(
        name: str,
        subject: str,
        start: dt.date,
        offset: int,
        school_year: int,
        score: int | None,
        level: str,
    ) -> None:
        day = _weekday_on_or_after(start + dt.timedelta(days=offset))
        if day <= through:
            rows.append((pupil.id, name, subject, day, school_year, score, level))

    def z() -> float:
        return 0.8 * pupil.ability + 0.6 * rng.gauss(0, 1)

    def band(value: float, levels: Sequence[tuple[float, str]]) -> str:
        return next(label for floor, label in levels if value >= floor)

    if grade <= 2:
        for season, (label, offset) in enumerate(_SEASONS):
            v = z()
            score = max(100, round(320 + 55 * grade + 25 * season + 40 * v))
            add(
                f"DIBELS 8th Edition Composite ({label})",
                "Reading",
                year.start,
                offset,
                year.school_year,
                score,
                band(v, _DIBELS_LEVELS),
            )
    elif grade <= 8:
        for subject, short in (("Reading", "Reading"), ("Mathematics", "Math")):
            for season, (label, offset) in enumerate(_SEASONS):
                v = z()
                score = max(100, min(800, round(380 + 22 * grade + 12 * season + 30 * v)))
                add(
                    f"i-Ready Diagnostic {short} ({label})",
                    subject,
                    year.start,
                    offset,
                    year.school_year,
                    score,
                    band(v, _IREADY_LEVELS),
                )
    for back in range(4):
        tested = grade - back
        if tested < 3:
            break
        start = year.start - dt.timedelta(weeks=52 * back)
        school_year = year.school_year - back
        tests: list[tuple[str, str, int]] = []
        if tested <= 8 or tested == 10:
            label = f"Grade {tested}"
            tests += [
                (f"MCAS ELA {label}", "English Language Arts", 210),
                (f"MCAS Mathematics {label}", "Mathematics", 252),
            ]
        if tested in (5, 8):
            tests.append(
                (f"MCAS Science and Technology/Engineering Grade {tested}", "Science", 266)
            )
        if tested == 9:
            subject = rng.choice(("Biology", "Introductory Physics"))
            tests.append((f"MCAS High School {subject}", "Science", 285))
        for name, subject, offset in tests:
            score = max(440, min(560, round(496 + 22 * z())))
            add(name, subject, start, offset, school_year, score, band(score, _MCAS_LEVELS))
    if pupil.indicators.english_learner:
        for back in (1, 0):
            level = max(1.0, min(6.0, round(3.0 + 0.8 * z() + 0.6 * (1 - back), 1)))
            add(
                "ACCESS for ELLs",
                "English language proficiency",
                year.start - dt.timedelta(weeks=52 * back),
                155,
                year.school_year - back,
                round(240 + 12 * grade + 30 * level),
                f"Proficiency level {level:.1f}",
            )
    if grade in (10, 11):
        score = max(320, min(1520, 10 * round(100 + 17 * z())))
        meets = "Meets benchmarks" if score >= 1000 else "Below benchmarks"
        add("PSAT/NMSQT", "College readiness", year.start, 50, year.school_year, score, meets)
    if grade == 11:
        score = max(400, min(1600, 10 * round(104 + 18 * z())))
        meets = "Meets benchmarks" if score >= 1010 else "Below benchmarks"
        add("SAT School Day", "College readiness", year.start, 224, year.school_year, score, meets)
    return rows


_DISCIPLINE_RATE = (0.04, 0.15, 0.12)


def discipline_rows(rng: random.Random, pupil: Pupil, roster: Roster) -> list[Row]:
    """Incidents for a minority of students, on their school days."""
    days = pupil.calendar.days
    if not days or rng.random() >= _DISCIPLINE_RATE[pupil.level]:
        return []
    count = _weighted(rng, ((1, 0.55), (2, 0.25), (3, 0.12), (4, 0.05), (6, 0.03)))
    kinds = [(k, weights[pupil.level]) for k, weights, _ in txt.INCIDENTS]
    texts = {k: descriptions for k, _, descriptions in txt.INCIDENTS}
    rows: list[Row] = []
    for index in sorted(rng.sample(range(len(days)), min(count, len(days)))):
        day, school = days[index], pupil.calendar.school(index)
        kind = _weighted(rng, kinds)
        actions = txt.ACTIONS["major" if kind in txt.MAJOR else "minor"]
        action, _, (low, high) = _weighted(rng, [(entry, entry[1]) for entry in actions])
        teachers = [
            staff
            for e in pupil.enrollments
            if e.school_id == school
            and (e.begin is None or e.begin <= day)
            and (e.end is None or day <= e.end)
            for staff in roster.teachers.get(e.section_id, ())[:1]
        ]
        principal = roster.staff_at.get((school, StaffRole.Position.PRINCIPAL))
        reporter = rng.choice(teachers) if teachers and rng.random() < 0.8 else principal
        rows.append(
            (
                pupil.id,
                school,
                day,
                kind,
                rng.choice(texts[kind]),
                action,
                rng.randint(low, high),
                reporter,
            )
        )
    return rows


def health_rows(rng: random.Random, pupil: Pupil, roster: Roster) -> tuple[list[Row], list[Row]]:
    """(notes, alerts): alerts behind the roster's health-alert flag, everyday alerts for a few
    others, and nurse's notes on school days."""
    alerts: list[Row] = []
    urgent = pupil.indicators.health_alert
    if urgent:
        kind, text, severity, medication = rng.choice(txt.URGENT_ALERTS)
        alerts.append((pupil.id, kind, text, severity, True))
        if medication:
            alerts.append((pupil.id, "medication", medication, severity, True))
    if rng.random() < 0.085:
        choices = [((k, t, s), w) for k, t, s, w in txt.OTHER_ALERTS]
        picked = [_weighted(rng, choices) for _ in range(1 + (rng.random() < 0.12))]
        for kind, text, severity in dict.fromkeys(picked):  # in order, without repeats
            alerts.append((pupil.id, kind, text, severity, rng.random() < 0.88))
    notes: list[Row] = []
    days = pupil.calendar.days
    if days and (urgent or rng.random() < 0.3):
        count = _weighted(rng, ((1, 0.5), (2, 0.3), (3, 0.15), (4, 0.05)))
        for index in sorted(rng.sample(range(len(days)), min(count, len(days)))):
            nurse = roster.staff_at.get((pupil.calendar.school(index), StaffRole.Position.NURSE))
            if urgent and rng.random() < 0.5:
                note = rng.choice(txt.URGENT_NOTES)
            else:
                note = _weighted(rng, txt.NURSE_NOTES)
            notes.append((pupil.id, days[index], nurse, note))
    return notes, alerts


def plan_rows(
    rng: random.Random, pupil: Pupil, roster: Roster, through: dt.date
) -> list[tuple[Row, list[tuple[str, str]]]]:
    """IEP and 504 plans for flagged students, each with its accommodations (text, setting)."""
    year = roster.year
    flags = pupil.indicators
    if year is None or not (flags.iep or flags.section504):
        return []
    school = (
        pupil.calendar.schools[0]
        if pupil.calendar.schools
        else (pupil.enrollments[0].school_id if pupil.enrollments else None)
    )
    out: list[tuple[Row, list[tuple[str, str]]]] = []
    for kind in ("iep", "section504"):
        if not getattr(flags, kind):
            continue
        if kind == "iep":
            category = _weighted(rng, txt.DISABILITIES)
            if category == "developmental_delay" and (pupil.grade or 0) > 3:
                category = "specific_learning"
            manager = roster.caseload.get((pupil.id, Caseload.Kind.SPECIAL_EDUCATION))
            if manager is None and school is not None:
                manager = roster.staff_at.get((school, StaffRole.Position.SPECIAL_EDUCATION))
            summary = txt.IEP_SERVICES[category]
        else:
            category = ""
            manager = roster.caseload.get((pupil.id, Caseload.Kind.COUNSELOR))
            condition = rng.choice(txt.PLAN_504_CONDITIONS)
            summary = f"Section 504 plan for {condition}: accommodations in general education."
        chosen = rng.sample(txt.ACCOMMODATIONS, rng.randint(3, 6))
        start = year.start - dt.timedelta(days=rng.randint(60, 300))
        while start <= min(year.end, through):
            end = start + dt.timedelta(days=364)
            plan = (pupil.id, kind, start, end, category, manager, summary)
            out.append((plan, [(text, setting) for text, setting in chosen]))
            start = end + DAY
            if rng.random() < 0.5:  # the renewal adds or drops an accommodation
                extra = rng.choice(txt.ACCOMMODATIONS)
                if extra not in chosen:
                    chosen = [*chosen, extra]
                elif len(chosen) > 3:
                    chosen = [c for c in chosen if c != extra]
    return out


def work_rows(rng: random.Random, pupil: Pupil, roster: Roster, through: dt.date) -> list[Row]:
    """Two to five pieces of work, each for one of the pupil's sections, dated in its term."""
    spans = []
    for e in pupil.enrollments:
        for t in roster.terms.get(e.section_id, ()):
            first = max(t.start, e.begin or t.start)
            last = min(t.end, e.end or t.end, through)
            if first <= last and school_days(first, last):
                spans.append((e.section_id, first, last))
    if not spans:
        return []
    rows: list[Row] = []
    titles: set[str] = set()
    wanted = _weighted(rng, ((2, 0.25), (3, 0.35), (4, 0.25), (5, 0.15)))
    for _ in range(4 * wanted):  # a title drawn twice is drawn again, a few times at most
        if len(rows) == wanted:
            break
        section_id, first, last = rng.choice(spans)
        info = roster.sections.get(section_id)
        title, ext = rng.choice(txt.WORK.get(info.subject if info else "", txt.WORK_FALLBACK))
        if title in titles:
            continue
        titles.add(title)
        day = rng.choice(school_days(first, last))
        if ext:
            slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")
            body, name = "", f"{'-'.join(p for p in slug.split('-') if p)}.{ext}"
        else:
            body, name = " ".join(rng.sample(txt.WORK_SENTENCES, rng.randint(2, 4))), ""
        rows.append((pupil.id, section_id, title, body, name, txt.CONTENT_TYPES[ext], day))
    return rows
