"""Fixtures for the student-record tests: a small generated district, imported, and helpers.

The district is the OneRoster generator's, pinned to the 2026-2027 school year (2026-08-26 to
2027-06-18) so that the tests do not depend on today's date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from steward.records import synth
from steward.records.models import Accommodation
from steward.roster.importer import import_package
from steward.roster.oneroster.generate import generate_package

SCHOOL_YEAR = 2027
YEAR_START = dt.date(2026, 8, 26)
YEAR_END = dt.date(2027, 6, 18)
STUDENTS = 80


@pytest.fixture
def district(db: None, tmp_path: Path) -> None:
    """A generated district of 80 students (every grade, IEP/504, EL and health flags)."""
    package = tmp_path / "package"
    generate_package(package, students=STUDENTS, seed=11, school_year=SCHOOL_YEAR)
    import_package(package, error_log=tmp_path / "import-log.csv")


def records_snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every record row's content, per table, in insertion order, without database ids (an
    accommodation names its plan by student, kind and start date)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for name, (model, fields) in synth.TABLES.items():
        columns = [model._meta.get_field(f).attname for f in fields]
        if model is Accommodation:
            columns = ["plan__student_id", "plan__kind", "plan__start_date", *columns[1:]]
        out[name] = list(model._default_manager.order_by("pk").values_list(*columns))
    return out
