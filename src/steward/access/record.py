"""The chokepoint for reading a student's record (design.md §3 rule 1, R38–R43, R56).

`open_record()` decides which record parts the actor may see, reads exactly those, and writes
one ledger read entry per part read, naming the reason for access, in one transaction before
anything is returned. Nothing else in Steward reads record parts for display.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation

from steward.access import reasons, service
from steward.access.explain import Namer
from steward.access.policy import GRADES_TRANSCRIPT, SECTION
from steward.access.service import BREAK_GLASS, GUARDIAN, SELF, Actor, Grant
from steward.audit.ledger import Event, actor_of, record_many, request_context
from steward.audit.models import Action
from steward.catalog.elements import SCOPES
from steward.records import parts as record_parts
from steward.roster import parts as roster_parts
from steward.roster.models import Student

SCHOOL_OFFICIAL_BASIS = "A1"  # R51: school official with a legitimate educational interest
EMERGENCY_BASIS = "A10"  # R51: health or safety emergency (break-glass)
PURPOSE = "student record view"

Reader = Callable[[int, list[Grant]], Any]


def _section_ids(grants: list[Grant]) -> set[int] | None:
    """Teachers see grades of their own sections only: the sections their reasons name.

    None (every section) as soon as one reason is not a section enrollment.
    """
    if all(g.kind == SECTION and g.reason is not None for g in grants):
        return {g.reason.via for g in grants if g.reason is not None}
    return None


READERS: dict[str, Reader] = {
    "directory": lambda sid, g: roster_parts.student(sid),
    "contact": lambda sid, g: roster_parts.student(sid),
    "demographics": lambda sid, g: roster_parts.demographics(sid),
    "enrollment_schedule": lambda sid, g: roster_parts.schedule(sid),
    "special_indicators": lambda sid, g: roster_parts.special_indicators(sid),
    "guardian_contact": lambda sid, g: roster_parts.guardians(sid),
    "attendance": lambda sid, g: record_parts.attendance(sid),
    "grades_transcript": lambda sid, g: record_parts.grades(sid, _section_ids(g)),
    "assessments": lambda sid, g: record_parts.assessments(sid),
    "discipline": lambda sid, g: record_parts.discipline(sid),
    "health": lambda sid, g: record_parts.health(sid),
    "special_education": lambda sid, g: record_parts.special_education(sid),
    "accommodations_summary": lambda sid, g: record_parts.accommodations_summary(sid),
    "student_generated_content": lambda sid, g: record_parts.student_work(sid),
}

# Catalog order; the accommodations summary (derived from the special-education part, so not a
# catalog scope of its own) right after that part.
SCOPE_ORDER: tuple[str, ...] = tuple(
    key
    for scope in SCOPES
    if scope.key in READERS
    for key in (
        (scope.key, "accommodations_summary") if scope.key == "special_education" else (scope.key,)
    )
)


@dataclass(frozen=True)
class Part:
    """One record part as read: its key, the reasons it may be seen, and its data."""

    scope: str
    grants: list[Grant]
    data: Any

    @property
    def break_glass(self) -> bool:
        return any(g.kind == BREAK_GLASS for g in self.grants)

    @property
    def narrowed_to_sections(self) -> set[int] | None:
        return _section_ids(self.grants) if self.scope == GRADES_TRANSCRIPT else None


@dataclass(frozen=True)
class StudentRecord:
    """What `open_record` returns: the student, the parts read, and the parts withheld."""

    student: Student
    parts: list[Part]
    withheld: list[str]
    namer: Namer


def _interest(grants: list[Grant], namer: Namer) -> str:
    """The reasons as the ledger keeps them: in the district's language whatever the reader's,
    with section and school names (families read this in their access log)."""
    texts = []
    with translation.override(settings.LANGUAGE_CODE):
        for grant in grants:
            if grant.break_glass is not None:
                texts.append(f"break-glass #{grant.break_glass.pk}: {grant.break_glass.threat}")
            else:
                texts.append(namer.grant(grant))
        # Fitted to the ledger column: PostgreSQL would refuse the read otherwise (`reasons`).
        return reasons.join_within(texts)


def _event(
    actor_fields: dict[str, Any], student_id: int, part: Part, at: dt.datetime, namer: Namer
) -> Event:
    glass = [g.break_glass.pk for g in part.grants if g.break_glass is not None]
    # A family's own inspection is no disclosure: no FERPA basis to cite.
    guardian_only = all(g.kind in (GUARDIAN, SELF) for g in part.grants)
    basis = (
        ""
        if guardian_only
        else (
            EMERGENCY_BASIS if glass and len(glass) == len(part.grants) else SCHOOL_OFFICIAL_BASIS
        )
    )
    detail: dict[str, Any] = {"reasons": sorted({g.kind for g in part.grants})}
    if glass:
        detail["break_glass"] = glass
    if part.narrowed_to_sections is not None:
        detail["sections"] = sorted(part.narrowed_to_sections)
    return Event(
        action=Action.READ,
        **actor_fields,
        students=[student_id],
        scopes=[part.scope],
        purpose=PURPOSE,
        legitimate_interest=_interest(part.grants, namer),
        basis=basis,
        detail=detail,
        at=at,
    )


def open_record(
    request: HttpRequest | None,
    user: Any,
    student_id: int,
    *,
    only: set[str] | None = None,
    at: dt.date | None = None,
) -> StudentRecord | None:
    """Read every part of `student_id`'s record that `user` may see (or those in `only`).

    Returns None when the user may see no part at all (callers answer 404, revealing nothing
    about whether the student exists). Otherwise it writes one ledger read entry per part
    read, in the same transaction as the reads, and returns the parts in catalog order.
    """
    actor: Actor | None = service.actor_for(user)
    allowed = service.grants(actor, student_id, at=at)
    if not allowed:
        return None
    student = Student.objects.filter(pk=student_id).first()
    if student is None:
        return None
    wanted = [s for s in SCOPE_ORDER if s in allowed and (only is None or s in only)]
    now = timezone.now()
    with transaction.atomic():
        parts = [
            Part(scope, allowed[scope], READERS[scope](student_id, allowed[scope]))
            for scope in wanted
        ]
        fields = {**actor_of(user), **request_context(request)}
        namer = Namer.for_grants(g for part in parts for g in part.grants)
        record_many([_event(fields, student_id, part, now, namer) for part in parts])
    withheld = [s for s in SCOPE_ORDER if s not in allowed]
    return StudentRecord(student, parts, withheld, namer)
