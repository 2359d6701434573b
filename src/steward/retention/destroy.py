"""Narrow destruction of one record part's Massachusetts part for one student (R100–R105).

One function per (record part, MA part), registered in `DESTROYERS`. Each removes exactly the
catalog elements of that part that belong to that MA part (`steward.catalog.elements`), for
that one student, and returns what it removed and what it deliberately kept. They write no
ledger entry and open no transaction: only `steward.retention.actions.destruction` calls them,
inside its own transaction, after checking every blocker (R29, R102, R104).

What is kept, and why, is stated where it happens and printed on the certificate:

- the student row itself stays as an empty shell with its student-information-system key
  (`sourced_id`): history rows in other apps (consents, media releases, the ledger's subject
  sets) point at it, and the key lets the next roster import recognise the student instead of
  creating a duplicate;
- a class enrollment's dates stay until the transcript goes: they are what closes a teacher's
  access (`access.service`), and the class itself is transcript (course titles, 23.02);
- a final grade's posting date and final flag stay with the mark they date (the row would be
  unreadable without them); the teacher's comment and every progress grade go;
- a guardian's own row is touched only when no other student links to them: a parent of a
  sibling still enrolled keeps their contact details; a guardian relationship's flags
  (custodial, restricted by a court order) stay with the transcript, because clearing a
  restriction would hand rights back to a parent a court removed (R17).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from steward.catalog.elements import MAPart
from steward.records.models import (
    Accommodation,
    AssessmentResult,
    CourseGrade,
    DailyAttendance,
    DisciplineIncident,
    EducationPlan,
    HealthAlert,
    HealthNote,
    StudentWork,
)
from steward.roster import version
from steward.roster.models import (
    Caseload,
    Enrollment,
    Guardian,
    GuardianRelationship,
    RestrictionDocument,
    SpecialIndicators,
    Student,
    StudentDemographics,
    StudentSchool,
)

TEMPORARY, TRANSCRIPT = MAPart.TEMPORARY.value, MAPart.TRANSCRIPT.value


@dataclass
class Outcome:
    """What one destroyer did: rows or fields removed by what they were, and what it kept."""

    removed: dict[str, int] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)

    def add(self, what: str, count: int) -> None:
        self.removed[what] = self.removed.get(what, 0) + count


def _delete(outcome: Outcome, what: str, rows: QuerySet[Any]) -> None:
    """Delete a queryset's rows and count them (the model's own rows, not cascades)."""
    _total, per_model = rows.delete()
    outcome.add(what, per_model.get(rows.model._meta.label, 0))


def _clear(outcome: Outcome, what: str, rows: QuerySet[Any], **values: Any) -> None:
    outcome.add(what, rows.update(**values))


# --- parts held only in the temporary record: every row goes (R101) -------------------------


def attendance(student_id: int) -> Outcome:
    out = Outcome()
    _delete(out, "daily attendance", DailyAttendance.objects.filter(student_id=student_id))
    return out


def assessments(student_id: int) -> Outcome:
    out = Outcome()
    _delete(out, "assessment results", AssessmentResult.objects.filter(student_id=student_id))
    return out


def discipline(student_id: int) -> Outcome:
    out = Outcome()
    _delete(out, "discipline incidents", DisciplineIncident.objects.filter(student_id=student_id))
    return out


def health(student_id: int) -> Outcome:
    out = Outcome()
    _delete(out, "health notes", HealthNote.objects.filter(student_id=student_id))
    _delete(out, "health alerts", HealthAlert.objects.filter(student_id=student_id))
    return out


def special_education(student_id: int) -> Outcome:
    out = Outcome()
    _delete(out, "accommodations", Accommodation.objects.filter(student_id=student_id))
    _delete(out, "IEP and 504 plans", EducationPlan.objects.filter(student_id=student_id))
    return out


def special_indicators(student_id: int) -> Outcome:
    out = Outcome()
    _delete(out, "special indicators", SpecialIndicators.objects.filter(student_id=student_id))
    return out


def student_work(student_id: int) -> Outcome:
    out = Outcome()
    _delete(out, "student work", StudentWork.objects.filter(student_id=student_id))
    return out


# --- grades: final marks are transcript, comments and progress grades temporary --------------


def grades_temporary(student_id: int) -> Outcome:
    out = Outcome()
    rows = CourseGrade.objects.filter(student_id=student_id)
    _delete(out, "progress grades", rows.filter(final=False))
    _clear(out, "teachers' comments", rows.filter(final=True).exclude(comment=""), comment="")
    out.kept.append("final grades with their posting dates (transcript)")
    return out


def grades_transcript(student_id: int) -> Outcome:
    out = Outcome()
    _delete(out, "final grades", CourseGrade.objects.filter(student_id=student_id))
    return out


# --- the roster's parts --------------------------------------------------------------------


def _student(student_id: int) -> QuerySet[Student]:
    return Student.objects.filter(pk=student_id)


def directory_temporary(student_id: int) -> Outcome:
    out = Outcome()
    _clear(
        out,
        "identifiers, username, grade level and sign-in",
        _student(student_id),
        identifier="",
        username="",
        user_ids="",
        grade="",
        enabled=False,
    )
    out.kept.append("name (transcript); student information system key (the row's key)")
    return out


def directory_transcript(student_id: int) -> Outcome:
    out = Outcome()
    _clear(
        out,
        "name",
        _student(student_id),
        given_name="",
        middle_name="",
        family_name="",
        preferred_given_name="",
    )
    out.kept.append("student information system key (the row's key)")
    return out


def contact_temporary(student_id: int) -> Outcome:
    out = Outcome()
    _clear(out, "e-mail address", _student(student_id).exclude(email=""), email="")
    return out


def contact_transcript(student_id: int) -> Outcome:
    out = Outcome()
    _clear(out, "phone numbers", _student(student_id), phone="", sms="")
    return out


def demographics_temporary(student_id: int) -> Outcome:
    out = Outcome()
    _clear(
        out,
        "sex, race, ethnicity, place of birth and residence status",
        StudentDemographics.objects.filter(student_id=student_id),
        sex="",
        american_indian_or_alaska_native=None,
        asian=None,
        black_or_african_american=None,
        native_hawaiian_or_other_pacific_islander=None,
        white=None,
        two_or_more_races=None,
        hispanic_or_latino=None,
        country_of_birth="",
        state_of_birth="",
        city_of_birth="",
        public_school_residence_status="",
    )
    out.kept.append("date of birth (transcript)")
    return out


def demographics_transcript(student_id: int) -> Outcome:
    out = Outcome()
    _delete(out, "demographics", StudentDemographics.objects.filter(student_id=student_id))
    return out


def enrollment_temporary(student_id: int) -> Outcome:
    out = Outcome()
    _delete(out, "school memberships", StudentSchool.objects.filter(student_id=student_id))
    _delete(
        out,
        "counselor and case manager assignments",
        Caseload.objects.filter(student_id=student_id),
    )
    _clear(
        out,
        "other enrollment information",
        Enrollment.objects.filter(student_id=student_id).exclude(metadata={}),
        metadata={},
    )
    _clear(out, "other information from the district", _student(student_id), metadata={})
    out.kept.append("classes taken, with their dates (transcript; the dates close access)")
    version.bump()  # school memberships and caseloads grant access: every index must see it
    return out


def enrollment_transcript(student_id: int) -> Outcome:
    out = Outcome()
    _delete(out, "class enrollments", Enrollment.objects.filter(student_id=student_id))
    version.bump()
    return out


def _own_guardians(student_id: int) -> list[int]:
    """The guardians linked to this student and to no other student."""
    linked = GuardianRelationship.objects.filter(student_id=student_id).values("guardian_id")
    return list(
        Guardian.objects.filter(pk__in=linked)
        .annotate(others=Count("relationships", filter=~Q(relationships__student_id=student_id)))
        .filter(others=0)
        .values_list("pk", flat=True)
    )


def _restriction_documents(out: Outcome, student_id: int) -> None:
    """The court orders behind restricted links are temporary record (603 CMR 23.02); the
    restriction itself stays on the link (R17), see the module docstring."""
    _delete(
        out,
        "documents restricting a parent's access (court orders)",
        RestrictionDocument.objects.filter(link__student_id=student_id),
    )


def guardians_temporary(student_id: int) -> Outcome:
    out = Outcome()
    _restriction_documents(out, student_id)
    _clear(
        out,
        "parents' and guardians' identifiers, usernames and e-mail addresses",
        Guardian.objects.filter(pk__in=_own_guardians(student_id)),
        identifier="",
        username="",
        email="",
        metadata={},
    )
    out.kept.append(
        "parents' and guardians' names and phone numbers (transcript); their relationship "
        "flags, including court-ordered restrictions (R17); guardians of other students"
    )
    return out


def guardians_transcript(student_id: int) -> Outcome:
    out = Outcome()
    own = _own_guardians(student_id)
    # Already gone with the temporary record, unless a district destroys the transcript first;
    # the link cannot go while a document still points at it (PROTECT).
    _restriction_documents(out, student_id)
    _delete(
        out, "guardian relationships", GuardianRelationship.objects.filter(student_id=student_id)
    )
    _clear(
        out,
        "parents' and guardians' names and phone numbers",
        Guardian.objects.filter(pk__in=own),
        given_name="",
        middle_name="",
        family_name="",
        preferred_given_name="",
        phone="",
        sms="",
        active=False,
    )
    out.kept.append("guardians who are also guardians of other students")
    version.bump()
    return out


DESTROYERS: dict[tuple[str, str], Callable[[int], Outcome]] = {
    ("directory", TEMPORARY): directory_temporary,
    ("directory", TRANSCRIPT): directory_transcript,
    ("contact", TEMPORARY): contact_temporary,
    ("contact", TRANSCRIPT): contact_transcript,
    ("demographics", TEMPORARY): demographics_temporary,
    ("demographics", TRANSCRIPT): demographics_transcript,
    ("enrollment_schedule", TEMPORARY): enrollment_temporary,
    ("enrollment_schedule", TRANSCRIPT): enrollment_transcript,
    ("attendance", TEMPORARY): attendance,
    ("grades_transcript", TEMPORARY): grades_temporary,
    ("grades_transcript", TRANSCRIPT): grades_transcript,
    ("assessments", TEMPORARY): assessments,
    ("discipline", TEMPORARY): discipline,
    ("health", TEMPORARY): health,
    ("special_education", TEMPORARY): special_education,
    ("special_indicators", TEMPORARY): special_indicators,
    ("student_generated_content", TEMPORARY): student_work,
    ("guardian_contact", TEMPORARY): guardians_temporary,
    ("guardian_contact", TRANSCRIPT): guardians_transcript,
}
