"""Template helpers: the family's statements and additions shown with each record part
(R35, R37), and record part labels.

`{% family_notes student.pk parts as notes %}` reads them once for every part on the page
(two queries), then `{% include "amendments/_notes.html" with notes=notes|notes_of:scope %}`
shows one part's. Only the parts on the page are read: a reader sees a statement or an
addition exactly when they see the part it belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template

from steward.access.views import SCOPE_LABELS
from steward.amendments.models import Addition, Statement
from steward.amendments.selectors import notes_by_scope

register = template.Library()

Notes = tuple[list[Statement], list[Addition]]


@register.filter
def part_label(scope: str) -> Any:
    """The record part's name in the reader's language."""
    return SCOPE_LABELS.get(scope, scope)


@register.simple_tag
def family_notes(student_id: int, parts: Iterable[Mapping[str, Any]]) -> dict[str, Notes]:
    """Statements and additions of the parts a record page shows (`parts`: the page's part
    entries, each with its `part`)."""
    return notes_by_scope(student_id, [entry["part"].scope for entry in parts])


@register.filter
def notes_of(notes: Mapping[str, Notes], scope: str) -> Notes:
    return notes.get(scope, ([], []))
