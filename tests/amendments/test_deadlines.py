"""Our rows on the privacy office's deadlines dashboard (issue #8 item 3; R34, R36)."""

from __future__ import annotations

from types import SimpleNamespace

from steward.amendments import deadlines
from steward.amendments.actions.hearings import do_request_hearing, do_schedule_hearing
from tests.amendments.helpers import at, refuse_all, request_absence
from tests.web import factories as f


def test_the_source_is_registered_once_with_the_dashboard() -> None:
    from steward.requests.deadlines import SOURCES

    deadlines.register()
    assert SOURCES.count(deadlines.rows) == 1


def test_each_open_request_shows_what_is_owed_and_by_when(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    made = request_absence(district, users.gail)
    [(kind, student, due, url, label)] = deadlines.rows()
    assert (kind, student, due) == ("Amendment request", district.ann, made.due_on)
    assert url == f"/officer/amendments/{made.pk}/"
    assert label == f"#{made.pk}: decide each item"
    refuse_all(made, users.olivia)
    assert deadlines.rows() == []  # refused, no hearing asked: nothing owed
    made.refresh_from_db()
    hearing = do_request_hearing(made, users.gail)
    [(kind, _s, due, _u, label)] = deadlines.rows()
    assert (kind, due) == ("Amendment hearing", hearing.due_on)
    do_schedule_hearing(
        hearing, users.hugo, starts_at=at(12), place="Room 1", officer_user=users.hugo,
        attested=True,
    )  # fmt: skip
    [(_k, _s, due, _u, label)] = deadlines.rows()
    assert due == f.days(12)
    assert label.startswith(f"#{made.pk}: hearing scheduled")
