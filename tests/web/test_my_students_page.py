"""The "My students" page, /students/: every student a staff member may see today.

Four states: anonymous (login), a role without a staff row (403), staff seeing only their own
students, and the groups and search that narrow the list. The list is the directory view the
relationships already grant: it writes no ledger entries. Its query count is pinned and does
not grow with the number of students.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from steward.audit.models import Entry

from . import factories as f

Login = Callable[[User], Client]
URL = reverse("my-students")

# Pinned (measured): session, user, the second factor's device (R33), account; roster stamp;
# open break-glass grants; the three group queries (sections, caseload kinds, schools); the
# paginator's count and the page's rows.
# The same for 2 students as for 60: no query per student.
MY_STUDENTS_QUERIES = 11


def _names(response: Any) -> list[str]:
    return [s.display_name for s in response.context["page"].object_list]


def _add_students_to_math(district: SimpleNamespace, count: int) -> None:
    for number in range(count):
        pupil = f.student(district.run, "Extra", f"Pupil{number:03d}")
        f.attend(district.run, pupil, district.north, f.days(-60))
        f.enroll(district.run, pupil, district.math, f.days(-60))


def test_it_sends_an_anonymous_visitor_to_the_login_page(client: Client, db: None) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["guardian", "officer", "no_role"])
def test_it_refuses_a_user_who_is_not_a_member_of_staff(
    client_as: Login, users: SimpleNamespace, who: str
) -> None:
    response = client_as(getattr(users, who)).get(URL)
    assert response.status_code == 403
    assert "Ann" not in response.content.decode()


def test_it_lists_a_teachers_students_and_no_one_else(
    client_as: Login, users: SimpleNamespace
) -> None:
    response = client_as(users.teacher).get(URL)
    assert response.status_code == 200
    assert _names(response) == ["Ann Avery", "Cara Cole"]
    assert response.context["visible_count"] == 2
    html = response.content.decode()
    for name in ["Ben", "Dan", "Eve"]:
        assert name not in html


def test_it_links_each_student_to_their_record(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    html = client_as(users.teacher).get(URL).content.decode()
    assert f'href="{reverse("student-record", args=[district.ann.pk])}"' in html
    assert f'href="{reverse("student-record", args=[district.ben.pk])}"' not in html


def test_it_offers_a_teacher_their_current_sections_and_schools_as_groups(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    response = client_as(users.teacher).get(URL)
    groups = [(g.key, g.label) for g in response.context["groups"]]
    # Old Algebra ended ten days ago: no longer a group, though its grace period still grants.
    assert groups == [
        (f"section-{district.math.pk}", "Grade 3 Math"),
        (f"school-{district.north.pk}", "Adams Elementary"),
    ]


def test_it_narrows_the_list_to_one_section(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    response = client_as(users.other_teacher).get(URL)
    assert _names(response) == ["Ann Avery", "Ben Avery", "Dan Avery", "Eve Avery"]
    response = client_as(users.other_teacher).get(URL, {"group": f"section-{district.science.pk}"})
    assert _names(response) == ["Ben Avery"]
    assert response.context["group"] == f"section-{district.science.pk}"


def test_it_narrows_a_teachers_list_to_the_math_section(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    response = client_as(users.teacher).get(URL, {"group": f"section-{district.math.pk}"})
    assert _names(response) == ["Ann Avery", "Cara Cole"]
    assert f'value="section-{district.math.pk}" selected' in response.content.decode()


def test_it_ignores_a_group_that_is_not_the_users_own(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    response = client_as(users.teacher).get(URL, {"group": f"section-{district.science.pk}"})
    assert response.context["group"] == ""
    assert _names(response) == ["Ann Avery", "Cara Cole"]


def test_it_narrows_a_counselors_list_to_the_caseload(
    client_as: Login, users: SimpleNamespace
) -> None:
    response = client_as(users.counselor).get(URL, {"group": "caseload-counselor"})
    assert _names(response) == ["Ann Avery", "Cara Cole"]  # Dan left the caseload last week


def test_it_searches_by_name(client_as: Login, users: SimpleNamespace) -> None:
    response = client_as(users.teacher).get(URL, {"q": "Cara"})
    assert _names(response) == ["Cara Cole"]
    assert response.context["q"] == "Cara"


def test_it_never_finds_a_student_outside_the_list_by_searching(
    client_as: Login, users: SimpleNamespace
) -> None:
    response = client_as(users.teacher).get(URL, {"q": "Ben"})
    assert _names(response) == []
    assert 'id="no-students"' in response.content.decode()


def test_it_lists_every_student_of_the_school_for_the_principal(
    client_as: Login, users: SimpleNamespace
) -> None:
    response = client_as(users.principal).get(URL)
    assert _names(response) == ["Ann Avery", "Dan Avery", "Eve Avery", "Cara Cole"]
    assert "Ben" not in response.content.decode()


def test_it_lists_the_nurse_the_students_of_her_school(
    client_as: Login, users: SimpleNamespace
) -> None:
    assert _names(client_as(users.nurse).get(URL)) == ["Ben Avery"]


def test_it_lists_no_one_for_a_former_principal(client_as: Login, users: SimpleNamespace) -> None:
    response = client_as(users.former_principal).get(URL)
    assert response.status_code == 200
    assert _names(response) == []
    assert 'id="no-students"' in response.content.decode()


def test_it_pages_a_long_list_fifty_at_a_time(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    _add_students_to_math(district, 60)
    client = client_as(users.teacher)
    first = client.get(URL)
    assert first.context["visible_count"] == 62
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.num_pages == 2
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(URL, {"page": 2})
    assert len(second.context["page"].object_list) == 12
    assert set(_names(first)).isdisjoint(_names(second))
    # By family name, then given name: Avery and Cole come before the Pupils.
    assert _names(first)[:2] == ["Ann Avery", "Cara Cole"]
    assert _names(second)[-1] == "Extra Pupil059"
    assert "Page 2 of 2" in second.content.decode()


def test_it_keeps_the_group_and_search_in_the_page_links(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    _add_students_to_math(district, 60)
    group = f"section-{district.math.pk}"
    response = client_as(users.teacher).get(URL, {"group": group, "q": "Extra"})
    assert response.context["page"].paginator.count == 60
    assert f"?group={group}&amp;q=Extra&amp;page=2" in response.content.decode()


def test_it_writes_no_ledger_entries(client_as: Login, users: SimpleNamespace) -> None:
    client = client_as(users.principal)
    before = Entry.objects.count()
    client.get(URL)
    client.get(URL, {"q": "Ann"})
    assert Entry.objects.count() == before


@pytest.mark.parametrize("extra", [0, 58])
def test_the_list_runs_a_pinned_number_of_queries_whatever_its_length(
    client_as: Login,
    users: SimpleNamespace,
    district: SimpleNamespace,
    django_assert_num_queries: Callable[..., Any],
    extra: int,
) -> None:
    _add_students_to_math(district, extra)
    client = client_as(users.teacher)
    client.get(URL)  # builds the access index for this roster stamp
    with django_assert_num_queries(MY_STUDENTS_QUERIES):
        response = client.get(URL)
    assert response.context["visible_count"] == 2 + extra
