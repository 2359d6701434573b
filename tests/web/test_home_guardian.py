"""The guardian's home page: their children, never a restricted child or someone else's."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

Login = Callable[[User], Client]


def test_it_shows_a_guardian_their_children_with_schools_and_current_sections(
    client_as: Login, users: SimpleNamespace
) -> None:
    response = client_as(users.guardian).get(reverse("home"))
    children = {c.name: c for c in response.context["children"]}
    assert list(children) == ["Ann Avery", "Ben Avery"]
    ann, ben = children["Ann Avery"], children["Ben Avery"]
    assert [s.name for s in ann.schools] == ["Adams Elementary"]
    assert [s.title for s in ann.sections] == ["Grade 3 Math", "Grade 3 Reading"]
    assert [s.name for s in ben.schools] == ["Baker Middle"]
    assert [s.title for s in ben.sections] == ["Science 7"]
    assert ben.grade == "07"
    html = response.content.decode()
    for text in ["Ann Avery", "Ben Avery", "Adams Elementary", "Baker Middle", "Science 7"]:
        assert text in html


def test_it_hides_a_child_whose_access_is_restricted_by_court_order(
    client_as: Login, users: SimpleNamespace
) -> None:
    html = client_as(users.guardian).get(reverse("home")).content.decode()
    assert "Dan" not in html


def test_it_hides_a_child_whose_relationship_is_inactive(
    client_as: Login, users: SimpleNamespace
) -> None:
    html = client_as(users.guardian).get(reverse("home")).content.decode()
    assert "Eve" not in html


def test_it_hides_someone_elses_child_from_a_guardian(
    client_as: Login, users: SimpleNamespace
) -> None:
    html = client_as(users.guardian).get(reverse("home")).content.decode()
    assert "Cara" not in html
    other = client_as(users.other_guardian).get(reverse("home"))
    assert [c.name for c in other.context["children"]] == ["Cara Cole"]
    assert "Ann" not in other.content.decode() and "Ben" not in other.content.decode()


def test_it_hides_an_ended_enrollment_from_a_guardian(
    client_as: Login, users: SimpleNamespace
) -> None:
    html = client_as(users.guardian).get(reverse("home")).content.decode()
    assert "Old Algebra" not in html


def test_it_shows_a_guardian_no_staff_pages(client_as: Login, users: SimpleNamespace) -> None:
    html = client_as(users.guardian).get(reverse("home")).content.decode()
    assert "Your schools" not in html
    assert "caseload" not in html.lower()
    assert "Schools of the district" not in html


def test_it_tells_a_guardian_without_visible_children_whom_to_ask(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    district.gail.relationships.update(access_restricted=True)
    response = client_as(users.guardian).get(reverse("home"))
    assert response.context["children"] == []
    assert "No children are linked to your account." in response.content.decode()
