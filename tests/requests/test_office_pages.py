"""The privacy office's request pages: four states each (anonymous → login, other roles → 403,
an unknown request → 404, the office → 200), the actions, and pinned query counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steward.audit.models import Action, Entry
from steward.requests import actions, deadlines
from steward.requests.models import AccessRequest, Channel, Kind, Status

from .conftest import DAY0, Login, at, submit

NumQueries = Callable[[int], AbstractContextManager[object]]
MISSING = 999_999


def _pages(req_pk: int, notice_pk: int = 1) -> dict[str, str]:
    return {
        "queue": reverse("requests-queue"),
        "enter": reverse("requests-enter"),
        "deadlines": reverse("requests-deadlines"),
        "detail": reverse("requests-detail", args=[req_pk]),
        "preview": reverse("requests-preview", args=[req_pk]),
        "pdf": reverse("requests-download", args=[req_pk, "pdf"]),
        "letter": reverse("requests-notice-letter", args=[req_pk, notice_pk]),
    }


@pytest.fixture
def req(users: SimpleNamespace, district: SimpleNamespace) -> AccessRequest:
    made = submit(users.nick, district.ana, affirmation="No order restricts me.")
    actions.do_make_copy(made, users.officer)
    return made


def test_the_pages_live_under_officer() -> None:
    assert reverse("requests-queue") == "/officer/requests/"
    assert reverse("requests-deadlines") == "/officer/requests/deadlines/"
    assert reverse("requests-act", args=[4, "fulfil"]) == "/officer/requests/4/do/fulfil/"


def test_anonymous_visitors_go_to_the_login_page(client: Client, req: AccessRequest) -> None:
    notice = req.custodial_notices.get()
    for url in _pages(req.pk, notice.pk).values():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), (
            url
        )
    act = reverse("requests-act", args=[req.pk, "start"])
    assert client.post(act).status_code == 302
    req.refresh_from_db()
    assert req.status == Status.IN_PROGRESS and req.assignee is not None  # unchanged by the post


@pytest.mark.parametrize("who", ["teacher", "gail", "nick"])
def test_other_roles_are_forbidden(
    client_as: Login, users: SimpleNamespace, req: AccessRequest, who: str
) -> None:
    client = client_as(getattr(users, who))
    notice = req.custodial_notices.get()
    for url in _pages(req.pk, notice.pk).values():
        assert client.get(url).status_code == 403, url
    assert (
        client.post(reverse("requests-act", args=[req.pk, "refuse"]), {"reasons": "x"}).status_code
        == 403
    )
    assert AccessRequest.objects.get().status == Status.IN_PROGRESS


def test_an_unknown_request_is_not_found(
    client_as: Login, users: SimpleNamespace, req: AccessRequest
) -> None:
    client = client_as(users.officer)
    for name in ("detail", "preview", "pdf", "letter"):
        assert client.get(_pages(MISSING)[name]).status_code == 404, name
    assert client.get(_pages(req.pk, MISSING)["letter"]).status_code == 404
    assert client.post(reverse("requests-act", args=[MISSING, "start"])).status_code == 404
    assert client.post(reverse("requests-act", args=[req.pk, "explode"])).status_code == 404
    assert client.get(reverse("requests-download", args=[req.pk, "exe"])).status_code == 404


def test_the_office_sees_the_queue_detail_preview_and_files(
    client_as: Login, users: SimpleNamespace, req: AccessRequest
) -> None:
    client = client_as(users.officer)
    queue = client.get(reverse("requests-queue")).content.decode()
    assert f'id="request-{req.pk}"' in queue and "Ana Avery" in queue and "no custody" in queue
    detail = client.get(_pages(req.pk)["detail"]).content.decode()
    assert (
        'id="release-blocked"' in detail
        and "Gail Avery" in detail
        and 'id="fulfil" disabled' in detail
    )
    before = Entry.objects.filter(action=Action.READ, actor_user_id=users.officer.pk).count()
    preview = client.get(_pages(req.pk)["preview"])
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Description of the incident" in html and "[another student]" in html
    assert "gail@example.org" not in html and "Not to be used to enroll" in html
    pdf = client.get(_pages(req.pk)["pdf"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    letter = client.get(_pages(req.pk, req.custodial_notices.get().pk)["letter"])
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF-")
    after = Entry.objects.filter(action=Action.READ, actor_user_id=users.officer.pk).count()
    assert after == before + 2  # the preview and the download are reads of the record


def test_the_office_works_a_request_through_to_release(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    req = submit(users.gail, district.ana)
    client = client_as(users.officer)

    def act(action: str, **data: object) -> str:
        response = client.post(reverse("requests-act", args=[req.pk, action]), data)
        assert response.status_code == 302
        return str(response["Location"])

    act("assign", assignee=users.otto.pk)
    req.refresh_from_db()
    assert req.assignee == users.otto
    act("start")
    assert act("copy") == reverse("requests-preview", args=[req.pk])
    assert act("fulfil") == reverse("requests-detail", args=[req.pk])
    req.refresh_from_db()
    assert req.status == Status.FULFILLED and req.released_copy is not None
    detail = client.get(reverse("requests-detail", args=[req.pk])).content.decode()
    assert 'id="actions"' not in detail and "Released" in detail


def test_a_refused_action_comes_back_as_a_message(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    req = submit(users.gail, district.ana, Kind.MEETING)
    client = client_as(users.officer)
    response = client.post(reverse("requests-act", args=[req.pk, "fulfil"]), follow=True)
    assert "Schedule the meeting first" in response.content.decode()
    response = client.post(
        reverse("requests-act", args=[req.pk, "meeting"]),
        {"when": "2026-03-05T15:00", "place": "Room 4", "with_whom": "Ms. Park"},
        follow=True,
    )
    req.refresh_from_db()
    assert req.meeting_place == "Room 4" and "scheduled" in response.content.decode()


def test_the_office_enters_a_walk_in_request(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.officer)
    assert "Ana Avery" not in client.get(reverse("requests-enter")).content.decode()
    missing = client.get(reverse("requests-enter"), {"student": "nobody"})
    assert missing.status_code == 400
    found = client.get(reverse("requests-enter"), {"student": "S-1001"})
    html = found.content.decode()
    assert found.status_code == 200 and "Gail Avery" in html and "21-day notice" in html
    assert "Rex Avery" not in html  # a court order: not a rights holder
    assert Entry.objects.filter(purpose__startswith="privacy office finding a student").count() == 1
    url = reverse("requests-enter") + "?student=S-1001"
    data = {
        "requester": str(district.gail.pk),
        "kind": Kind.COPY,
        "channel": Channel.IN_PERSON,
        "received_on": timezone.localdate().isoformat(),
        "identity_check": "",
        "notice_language": "en",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400 and not AccessRequest.objects.exists()
    made = client.post(url, data | {"identity_check": "Driver's license checked at the desk"})
    req = AccessRequest.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse("requests-detail", args=[req.pk])
    assert req.channel == Channel.IN_PERSON and req.entered_by == users.officer


def test_the_office_records_the_mailed_letter(
    client_as: Login, users: SimpleNamespace, req: AccessRequest
) -> None:
    notice = req.custodial_notices.get()
    url = reverse("requests-notice-mailed", args=[req.pk, notice.pk])
    assert client_as(users.officer).post(url).status_code == 302
    notice.refresh_from_db()
    assert notice.mailed_by == users.officer


def test_the_queue_filters(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    late = submit(users.gail, district.ana, now=at(DAY0))
    fresh = submit(users.gail, district.ana, Kind.MEETING)
    done = submit(users.gail, district.ana, Kind.INSPECTION)
    actions.do_refuse_request(done, users.officer, "Duplicate of an open request.")
    client = client_as(users.officer)

    def shown(**params: str) -> set[int]:
        return {
            r.pk for r in client.get(reverse("requests-queue"), params).context["page"].object_list
        }

    assert shown() == {late.pk, fresh.pk}
    assert shown(status="late") == {late.pk}
    assert shown(status="refused") == {done.pk}
    assert shown(status="", kind=Kind.MEETING) == {fresh.pk}
    actions.do_assign_request(fresh, users.officer, users.officer)
    assert shown(status="open", mine="on") == {fresh.pk}
    assert shown(status="open", unassigned="on") == {late.pk}


def test_the_queue_reads_a_fixed_number_of_queries(
    client_as: Login,
    users: SimpleNamespace,
    district: SimpleNamespace,
    django_assert_num_queries: NumQueries,
) -> None:
    client = client_as(users.officer)
    submit(users.gail, district.ana)
    expected = 6  # 5, and the second factor's device of the session (R33)
    with django_assert_num_queries(expected):
        client.get(reverse("requests-queue"))
    for kind in (Kind.COPY, Kind.MEETING, Kind.TRANSCRIPT):
        actions.do_assign_request(submit(users.gail, district.ana, kind), users.otto, users.officer)
    submit(users.nick, district.ana, affirmation="No order.")
    with django_assert_num_queries(expected):
        response = client.get(reverse("requests-queue"))
    assert len(response.context["page"].object_list) == 5


def test_the_deadlines_show_late_first_with_their_clock(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    today = timezone.localdate()
    very_late = submit(users.gail, district.ana, now=at(today - dt.timedelta(days=20)))
    late = submit(users.gail, district.ana, now=at(today - dt.timedelta(days=12)))
    soon = submit(users.gail, district.ana, now=at(today - dt.timedelta(days=3)))
    response = client_as(users.officer).get(reverse("requests-deadlines"))
    rows = response.context["rows"]
    urls = [r.url for r in rows]
    assert urls == [reverse("requests-detail", args=[r.pk]) for r in (very_late, late, soon)]
    assert [r.days_left for r in rows] == [-10, -2, 7]
    html = response.content.decode()
    assert "10 days late" in html and "7 days left" in html and "2 matters are late" in html
    only_late = client_as(users.officer).get(reverse("requests-deadlines"), {"late": "1"})
    assert len(only_late.context["rows"]) == 2


def test_other_apps_add_their_deadlines_through_the_registry(
    client_as: Login,
    users: SimpleNamespace,
    district: SimpleNamespace,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    due = timezone.localdate() - dt.timedelta(days=1)
    extra = [("Hearing", district.ben, due, "/officer/hearings/1/", "Hearing #1")]
    monkeypatch.setattr(deadlines, "SOURCES", [*deadlines.SOURCES, lambda: extra])
    rows = client_as(users.officer).get(reverse("requests-deadlines")).context["rows"]
    assert [(r.kind, r.student, r.days_left) for r in rows] == [("Hearing", "Ben Brown", -1)]


def test_the_deadlines_read_a_fixed_number_of_queries(
    client_as: Login,
    users: SimpleNamespace,
    district: SimpleNamespace,
    django_assert_num_queries: NumQueries,
) -> None:
    client = client_as(users.officer)
    submit(users.gail, district.ana)
    # One more for the amendments' registered source (steward.amendments.deadlines.rows), and
    # one for the second factor's device of the session (R33).
    expected = 6
    with django_assert_num_queries(expected):
        client.get(reverse("requests-deadlines"))
    for kind in (Kind.COPY, Kind.MEETING, Kind.INSPECTION):
        actions.do_assign_request(submit(users.gail, district.ana, kind), users.otto, users.officer)
    with django_assert_num_queries(expected):
        response = client.get(reverse("requests-deadlines"))
    assert len(response.context["rows"]) == 4
