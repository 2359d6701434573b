"""Every record part as tables, column by column from the data catalog (R25, R27, R28).

The parts are read by the same per-part readers the record page uses
(`steward.access.record.READERS`), after the caller has decided the copy may be made, and the
caller logs the read naming every part (design.md §3 rule 1). The columns of each table are the
catalog's elements for that model and part (`steward.catalog.elements`), so the copy holds
every field Steward catalogues, labelled as the public data inventory labels it and tagged
with its Massachusetts record part. `transcript_only` keeps only the transcript's elements
(a student's copy of their own transcript, R28).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from steward.access.record import READERS, SCOPE_ORDER
from steward.access.service import Grant
from steward.catalog import elements as catalog
from steward.catalog.elements import ELEMENTS, MAPart
from steward.requests.tables import Column, Table, plain
from steward.roster.models import Student

# Grades are narrowed to a teacher's sections only when every reason is a section; the
# records custodian's copy reads the whole record, so one reason that is no section suffices.
_WHOLE_RECORD = [Grant("records_custodian")]
# Derived from the special-education part (the plans' accommodations), which the copy holds
# in full: listing it again would say the same thing twice.
DERIVED = frozenset({"accommodations_summary"})
COPY_SCOPES: tuple[str, ...] = tuple(s for s in SCOPE_ORDER if s not in DERIVED)

Getter = Callable[[Any], Any]

# Free text, where staff may have named another student (R30): every text or JSON field of the
# catalogued models, and the short notes and titles (tests/requests/test_redaction.py checks
# that no text field is missing).
FREE_TEXT: frozenset[tuple[str, str]] = frozenset(
    {
        (catalog.STUDENT, "metadata"),
        (catalog.ENROLLMENT, "metadata"),
        (catalog.GUARDIAN, "metadata"),
        (catalog.ATTENDANCE, "note"),
        (catalog.GRADE, "comment"),
        (catalog.INCIDENT, "description"),
        (catalog.HEALTH_NOTE, "text"),
        (catalog.HEALTH_ALERT, "text"),
        (catalog.PLAN, "summary"),
        (catalog.ACCOMMODATION, "text"),
        (catalog.WORK, "title"),
        (catalog.WORK, "body"),
        (catalog.WORK, "file_name"),
    }
)


@dataclass(frozen=True)
class Source:
    """Where a table's columns come from: a catalogued model and how to reach its row."""

    model: str
    get: Getter = lambda row: row
    prefix: str = ""  # column key prefix when a table joins two models


def _shown(related: Any) -> str:
    """A related row (school, class, term, staff member) by its name."""
    for attribute in ("display_name", "name", "title"):
        value = getattr(related, attribute, None)
        if value:
            return str(value)
    return str(related)


def _columns(
    scope: str, sources: Sequence[Source], transcript_only: bool
) -> list[tuple[Column, Source, str]]:
    out = []
    for source in sources:
        model_class = _model(source.model)
        for element in ELEMENTS:
            if element.model != source.model or element.scope != scope:
                continue
            if transcript_only and element.ma_part != MAPart.TRANSCRIPT:
                continue
            model_field = model_class._meta.get_field(element.field)
            choices = {str(k): str(v) for k, v in getattr(model_field, "choices", None) or ()}
            column = Column(
                f"{source.prefix}{element.field}",
                str(element.label),
                str(element.ma_part),
                choices,
                free=(source.model, element.field) in FREE_TEXT,
            )
            out.append((column, source, element.field))
    return out


def _model(label: str) -> Any:
    from django.apps import apps

    return apps.get_model(label)


def _cell(row: Any, field_name: str) -> Any:
    value = getattr(row, field_name)
    if hasattr(value, "_meta"):  # a related row: its name, never its database id
        return _shown(value)
    return plain(value)


def table(
    key: str,
    title: str,
    scope: str,
    sources: Sequence[Source],
    rows: Iterable[Any],
    *,
    transcript_only: bool = False,
    extra: Sequence[tuple[Column, Getter]] = (),
) -> Table | None:
    """One table of `rows`, its columns from the catalog; None when no column is left."""
    columns = _columns(scope, sources, transcript_only)
    if not columns:
        return None
    made = Table(key, title, [c for c, _s, _f in columns] + [c for c, _g in extra], scope=scope)
    for row in rows:
        cells = [_cell(source.get(row), name) for _c, source, name in columns]
        made.rows.append(cells + [plain(get(row)) for _c, get in extra])
    return made


