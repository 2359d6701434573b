"""Which students an agreement covers on a day: its scope, among the currently enrolled (R71).

A student is *currently enrolled* on `day` when their roster row is active and they have a
school membership or a class enrollment (role student, record active) whose dates contain
`day` (both ends inclusive, open ends open; oneroster.md §1.4: dates, not status alone).

Scope kinds (`steward.vendors.models.ScopeKind`): the whole district; students attending
one of the chosen schools; students in one of the chosen grades; students currently enrolled
in one of the chosen classes; or a rule (`steward.sharing.rules`).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from steward.roster.models import Enrollment, Student, StudentSchool
from steward.sharing import rules
from steward.vendors.models import Agreement, ScopeKind


def current(day: dt.date, prefix: str = "") -> Q:
    """Rows whose begin/end dates contain `day` (open ends open, both ends inclusive)."""
    return (Q(**{f"{prefix}begin_date__isnull": True}) | Q(**{f"{prefix}begin_date__lte": day})) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


def current_memberships(day: dt.date) -> QuerySet[StudentSchool]:
    return StudentSchool.objects.filter(current(day))


def current_class_enrollments(day: dt.date) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(
        current(day), active=True, student__isnull=False, role=Enrollment.Role.STUDENT
    )


def enrolled(day: dt.date) -> QuerySet[Student]:
    """Students currently enrolled on `day`."""
    return Student.objects.filter(active=True).filter(
        Q(pk__in=current_memberships(day).values("student_id"))
        | Q(pk__in=current_class_enrollments(day).values("student_id"))
    )


def in_scope(agreement: Agreement, day: dt.date) -> QuerySet[Student]:
    """The currently enrolled students the agreement covers. Raises `rules.RuleError` for a
    rule that does not read and ValueError for a scope kind that is not set."""
    kind = agreement.scope_kind
    students = enrolled(day)
    if kind == ScopeKind.DISTRICT:
        return students
    if kind == ScopeKind.SCHOOLS:
        schools = agreement.scope_schools.values("pk")
        return students.filter(
            pk__in=current_memberships(day).filter(school_id__in=schools).values("student_id")
        )
    if kind == ScopeKind.GRADES:
        return students.filter(grade__in=[str(g) for g in agreement.scope_grades or ()])
    if kind == ScopeKind.SECTIONS:
        return students.filter(pk__in=_in_sections(day, agreement))
    if kind == ScopeKind.RULE:
        return students.filter(rule_q(rules.parse(agreement.scope_rule), day))
    raise ValueError(f"no scope: {kind!r}")


def _in_sections(day: dt.date, agreement: Agreement) -> QuerySet[Enrollment, dict[str, int]]:
    sections = agreement.scope_sections.values("pk")
    return (
        current_class_enrollments(day).filter(section_id__in=sections).values("student_id")  # type: ignore[return-value]
    )


# Rule fields on classes: the Section lookup each compares.
_CLASS_FIELDS = {
    "class": "section__sourced_id",
    "class_title": "section__title",
    "class_type": "section__class_type",
    "course": "section__course__title",
    "course_code": "section__course__course_code",
    "subject": "section__subjects",
}
_SCHOOL_FIELDS = {"school": "school__name", "school_id": "school__sourced_id"}


def rule_q(node: rules.Node, day: dt.date) -> Q:
    """The rule as a filter on `Student` (values are compared without regard to case)."""
    if isinstance(node, rules.Not):
        return ~rule_q(node.operand, day)
    if isinstance(node, rules.And):
        q = Q()
        for operand in node.operands:
            q &= rule_q(operand, day)
        return q
    if isinstance(node, rules.Or):
        q = Q(pk__in=[])
        for operand in node.operands:
            q |= rule_q(operand, day)
        return q
    positive = _match(node.field, node.op, node.values)
    if node.field == "grade":
        matched = positive
    elif node.field in _SCHOOL_FIELDS:
        matched = Q(pk__in=current_memberships(day).filter(positive).values("student_id"))
    else:
        matched = Q(pk__in=current_class_enrollments(day).filter(positive).values("student_id"))
    return ~matched if node.op in ("!=", "not in") else matched


def _match(field: str, op: str, values: tuple[str, ...]) -> Q:
    """The positive form of one comparison (`!=` and `not in` are negated by the caller)."""
    column = "grade" if field == "grade" else _SCHOOL_FIELDS.get(field) or _CLASS_FIELDS[field]
    if op == "contains":
        return Q(**{f"{column}__icontains": values[0]})
    if field == "grade":  # OneRoster codes: exact, except that "kg" reads as "KG"
        return Q(**{f"{column}__in": sorted({*values, *(v.upper() for v in values)})})
    q = Q(pk__in=[])
    for value in values:
        q |= Q(**{f"{column}__iexact": value})
    return q
