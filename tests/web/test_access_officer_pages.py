"""The privacy office's access pages: the student lookup, "who can see this student", and the
role → scope policy editor (issue #4 items 3 and 4).

Anonymous visitors go to the login page and every other role gets 403. Showing who can see a
student is itself a read of the student's directory entry (one ledger entry); a policy change
writes a revision and one ledger change entry, and applies from the very next request.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steward.access.models import BreakGlassGrant, PolicyRevision
from steward.access.policy import DEFAULT_POLICY, Policy
from steward.audit import queries
from steward.audit.models import Action, Entry

from . import factories as f

Login = Callable[[User], Client]
LOOKUP = reverse("officer-access-lookup")
POLICY = reverse("officer-access-policy")
QUEUE = reverse("officer-break-glass")

# Pinned (measured) with a warm access index. Who can see: session, user, the second factor's
# device (R33), account; the student; the roster stamp and the open break-glass grants, once
# for every record part; section and school names, staff names; the ledger entry (savepoint,
# PostgreSQL's advisory lock, head, insert, release). It does not grow with the number of staff.
WHO_CAN_SEE_QUERIES = 14 + (connection.vendor == "postgresql")
# The queue: session, user, the second factor's device, account; pending grants and reviewed
# grants, each with their staff, student and reviewer joined. The same for one grant as for five.
QUEUE_QUERIES = 6


def _who_url(student: Any) -> str:
    return reverse(
        "officer-who-can-see", args=[student if isinstance(student, int) else student.pk]
    )


def _last_seq() -> int:
    return Entry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def _rows(response: Any) -> dict[str, dict[str, list[str]]]:
    return {name: dict(parts) for name, parts in response.context["rows"]}


def _policy_form(
    policy: Policy, note: str | None = "Attendance is the office's job"
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for number, rule in enumerate(policy.rules):
        data[f"rule_{number}"] = sorted(rule.scopes)
        if rule.relation == "section":
            data[f"grace_{number}"] = str(rule.grace_days)
    if note is not None:
        data["note"] = note
    return data


def _without_attendance_for_teachers() -> dict[str, Any]:
    data = _policy_form(DEFAULT_POLICY)
    assert DEFAULT_POLICY.rules[0].label == "teacher"
    data["rule_0"] = [s for s in data["rule_0"] if s != "attendance"]
    return data


def _grant(users: SimpleNamespace, district: SimpleNamespace, student: Any) -> BreakGlassGrant:
    now = timezone.now()
    return BreakGlassGrant.objects.create(
        user=users.teacher,
        staff=district.tess,
        student=student,
        scopes=["directory", "health"],
        threat="A described, articulable and significant threat.",
        parties="Paramedics",
        opened_at=now,
        expires_at=now + dt.timedelta(hours=4),
    )


# --- four states ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["lookup", "who", "policy"])
def test_it_sends_an_anonymous_visitor_to_the_login_page(
    client: Client, district: SimpleNamespace, url: str
) -> None:
    target = {"lookup": LOOKUP, "who": _who_url(district.ann), "policy": POLICY}[url]
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.post(POLICY, _without_attendance_for_teachers()).status_code == 302
    assert not PolicyRevision.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "principal", "guardian", "no_role"])
def test_it_keeps_everyone_but_the_privacy_office_out(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace, who: str
) -> None:
    client = client_as(getattr(users, who))
    before = _last_seq()
    assert client.get(LOOKUP, {"q": "Ann"}).status_code == 403
    assert client.get(_who_url(district.ann)).status_code == 403
    assert client.get(POLICY).status_code == 403
    assert client.post(POLICY, _without_attendance_for_teachers()).status_code == 403
    assert not PolicyRevision.objects.exists()
    assert Entry.objects.filter(seq__gt=before).count() == 0


def test_it_shows_the_officer_the_lookup_form(client_as: Login, users: SimpleNamespace) -> None:
    response = client_as(users.officer).get(LOOKUP)
    assert response.status_code == 200
    assert 'id="found"' not in response.content.decode()


def test_it_finds_students_by_name_for_the_officer(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    response = client_as(users.officer).get(LOOKUP, {"q": "Avery"})
    assert response.status_code == 200
    assert [s.display_name for s in response.context["found"]] == [
        "Ann Avery",
        "Ben Avery",
        "Dan Avery",
        "Eve Avery",
    ]
    assert _who_url(district.ann) in response.content.decode()
    narrowed = client_as(users.officer).get(LOOKUP, {"q": "ann avery"})
    assert [s.pk for s in narrowed.context["found"]] == [district.ann.pk]


def test_it_finds_a_student_by_number_for_the_officer(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    district.cara.identifier = "S-3003"
    district.cara.save(update_fields=["identifier"])
    response = client_as(users.officer).get(LOOKUP, {"q": "s-3003"})
    assert [s.pk for s in response.context["found"]] == [district.cara.pk]


# --- who can see this student --------------------------------------------------------------------


def test_it_lists_everyone_who_can_see_ann_with_the_reasons(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    response = client_as(users.officer).get(_who_url(district.ann))
    assert response.status_code == 200
    rows = _rows(response)
    assert list(rows) == ["Carl Cruz", "Olga Ortiz", "Paula Park", "Sam Shah", "Tess Turner"]
    tess = rows["Tess Turner"]
    assert any(r.startswith("Via section Grade 3 Math") for r in tess["Directory"])
    assert any("Old Algebra" in r and "grace period" in r for r in tess["Directory"])
    assert "Health" not in tess and "Discipline" not in tess
    assert any(
        r.startswith("Via section Grade 3 Reading") for r in rows["Olga Ortiz"]["Attendance"]
    )
    assert rows["Paula Park"]["Discipline"][0].startswith("As principal at Adams Elementary")
    assert "Health" not in rows["Paula Park"]
    assert rows["Carl Cruz"]["Discipline"][0].startswith("On the counselor caseload")
    assert rows["Sam Shah"]["Special education (IEP/504)"][0].startswith(
        "On the special education caseload"
    )
    html = response.content.decode()
    assert "Grade 3 Math" in html
    for name in ["Nina", "Priya", "Pete"]:
        assert name not in html


def test_it_lists_the_nurse_for_ben_and_nobody_from_adams(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    rows = _rows(client_as(users.officer).get(_who_url(district.ben)))
    assert sorted(rows) == ["Nina Nolan", "Olga Ortiz", "Priya Patel"]
    assert set(rows["Nina Nolan"]) == {"Directory", "Health"}
    assert rows["Nina Nolan"]["Health"][0].startswith("As nurse at Baker Middle")


def test_it_lists_a_staff_member_with_emergency_access(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    grant = _grant(users, district, district.ben)
    rows = _rows(client_as(users.officer).get(_who_url(district.ben)))
    until = timezone.localtime(grant.expires_at).strftime("%Y-%m-%d %H:%M")
    text = f"Emergency access until {until}: {grant.threat}"
    assert rows["Tess Turner"] == {"Directory": [text], "Health": [text]}


def test_it_writes_one_read_entry_naming_the_student(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.officer)
    before = _last_seq()
    client.get(_who_url(district.ann))
    [entry] = Entry.objects.filter(seq__gt=before)
    assert entry.action == Action.READ
    assert entry.actor_user_id == users.officer.pk
    assert entry.actor_role == "privacy_officer"
    assert entry.scopes == "directory"
    assert entry.purpose == "access transparency review"
    assert entry.subject_count == 1
    about_ann = queries.search(student=district.ann.pk).filter(seq__gt=before)
    assert list(about_ann.values_list("seq", flat=True)) == [entry.seq]


def test_it_answers_404_for_an_unknown_student_and_writes_nothing(
    client_as: Login, users: SimpleNamespace
) -> None:
    client = client_as(users.officer)
    before = _last_seq()
    assert client.get(_who_url(999_999)).status_code == 404
    assert Entry.objects.filter(seq__gt=before).count() == 0


# --- the access policy ---------------------------------------------------------------------------


def test_it_shows_the_officer_the_default_policy(client_as: Login, users: SimpleNamespace) -> None:
    response = client_as(users.officer).get(POLICY)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["rule_0"].initial == sorted(DEFAULT_POLICY.rules[0].scopes)
    assert form["grace_0"].initial == 30
    assert "was never changed" in response.content.decode()


def test_it_changes_the_policy_and_records_the_change(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    teacher_view = reverse("student-record", args=[district.ann.pk])
    assert "attendance" in [
        p["part"].scope for p in client_as(users.teacher).get(teacher_view).context["parts"]
    ]
    client = client_as(users.officer)
    before = _last_seq()
    response = client.post(POLICY, _without_attendance_for_teachers())
    assert response.status_code == 302
    assert response["Location"] == POLICY

    revision = PolicyRevision.objects.get()
    assert revision.changed_by_id == users.officer.pk
    assert revision.note == "Attendance is the office's job"
    stored = Policy.from_dict(revision.policy)
    assert stored.rules[0].scopes == DEFAULT_POLICY.rules[0].scopes - {"attendance"}
    assert stored.rules[0].grace_days == 30
    assert stored.rules[1:] == DEFAULT_POLICY.rules[1:]

    [entry] = Entry.objects.filter(seq__gt=before)
    assert entry.action == Action.CHANGE
    assert entry.actor_user_id == users.officer.pk
    detail = json.loads(entry.detail)
    assert detail["policy_revision"] == revision.pk
    assert "attendance" in detail["before"]["rules"][0]["scopes"]
    assert "attendance" not in detail["after"]["rules"][0]["scopes"]
    assert detail["note"] == "Attendance is the office's job"

    response = client_as(users.teacher).get(teacher_view)
    parts = [p["part"].scope for p in response.context["parts"]]
    assert "attendance" not in parts
    assert "directory" in parts
    assert "Attendance" in response.context["withheld"]

    history = client_as(users.officer).get(POLICY)
    assert history.context["history"] == [revision]
    assert "Attendance is the office&#x27;s job" in history.content.decode()


def test_it_changes_the_teachers_grace_period(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    # Old Algebra ended ten days ago: with a grace period of five days Tess sees Ann through
    # Grade 3 Math only.
    data = _policy_form(DEFAULT_POLICY, note="Shorter grace")
    data["grace_0"] = "5"
    assert client_as(users.officer).post(POLICY, data).status_code == 302
    response = client_as(users.teacher).get(reverse("student-record", args=[district.ann.pk]))
    [directory] = [p for p in response.context["parts"] if p["part"].scope == "directory"]
    assert len(directory["reasons"]) == 1
    assert directory["reasons"][0].startswith("Via section Grade 3 Math")


def test_it_writes_nothing_when_the_policy_does_not_change(
    client_as: Login, users: SimpleNamespace
) -> None:
    client = client_as(users.officer)
    before = _last_seq()
    response = client.post(POLICY, _policy_form(DEFAULT_POLICY))
    assert response.status_code == 302
    assert not PolicyRevision.objects.exists()
    assert Entry.objects.filter(seq__gt=before).count() == 0


def test_it_refuses_a_change_without_a_note(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.officer)
    before = _last_seq()
    data = _without_attendance_for_teachers()
    del data["note"]
    response = client.post(POLICY, data)
    assert response.status_code == 400
    assert "note" in response.context["form"].errors
    assert not PolicyRevision.objects.exists()
    assert Entry.objects.filter(seq__gt=before).count() == 0
    teacher_view = client_as(users.teacher).get(reverse("student-record", args=[district.ann.pk]))
    assert "attendance" in [p["part"].scope for p in teacher_view.context["parts"]]


def test_it_refuses_an_unknown_record_part(client_as: Login, users: SimpleNamespace) -> None:
    data = _without_attendance_for_teachers()
    data["rule_0"] = [*data["rule_0"], "shoe_size"]
    response = client_as(users.officer).post(POLICY, data)
    assert response.status_code == 400
    assert "rule_0" in response.context["form"].errors
    assert not PolicyRevision.objects.exists()


# --- pinned query counts -------------------------------------------------------------------------


@pytest.mark.parametrize("extra_teachers", [0, 10])
def test_who_can_see_runs_a_pinned_number_of_queries(
    client_as: Login,
    users: SimpleNamespace,
    district: SimpleNamespace,
    django_assert_num_queries: Callable[..., Any],
    extra_teachers: int,
) -> None:
    for number in range(extra_teachers):
        member = f.staff(district.run, "Extra", f"Teacher{number:02d}")
        f.enroll(district.run, member, district.math, f.days(-60))
    client = client_as(users.officer)
    url = _who_url(district.ann)
    client.get(url)  # builds the access index for this roster stamp
    with django_assert_num_queries(WHO_CAN_SEE_QUERIES):
        response = client.get(url)
    assert len(response.context["rows"]) == 5 + extra_teachers


@pytest.mark.parametrize("grants", [1, 5])
def test_the_queue_runs_a_pinned_number_of_queries(
    client_as: Login,
    users: SimpleNamespace,
    district: SimpleNamespace,
    django_assert_num_queries: Callable[..., Any],
    grants: int,
) -> None:
    made = [_grant(users, district, district.ben) for _ in range(grants)]
    for grant in made[1:]:
        grant.outcome = BreakGlassGrant.Outcome.JUSTIFIED
        grant.reviewed_by = users.officer
        grant.reviewed_at = timezone.now()
        grant.review_note = "Fine."
        grant.save()
    client = client_as(users.officer)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(QUEUE)
    assert len(response.context["pending"]) == 1
    assert len(response.context["reviewed"]) == grants - 1


def test_the_lookup_logs_the_students_it_lists_as_one_directory_read(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.officer)
    before = _last_seq()
    client.get(LOOKUP, {"q": "Avery"})
    [entry] = Entry.objects.filter(seq__gt=before)
    assert (entry.action, entry.scopes, entry.purpose) == (
        Action.READ,
        "directory",
        "access transparency lookup",
    )
    assert entry.subject_count == 4  # Ann, Ben, Dan and Eve Avery
    assert queries.search(student=district.dan.pk).filter(seq__gt=before).exists()
    client.get(LOOKUP, {"q": "Nobody"})
    assert Entry.objects.filter(seq__gt=entry.seq).count() == 0  # nothing listed, nothing read
