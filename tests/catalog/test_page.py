"""The public "What we collect and why" page (R137): anyone may read it, it costs no queries."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.contrib.auth.models import User
from django.test import Client

from steward.catalog import elements

URL = "/privacy/data/"
NumQueries = Callable[[int], AbstractContextManager[object]]


def test_it_is_open_to_anonymous_visitors_without_a_single_query(
    client: Client, db: None, django_assert_num_queries: NumQueries
) -> None:
    with django_assert_num_queries(0):
        response = client.get(URL)
    assert response.status_code == 200
    assert "catalog/data.html" in [t.name for t in response.templates]
    assert "base.html" in [t.name for t in response.templates]


def test_it_renders_with_no_database_access_allowed_at_all(client: Client) -> None:
    # No `db` fixture: any query would raise, so the page is safe to cache or serve statically.
    assert client.get(URL).status_code == 200


def test_it_lists_known_elements_with_class_sensitivity_and_massachusetts_part(
    client: Client, db: None
) -> None:
    html = client.get(URL).content.decode()
    assert "What we collect and why" in html
    assert 'id="element-roster.Student.given_name"' in html
    assert 'id="element-roster.SpecialIndicators.homeless"' in html
    assert 'id="element-roster.Guardian.phone"' in html
    assert "Experiencing homelessness" in html
    assert "student information (personally identifiable)" in html
    assert "temporary record" in html
    assert "transcript" in html
    assert "may be designated" in html


def test_it_groups_by_record_part_and_says_so_when_a_part_holds_nothing_yet(
    client: Client, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    html = client.get(URL).content.decode()
    directory = html.index('id="part-directory"')
    indicators = html.index('id="part-special_indicators"')
    assert directory < html.index("element-roster.Student.given_name") < indicators
    assert indicators < html.index("element-roster.SpecialIndicators.iep")
    discipline = html[html.index('id="part-discipline"') : html.index('id="part-health"')]
    assert 'id="element-records.DisciplineIncident.kind"' in discipline
    # Every part holds fields today; a part without any says so.
    without = tuple(e for e in elements.ELEMENTS if e.scope != "discipline")
    monkeypatch.setattr(elements, "ELEMENTS", without)
    html = client.get(URL).content.decode()
    discipline = html[html.index('id="part-discipline"') : html.index('id="part-health"')]
    assert "Steward holds no information of this kind yet." in discipline


def test_signed_in_users_see_the_same_page(client: Client, db: None) -> None:
    client.force_login(User.objects.create_user("reader"))
    response = client.get(URL)
    assert response.status_code == 200
    assert "Signed in as" in response.content.decode()


@pytest.mark.parametrize("url", [URL, "/privacy/data.json", "/privacy/data.csv"])
def test_it_refuses_to_be_posted_to(client: Client, url: str) -> None:
    assert client.post(url).status_code == 405
