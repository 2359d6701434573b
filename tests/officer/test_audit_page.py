"""The privacy office's audit-log page, /officer/audit/: who may open it, its filters, its
paging, and the ledger entry every view of it writes."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse

from steward.audit import ledger
from steward.audit.ledger import Release
from steward.audit.models import Entry

Login = Callable[[User], Client]
URL = "/officer/audit/"


def _record(action: str = "read", **fields: Any) -> Entry:
    return ledger.record(action=action, **fields)


def _seqs(response: Any) -> list[int]:
    return [entry.seq for entry, _release, _position in response.context["rows"]]


def test_the_page_lives_at_officer_audit() -> None:
    assert reverse("officer-audit") == URL
    assert reverse("officer-audit-csv") == "/officer/audit.csv"


def test_it_sends_anonymous_visitors_to_the_login_page(client: Client, db: None) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"


@pytest.mark.parametrize("user", ["teacher", "guardian", "no_role"])
def test_it_forbids_everyone_but_the_privacy_office(
    client_as: Login, users: SimpleNamespace, user: str
) -> None:
    _record(students=[users.ann.pk], actor_name="Tess Turner")
    response = client_as(getattr(users, user)).get(URL, {"student": users.ann.sourced_id})
    assert response.status_code == 403
    assert "Tess Turner" not in response.content.decode()


@pytest.mark.parametrize("user", ["officer", "root"])
def test_it_opens_for_the_privacy_officer_and_superusers(
    client_as: Login, users: SimpleNamespace, user: str
) -> None:
    _record(actor_name="Tess Turner", purpose="grading")
    response = client_as(getattr(users, user)).get(URL)
    assert response.status_code == 200
    assert response.templates[0].name == "officer/audit.html"
    html = response.content.decode()
    assert "Tess Turner" in html
    assert "grading" in html
    assert '<html lang="en"' in html


def test_it_accepts_only_get(client_as: Login, users: SimpleNamespace) -> None:
    assert client_as(users.officer).post(URL).status_code == 405


def test_it_filters_by_student_sourced_id(client_as: Login, users: SimpleNamespace) -> None:
    anns = _record(students=[users.ann.pk])
    bulk = _record("export", students=[users.ann.pk, users.ben.pk])
    _record(students=[users.ben.pk])
    response = client_as(users.officer).get(URL, {"student": users.ann.sourced_id})
    # Newest first: this view's own entry (about Ann) heads the list.
    own, *rest = _seqs(response)
    assert rest == [bulk.seq, anns.seq]
    assert Entry.objects.get(seq=own).purpose == "audit review"


@pytest.mark.parametrize(
    ("params", "wanted"),
    [
        ({"actor": "tess"}, "tess"),
        ({"action": "delete"}, "delete"),
        ({"basis": "a9"}, "subpoena"),
        ({"recipient": "police"}, "emergency"),
        ({"since": "2025-03-01", "until": "2025-03-01"}, "dated"),
    ],
)
def test_it_filters_by_actor_action_basis_recipient_and_dates(
    client_as: Login, users: SimpleNamespace, params: dict[str, str], wanted: str
) -> None:
    entries = {
        "tess": _record(actor_name="Tess Turner", at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC)),
        "delete": _record("delete", at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC)),
        "subpoena": _record("release", basis="A9", at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC)),
        "emergency": _record(
            "release",
            basis="A10",
            release=Release("Rita", "custodian", "sig", "Officer Dana", "", "City Police"),
            at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        ),
        "dated": _record(
            at=dt.datetime(2025, 3, 1, 23, 30, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
        ),
    }
    response = client_as(users.officer).get(URL, params)
    assert response.status_code == 200
    assert _seqs(response) == [entries[wanted].seq]


def test_it_reports_an_unknown_student_and_records_no_review(
    client_as: Login, users: SimpleNamespace
) -> None:
    client = client_as(users.officer)  # signing in is recorded too
    before = Entry.objects.count()
    response = client.get(URL, {"student": "no-such-student"})
    assert response.status_code == 200
    assert "No student has this sourcedId." in response.content.decode()
    assert "rows" not in response.context
    assert Entry.objects.count() == before


def test_it_rejects_an_end_date_before_the_start_date(
    client_as: Login, users: SimpleNamespace
) -> None:
    response = client_as(users.officer).get(URL, {"since": "2025-03-02", "until": "2025-03-01"})
    assert "The end date is before the start date." in response.content.decode()


def test_viewing_the_log_is_itself_recorded(client_as: Login, users: SimpleNamespace) -> None:
    client = client_as(users.officer)
    client.get(URL, {"student": users.ann.sourced_id, "action": "release"})
    own = Entry.objects.order_by("-seq").first()
    assert own is not None
    assert (own.action, own.purpose, own.actor_role) == ("read", "audit review", "privacy_officer")
    assert own.actor_user_id == users.officer.pk
    assert own.actor_name == "Rita Reyes"
    assert own.scopes == "audit_log"
    assert own.subject_count == 1
    detail = json.loads(own.detail)
    assert detail["filters"] == {"student": users.ann.sourced_id, "action": "release"}
    assert detail["format"] == "html"
    assert own.request_id


def test_it_pages_50_entries_at_a_time_pinned_to_the_first_view(
    client_as: Login, users: SimpleNamespace
) -> None:
    client = client_as(users.officer)
    made = [_record(actor_name=f"Staff {i}") for i in range(120)]
    # Newest first, down to the sign-in entries written before them.
    newest_first = [e.seq for e in reversed(made)] + list(
        Entry.objects.filter(seq__lt=made[0].seq).order_by("-seq").values_list("seq", flat=True)
    )
    first = client.get(URL)
    page_one = _seqs(first)
    assert len(page_one) == 50
    assert page_one[1:] == newest_first[:49]
    upto = page_one[0]
    assert f"upto={upto}" in first.context["query"]
    second = client.get(URL, {"upto": upto, "page": 2})
    # The second view's own entry comes after `upto`: the pages do not shift.
    assert _seqs(second) == newest_first[49:99]
    third = client.get(URL, {"upto": upto, "page": 3})
    assert _seqs(third) == newest_first[99:]


@pytest.mark.parametrize("count", [3, 120])
def test_it_does_a_fixed_number_of_queries_whatever_the_size_of_the_log(
    client_as: Login,
    users: SimpleNamespace,
    django_assert_num_queries: Callable[..., Any],
    count: int,
) -> None:
    for i in range(count):
        _record(
            "release",
            students=[users.ann.pk],
            release=Release("Rita", "custodian", "sig", f"Vendor {i}", "", "Vendors Inc."),
        )
    client = client_as(users.officer)
    # session, user, the second factor's device (R33), account; student lookup; savepoint,
    # (PostgreSQL: advisory lock), ledger head, entry insert (one student: no subject set),
    # release; count; the page.
    with django_assert_num_queries(11 + (connection.vendor == "postgresql")):
        response = client.get(URL, {"student": users.ann.sourced_id})
    assert response.status_code == 200


def test_it_says_when_nothing_matches(client_as: Login, users: SimpleNamespace) -> None:
    response = client_as(users.officer).get(URL, {"action": "delete"})
    assert _seqs(response) == []
    assert "No entries match these filters." in response.content.decode()


def test_it_shows_positions_by_name_and_recipients(
    client_as: Login, users: SimpleNamespace
) -> None:
    _record(
        "release",
        actor_name="Tess Turner",
        actor_role="special_education",
        release=Release("Rita", "custodian", "sig", "Dr. Lee", "", "County Hospital"),
    )
    html = client_as(users.officer).get(URL, {"action": "release"}).content.decode()
    assert "Tess Turner (special-education staff)" in html
    assert "Dr. Lee, County Hospital" in html


def test_the_csv_link_carries_the_same_filters(client_as: Login, users: SimpleNamespace) -> None:
    response = client_as(users.officer).get(URL, {"actor": "tess", "basis": "A1"})
    csv_url = response.context["csv_url"]
    assert csv_url.startswith("/officer/audit.csv?")
    assert "actor=tess" in csv_url and "basis=A1" in csv_url and "upto=" in csv_url
    assert 'id="audit-csv"' in response.content.decode()


def test_the_officers_home_page_links_to_the_audit_log(
    client_as: Login, users: SimpleNamespace
) -> None:
    html = client_as(users.officer).get(reverse("home")).content.decode()
    assert f'href="{URL}"' in html
