"""Break-glass: the staff request page, the emergency record view, and the privacy office's
review queue (R82, R83).

A request with a described threat opens access at once (one ledger security entry); every read
under it is flagged with the emergency basis "A10"; the grant ends when it expires or when the
privacy office finds it not justified. Refused requests write nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steward.access.models import BreakGlassGrant
from steward.audit.models import Action, Entry

Login = Callable[[User], Client]
URL = reverse("break-glass")
QUEUE = reverse("officer-break-glass")
THREAT = "Ben collapsed in the gym and the nurse is away; we need his allergy information now."
BEN_NUMBER = "S-20417"


@pytest.fixture
def ben(district: SimpleNamespace) -> Any:
    district.ben.identifier = BEN_NUMBER
    district.ben.save(update_fields=["identifier"])
    return district.ben


def _form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "student": BEN_NUMBER,
        "scopes": ["health"],
        "threat": THREAT,
        "parties": "Paramedics on the scene; Paula Park, principal",
        "hours": "4",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _record_url(student: Any) -> str:
    return reverse("student-record", args=[student.pk])


def _review_url(grant: BreakGlassGrant) -> str:
    return reverse("officer-break-glass-review", args=[grant.pk])


def _last_seq() -> int:
    return Entry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def _open(client_as: Login, users: SimpleNamespace, ben: Any) -> BreakGlassGrant:
    response = client_as(users.teacher).post(URL, _form())
    assert response.status_code == 302
    return BreakGlassGrant.objects.get(student=ben)


# --- the request page: four states ---------------------------------------------------------------


def test_it_sends_an_anonymous_visitor_to_the_login_page(client: Client, db: None) -> None:
    for response in (client.get(URL), client.post(URL, _form())):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not BreakGlassGrant.objects.exists()


@pytest.mark.parametrize("who", ["guardian", "no_role", "officer"])
def test_it_refuses_break_glass_to_a_user_who_is_not_staff(
    client_as: Login, users: SimpleNamespace, ben: Any, who: str
) -> None:
    client = client_as(getattr(users, who))
    before = _last_seq()
    assert client.get(URL).status_code == 403
    assert client.post(URL, _form()).status_code == 403
    assert not BreakGlassGrant.objects.exists()
    assert Entry.objects.filter(seq__gt=before).count() == 0


def test_it_shows_a_member_of_staff_the_request_form(
    client_as: Login, users: SimpleNamespace
) -> None:
    response = client_as(users.teacher).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="threat"' in html
    assert 'name="parties"' in html
    assert 'name="hours"' in html and 'value="4"' in html


def test_it_fills_in_the_student_number_from_the_link(
    client_as: Login, users: SimpleNamespace
) -> None:
    response = client_as(users.teacher).get(URL, {"student": BEN_NUMBER})
    assert f'value="{BEN_NUMBER}"' in response.content.decode()


# --- refused requests ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"threat": None}, "threat", "This field is required."),
        ({"threat": "He looks unwell."}, "threat", "at least 20 characters"),
        ({"threat": "                         "}, "threat", "This field is required."),
        ({"student": "S-99999"}, "student", "No student has this number."),
        ({"parties": None}, "parties", "This field is required."),
        ({"scopes": None}, "scopes", "This field is required."),
        ({"hours": "25"}, "hours", "less than or equal to 24"),
    ],
    ids=[
        "no-threat",
        "short-threat",
        "blank-threat",
        "unknown-student",
        "no-parties",
        "no-scopes",
        "too-long",
    ],
)
def test_it_refuses_an_incomplete_request_and_writes_nothing(
    client_as: Login,
    users: SimpleNamespace,
    ben: Any,
    changes: dict[str, Any],
    field: str,
    message: str,
) -> None:
    client = client_as(users.teacher)
    before = _last_seq()
    response = client.post(URL, _form(**changes))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    assert any(message in text for text in errors[field])
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert not BreakGlassGrant.objects.exists()
    assert Entry.objects.filter(seq__gt=before).count() == 0
    assert client.get(_record_url(ben)).status_code == 404


# --- an emergency request ------------------------------------------------------------------------


def test_it_opens_emergency_access_and_sends_the_teacher_to_the_record(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace, ben: Any
) -> None:
    client = client_as(users.teacher)
    assert client.get(_record_url(ben)).status_code == 404  # Tess does not teach Ben
    before = _last_seq()
    response = client.post(URL, _form())
    assert response.status_code == 302
    assert response["Location"] == _record_url(ben)

    grant = BreakGlassGrant.objects.get()
    assert (grant.user_id, grant.staff_id, grant.student_id) == (
        users.teacher.pk,
        district.tess.pk,
        ben.pk,
    )
    assert grant.scopes == ["directory", "health"]  # the directory comes with any part
    assert grant.threat == THREAT
    assert grant.outcome == BreakGlassGrant.Outcome.PENDING
    assert grant.closed_at is None
    assert grant.expires_at - grant.opened_at == dt.timedelta(hours=4)

    [entry] = Entry.objects.filter(seq__gt=before)
    assert entry.action == Action.SECURITY
    assert entry.basis == "A10"
    assert entry.actor_user_id == users.teacher.pk
    assert entry.scopes == "directory,health"
    assert entry.legitimate_interest == THREAT
    detail = json.loads(entry.detail)
    assert detail["break_glass"] == grant.pk
    assert detail["parties"].startswith("Paramedics")


def test_it_finds_the_student_by_source_system_id_too(
    client_as: Login, users: SimpleNamespace, ben: Any
) -> None:
    response = client_as(users.teacher).post(URL, _form(student=ben.sourced_id))
    assert response.status_code == 302
    assert BreakGlassGrant.objects.get().student_id == ben.pk


def test_it_shows_the_record_under_emergency_access_with_the_banner(
    client_as: Login, users: SimpleNamespace, ben: Any
) -> None:
    grant = _open(client_as, users, ben)
    client = client_as(users.teacher)
    before = _last_seq()
    response = client.get(_record_url(ben))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="break-glass-banner"' in html
    assert 'id="part-health"' in html
    assert [item["part"].scope for item in response.context["parts"]] == ["directory", "health"]
    assert "Emergency access until" in html

    entries = list(Entry.objects.filter(seq__gt=before).order_by("seq"))
    assert [e.scopes for e in entries] == ["directory", "health"]
    for entry in entries:
        assert entry.action == Action.READ
        assert entry.basis == "A10"
        assert entry.actor_user_id == users.teacher.pk
        assert json.loads(entry.detail)["break_glass"] == [grant.pk]
        assert entry.legitimate_interest.startswith(f"break-glass #{grant.pk}: ")


def test_it_shows_no_banner_for_ordinary_access(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    html = client_as(users.teacher).get(_record_url(district.ann)).content.decode()
    assert 'id="break-glass-banner"' not in html


def test_it_ends_emergency_access_when_the_grant_expires(
    client_as: Login, users: SimpleNamespace, ben: Any
) -> None:
    grant = _open(client_as, users, ben)
    client = client_as(users.teacher)
    assert client.get(_record_url(ben)).status_code == 200
    now = timezone.now()
    BreakGlassGrant.objects.filter(pk=grant.pk).update(
        opened_at=now - dt.timedelta(hours=5), expires_at=now - dt.timedelta(seconds=1)
    )
    before = _last_seq()
    assert client.get(_record_url(ben)).status_code == 404
    assert Entry.objects.filter(seq__gt=before).count() == 0


def test_it_gives_no_other_staff_member_access_through_someone_elses_grant(
    client_as: Login, users: SimpleNamespace, ben: Any
) -> None:
    _open(client_as, users, ben)
    assert client_as(users.principal).get(_record_url(ben)).status_code == 404


# --- the privacy office's queue ------------------------------------------------------------------


def test_it_sends_an_anonymous_visitor_from_the_queue_to_the_login_page(
    client: Client, db: None
) -> None:
    for url in (QUEUE, reverse("officer-break-glass-review", args=[1])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["teacher", "principal", "guardian", "no_role"])
def test_it_keeps_everyone_but_the_privacy_office_out_of_the_queue(
    client_as: Login, users: SimpleNamespace, ben: Any, who: str
) -> None:
    grant = _open(client_as, users, ben)
    client = client_as(getattr(users, who))
    assert client.get(QUEUE).status_code == 403
    assert client.get(_review_url(grant)).status_code == 403
    before = _last_seq()
    response = client.post(_review_url(grant), {"finding": "justified", "note": "Fine."})
    assert response.status_code == 403
    grant.refresh_from_db()
    assert grant.outcome == BreakGlassGrant.Outcome.PENDING
    assert Entry.objects.filter(seq__gt=before).count() == 0


def test_it_lists_the_pending_grant_in_the_queue(
    client_as: Login, users: SimpleNamespace, ben: Any
) -> None:
    grant = _open(client_as, users, ben)
    response = client_as(users.officer).get(QUEUE)
    assert response.status_code == 200
    assert response.context["pending"] == [grant]
    html = response.content.decode()
    assert _review_url(grant) in html
    assert "Tess Turner" in html and "Ben Avery" in html
    assert "1 awaiting review" in html


def test_it_shows_an_empty_queue(client_as: Login, users: SimpleNamespace) -> None:
    response = client_as(users.officer).get(QUEUE)
    assert response.status_code == 200
    assert 'id="queue-empty"' in response.content.decode()


def test_it_shows_the_officer_the_grant_and_the_reads_made_under_it(
    client_as: Login, users: SimpleNamespace, ben: Any
) -> None:
    grant = _open(client_as, users, ben)
    client_as(users.teacher).get(_record_url(ben))
    response = client_as(users.officer).get(_review_url(grant))
    assert response.status_code == 200
    assert response.context["is_open"] is True
    assert sorted(e.scopes for e in response.context["reads"]) == ["directory", "health"]
    html = response.content.decode()
    assert THREAT in html
    assert 'name="finding"' in html


def test_it_answers_404_for_an_unknown_grant(client_as: Login, users: SimpleNamespace) -> None:
    client = client_as(users.officer)
    assert client.get(reverse("officer-break-glass-review", args=[999])).status_code == 404
    response = client.post(
        reverse("officer-break-glass-review", args=[999]),
        {"finding": "justified", "note": "Fine."},
    )
    assert response.status_code == 404


def test_it_ends_access_when_the_officer_finds_it_not_justified(
    client_as: Login, users: SimpleNamespace, ben: Any
) -> None:
    grant = _open(client_as, users, ben)
    client = client_as(users.officer)
    before = _last_seq()
    response = client.post(
        _review_url(grant),
        {"finding": "not_justified", "note": "The nurse was reachable by phone."},
    )
    assert response.status_code == 302
    assert response["Location"] == QUEUE

    grant.refresh_from_db()
    assert grant.outcome == BreakGlassGrant.Outcome.NOT_JUSTIFIED
    assert grant.closed_at is not None
    assert grant.reviewed_by_id == users.officer.pk
    assert grant.review_note == "The nurse was reachable by phone."

    [entry] = Entry.objects.filter(seq__gt=before)
    assert entry.action == Action.SECURITY
    assert entry.basis == "A10"
    assert entry.actor_user_id == users.officer.pk
    detail = json.loads(entry.detail)
    assert detail == {
        "break_glass": grant.pk,
        "outcome": "not_justified",
        "note": "The nurse was reachable by phone.",
        "closed": True,
    }

    assert client_as(users.teacher).get(_record_url(ben)).status_code == 404
    queue = client_as(users.officer).get(QUEUE)
    assert queue.context["pending"] == []
    assert queue.context["reviewed"] == [grant]


def test_it_keeps_access_open_when_the_officer_finds_it_justified(
    client_as: Login, users: SimpleNamespace, ben: Any
) -> None:
    grant = _open(client_as, users, ben)
    response = client_as(users.officer).post(
        _review_url(grant), {"finding": "justified", "note": "Allergic reaction, 911 called."}
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.outcome == BreakGlassGrant.Outcome.JUSTIFIED
    assert grant.closed_at is None
    assert client_as(users.teacher).get(_record_url(ben)).status_code == 200


def test_it_ends_justified_access_when_the_officer_asks_to(
    client_as: Login, users: SimpleNamespace, ben: Any
) -> None:
    grant = _open(client_as, users, ben)
    client_as(users.officer).post(
        _review_url(grant), {"finding": "justified", "note": "Over now.", "close": "on"}
    )
    grant.refresh_from_db()
    assert grant.closed_at is not None
    assert client_as(users.teacher).get(_record_url(ben)).status_code == 404


def test_it_refuses_a_second_review_and_writes_nothing(
    client_as: Login, users: SimpleNamespace, ben: Any
) -> None:
    grant = _open(client_as, users, ben)
    client = client_as(users.officer)
    client.post(_review_url(grant), {"finding": "justified", "note": "First look."})
    grant.refresh_from_db()
    reviewed_at = grant.reviewed_at
    before = _last_seq()
    response = client.post(_review_url(grant), {"finding": "not_justified", "note": "Changed."})
    assert response.status_code == 400
    assert any("already reviewed" in e for e in response.context["form"].non_field_errors())
    grant.refresh_from_db()
    assert grant.outcome == BreakGlassGrant.Outcome.JUSTIFIED
    assert grant.review_note == "First look."
    assert grant.reviewed_at == reviewed_at
    assert grant.closed_at is None
    assert Entry.objects.filter(seq__gt=before).count() == 0


def test_it_tells_the_officer_that_the_grant_was_already_reviewed(
    client_as: Login, users: SimpleNamespace, ben: Any
) -> None:
    grant = _open(client_as, users, ben)
    client = client_as(users.officer)
    client.post(_review_url(grant), {"finding": "justified", "note": "First look."})
    response = client.post(_review_url(grant), {"finding": "not_justified", "note": "Changed."})
    assert "already reviewed" in response.content.decode()


@pytest.mark.parametrize("note", [None, "   "])
def test_it_refuses_a_review_without_a_note(
    client_as: Login, users: SimpleNamespace, ben: Any, note: str | None
) -> None:
    grant = _open(client_as, users, ben)
    client = client_as(users.officer)
    before = _last_seq()
    data = {"finding": "not_justified"} | ({"note": note} if note is not None else {})
    response = client.post(_review_url(grant), data)
    assert response.status_code == 400
    assert "note" in response.context["form"].errors
    grant.refresh_from_db()
    assert grant.outcome == BreakGlassGrant.Outcome.PENDING
    assert grant.closed_at is None
    assert Entry.objects.filter(seq__gt=before).count() == 0
