"""status_for and can_post: the four statuses, the reasons, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from steward.media import actions, selectors
from steward.media.models import MediaUse
from tests.web import factories as f

from .conftest import answers, sign, year

Status = selectors.Status


def test_the_school_year_starts_on_july_first() -> None:
    tz = timezone.get_current_timezone()
    assert selectors.school_year(dt.datetime(2026, 6, 30, 12, tzinfo=tz)) == "2025-2026"
    assert selectors.school_year(dt.datetime(2026, 7, 1, 12, tzinfo=tz)) == "2026-2027"


def test_status_covers_allowed_denied_revoked_and_no_release(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    sign(users.gail, district.ana, answers(True, outside_news_media=False))
    actions.do_revoke_media_use(district.ana, "newsletters", users.gail)
    ids = [district.ana.pk, district.ben.pk]
    status = selectors.status_for(ids, year())
    assert status[district.ana.pk]["portfolios"] == Status.ALLOWED
    assert status[district.ana.pk]["outside_news_media"] == Status.DENIED
    assert status[district.ana.pk]["newsletters"] == Status.REVOKED
    assert set(status[district.ben.pk].values()) == {Status.NO_RELEASE}
    assert len(status[district.ben.pk]) == 15


def test_a_release_for_another_school_year_does_not_count(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    sign(users.gail, district.ana)
    status = selectors.status_for([district.ana.pk], "2001-2002")
    assert set(status[district.ana.pk].values()) == {Status.NO_RELEASE}


def test_a_use_the_district_adds_later_has_no_answer_yet(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    sign(users.gail, district.ana)
    MediaUse.objects.create(key="robotics_livestream", label="Robotics livestream", order=999)
    status = selectors.status_for([district.ana.pk], year())
    assert status[district.ana.pk]["robotics_livestream"] == Status.NO_RELEASE


def test_can_post_says_who_is_cleared_and_why(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    sign(users.gail, district.ana, answers(True, name_with_photo=False))
    sign(users.gus, district.cal)
    actions.do_revoke_media_use(district.cal, "newsletters", users.gus)
    ids = [district.ana.pk, district.ben.pk, district.cal.pk]
    rows = selectors.can_post(ids, "newsletters")
    assert [(pk, cleared) for pk, cleared, _r in rows] == [
        (district.ana.pk, True),
        (district.ben.pk, False),
        (district.cal.pk, False),
    ]
    assert rows[0][2].startswith("Allowed on the release signed")
    assert rows[1][2] == f"No media release on file for {year()}."
    assert rows[2][2].startswith("Withdrawn by the family on")
    [(_pk, cleared, why)] = selectors.can_post([district.ana.pk], "name_with_photo")
    assert not cleared and why.startswith("Not allowed on the release signed")


def test_can_post_refuses_an_unknown_use(district: SimpleNamespace) -> None:
    with pytest.raises(ValueError):
        selectors.can_post([district.ana.pk], "billboards")


def test_status_and_can_post_take_a_fixed_number_of_queries(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    sign(users.gail, district.ana)
    many = [f.student(district.run, f"Kid{i}", "Many").pk for i in range(30)]
    ids = [district.ana.pk, *many]
    with CaptureQueriesContext(connection) as few_status:
        selectors.status_for(ids[:2], year())
    with CaptureQueriesContext(connection) as lots_status:
        selectors.status_for(ids, year())
    assert len(few_status) == len(lots_status) <= 4
    with CaptureQueriesContext(connection) as posted:
        selectors.can_post(ids, "portfolios")
    assert len(posted) <= 4
