"""The fixed parts of the synthetic district: calendar, grades, schools' shape, course catalogue.

Pure data for `generate.py` (no Django). One school year with two semesters. The
catalogue is a district-wide one of about 100 courses (oneroster.md §5: 85–185 courses for a
district of 1–7k students): elementary homerooms and specials, middle and high school core
subjects per grade, and elective pools that fill periods 5–7 of a secondary timetable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Calendar:
    """One school year with two semesters: from the last Wednesday of August to a Friday in
    mid-June (42 weeks), split at the end of January (2025-2026: 2025-08-27..2026-01-23 and
    2026-01-26..2026-06-19)."""

    school_year: int  # the calendar year in which it ends (oneroster.md §1.5)
    start: date
    end: date
    terms: tuple[tuple[date, date], tuple[date, date]]

    @property
    def title(self) -> str:
        return f"{self.school_year - 1}-{self.school_year}"

    @property
    def year_id(self) -> str:
        return f"as-{self.school_year}"

    @property
    def term_ids(self) -> tuple[str, str]:
        return (f"as-{self.school_year}-s1", f"as-{self.school_year}-s2")


def calendar(school_year: int) -> Calendar:
    aug31 = date(school_year - 1, 8, 31)
    start = aug31 - timedelta(days=(aug31.weekday() - 2) % 7)  # last Wednesday of August
    end = start + timedelta(weeks=42, days=2)  # a Friday
    first_end, second_start = start + timedelta(days=149), start + timedelta(days=152)
    return Calendar(school_year, start, end, ((start, first_end), (second_start, end)))


def current_school_year(today: date) -> int:
    """The school year in progress on `today`; from July on, the one about to start."""
    return today.year + 1 if today.month >= 7 else today.year


# Grade index 0..12 <-> CEDS code.
GRADE_CODES = ("KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12")
GRADE_LABELS = ("Kindergarten", *(f"Grade {g}" for g in range(1, 13)))
# Relative grade sizes: a city district loses some students to private and charter schools as
# grades go up (Cambridge: ~600 in K, ~480 in grade 12). The mean weight is 1.
GRADE_WEIGHTS = tuple(1.12 - 0.02 * g for g in range(13))

LEVELS = ("elementary", "middle", "high")
LEVEL_GRADES = {"elementary": range(0, 6), "middle": range(6, 9), "high": range(9, 13)}
# Students per school. Cambridge (7,000 students): 12 elementary JK-5 of ~290, 4 upper schools
# of ~400, one high school of ~2,000; high schools are capped at 2,000 students.
ELEMENTARY_SIZE = 290
MIDDLE_SIZE = 400
HIGH_MAX = 2000

HOMEROOM_SIZE, HOMEROOM_MAX = 23, 26  # elementary homerooms of 20-26 students
SECTION_SIZE, SECTION_MAX = 25, 30  # scheduled secondary sections of 20-30 students
STUDENTS_PER_TEACHER = 12  # oneroster.md §5: 1:9 (Cambridge) .. 1:13.5 (Chicago)
SECONDARY_LOAD = 5  # sections a secondary teacher teaches per term
SPECIALS_LOAD = 20  # sections an elementary specialist teaches per term


@dataclass(frozen=True, slots=True)
class Course:
    """One course of the catalogue. `dept` groups the courses one teacher may teach."""

    code: str
    title: str
    grades: tuple[int, ...]
    subject: str
    dept: str
    sourced_id: str = ""


_ELEM = tuple(range(0, 6))
_MID = tuple(range(6, 9))
_HIGH = tuple(range(9, 13))


def _homerooms() -> list[Course]:
    return [
        Course(f"HR-{GRADE_CODES[g]}", f"{GRADE_LABELS[g]} Homeroom", (g,), "Homeroom", "homeroom")
        for g in _ELEM
    ]


SPECIALS = (
    Course("ART-E", "Elementary Art", _ELEM, "Art", "art"),
    Course("MUS-E", "Elementary Music", _ELEM, "Music", "music"),
    Course("PE-E", "Elementary Physical Education", _ELEM, "Physical Education", "pe"),
    Course("LIB-E", "Library and Media", _ELEM, "Library Media", "library"),
    Course("STEM-E", "Elementary STEM", _ELEM[1:], "Science", "stem"),
)

# Core periods 1-4 of a secondary timetable: for each grade, the courses its sections are
# given, with the share of sections of each.
_CORE_SUBJECTS = (
    ("English Language Arts", "ela"),
    ("Mathematics", "math"),
    ("Science", "science"),
    ("Social Studies", "social"),
)


def _core_rows() -> dict[int, list[list[tuple[str, str, float]]]]:
    """grade -> [period 1..4] -> [(code, title, share)]."""
    t: dict[int, list[list[tuple[str, str, float]]]] = {
        6: [
            [("ELA06", "English Language Arts 6", 1)],
            [("MATH06", "Mathematics 6", 1)],
            [("SCI06", "Earth and Space Science 6", 1)],
            [("SS06", "World Geography 6", 1)],
        ],
        7: [
            [("ELA07", "English Language Arts 7", 1)],
            [("MATH07", "Mathematics 7", 1)],
            [("SCI07", "Life Science 7", 1)],
            [("SS07", "Ancient Civilizations 7", 1)],
        ],
        8: [
            [("ELA08", "English Language Arts 8", 1)],
            [("MATH08", "Mathematics 8", 0.75), ("ALG1-8", "Algebra I (Grade 8)", 0.25)],
            [("SCI08", "Physical Science 8", 1)],
            [("SS08", "Civics and US History 8", 1)],
        ],
        9: [
            [("ENG09", "English 9", 1)],
            [("ALG1", "Algebra I", 0.65), ("GEOM", "Geometry", 0.35)],
            [("IPHYS", "Introductory Physics", 0.5), ("BIO", "Biology", 0.5)],
            [("WHIST", "World History", 1)],
        ],
        10: [
            [("ENG10", "English 10", 1)],
            [("GEOM", "Geometry", 0.6), ("ALG2", "Algebra II", 0.4)],
            [("BIO", "Biology", 0.5), ("CHEM", "Chemistry", 0.5)],
            [("USH1", "US History I", 1)],
        ],
        11: [
            [("ENG11", "English 11", 0.8), ("APLANG", "AP English Language", 0.2)],
            [
                ("ALG2", "Algebra II", 0.55), ("PRECALC", "Precalculus", 0.3),
                ("STATS", "Statistics", 0.15),
            ],
            [("CHEM", "Chemistry", 0.6), ("PHYS", "Physics", 0.25), ("APBIO", "AP Biology", 0.15)],
            [("USH2", "US History II", 0.8), ("APUSH", "AP US History", 0.2)],
        ],
        12: [
            [("ENG12", "English 12", 0.8), ("APLIT", "AP English Literature", 0.2)],
            [
                ("PRECALC", "Precalculus", 0.4), ("CALC", "Calculus", 0.2),
                ("APCALC", "AP Calculus AB", 0.2), ("APSTATS", "AP Statistics", 0.2),
            ],
            [
                ("ENVSCI", "Environmental Science", 0.4), ("ANAT", "Anatomy and Physiology", 0.3),
                ("APCHEM", "AP Chemistry", 0.15), ("APPHYS1", "AP Physics 1", 0.15),
            ],
            [("CIVICS", "Civics", 0.4), ("ECON", "Economics", 0.3), ("PSYCH", "Psychology", 0.3)],
        ],
    }  # fmt: skip
    return t


# Elective pools per level for periods 5, 6, 7: (code, title, subject, dept).
_ELECTIVES: dict[str, tuple[tuple[tuple[str, str, str, str], ...], ...]] = {
    "middle": (
        (
            ("PE-M", "Physical Education 6-8", "Physical Education", "pe"),
            ("HLTH-M", "Health 6-8", "Health", "pe"),
            ("ART-M", "Visual Art 6-8", "Art", "arts"),
            ("GMUS-M", "General Music 6-8", "Music", "music"),
            ("BAND-M", "Band 6-8", "Music", "music"),
            ("CHOR-M", "Chorus 6-8", "Music", "music"),
        ),
        (
            ("SPAN-M", "Spanish 6-8", "World Languages", "languages"),
            ("FREN-M", "French 6-8", "World Languages", "languages"),
            ("PORT-M", "Portuguese 6-8", "World Languages", "languages"),
            ("CSD-M", "Computer Science Discoveries", "Computer Science", "tech"),
            ("TECH-M", "Technology and Engineering 6-8", "Engineering", "tech"),
        ),
        (
            ("DRAMA-M", "Drama 6-8", "Theater", "arts"),
            ("DMED-M", "Digital Media 6-8", "Art", "arts"),
            ("STUDY-M", "Study Skills", "Study Skills", "general"),
            ("ROBO-M", "Robotics 6-8", "Engineering", "tech"),
        ),
    ),
    "high": (
        (
            ("PE-H", "Physical Education", "Physical Education", "pe"),
            ("HLTH-H", "Health and Wellness", "Health", "pe"),
            ("ART1", "Visual Art I", "Art", "arts"),
            ("ART2", "Visual Art II", "Art", "arts"),
            ("CERAM", "Ceramics", "Art", "arts"),
            ("PHOTO", "Photography", "Art", "arts"),
            ("BAND-H", "Concert Band", "Music", "music"),
            ("CHOR-H", "Chorus", "Music", "music"),
            ("ORCH-H", "Orchestra", "Music", "music"),
            ("THEA", "Theater Arts", "Theater", "arts"),
        ),
        (
            ("SPAN1", "Spanish I", "World Languages", "languages"),
            ("SPAN2", "Spanish II", "World Languages", "languages"),
            ("SPAN3", "Spanish III", "World Languages", "languages"),
            ("SPAN4", "Spanish IV", "World Languages", "languages"),
            ("FREN1", "French I", "World Languages", "languages"),
            ("FREN2", "French II", "World Languages", "languages"),
            ("FREN3", "French III", "World Languages", "languages"),
            ("MAND1", "Mandarin I", "World Languages", "languages"),
            ("MAND2", "Mandarin II", "World Languages", "languages"),
            ("PORT1", "Portuguese I", "World Languages", "languages"),
            ("PORT2", "Portuguese II", "World Languages", "languages"),
            ("ASL1", "American Sign Language I", "World Languages", "languages"),
        ),
        (
            ("CSP", "Computer Science Principles", "Computer Science", "tech"),
            ("APCSA", "AP Computer Science A", "Computer Science", "tech"),
            ("ENGD", "Engineering Design", "Engineering", "tech"),
            ("ROBO-H", "Robotics", "Engineering", "tech"),
            ("JOUR", "Journalism", "English Language Arts", "general"),
            ("CWRIT", "Creative Writing", "English Language Arts", "general"),
            ("FINLIT", "Financial Literacy", "Social Studies", "general"),
            ("SOCIO", "Sociology", "Social Studies", "general"),
            ("LAW", "Law and Society", "Social Studies", "general"),
            ("DMUS", "Digital Music", "Music", "music"),
        ),
    ),
}


@dataclass(frozen=True)
class Catalogue:
    courses: tuple[Course, ...]
    homeroom: dict[int, Course]  # grade -> homeroom course
    specials: dict[int, tuple[Course, ...]]  # grade -> the specials its homerooms take
    core: dict[int, tuple[tuple[tuple[Course, float], ...], ...]]  # grade -> periods 1-4
    electives: dict[str, tuple[tuple[Course, ...], ...]]  # level -> periods 5-7


def build_catalogue() -> Catalogue:
    """The course catalogue with sourcedIds crs-0001.. in catalogue order."""
    courses: list[Course] = []
    seen: dict[str, Course] = {}

    def add(code: str, title: str, grades: tuple[int, ...], subject: str, dept: str) -> Course:
        if code in seen:
            old = seen[code]
            if set(grades) - set(old.grades):  # a course taught in several grades
                new = Course(
                    old.code, old.title, tuple(sorted({*old.grades, *grades})), old.subject,
                    old.dept, old.sourced_id,
                )  # fmt: skip
                courses[courses.index(old)] = new
                seen[code] = new
            return seen[code]
        course = Course(code, title, grades, subject, dept, f"crs-{len(courses) + 1:04d}")
        courses.append(course)
        seen[code] = course
        return course

    homeroom = {
        c.grades[0]: add(c.code, c.title, c.grades, c.subject, c.dept) for c in _homerooms()
    }
    specials_list = [add(c.code, c.title, c.grades, c.subject, c.dept) for c in SPECIALS]
    core_codes: dict[int, list[list[tuple[str, float]]]] = {}
    for g, periods in _core_rows().items():
        core_codes[g] = []
        for (subject, dept), options in zip(_CORE_SUBJECTS, periods, strict=True):
            core_codes[g].append([(code, share) for code, _title, share in options])
            for code, title, _share in options:
                add(code, title, (g,), subject, dept)
    electives_codes: dict[str, list[list[str]]] = {}
    for level, pools in _ELECTIVES.items():
        grades = tuple(LEVEL_GRADES[level])
        electives_codes[level] = [
            [add(*row[:2], grades, *row[2:]).code for row in p] for p in pools
        ]
    by_code = {c.code: c for c in courses}  # final versions, grades merged
    return Catalogue(
        courses=tuple(courses),
        homeroom={g: by_code[c.code] for g, c in homeroom.items()},
        specials={g: tuple(by_code[c.code] for c in specials_list if g in c.grades) for g in _ELEM},
        core={
            g: tuple(tuple((by_code[code], share) for code, share in p) for p in periods)
            for g, periods in core_codes.items()
        },
        electives={
            level: tuple(tuple(by_code[code] for code in p) for p in pools)
            for level, pools in electives_codes.items()
        },
    )
