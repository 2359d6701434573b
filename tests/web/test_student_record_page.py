"""The student record page, /students/<pk>/: who sees which parts, and what the ledger says.

Four states for every check of access (issue #4 acceptance): anonymous, wrong role, right role
but the wrong student, right role and the right student. Denied access is a 404 that looks the
same whether or not the student exists, and writes nothing to the ledger; every part shown
writes exactly one ledger read entry.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steward.access.policy import ALL_SCOPES, HEALTH, TEACHER_SCOPES
from steward.audit.models import Action, Entry
from steward.records.models import (
    CourseGrade,
    DailyAttendance,
    DisciplineIncident,
    HealthAlert,
    HealthNote,
)
from steward.roster.models import Enrollment, Student
from steward.stewardship import attestation
from steward.stewardship.models import TrainingAttestation

from . import factories as f

Login = Callable[[User], Client]

TEACHER_PARTS = {
    "directory",
    "contact",
    "enrollment_schedule",
    "attendance",
    "grades_transcript",
    "assessments",
    "accommodations_summary",
    "student_generated_content",
}
NEVER_FOR_TEACHERS = {"health", "discipline", "special_education"}

# Pinned (measured): a teacher's view of one student's record, with a warm access index.
# Session, user, the second factor's device (R33), account; roster stamp; open break-glass
# grants; the student; two savepoints; one read per teacher part (directory and contact each
# read the student row again), the ledger head (PostgreSQL: after its advisory lock) and one
# batched insert of eight entries (one student: no subject set); section names for the reasons;
# the family's statements and additions of the parts shown (two, R35, R37). It must not grow
# with the number of rows in a part (grades, notes, ...).
RECORD_PAGE_QUERIES = 26 + (connection.vendor == "postgresql")


def _url(student: Student | int) -> str:
    return reverse("student-record", args=[student if isinstance(student, int) else student.pk])


def _without_csrf(html: bytes) -> str:
    """The page without its CSRF token and without the language switcher's return path (the
    URL the visitor asked for, which they know already)."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html.decode())
    return re.sub(r'name="next" type="hidden" value="[^"]*"', "", text)


def _parts(response: Any) -> list[str]:
    return [item["part"].scope for item in response.context["parts"]]


def _new_reads(before: int) -> list[Entry]:
    return list(Entry.objects.filter(seq__gt=before, action=Action.READ).order_by("seq"))


def _last_seq() -> int:
    last = Entry.objects.order_by("-seq").values_list("seq", flat=True).first()
    return last or 0


def _grade(district: SimpleNamespace, student: Student, section: Any, mark: str) -> CourseGrade:
    return CourseGrade.objects.create(
        student=student,
        section=section,
        term=district.fall,
        mark=mark,
        posted=f.days(-5),
        final=False,
    )


# --- anonymous -----------------------------------------------------------------------------------


def test_it_sends_an_anonymous_visitor_to_the_login_page(
    client: Client, district: SimpleNamespace
) -> None:
    response = client.get(_url(district.ann))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert Entry.objects.filter(action=Action.READ).count() == 0


# --- wrong role ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["other_guardian", "officer", "no_role"])
def test_it_answers_404_to_a_user_whose_role_gives_no_access_to_the_student(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace, who: str
) -> None:
    client = client_as(getattr(users, who))
    before = _last_seq()
    response = client.get(_url(district.ann))
    assert response.status_code == 404
    assert _new_reads(before) == []


def test_it_answers_404_to_a_guardian_whose_access_is_restricted_by_a_court_order(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.guardian)
    before = _last_seq()
    assert client.get(_url(district.dan)).status_code == 404
    assert _new_reads(before) == []


# --- right role, wrong student -------------------------------------------------------------------


def test_it_answers_404_to_a_teacher_for_a_student_they_do_not_teach(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.teacher)
    before = _last_seq()
    response = client.get(_url(district.ben))
    assert response.status_code == 404
    assert _new_reads(before) == []
    assert Entry.objects.filter(seq__gt=before).count() == 0


