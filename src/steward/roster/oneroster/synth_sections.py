"""The section pass of the synthetic district: classes, teachers and enrollments, school by school.

Pure Python for `generate.py` (no Django). Elementary: one homeroom per cohort of 20-26 (both
terms), and the cohort takes 4-5 specials each term as scheduled sections. Middle and high: per
term, periods 1-4 are core courses taken with one's grade and periods 5-7 electives taken
school-wide; each student has 4 core classes and 1-3 electives (5-7, 6 typical). A period's
students are split into balanced sections of at most 30, none under 20 unless the block itself
is too small (fewer than 40 students). Teachers are hired per department as the sections need
them (a secondary teacher teaches at most 5 sections a term, an elementary specialist 20), then
co-teachers up to the school's share of one teacher per 12 students. Rows are handed to the
caller school by school, so memory holds one school's sections at a time.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from steward.roster.oneroster import synth_catalog as cat
from steward.roster.oneroster import synth_people as people
from steward.roster.oneroster.synth_people import staff_id, student_id


@dataclass(slots=True)
class Section:
    course: cat.Course
    term: int  # 0 or 1, or -1 for the whole year (homerooms)
    period: str
    members: list[int]
    label: str
    teachers: list[int] = field(default_factory=list)  # staff numbers, the primary first


class SectionPass:
    """Classes and enrollments, school by school, hiring teachers as the sections need them."""

    def __init__(
        self,
        d: people.District,
        catalogue: cat.Catalogue,
        write_classes: Callable[[list[list[str]]], None],
        write_enrollments: Callable[[list[list[str]]], None],
    ):
        self.d, self.cat = d, catalogue
        self.write_classes, self.write_enrollments = write_classes, write_enrollments
        self.rng = random.Random(f"steward-generate:{d.seed}:sections")
        self.sid = [student_id(s) for s in range(d.students)]
        target = round(d.students / cat.STUDENTS_PER_TEACHER)
        self.targets = people.largest_remainder(target, [s.count or 1 for s in d.schools])
        self.n_classes = self.n_enrollments = 0
        cal = d.calendar
        self.spans = {-1: (cal.start, cal.end), 0: cal.terms[0], 1: cal.terms[1]}
        self.span_text = {t: (a.isoformat(), b.isoformat()) for t, (a, b) in self.spans.items()}

    def run(self) -> None:
        for school in self.d.schools:
            if school.level == "elementary":
                sections = self._elementary(school)
            else:
                sections = self._secondary(school)
            self._hire(school, sections)
            self._emit(school, sections)

    def _present(self, members: range | list[int], term: int) -> list[int]:
        start, end = self.spans[term]
        d = self.d
        return [s for s in members if d.present(s, start, end)]

    def _elementary(self, school: people.School) -> list[Section]:
        sections: list[Section] = []
        letters: dict[int, int] = {}
        rooms = []
        for g, first, size in school.homerooms:
            letters[g] = letters.get(g, 0) + 1
            label = (
                f"{'K' if g == 0 else g}{chr(64 + letters[g]) if letters[g] <= 26 else letters[g]}"
            )
            rooms.append((g, range(first, first + size), label))
            members = self._present(range(first, first + size), -1)
            sections.append(Section(self.cat.homeroom[g], -1, "", members, label))
        for t in (0, 1):
            for g, cohort, label in rooms:
                present = self._present(cohort, t)
                if present:
                    for course in self.cat.specials[g]:
                        sections.append(Section(course, t, "", present, label))
        return sections

    def _secondary(self, school: people.School) -> list[Section]:
        rng, d = self.rng, self.d
        sections: list[Section] = []
        for t in (0, 1):
            present = self._present(range(school.start, school.start + school.count), t)
            by_grade: dict[int, list[int]] = {}
            for s in present:
                by_grade.setdefault(d.grade[s], []).append(s)
            # classes this term: 4 core + 1-3 electives (5-7, 6 typical)
            load = {s: 4 + people.weighted(rng, ((1, 0.15), (2, 0.70), (3, 0.15))) for s in present}
            for p in range(4):
                for g in sorted(by_grade):
                    choose = partial(self._core_courses, self.cat.core[g][p])
                    sections += self._block(by_grade[g], t, str(p + 1), choose)
            for p in range(3):
                pool = list(self.cat.electives[school.level][p])
                rng.shuffle(pool)
                takers = [s for s in present if load[s] >= 5 + p]
                sections += self._block(takers, t, str(p + 5), partial(_cycle, pool))
        return sections

    def _core_courses(
        self, options: tuple[tuple[cat.Course, float], ...], k: int
    ) -> list[cat.Course]:
        """k sections' courses in the proportions of `options` (e.g. 65 % Algebra I)."""
        counts = people.largest_remainder(k, [share for _, share in options])
        courses = [c for (c, _), n in zip(options, counts, strict=True) for _ in range(n)]
        self.rng.shuffle(courses)
        return courses

    def _block(
        self, block: list[int], term: int, period: str, pick: Callable[[int], list[cat.Course]]
    ) -> list[Section]:
        """One period's students split into sections of at most SECTION_MAX, sizes balanced."""
        if not block:
            return []
        block = block[:]
        self.rng.shuffle(block)
        k = people.sections_for(len(block), cat.SECTION_SIZE, cat.SECTION_MAX)
        out, first = [], 0
        for course, size in zip(pick(k), people.balanced(len(block), k), strict=True):
            out.append(Section(course, term, period, sorted(block[first : first + size]), ""))
            first += size
        return out

    def _hire(self, school: people.School, sections: list[Section]) -> None:
        """Teachers per department, enough for each to teach at most its load per term; then
        co-teachers up to the school's share of 1 teacher per 12 students."""
        d, rng = self.d, self.rng
        room = 100
        by_dept: dict[str, dict[int, list[Section]]] = {}
        for sec in sections:
            by_dept.setdefault(sec.course.dept, {}).setdefault(sec.term, []).append(sec)
        hired = 0
        for dept, terms in by_dept.items():
            load = 1 if dept == "homeroom" else (
                cat.SPECIALS_LOAD if school.level == "elementary" else cat.SECONDARY_LOAD
            )  # fmt: skip
            count = max(math.ceil(len(secs) / load) for secs in terms.values())
            team = []
            for _ in range(count):
                room += 1
                team.append(d.add_staff(rng, "teacher", school.number, room=room))
            hired += count
            for secs in terms.values():
                for i, sec in enumerate(secs):
                    sec.teachers.append(team[i % count])
        extra = self.targets[school.number] - hired
        if extra <= 0:
            return
        if school.level == "elementary":
            pools = [[s for s in sections if s.term == -1]]
            per = 1
        else:
            core = [s for s in sections if s.period in ("1", "2", "3", "4")]
            pools = [[s for s in core if s.term == t] for t in (0, 1)]
            per = 2
        pointer = [0] * len(pools)
        for _ in range(extra):
            room += 1
            teacher = d.add_staff(rng, "teacher", school.number, room=room)
            for i, pool in enumerate(pools):
                for _ in range(min(per, len(pool))):
                    sec = pool[pointer[i] % len(pool)]
                    pointer[i] += 1
                    if teacher not in sec.teachers:
                        sec.teachers.append(teacher)

    def _emit(self, school: people.School, sections: list[Section]) -> None:
        d, sid = self.d, self.sid
        classes, enrollments = [], []
        numbers: dict[tuple[str, int], int] = {}
        org = school.sourced_id
        for sec in sections:
            self.n_classes += 1
            cls = f"cls-{self.n_classes:06d}"
            course = sec.course
            key = (course.code, sec.term)
            numbers[key] = numbers.get(key, 0) + 1
            n = numbers[key]
            term_label = "" if sec.term < 0 else f"S{sec.term + 1}"
            if sec.term < 0:
                title, code = f"Homeroom {sec.label}", f"HR-{sec.label}"
            elif sec.label:
                title, code = (
                    f"{course.title} {sec.label} {term_label}",
                    f"{course.code}-{sec.label}-{term_label}",
                )
            else:
                title = f"{course.title} P{sec.period}-{n:02d} {term_label}"
                code = f"{course.code}-{term_label}-{n:02d}"
            grades = sorted({d.grade[s] for s in sec.members})
            term_ids = self.d.calendar.term_ids
            terms = ",".join(term_ids) if sec.term < 0 else term_ids[sec.term]
            location = f"Room {d.staff[sec.teachers[0]].room}" if sec.teachers else ""
            classes.append([
                cls, "", "", title, ",".join(cat.GRADE_CODES[g] for g in grades),
                course.sourced_id, code, "homeroom" if sec.term < 0 else "scheduled", location,
                org, terms, course.subject, "", sec.period,
            ])  # fmt: skip
            begin, end = self.span_text[sec.term]
            for i, teacher in enumerate(sec.teachers):
                self.n_enrollments += 1
                enrollments.append([
                    f"enr-{self.n_enrollments:08d}", "", "", cls, org, staff_id(teacher), "teacher",
                    "true" if i == 0 else "false", begin, end,
                ])  # fmt: skip
            start, stop = self.spans[sec.term]
            for s in sec.members:
                self.n_enrollments += 1
                b, e = begin, end
                if s in d.arrive and d.arrive[s] > start:
                    b = d.arrive[s].isoformat()
                if s in d.leave and d.leave[s] < stop:
                    e = d.leave[s].isoformat()
                enrollments.append(
                    [f"enr-{self.n_enrollments:08d}", "", "", cls, org, sid[s], "student", "", b, e]
                )
        self.write_classes(classes)
        self.write_enrollments(enrollments)


def _cycle(pool: list[cat.Course], k: int) -> list[cat.Course]:
    """k sections' courses taken in turn from a shuffled elective pool."""
    return [pool[i % len(pool)] for i in range(k)]
