"""The SQL reference for access decisions: the rules of `AccessIndex`, as plain SQL.

Slow by design (one query per question) and written independently of the index, so tests can
check that the index agrees with it on real roster tables (access-control.md §5: "100%
agreement with the SQL oracle"). Not used to serve requests. Portable SQL: SQLite and
PostgreSQL. Only table names (from model
metadata) and placeholder names are formatted into the SQL; every value is a parameter. Open
dates become sentinel dates; a record whose begin is after its end grants
nothing; both ends are inclusive.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection

from steward.access.policy import CASELOAD, SCHOOL, SECTION, Policy
from steward.roster.models import Caseload, Enrollment, StaffRole, StudentSchool

LO, HI = dt.date(1, 1, 1), dt.date(9999, 12, 31)


def _b(alias: str) -> str:
    return f"COALESCE({alias}.begin_date, %(lo)s)"


def _e(alias: str) -> str:
    return f"COALESCE({alias}.end_date, %(hi)s)"


def _current(alias: str, floor: str = "%(at)s") -> str:
    """Valid, begun by `at`, and not ended before `floor`."""
    return f"{_b(alias)} <= {_e(alias)} AND {_b(alias)} <= %(at)s AND {_e(alias)} >= {floor}"


def _in(name: str, values: list[str], params: dict[str, Any]) -> str:
    keys = []
    for number, value in enumerate(sorted(values)):
        key = f"{name}{number}"
        params[key] = value
        keys.append(f"%({key})s")
    return f"({', '.join(keys)})" if keys else "(NULL)"


def _section_sql(grace: int, params: dict[str, Any]) -> str:
    params[f"floor{grace}"] = params["at"] - dt.timedelta(days=grace)
    floor = f"%(floor{grace})s"
    table = Enrollment._meta.db_table
    return (
        f"SELECT 1 FROM {table} t JOIN {table} s ON s.section_id = t.section_id "  # noqa: S608
        "WHERE t.role = 'teacher' AND t.staff_id = %(staff)s AND s.student_id = %(student)s "
        f"AND {_current('t', floor)} AND {_current('s', floor)} "
        f"AND {_b('t')} <= {_e('s')} AND {_b('s')} <= {_e('t')}"
    )


def _caseload_sql(kinds: list[str], params: dict[str, Any]) -> str:
    return (
        f"SELECT 1 FROM {Caseload._meta.db_table} c WHERE c.staff_id = %(staff)s "  # noqa: S608
        f"AND c.student_id = %(student)s AND c.kind IN {_in('kind', kinds, params)} "
        f"AND {_current('c')}"
    )


def _school_sql(positions: list[str], params: dict[str, Any]) -> str:
    return (
        f"SELECT 1 FROM {StaffRole._meta.db_table} r "  # noqa: S608
        f"JOIN {StudentSchool._meta.db_table} l ON l.school_id = r.org_id "
        f"WHERE r.staff_id = %(staff)s AND l.student_id = %(student)s "
        f"AND r.position IN {_in('pos', positions, params)} "
        f"AND {_current('r')} AND {_current('l')}"
    )


def can_access(policy: Policy, staff_id: int, student_id: int, scope: str, at: dt.date) -> bool:
    """Whether a relationship in the database grants `scope` of the student to the staff
    member on day `at` under `policy` (break-glass and guardians are not relationships)."""
    params: dict[str, Any] = {
        "staff": staff_id,
        "student": student_id,
        "at": at,
        "lo": LO,
        "hi": HI,
    }
    parts: list[str] = []
    kinds: list[str] = []
    positions: list[str] = []
    for rule in policy.rules:
        if scope not in rule.scopes:
            continue
        if rule.relation == SECTION:
            parts.append(_section_sql(rule.grace_days, params))
        elif rule.relation == CASELOAD and rule.qualifier is not None:
            kinds.append(rule.qualifier)
        elif rule.relation == SCHOOL and rule.qualifier is not None:
            positions.append(rule.qualifier)
    if kinds:
        parts.append(_caseload_sql(kinds, params))
    if positions:
        parts.append(_school_sql(positions, params))
    if not parts:
        return False
    sql = " UNION ALL ".join(f"SELECT EXISTS ({part})" for part in parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return any(bool(row[0]) for row in cursor.fetchall())
