"""Property tests of the generator's pure parts: for random enrollments, terms and dates, every
generated row falls inside the student's enrollment and term windows, on a school day, and
never after the `through` date. No database."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from steward.records.synth_parts import (
    attendance_rows,
    discipline_rows,
    grade_rows,
    health_rows,
    work_rows,
)
from steward.records.synth_roster import (
    Calendar,
    Enrolled,
    Indicators,
    Pupil,
    Roster,
    SchoolYear,
    SectionInfo,
    Term,
    is_school_day,
    windows,
)

FIRST = dt.date(2026, 8, 1)
LAST = dt.date(2027, 7, 31)
SCHOOLS = (101, 102, 103)

dates = st.dates(min_value=FIRST, max_value=LAST)


@st.composite
def terms(draw: st.DrawFn, term_id: int) -> Term:
    start = draw(dates)
    end = start + dt.timedelta(days=draw(st.integers(0, 200)))
    return Term(term_id, start, end, 2027)


@st.composite
def rosters(draw: st.DrawFn) -> tuple[Roster, list[Enrolled], dt.date]:
    sections = draw(st.integers(1, 5))
    by_section = {
        section: [draw(terms(section * 10 + i)) for i in range(draw(st.integers(0, 2)))]
        for section in range(1, sections + 1)
    }
    enrollments = []
    for _ in range(draw(st.integers(0, 6))):
        begin = draw(st.none() | dates)
        end = draw(st.none() | dates)
        enrollments.append(
            Enrolled(draw(st.integers(1, sections)), draw(st.sampled_from(SCHOOLS)), begin, end)
        )
    roster = Roster(
        students=[(1, "stu-1", "05")],
        enrollments={1: enrollments},
        terms=by_section,
        sections={s: SectionInfo("Science", None) for s in by_section},
        teachers={s: [500 + s] for s in by_section},
        indicators={1: Indicators(health_alert=True)},
        staff_at={(school, "nurse"): 900 + school for school in SCHOOLS},
        caseload={},
        year=SchoolYear(2027, dt.date(2026, 8, 26), dt.date(2027, 6, 18)),
    )
    return roster, enrollments, draw(dates)


def _covered(day: dt.date, school: int | None, enrollments: list[Enrolled], roster: Roster) -> bool:
    """Whether `day` lies in one of the enrollments (at `school`, if given) and its term."""
    return any(
        (school is None or e.school_id == school)
        and (e.begin is None or e.begin <= day)
        and (e.end is None or day <= e.end)
        and t.start <= day <= t.end
        for e in enrollments
        for t in roster.terms.get(e.section_id, ())
    )


@settings(max_examples=150, deadline=None)
@given(rosters(), st.integers(0, 2**32), st.floats(-3, 3))
def test_every_generated_date_lies_in_the_students_enrollment_and_term_windows(
    drawn: tuple[Roster, list[Enrolled], dt.date], seed: int, ability: float
) -> None:
    roster, enrollments, through = drawn
    spans = windows(enrollments, roster.terms, through)
    calendar = Calendar.of(spans)
    pupil = Pupil(1, "stu-1", 5, 0, ability, calendar, enrollments, roster.indicators[1])

    assert len(set(calendar.days)) == len(calendar.days)
    for index, day in enumerate(calendar.days):
        assert is_school_day(day) and day <= through
        assert _covered(day, calendar.school(index), enrollments, roster)

    attendance = attendance_rows(random.Random(seed), pupil)
    assert len({row[2] for row in attendance}) == len(attendance)
    for _student, school, day, status, _note in attendance:
        assert is_school_day(day) and day <= through
        assert _covered(day, school, enrollments, roster)
        assert status in {"absent_excused", "absent_unexcused", "tardy", "dismissed"}

    for row in discipline_rows(random.Random(seed), pupil, roster):
        assert row[2] <= through and _covered(row[2], row[1], enrollments, roster)
    notes, _alerts = health_rows(random.Random(seed), pupil, roster)
    for row in notes:
        assert row[1] <= through and _covered(row[1], None, enrollments, roster)
    for row in work_rows(random.Random(seed), pupil, roster, through):
        assert row[6] <= through and _covered(row[6], None, enrollments, roster)
        assert any(e.section_id == row[1] for e in enrollments)
    for row in grade_rows(random.Random(seed), pupil, roster, through):
        section, term_id, posted = row[1], row[2], row[7]
        assert posted <= through
        term = next(t for t in roster.terms[section] if t.id == term_id)
        assert any(
            e.section_id == section
            and max(term.start, e.begin or term.start) <= min(term.end, e.end or term.end)
            and max(term.start, e.begin or term.start) <= through
            for e in enrollments
        )
