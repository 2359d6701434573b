"""Every path of the OneRoster 1.2 rostering document, answered and valid against its schema
(issue #7 item 3), with paging headers, filter, sort and fields."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from steward.roster.models import AcademicSession, Enrollment
from tests.rostering import schema
from tests.rostering.factories import Api


@pytest.fixture
def ids(world: SimpleNamespace, api: Api) -> dict[str, str]:
    period = AcademicSession.objects.create(
        sourced_id="gp-1", last_import=world.run, title="Q1", type="gradingPeriod",
        start_date=world.term.start_date, end_date=world.term.end_date,
        school_year=world.term.school_year, parent=world.term,
        parent_sourced_id=world.term.sourced_id,
    )  # fmt: skip
    enrollment = Enrollment.objects.filter(student=world.ana).get()
    return {
        "sourcedId": "",
        "schoolSourcedId": world.adams.sourced_id,
        "classSourcedId": world.homeroom.sourced_id,
        "courseSourcedId": world.homeroom.course.sourced_id,
        "studentSourcedId": world.ana.sourced_id,
        "teacherSourcedId": world.tess.sourced_id,
        "termSourcedId": world.term.sourced_id,
        "userSourcedId": world.ana.sourced_id,
        "gradingPeriod": period.sourced_id,
        "enrollment": enrollment.sourced_id,
    }


# The object each single-object path is asked for.
_ONE = {
    "/academicSessions/{sourcedId}": "termSourcedId",
    "/classes/{sourcedId}": "classSourcedId",
    "/courses/{sourcedId}": "courseSourcedId",
    "/demographics/{sourcedId}": "studentSourcedId",
    "/enrollments/{sourcedId}": "enrollment",
    "/gradingPeriods/{sourcedId}": "gradingPeriod",
    "/orgs/{sourcedId}": "schoolSourcedId",
    "/schools/{sourcedId}": "schoolSourcedId",
    "/students/{sourcedId}": "studentSourcedId",
    "/teachers/{sourcedId}": "teacherSourcedId",
    "/terms/{sourcedId}": "termSourcedId",
    "/users/{sourcedId}": "userSourcedId",
}


def _url(path: str, ids: dict[str, str]) -> str:
    if path in _ONE:
        return path.replace("{sourcedId}", ids[_ONE[path]])
    for name, value in ids.items():
        path = path.replace("{" + name + "}", value)
    return path


def _items(body: dict[str, Any]) -> Any:
    (value,) = body.values()
    return value


@pytest.mark.parametrize("path", sorted(schema.document()["paths"]))
def test_every_path_of_the_document_answers_with_a_valid_non_empty_body(
    path: str, api: Api, ids: dict[str, str]
) -> None:
    response = api.get(_url(path, ids))
    assert response.status_code == 200, (path, response.content)
    body = response.json()
    schema.validate(body, schema.response_component(path))
    items = _items(body)
    assert items, f"{path} should not be empty in the model district"
    if isinstance(items, list):
        assert int(response["X-Total-Count"]) >= len(items)
        assert 'rel="first"' in response["Link"]


def test_the_document_has_forty_one_paths_and_each_is_served() -> None:
    from steward.rostering.api import api as ninja_api

    served = {
        "/" + str(pattern.pattern).rstrip("$").replace("<", "{").replace(">", "}")
        for pattern in ninja_api.urls[0]
    }
    documented = set(schema.document()["paths"])
    assert len(documented) == 41
    assert not {p.replace("{", "").replace("}", "") for p in documented} - {
        p.replace("{", "").replace("}", "") for p in served
    }


def test_a_students_agents_are_their_guardians_and_agent_for_goes_back(
    api: Api, world: SimpleNamespace
) -> None:
    agents = api.get(f"/users/{world.ana.sourced_id}/agents").json()["users"]
    assert [u["sourcedId"] for u in agents] == [world.gail.sourced_id]  # Rex is barred (R17)
    schema.validate({"users": agents}, "UserSetDType")
    children = api.get(f"/users/{world.gail.sourced_id}/agentFor").json()["users"]
    assert [u["sourcedId"] for u in children] == [world.ana.sourced_id]


def test_paging_sets_the_total_and_the_first_prev_next_last_links(api: Api) -> None:
    response = api.get("/users", limit=2, offset=2)
    assert response.status_code == 200
    total = int(response["X-Total-Count"])
    assert total == 4 + 3 + 2  # students, teachers, guardians in the plan (not Rex)
    assert len(response.json()["users"]) == 2
    links = {
        part.split('rel="')[1].rstrip('"'): parse_qs(urlparse(part.split(">")[0][1:]).query)
        for part in response["Link"].split(", ")
    }
    assert links["first"]["offset"] == ["0"]
    assert links["prev"]["offset"] == ["0"]
    assert links["next"]["offset"] == ["4"]
    assert links["last"]["offset"] == ["8"]
    assert links["next"]["limit"] == ["2"]


def test_pages_cover_every_row_once(api: Api) -> None:
    seen = []
    for offset in range(0, 9, 4):
        seen += [u["sourcedId"] for u in api.get("/users", limit=4, offset=offset).json()["users"]]
    assert len(seen) == len(set(seen)) == 9


def test_it_filters_on_email_and_on_status(api: Api, world: SimpleNamespace) -> None:
    found = api.get("/users", filter="email='ana@students.example.org'").json()["users"]
    assert [u["sourcedId"] for u in found] == [world.ana.sourced_id]
    classes = api.get(f"/teachers/{world.tess.sourced_id}/classes", filter="status='active'")
    assert [c["sourcedId"] for c in classes.json()["classes"]] == [world.homeroom.sourced_id]


def test_it_filters_with_and_or_and_references(api: Api, world: SimpleNamespace) -> None:
    found = api.get(
        "/classes", filter=f"school.sourcedId='{world.adams.sourced_id}' AND title~'art'"
    ).json()["classes"]
    assert [c["title"] for c in found] == ["Art"]
    found = api.get("/students", filter="givenName='Ana' OR givenName='Dee'").json()["users"]
    assert sorted(u["givenName"] for u in found) == ["Ana", "Dee"]


def test_it_sorts_across_students_teachers_and_guardians(api: Api) -> None:
    names = [u["familyName"] for u in api.get("/users", sort="familyName").json()["users"]]
    assert names == sorted(names)
    names = [
        u["givenName"] for u in api.get("/users", sort="givenName", orderBy="desc").json()["users"]
    ]
    assert names == sorted(names, reverse=True)


def test_fields_returns_only_the_fields_asked(api: Api) -> None:
    response = api.get("/users", fields="sourcedId,familyName")
    users = response.json()["users"]
    assert users and all(set(u) == {"sourcedId", "familyName"} for u in users)
    schema.validate(response.json(), "UserSetDType", partial=True)


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"fields": "familyName,shoeSize"}, "invalid_selection_field"),
        ({"filter": "shoeSize='9'"}, "invalid_filter_field"),
        ({"filter": "familyName='unclosed"}, "invalid_filter_field"),
        ({"filter": "status>'active'"}, "invalid_filter_field"),
        ({"filter": "dateLastModified>'yesterday'"}, "invalid_filter_field"),
        ({"sort": "password"}, "invalid_selection_field"),
        ({"limit": "0"}, "invaliddata"),
    ],
)
def test_bad_parameters_are_400_with_the_code_minor(
    api: Api, params: dict[str, str], code: str
) -> None:
    response = api.get("/users", **params)
    assert response.status_code == 400
    body = response.json()
    schema.validate(body, "imsx_StatusInfoDType")
    assert body["imsx_CodeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == code


def test_date_last_modified_filters_compare_times(api: Api) -> None:
    assert api.get("/orgs", filter="dateLastModified>'2000-01-01T00:00:00Z'").json()["orgs"]
    assert not api.get("/orgs", filter="dateLastModified>'2999-01-01'").json()["orgs"]


def test_an_unknown_object_is_404_with_an_imsx_body(api: Api) -> None:
    response = api.get("/classes/no-such-class")
    assert response.status_code == 404
    schema.validate(response.json(), "imsx_StatusInfoDType")
    assert api.get("/classes/no-such-class/students").status_code == 404


def test_it_filters_users_on_their_role(api: Api, world: SimpleNamespace) -> None:
    teachers = api.get("/users", filter="role='teacher'").json()["users"]
    assert sorted(u["givenName"] for u in teachers) == ["Lena", "Omar", "Tess"]
    parents = api.get("/users", filter="roles.role='parent'").json()["users"]
    assert sorted(u["givenName"] for u in parents) == ["Gail", "Gus"]
    others = api.get("/users", filter="role!='student'").json()["users"]
    assert "Ana" not in {u["givenName"] for u in others} and len(others) == 5


def test_enrollments_filter_on_their_class_and_sort_by_date(
    api: Api, world: SimpleNamespace
) -> None:
    found = api.get(
        "/enrollments", filter=f"class.sourcedId='{world.homeroom.sourced_id}' AND role='student'"
    ).json()["enrollments"]
    assert len(found) == 2
    assert api.get("/enrollments", sort="beginDate", orderBy="desc").status_code == 200
