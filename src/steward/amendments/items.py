"""The items of a record a family may ask to amend, named through the data catalog.

An item is a field of one row (a catalog `Element` and the row's primary key), a whole row
(for deletion, records kept by Steward only), or "something else" in words. This module turns
the record parts `steward.access.record.open_record` returned into those items, describes rows
and values the way the record pages do, and turns an officer's new value into the field's
type. It reads nothing itself except `row_for()` (one row, for writes and conflict checks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from steward.catalog.elements import ELEMENTS, Element
from steward.records.models import Accommodation, EducationPlan

ELEMENT_BY_KEY: dict[str, Element] = {e.key: e for e in ELEMENTS}

# Identifiers that only link Steward's rows to the source system's: nothing for a family to
# correct. Anything else not offered can still be contested as "something else".
_NOT_OFFERED = frozenset({"sourced_id"})
_SCALAR = (
    models.CharField,
    models.TextField,
    models.DateField,
    models.BooleanField,
    models.IntegerField,
    models.DecimalField,
)
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})


def model_of(label: str) -> type[models.Model]:
    """The model class of "app_label.Model"."""
    return apps.get_model(label)


def label_of(obj: models.Model) -> str:
    """ "app_label.Model" of a row, as the catalog names models."""
    return f"{obj._meta.app_label}.{obj._meta.object_name}"


def field_of(element: Element) -> models.Field[Any, Any]:
    field = model_of(element.model)._meta.get_field(element.field)
    assert isinstance(field, models.Field)
    return field


def writable(element: Element) -> bool:
    """Whether Steward can write this element's new value itself: a plain value (text, date,
    number, yes/no), not a link to another row and not the source system's extra columns."""
    try:
        field = field_of(element)
    except FieldDoesNotExist:
        return False
    return (
        element.field not in _NOT_OFFERED
        and not field.is_relation
        and isinstance(field, _SCALAR)
        and not isinstance(field, models.JSONField)
    )


def deletable(model_label: str) -> bool:
    """Whether a whole row may be deleted on request (603 CMR 23.08(2)): only the record parts
    Steward keeps itself; roster rows come from the student information system."""
    return model_label.startswith("records.")


def belongs_to(obj: models.Model, student_id: int) -> bool:
    """Whether a row is part of this student's record (no query: the row carries the link,
    or, for a guardian row, its relationships must be prefetched by the caller)."""
    if label_of(obj) == "roster.Student":
        return obj.pk == student_id
    if label_of(obj) == "roster.Guardian":
        return any(link.student_id == student_id for link in obj.relationships.all())  # type: ignore[attr-defined]
    return getattr(obj, "student_id", None) == student_id


def row_for(model_label: str, row_id: int, student_id: int) -> models.Model | None:
    """The row `row_id` of `model_label` if it is part of the student's record, else None.
    One or two queries; the row is locked for update where the database supports it."""
    model = model_of(model_label)
    rows = model._default_manager.select_for_update().filter(pk=row_id)
    obj = rows.first()
    if obj is None:
        return None
    if model_label == "roster.Guardian":
        return obj if obj.relationships.filter(student_id=student_id).exists() else None  # type: ignore[attr-defined]
    return obj if belongs_to(obj, student_id) else None


def evaluation_team_pending(obj: models.Model, today: dt.date | None = None) -> bool:
    """Whether a row is Evaluation (IEP) Team information whose plan is not yet accepted:
    603 CMR 23.08(2) excludes it from amendment requests (R37). A proposed IEP is one that
    has not started; Steward holds no appeal status, so a started plan counts as accepted."""
    day = today or timezone.localdate()
    plan = obj.plan if isinstance(obj, Accommodation) else obj
    return (
        isinstance(plan, EducationPlan)
        and plan.kind == EducationPlan.Kind.IEP
        and plan.start_date > day
    )


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else "—"


def row_label(obj: models.Model) -> str:
    """How the record pages name a row, e.g. "2026-01-14" for a day of attendance."""
    from steward.records import models as rec
    from steward.roster import models as ros

    match obj:
        case rec.DailyAttendance():
            return _("Attendance on %(day)s") % {"day": _day(obj.date)}
        case rec.CourseGrade():
            return _("%(section)s, %(term)s") % {
                "section": obj.section.title,
                "term": obj.term.title,
            }
        case rec.AssessmentResult():
            return f"{obj.name} ({_day(obj.administered)})"
        case rec.DisciplineIncident():
            return _("Incident on %(day)s") % {"day": _day(obj.date)}
        case rec.HealthNote():
            return _("Nurse's note of %(day)s") % {"day": _day(obj.date)}
        case rec.HealthAlert():
            return f"{obj.get_kind_display()}: {obj.text[:60]}"
        case rec.EducationPlan():
            return _("%(kind)s from %(day)s") % {
                "kind": obj.get_kind_display(),
                "day": _day(obj.start_date),
            }
        case rec.Accommodation():
            return _("Accommodation: %(text)s") % {"text": obj.text[:60]}
        case rec.StudentWork():
            return obj.title
        case ros.StudentSchool():
            return obj.school.name
        case ros.Enrollment():
            return obj.section.title
        case ros.Caseload():
            return f"{obj.staff.display_name} ({obj.get_kind_display()})"
        case ros.Guardian():
            return obj.display_name
        case ros.GuardianRelationship():
            return _("Relationship of %(name)s") % {"name": obj.guardian.display_name}
        case ros.StudentDemographics():
            return _("Demographics")
        case ros.SpecialIndicators():
            return _("Special indicators")
        case ros.Student():
            return obj.display_name
    return str(obj)