def test_it_answers_an_unknown_student_exactly_like_a_forbidden_one(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.teacher)
    missing = max(Student.objects.values_list("pk", flat=True)) + 1000
    before = _last_seq()
    forbidden = client.get(_url(district.ben))
    unknown = client.get(_url(missing))
    assert forbidden.status_code == unknown.status_code == 404
    assert _without_csrf(forbidden.content) == _without_csrf(unknown.content)
    assert "Ben" not in forbidden.content.decode()
    assert Entry.objects.filter(seq__gt=before).count() == 0


def test_it_answers_404_to_a_counselor_for_a_student_who_left_the_caseload_last_week(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.counselor)
    before = _last_seq()
    assert client.get(_url(district.dan)).status_code == 404
    assert _new_reads(before) == []


def test_it_answers_404_to_a_nurse_for_a_student_of_another_school(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    assert client_as(users.nurse).get(_url(district.ann)).status_code == 404


def test_it_answers_404_to_a_former_principal(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    assert client_as(users.former_principal).get(_url(district.ben)).status_code == 404


# --- right role, right student -------------------------------------------------------------------


def test_it_shows_a_teacher_exactly_the_teacher_parts_of_their_student(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    assert TEACHER_SCOPES == TEACHER_PARTS  # the page follows the default policy
    response = client_as(users.teacher).get(_url(district.ann))
    assert response.status_code == 200
    assert set(_parts(response)) == TEACHER_PARTS
    html = response.content.decode()
    assert "<h1>Ann Avery</h1>" in html
    for scope in TEACHER_PARTS:
        assert f'id="part-{scope}"' in html
    for scope in NEVER_FOR_TEACHERS:
        assert f'id="part-{scope}"' not in html


def test_it_hides_health_record_from_teacher(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    HealthNote.objects.create(
        student=district.ann, date=f.days(-3), author=district.nina, text="Nosebleed, sent home"
    )
    HealthAlert.objects.create(
        student=district.ann,
        kind=HealthAlert.Kind.ALLERGY,
        text="Peanut allergy",
        severity=HealthAlert.Severity.LIFE_THREATENING,
    )
    response = client_as(users.teacher).get(_url(district.ann))
    html = response.content.decode()
    assert "Nosebleed" not in html
    assert "Peanut" not in html
    assert 'id="part-health"' not in html
    assert {"Health", "Discipline", "Special education (IEP/504)"} <= set(
        response.context["withheld"]
    )


def test_it_hides_discipline_from_a_teacher_but_shows_it_to_the_principal(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    DisciplineIncident.objects.create(
        student=district.ann,
        school=district.north,
        date=f.days(-4),
        kind=DisciplineIncident.Kind.DEVICE,
        description="Phone out during the quiz",
        action=DisciplineIncident.Action.WARNING,
        reported_by=district.tess,
    )
    assert "Phone out" not in client_as(users.teacher).get(_url(district.ann)).content.decode()
    assert "Phone out" in client_as(users.principal).get(_url(district.ann)).content.decode()


def test_it_shows_the_teacher_every_reason_with_the_section_name(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    response = client_as(users.teacher).get(_url(district.ann))
    [directory] = [p for p in response.context["parts"] if p["part"].scope == "directory"]
    reasons = directory["reasons"]
    # Grade 3 Math now, and Old Algebra still within its 30-day grace period.
    assert len(reasons) == 2
    assert any(r.startswith("Via section Grade 3 Math") for r in reasons)
    assert any("Old Algebra" in r and "grace period to" in r for r in reasons)


def test_it_shows_a_teacher_the_grades_of_their_own_section_only(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    _grade(district, district.ann, district.math, "B+")
    _grade(district, district.ann, district.reading, "C-")
    response = client_as(users.teacher).get(_url(district.ann))
    [grades] = [
        p["part"] for p in response.context["parts"] if p["part"].scope == "grades_transcript"
    ]
    assert [g.section_id for g in grades.data] == [district.math.pk]
    html = response.content.decode()
    assert "B+" in html
    assert "C-" not in html
    assert "Only the grades of the classes you teach." in html


def test_it_shows_a_principal_the_grades_of_every_section(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    _grade(district, district.ann, district.math, "B+")
    _grade(district, district.ann, district.reading, "C-")
    response = client_as(users.principal).get(_url(district.ann))
    [grades] = [
        p["part"] for p in response.context["parts"] if p["part"].scope == "grades_transcript"
    ]
    assert {g.section_id for g in grades.data} == {district.math.pk, district.reading.pk}
    assert "Only the grades of the classes you teach." not in response.content.decode()


def test_it_shows_the_nurse_health_and_directory_only_with_the_nurses_note(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    HealthNote.objects.create(
        student=district.ben, date=f.days(-2), author=district.nina, text="Inhaler used at recess"
    )
    DailyAttendance.objects.create(
        student=district.ben,
        school=district.south,
        date=f.days(-1),
        status=DailyAttendance.Status.TARDY,
        note="Bus late",
    )
    response = client_as(users.nurse).get(_url(district.ben))
    assert response.status_code == 200
    assert _parts(response) == ["directory", "health"]
    html = response.content.decode()
    assert "Inhaler used at recess" in html
    assert "Bus late" not in html
    assert "As nurse at Baker Middle" in html


def test_it_shows_a_principal_every_part_but_health(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    response = client_as(users.principal).get(_url(district.ann))
    assert response.status_code == 200
    assert set(_parts(response)) == ALL_SCOPES - {HEALTH}
    assert "As principal at Adams Elementary" in response.content.decode()


def test_it_shows_a_counselor_a_student_on_the_caseload(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    response = client_as(users.counselor).get(_url(district.ann))
    assert response.status_code == 200
    assert "discipline" in _parts(response)
    assert "health" not in _parts(response)
    assert "On the counselor caseload" in response.content.decode()


# --- the ledger ----------------------------------------------------------------------------------


def test_it_writes_one_read_entry_per_part_shown_to_the_teacher(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.teacher)
    before = _last_seq()
    response = client.get(_url(district.ann))
    assert response.status_code == 200
    entries = list(Entry.objects.filter(seq__gt=before).order_by("seq"))
    assert len(entries) == len(TEACHER_PARTS)
    assert all(e.action == Action.READ for e in entries)
    assert sorted(e.scopes for e in entries) == sorted(TEACHER_PARTS)
    assert [e.scopes for e in entries] == _parts(response)  # one per part, in page order
    for entry in entries:
        assert entry.actor_user_id == users.teacher.pk
        assert entry.actor_role == "teacher"
        assert entry.basis == "A1"
        assert entry.purpose == "student record view"
        # Names, not ids: families read this in their access log.
        assert "Via section Grade 3 Math, enrolled" in entry.legitimate_interest
        assert "Via section Old Algebra, enrolled" in entry.legitimate_interest
        assert entry.subject_count == 1
        assert json.loads(entry.detail)["reasons"] == ["section"]
    [grades] = [e for e in entries if e.scopes == "grades_transcript"]
    assert json.loads(grades.detail)["sections"] == sorted([district.math.pk, district.algebra.pk])


def test_it_names_the_student_in_each_read_entry(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    from steward.audit import queries

    client = client_as(users.nurse)
    before = _last_seq()
    client.get(_url(district.ben))
    about_ben = queries.search(student=district.ben.pk, action=Action.READ).filter(seq__gt=before)
    assert sorted(about_ben.values_list("scopes", flat=True)) == ["directory", "health"]
    assert not queries.search(student=district.ann.pk).filter(seq__gt=before).exists()


def test_it_writes_a_new_set_of_entries_on_every_view(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.nurse)
    before = _last_seq()
    client.get(_url(district.ben))
    client.get(_url(district.ben))
    assert [e.scopes for e in _new_reads(before)] == ["directory", "health"] * 2


def test_it_writes_the_principals_reads_with_the_school_as_the_interest(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.principal)
    before = _last_seq()
    client.get(_url(district.ann))
    entries = _new_reads(before)
    assert len(entries) == len(ALL_SCOPES) - 1
    assert {e.scopes for e in entries} == ALL_SCOPES - {HEALTH}
    assert all(e.basis == "A1" and e.actor_user_id == users.principal.pk for e in entries)
    assert all("As principal at Adams Elementary" in e.legitimate_interest for e in entries)


# --- withdrawals ---------------------------------------------------------------------------------


def test_it_answers_404_on_the_very_next_request_after_a_withdrawal(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.teacher)
    assert client.get(_url(district.ann)).status_code == 200  # the index is now built and warm
    for section in (district.math, district.algebra):
        enrollment = Enrollment.objects.get(student=district.ann, section=section)
        enrollment.end_date = f.days(-31)  # the 30-day grace period ended yesterday
        enrollment.save()
    before = _last_seq()
    assert client.get(_url(district.ann)).status_code == 404
    assert _new_reads(before) == []
    assert client.get(_url(district.cara)).status_code == 200  # Cara is still in Math


def test_it_keeps_access_during_the_grace_period_after_a_withdrawal(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.teacher)
    enrollment = Enrollment.objects.get(student=district.ann, section=district.math)
    enrollment.end_date = f.days(-30)  # the last day of grace is today
    enrollment.save()
    response = client.get(_url(district.ann))
    assert response.status_code == 200
    assert any("grace period to" in r for p in response.context["parts"] for r in p["reasons"])


# --- training enforcement ------------------------------------------------------------------------


def _confirm_training(user: User) -> None:
    text = attestation.current_text()
    TrainingAttestation.objects.create(
        user=user,
        period="current",
        text=text,
        text_sha256=attestation.sha256(text),
        confirmed_at=timezone.now() - dt.timedelta(minutes=5),
    )


def test_it_blocks_an_overdue_teacher_with_the_training_page_when_the_district_blocks(
    client_as: Login,
    users: SimpleNamespace,
    district: SimpleNamespace,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STEWARD_TRAINING_ENFORCEMENT", "block")
    client = client_as(users.teacher)
    before = _last_seq()
    response = client.get(_url(district.ann))
    assert response.status_code == 403
    assert "access/training_required.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert 'id="training-required"' in html
    assert f'href="{reverse("stewardship-training")}"' in html
    assert "Ann" not in html
    assert Entry.objects.filter(seq__gt=before).count() == 0


def test_it_opens_the_record_of_a_trained_teacher_when_the_district_blocks(
    client_as: Login,
    users: SimpleNamespace,
    district: SimpleNamespace,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STEWARD_TRAINING_ENFORCEMENT", "block")
    _confirm_training(users.teacher)
    response = client_as(users.teacher).get(_url(district.ann))
    assert response.status_code == 200
    assert set(_parts(response)) == TEACHER_PARTS


def test_it_only_reminds_an_overdue_teacher_when_the_district_warns(
    client_as: Login,
    users: SimpleNamespace,
    district: SimpleNamespace,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STEWARD_TRAINING_ENFORCEMENT", "warn")
    client = client_as(users.teacher)
    before = _last_seq()
    response = client.get(_url(district.ann))
    assert response.status_code == 200
    assert len(_new_reads(before)) == len(TEACHER_PARTS)


# --- query count ---------------------------------------------------------------------------------


def test_the_record_page_runs_a_pinned_number_of_queries(
    client_as: Login,
    users: SimpleNamespace,
    district: SimpleNamespace,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    for mark, section in [("A", district.math), ("B", district.reading)]:
        _grade(district, district.ann, section, mark)
    client = client_as(users.teacher)
    client.get(_url(district.ann))  # builds the access index for this roster stamp
    with django_assert_num_queries(RECORD_PAGE_QUERIES):
        assert client.get(_url(district.ann)).status_code == 200
