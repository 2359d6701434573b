"""Rights holders read from the roster: birth date, grade and guardian links (R9–R15, R17).

These reads serve a rights decision, not a display of the record, so they read the roster
tables directly (design.md §3 rule 1 governs showing student data; nothing here is shown).

The MA extension (R10) is the district setting ``STEWARD_MA_STUDENT_RIGHTS`` (default True).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from steward.rights.holders import (
    RIGHTS,
    GuardianLink,
    Holder,
    Holders,
    Right,
    rights_holders,
)
from steward.roster.models import GuardianRelationship, Student

#: Each right as a label for pages.
RIGHT_LABELS: dict[str, Promise] = {
    "inspect": _("Inspect and get copies of the record"),
    "consent": _("Consent to disclose and sign media releases"),
    "amend": _("Ask for an amendment or a hearing"),
}

#: Each reason code of `steward.rights.holders.REASONS` as a sentence for pages and logs.
REASON_TEXT: dict[str, Promise] = {
    "parent": _("Parent of the student."),
    "guardian": _("Legal guardian of the student."),
    "relative": _("Custodial relative acting as a parent, as no parent or guardian is on record."),
    "ma_age_14": _("The student is 14 or older (Massachusetts student records rules)."),
    "ma_grade_9": _("The student has entered grade 9 (Massachusetts student records rules)."),
    "eligible_18": _("The student is 18 or older (an eligible student under FERPA)."),
}


def reason_text(holder: Holder) -> Promise:
    """The translated sentence for a holder's reason code."""
    return REASON_TEXT[holder.reason]


def ma_extension() -> bool:
    """Whether the district gives MA rights from 14 or grade 9 (R10; default on)."""
    return bool(getattr(settings, "STEWARD_MA_STUDENT_RIGHTS", True))


def holders_for(student_id: int, at: datetime.date | None = None) -> Holders:
    """The rights holders of one student on `at` (default today): two queries.

    Raises `Student.DoesNotExist` for an unknown student.
    """
    found = holders_for_many([student_id], at)
    if student_id not in found:
        raise Student.DoesNotExist(f"no student {student_id}")
    return found[student_id]


def holders_for_many(
    student_ids: Iterable[int], at: datetime.date | None = None
) -> dict[int, Holders]:
    """The rights holders of each student on `at` (default today), keyed by student id.

    Two queries whatever the number of students; unknown ids are left out.
    """
    ids = sorted(set(student_ids))
    if not ids:
        return {}
    day = at if at is not None else timezone.localdate()
    rows = Student.objects.filter(pk__in=ids).values_list("pk", "grade", "demographics__birth_date")
    links: dict[int, list[GuardianLink]] = defaultdict(list)
    for student_id, guardian_id, kind, custodial, restricted, active in (
        GuardianRelationship.objects.filter(student_id__in=ids)
        .order_by("student_id", "guardian_id")
        .values_list(
            "student_id", "guardian_id", "kind", "custodial", "access_restricted", "active"
        )
    ):
        links[student_id].append(
            GuardianLink(
                guardian_id=guardian_id,
                kind=kind,
                custodial=custodial,
                access_restricted=restricted,
                active=active,
            )
        )
    extension = ma_extension()
    return {
        pk: rights_holders(pk, birth, grade, links[pk], day, ma_extension=extension)
        for pk, grade, birth in rows
    }


def can_act(actor: Any, student_id: int, right: Right, at: datetime.date | None = None) -> bool:
    """Whether `actor` holds `right` over student `student_id`'s record on `at` (default today).

    `actor` is anything with a ``guardian_id`` (an `Account`, an `access.service.Actor`) or a
    Django user whose account has one. An actor with a ``student_id`` attribute acts as that
    student; no login model links to students yet, so eligible-student logins arrive with the
    family portal. Staff, anonymous users and unknown students get False. Two queries (three
    for a Django user whose account is not loaded yet).
    """
    if right not in RIGHTS:
        raise ValueError(f"unknown right {right!r}")
    guardian_id, acting_student_id = _identity(actor)
    if guardian_id is None and acting_student_id != student_id:
        return False
    try:
        held = holders_for(student_id, at)
    except Student.DoesNotExist:
        return False
    if acting_student_id == student_id and held.student_holds(right):
        return True
    return guardian_id is not None and held.guardian_holds(guardian_id, right)


def _identity(actor: Any) -> tuple[int | None, int | None]:
    """The (guardian id, student id) an actor acts as, either possibly None."""
    if actor is None:
        return None, None
    if not hasattr(actor, "guardian_id") and not hasattr(actor, "student_id"):
        if not getattr(actor, "is_authenticated", False):
            return None, None
        actor = getattr(actor, "account", None)  # a Django user; None without an account
        if actor is None:
            return None, None
    return getattr(actor, "guardian_id", None), getattr(actor, "student_id", None)