TRANSCRIPT_SCOPES: tuple[str, ...] = tuple(
    s for s in COPY_SCOPES if any(e.scope == s and e.ma_part == MAPart.TRANSCRIPT for e in ELEMENTS)
)


def read_parts(student_id: int, scopes: Sequence[str] = COPY_SCOPES) -> dict[str, Any]:
    """The parts `scopes` of the record (default all), read by the record page's readers, in
    catalog order. A fixed number of queries."""
    return {scope: READERS[scope](student_id, _WHOLE_RECORD) for scope in scopes}


_SIMPLE: dict[str, tuple[str, Any]] = {
    "attendance": (catalog.ATTENDANCE, lambda: _("Attendance")),
    "grades_transcript": (catalog.GRADE, lambda: _("Grades")),
    "assessments": (catalog.ASSESSMENT, lambda: _("Assessments")),
    "discipline": (catalog.INCIDENT, lambda: _("Discipline incidents")),
    "student_generated_content": (catalog.WORK, lambda: _("Student work")),
}


def _plan_name(pair: tuple[Any, Any]) -> str:
    plan = pair[0]
    return f"{plan.get_kind_display()} {plan.start_date.isoformat()}"


def record_tables(
    student: Student, parts: dict[str, Any], *, transcript_only: bool = False
) -> list[Table]:
    """The tables of every part in `parts` (as `read_parts` returns them), in catalog order."""
    made: list[Table | None] = []

    def add(
        key: str, title: str, scope: str, sources: Sequence[Source], rows: Iterable[Any], **kw: Any
    ) -> None:
        made.append(table(key, title, scope, sources, rows, transcript_only=transcript_only, **kw))

    me = [Source(catalog.STUDENT)]
    for scope, data in parts.items():
        if scope in ("directory", "contact"):
            add(scope, _("Student"), scope, me, [data])
        elif scope == "demographics":
            add(
                scope,
                _("Demographics"),
                scope,
                [Source(catalog.DEMOGRAPHICS)],
                [data] if data else [],
            )
        elif scope == "special_indicators":
            rows = [data] if data else []
            add(scope, _("Special indicators"), scope, [Source(catalog.INDICATORS)], rows)
        elif scope == "enrollment_schedule":
            add("enrollment_status", _("Enrollment status"), scope, me, [student])
            add("schools", _("Schools"), scope, [Source(catalog.SCHOOL)], data.schools)
            add("classes", _("Classes"), scope, [Source(catalog.ENROLLMENT)], data.enrollments)
            add(
                "caseloads",
                _("Counselors and case managers"),
                scope,
                [Source(catalog.CASELOAD)],
                data.caseloads,
            )
        elif scope == "guardian_contact":
            sources = [
                Source(catalog.GUARDIAN, lambda link: link.guardian, "guardian_"),
                Source(catalog.RELATIONSHIP, lambda link: link, "relationship_"),
            ]
            add(scope, _("Parents and guardians"), scope, sources, data)
        elif scope == "health":
            add("health_notes", _("Health notes"), scope, [Source(catalog.HEALTH_NOTE)], data.notes)
            add(
                "health_alerts",
                _("Health alerts"),
                scope,
                [Source(catalog.HEALTH_ALERT)],
                data.alerts,
            )
        elif scope == "special_education":
            add("education_plans", _("IEP and 504 plans"), scope, [Source(catalog.PLAN)], data)
            pairs = [(plan, item) for plan in data for item in plan.accommodations.all()]
            source = Source(catalog.ACCOMMODATION, lambda pair: pair[1])
            plan_column = (Column("plan", _("Plan")), _plan_name)
            add("accommodations", _("Accommodations"), scope, [source], pairs, extra=[plan_column])
        elif scope in _SIMPLE:
            model, title = _SIMPLE[scope]
            add(scope, title(), scope, [Source(model)], data)
        else:  # a new part without a table here is a programming error the tests catch
            raise ValueError(f"no copy table for record part {scope!r}")
    return [t for t in made if t is not None]
