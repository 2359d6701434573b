"""/media/can-i-post/ and /media/sections/<id>/: four states each (anonymous → login, guardian
→ 403, staff without the section or student → 404, the section's teacher → 200), what they
show, and a query count that does not grow with the class."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from steward.media import actions

from .conftest import answers, sign

Login = Callable[[User], Client]
POST_URL = "/media/can-i-post/"


def roster_url(section: object) -> str:
    return f"/media/sections/{section.pk}/"  # type: ignore[attr-defined]


def test_the_pages_live_under_media(district: SimpleNamespace) -> None:
    assert reverse("media-can-i-post") == POST_URL
    assert reverse("media-section-roster", args=[district.homeroom.pk]) == roster_url(
        district.homeroom
    )


@pytest.mark.parametrize("which", ["post", "roster"])
def test_anonymous_visitors_go_to_the_login_page(
    client: Client, district: SimpleNamespace, which: str
) -> None:
    url = POST_URL if which == "post" else roster_url(district.homeroom)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


@pytest.mark.parametrize("who", ["gail", "officer"])
@pytest.mark.parametrize("which", ["post", "roster"])
def test_accounts_that_are_not_staff_are_forbidden(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace, who: str, which: str
) -> None:
    url = POST_URL if which == "post" else roster_url(district.homeroom)
    assert client_as(getattr(users, who)).get(url).status_code == 403


def test_a_teacher_of_another_class_gets_not_found(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.art_teacher)
    assert client.get(roster_url(district.homeroom)).status_code == 404
    assert client.get(POST_URL, {"section": district.homeroom.pk}).status_code == 404
    assert client.get(POST_URL, {"student": district.ana.pk, "use": "portfolios"}).status_code == (
        404
    )
    assert client.get("/media/sections/999999/").status_code == 404


def test_the_teacher_sees_the_class_roster_with_badges(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    sign(users.gail, district.ana, answers(True, outside_news_media=False))
    actions.do_revoke_media_use(district.ana, "newsletters", users.gail)
    response = client_as(users.teacher).get(roster_url(district.homeroom))
    assert response.status_code == 200
    assert response.templates[0].name == "media/section_roster.html"
    html = response.content.decode()
    ana, ben = district.ana.pk, district.ben.pk
    assert f'data-student="{ana}"' in html and f'data-student="{ben}"' in html
    assert f'data-student="{district.cal.pk}"' not in html
    rows = {
        row.student.pk: dict((u.key, s) for u, s in row.badges) for row in response.context["rows"]
    }
    assert rows[ana]["portfolios"] == "allowed"
    assert rows[ana]["outside_news_media"] == "denied"
    assert rows[ana]["newsletters"] == "revoked"
    assert set(rows[ben].values()) == {"no_release"}
    assert "Name with photo" in html


def test_can_i_post_lists_who_is_cleared_and_why(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    sign(users.gail, district.ana)
    client = client_as(users.teacher)
    first = client.get(POST_URL)
    assert first.status_code == 200 and "Grade 3 Homeroom" in first.content.decode()
    assert "Art" not in [s.title for s in first.context["sections"]]
    response = client.get(POST_URL, {"section": district.homeroom.pk, "use": "name_with_photo"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 of 2 students are cleared." in html
    cleared = {row.student.pk: (row.cleared, row.reason) for row in response.context["rows"]}
    assert cleared[district.ana.pk][0] is True
    assert cleared[district.ben.pk] == (False, f"No media release on file for {_year()}.")
    one = client.get(POST_URL, {"student": district.ben.pk, "use": "name_with_photo"})
    assert [row.student.pk for row in one.context["rows"]] == [district.ben.pk]


def _year() -> str:
    from .conftest import year

    return year()


def test_the_roster_takes_as_many_queries_for_thirty_students_as_for_two(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    from tests.web import factories as f

    sign(users.gail, district.ana)
    client = client_as(users.teacher)
    client.get(roster_url(district.homeroom))  # warm the access index
    with CaptureQueriesContext(connection) as two:
        assert client.get(roster_url(district.homeroom)).status_code == 200
    for i in range(28):
        pupil = f.student(district.run, f"Kid{i:02d}", "Many")
        f.enroll(district.run, pupil, district.homeroom)
        f.guardian_of(district.run, district.gail, pupil)
        if i % 2:
            sign(users.gail, pupil)
    client.get(roster_url(district.homeroom))  # the roster changed: the index rebuilds once
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(roster_url(district.homeroom))
    assert len(response.context["rows"]) == 30
    assert len(thirty) == len(two), "\n".join(q["sql"][:150] for q in thirty.captured_queries)
    assert len(two) <= 13  # 12, and the second factor's device of the session (R33)
