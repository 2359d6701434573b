"""What each staff role's home page shows, and what it must not."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

Login = Callable[[User], Client]


def _home(client_as: Login, user: User) -> str:
    response = client_as(user).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_privacy_officer_every_open_school_with_its_section_count(
    client_as: Login, users: SimpleNamespace
) -> None:
    response = client_as(users.officer).get(reverse("home"))
    rows = [(s.name, s.section_count) for s in response.context["schools"]]
    # Adams: Math, Reading, Old Algebra, Advisory (Cancelled Art is inactive); Baker: Science.
    assert rows == [("Adams Elementary", 4), ("Baker Middle", 1)]
    assert "Old Mill School" not in response.content.decode()


def test_it_shows_the_privacy_officer_no_names_and_no_sections(
    client_as: Login, users: SimpleNamespace
) -> None:
    html = _home(client_as, users.officer)
    for name in ["Ann", "Avery", "Tess", "Turner", "Grade 3 Math", "Science 7"]:
        assert name not in html


def test_it_shows_a_principal_the_sections_of_their_school(
    client_as: Login, users: SimpleNamespace
) -> None:
    html = _home(client_as, users.principal)
    assert "Adams Elementary" in html
    for title in ["Grade 3 Math", "Grade 3 Reading", "Old Algebra", "Advisory 3A"]:
        assert title in html


def test_it_hides_sections_of_other_schools_from_a_principal(
    client_as: Login, users: SimpleNamespace
) -> None:
    html = _home(client_as, users.principal)
    assert "Baker Middle" not in html
    assert "Science 7" not in html
    assert "Cancelled Art" not in html


def test_it_shows_a_former_principal_no_school(client_as: Login, users: SimpleNamespace) -> None:
    response = client_as(users.former_principal).get(reverse("home"))
    assert response.context["school_sections"] == []
    assert "Science 7" not in response.content.decode()
    assert "You are not currently the principal of a school." in response.content.decode()


def test_it_lists_a_teachers_own_sections_with_their_terms(
    client_as: Login, users: SimpleNamespace
) -> None:
    response = client_as(users.teacher).get(reverse("home"))
    [math] = response.context["sections"]
    assert (math.title, math.course_title, math.school_name, math.periods) == (
        "Grade 3 Math",
        "Mathematics 3",
        "Adams Elementary",
        "2",
    )
    assert sorted(math.terms) == ["Fall term", "Spring term"]
    html = response.content.decode()
    assert "Grade 3 Math" in html and "Fall term" in html
    assert [s.name for s in response.context["schools"]] == ["Adams Elementary"]


def test_it_hides_another_teachers_sections_from_a_teacher(
    client_as: Login, users: SimpleNamespace
) -> None:
    html = _home(client_as, users.teacher)
    assert "Grade 3 Reading" not in html
    assert "Science 7" not in html


def test_it_hides_a_section_whose_enrollment_has_ended_from_a_teacher(
    client_as: Login, users: SimpleNamespace
) -> None:
    assert "Old Algebra" not in _home(client_as, users.teacher)


def test_it_shows_a_teacher_of_two_schools_both_schools(
    client_as: Login, users: SimpleNamespace
) -> None:
    response = client_as(users.other_teacher).get(reverse("home"))
    assert [s.name for s in response.context["schools"]] == ["Adams Elementary", "Baker Middle"]
    assert [s.title for s in response.context["sections"]] == ["Grade 3 Reading", "Science 7"]


def test_it_shows_a_teacher_no_student_names(client_as: Login, users: SimpleNamespace) -> None:
    html = _home(client_as, users.teacher)
    assert "Ann" not in html and "Cara" not in html


def test_it_shows_a_counselor_the_size_of_their_current_caseload_but_no_names(
    client_as: Login, users: SimpleNamespace
) -> None:
    response = client_as(users.counselor).get(reverse("home"))
    assert response.context["caseload_size"] == 2  # Ann and Cara; Dan's assignment ended
    html = response.content.decode()
    assert "2 students are on your caseload." in html
    for name in ["Ann", "Cara", "Dan", "Avery", "Cole"]:
        assert name not in html


def test_it_shows_a_counselor_their_school_and_sections(
    client_as: Login, users: SimpleNamespace
) -> None:
    response = client_as(users.counselor).get(reverse("home"))
    assert [s.name for s in response.context["schools"]] == ["Adams Elementary"]
    assert [s.title for s in response.context["sections"]] == ["Advisory 3A"]
    assert "Grade 3 Math" not in response.content.decode()


def test_it_shows_special_education_staff_their_sections_and_caseload_size(
    client_as: Login, users: SimpleNamespace
) -> None:
    response = client_as(users.sped).get(reverse("home"))
    assert [s.title for s in response.context["sections"]] == ["Grade 3 Reading"]
    assert response.context["caseload_size"] == 1
    html = response.content.decode()
    assert "1 student is on your caseload." in html
    assert "Grade 3 Math" not in html and "Ann" not in html


def test_it_shows_a_nurse_their_school_only(client_as: Login, users: SimpleNamespace) -> None:
    response = client_as(users.nurse).get(reverse("home"))
    assert [s.name for s in response.context["schools"]] == ["Baker Middle"]
    html = response.content.decode()
    assert "Science 7" not in html
    assert "Adams Elementary" not in html
    assert "caseload" not in html.lower()


def test_it_shows_staff_pages_nothing_of_the_district_overview(
    client_as: Login, users: SimpleNamespace
) -> None:
    for user in [users.teacher, users.nurse, users.counselor, users.principal]:
        response = client_as(user).get(reverse("home"))
        assert "District overview" not in response.content.decode()
        assert "Schools of the district" not in response.content.decode()


def test_it_shows_a_staff_account_without_a_roster_row_an_empty_page(
    client_as: Login, db: None
) -> None:
    from steward.accounts.models import Account

    from . import factories as f

    user = f.login("unlinked", Account.Role.TEACHER)
    response = client_as(user).get(reverse("home"))
    assert response.status_code == 200
    assert response.context["sections"] == [] and response.context["schools"] == []
    assert "You have no current sections." in response.content.decode()