def display(obj: models.Model, field_name: str) -> str:
    """A field's value as a person reads it: choice labels, yes/no, ISO dates, "" for none."""
    field = obj._meta.get_field(field_name)
    value = getattr(obj, field_name)
    if value is None or value == "":
        return ""
    if isinstance(field, models.Field) and field.choices:
        return str(getattr(obj, f"get_{field_name}_display")())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return row_label(value)
    return str(value)


def parse(obj: models.Model, element: Element, text: str) -> Any:
    """The officer's new value for `element` of row `obj`, as the field's type; raises
    ValidationError naming the field when it does not fit (wrong type, unknown choice, too
    long, empty where a value is required)."""
    field = field_of(element)
    raw: Any = text.strip()
    if isinstance(field, models.BooleanField):
        word = raw.casefold()
        if word in _YES or word == _("yes").casefold():
            raw = True
        elif word in _NO or word == _("no").casefold():
            raw = False
        elif not raw and field.null:
            raw = None
    elif field.choices:
        for value, label in field.flatchoices:
            if raw.casefold() in (str(value).casefold(), str(label).casefold()):
                raw = value
                break
    elif raw == "" and field.null:
        raw = None
    try:
        return field.clean(raw, obj)
    except ValidationError as error:
        raise ValidationError(
            _("%(field)s: %(problem)s")
            % {"field": element.label, "problem": " ".join(error.messages)}
        ) from error


@dataclass(frozen=True)
class Option:
    """One item a family may pick: its code (the form's value), what it names and the value
    the record holds now."""

    code: str
    kind: str  # "correct" or "delete"
    scope: str
    element_key: str
    model: str
    row_id: int
    row_label: str
    field_label: str
    current: str

    @property
    def label(self) -> str:
        if self.kind == "delete":
            return _("%(row)s: delete this entry") % {"row": self.row_label}
        return _("%(row)s · %(field)s: %(value)s") % {
            "row": self.row_label,
            "field": self.field_label,
            "value": self.current or "—",
        }


def rows_of(scope: str, data: Any) -> list[models.Model]:
    """The rows of a record part as `open_record` returned it, flattened."""
    if data is None:
        return []
    if scope in ("directory", "contact", "demographics", "special_indicators"):
        return [data]
    if scope == "enrollment_schedule":
        return [*data.schools, *data.enrollments, *data.caseloads]
    if scope == "health":
        return [*data.notes, *data.alerts]
    if scope == "special_education":
        return [row for plan in data for row in (plan, *plan.accommodations.all())]
    if scope == "guardian_contact":
        return [row for link in data for row in (link.guardian, link)]
    if scope == "accommodations_summary":
        return []  # lines of the plans, not rows: contested through the plans themselves
    return list(data)


def options_for(scope: str, data: Any, today: dt.date | None = None) -> list[Option]:
    """Every item of one record part a family may ask to amend: each writable field of each
    row, then, for rows Steward keeps, the row itself (to delete). Rows excluded by 603 CMR
    23.08(2) (a proposed IEP) are left out (R37)."""
    elements: dict[str, list[Element]] = {}
    for element in ELEMENTS:
        if element.scope == scope and writable(element):
            elements.setdefault(element.model, []).append(element)
    out: list[Option] = []
    for obj in rows_of(scope, data):
        if evaluation_team_pending(obj, today):
            continue
        model = label_of(obj)
        label = row_label(obj)
        for element in elements.get(model, ()):
            out.append(
                Option(
                    code=f"c:{element.key}:{obj.pk}",
                    kind="correct",
                    scope=scope,
                    element_key=element.key,
                    model=model,
                    row_id=obj.pk,
                    row_label=label,
                    field_label=str(element.label),
                    current=display(obj, element.field),
                )
            )
        if deletable(model):
            out.append(
                Option(
                    code=f"d:{model}:{obj.pk}",
                    kind="delete",
                    scope=scope,
                    element_key="",
                    model=model,
                    row_id=obj.pk,
                    row_label=label,
                    field_label="",
                    current=summary(obj),
                )
            )
    return out


def summary(obj: models.Model) -> str:
    """A row as one line: each catalogued field "label: value", for deletions and letters."""
    model = label_of(obj)
    parts = []
    for element in ELEMENTS:
        if element.model == model and element.field not in _NOT_OFFERED:
            try:
                value = display(obj, element.field)
            except (FieldDoesNotExist, AttributeError):
                continue
            if value:
                parts.append(f"{element.label}: {value}")
    return "; ".join(parts)


def when(value: dt.datetime | dt.date | None) -> str:
    """A date or instant for letters, in the active language's format."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value)
        return f"{date_format(local, 'DATE_FORMAT')} {date_format(local, 'TIME_FORMAT')}"
    return date_format(value, "DATE_FORMAT")


def codes(options: Iterable[Option]) -> dict[str, Option]:
    return {option.code: option for option in options}
