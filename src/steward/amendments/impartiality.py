"""Who may not hear an amendment hearing: anyone with a direct interest in the outcome
(R36, 34 CFR 99.22(c)).

Steward refuses as hearing officer:

- whoever refused an item of the request (they would judge their own decision);
- the student, the requester and anyone on the student's family side (a guardian login of the
  student, or the student's own login);
- the member of staff who made a contested entry, as far as the record names them: the staff
  member who reported an incident, wrote a nurse's note, manages a contested plan, or teaches
  the class of a contested grade or piece of work.

A hearing officer without a Steward login is named in words; the same rules then compare
names, case-insensitively. What Steward cannot know (a relative working in the district, a
personal dispute) is what the officer's own attestation covers.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from steward.amendments.actions.common import account_of, name_of
from steward.amendments.models import AmendmentRequest, Decision, ItemKind, Outcome, Stage
from steward.records import models as rec
from steward.roster.models import Enrollment, GuardianRelationship, Staff


def _authors(amendment: AmendmentRequest) -> dict[int, str]:
    """Staff ids (with names) of the people who made the contested entries."""
    rows: dict[str, set[int]] = {}
    for item in amendment.items.exclude(kind=ItemKind.OTHER):
        if item.row_id is not None:
            rows.setdefault(item.model, set()).add(item.row_id)
    staff: set[int] = set()
    sections: set[int] = set()
    sid = amendment.student_id
    columns: dict[str, tuple[type[Model], str]] = {
        "records.DisciplineIncident": (rec.DisciplineIncident, "reported_by_id"),
        "records.HealthNote": (rec.HealthNote, "author_id"),
        "records.EducationPlan": (rec.EducationPlan, "case_manager_id"),
    }
    for label, (model, column) in columns.items():
        if label in rows:
            found = model._default_manager.filter(pk__in=rows[label], student_id=sid)
            staff.update(pk for pk in found.values_list(column, flat=True) if pk)
    taught: dict[str, type[Model]] = {
        "records.CourseGrade": rec.CourseGrade,
        "records.StudentWork": rec.StudentWork,
    }
    for label, taught_model in taught.items():
        if label in rows:
            found = taught_model._default_manager.filter(pk__in=rows[label], student_id=sid)
            sections.update(pk for pk in found.values_list("section_id", flat=True) if pk)
    if sections:
        staff.update(
            pk
            for pk in Enrollment.objects.filter(
                section_id__in=sections, role=Enrollment.Role.TEACHER
            ).values_list("staff_id", flat=True)
            if pk
        )
    return {s.pk: s.display_name for s in Staff.objects.filter(pk__in=staff)}


def _refusers(amendment: AmendmentRequest) -> list[tuple[int | None, str]]:
    return list(
        Decision.objects.filter(
            item__request=amendment, stage=Stage.INITIAL, outcome=Outcome.REFUSE
        ).values_list("decided_by_id", "decided_by_name")
    )


def conflicts(amendment: AmendmentRequest, officer_user: Any, officer_name: str) -> list[str]:
    """Why the proposed hearing officer has a direct interest in the outcome; empty when
    Steward knows of none."""
    found: list[str] = []
    name = (officer_name or name_of(officer_user)).strip().casefold()
    user_id = getattr(officer_user, "pk", None)
    for refuser_id, refuser_name in _refusers(amendment):
        if (user_id is not None and refuser_id == user_id) or refuser_name.casefold() == name:
            found.append(
                _("%(name)s refused items of this request and cannot hear the appeal.")
                % {"name": refuser_name}
            )
            break
    if name in (amendment.requester_name.casefold(), amendment.student.display_name.casefold()):
        found.append(_("The hearing officer cannot be the student or the requester."))
    account = account_of(officer_user)
    if account is not None:
        family = account.student_id == amendment.student_id or (
            account.guardian_id is not None
            and GuardianRelationship.objects.filter(
                guardian_id=account.guardian_id, student_id=amendment.student_id
            ).exists()
        )
        if family or officer_user.pk == amendment.submitted_by_id:
            found.append(_("The hearing officer cannot be a member of the student's family."))
    authors = _authors(amendment)
    staff_id = account.staff_id if account is not None else None
    for pk, author in authors.items():
        if pk == staff_id or author.casefold() == name:
            found.append(
                _("%(name)s made a contested entry and cannot hear the appeal.") % {"name": author}
            )
            break
    return found
