"""Event release requests sent to families (R130, issue #5 item 5): the guardians who hold the
consent right of the class's students get one e-mail each, after commit, with a portal link per
child; /media/events/ creates a request for one of the teacher's classes and shows the answers.
Four states on every page: anonymous → login, not staff → 403, another teacher → 404, the
class's teacher → 200."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from steward.audit.models import Action, Entry
from steward.media import actions
from steward.media.models import EventReleaseRequest
from steward.roster.models import StudentDemographics

from .conftest import TEXT

Login = Callable[[User], Client]
PUBLIC = "https://steward.example.org"
EVENTS_URL = "/media/events/"


@pytest.fixture
def emails(district: SimpleNamespace) -> SimpleNamespace:
    for guardian, address in (
        (district.gail, "gail@example.org"),
        (district.rex, "rex@example.org"),
        (district.gus, "gus@example.org"),
    ):
        guardian.email = address
        guardian.save()
    return district


def request_fair(district: SimpleNamespace, by: User) -> EventReleaseRequest:
    return actions.do_request_event_release(
        "Science fair",
        timezone.localdate() + dt.timedelta(days=5),
        ["outside_news_media", "field_trips"],
        by,
        section=district.homeroom,
    )


@override_settings(STEWARD_PUBLIC_URL=PUBLIC + "/")
def test_the_consent_holders_get_one_e_mail_with_a_link_per_child(
    emails: SimpleNamespace, users: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    d = emails
    with django_capture_on_commit_callbacks(execute=True):
        event = request_fair(d, users.teacher)
    [message] = mail.outbox  # Gail only: Rex is barred by a court order, Ben has no guardian
    assert message.to == ["gail@example.org"]
    assert "Science fair" in message.subject
    link = f"{PUBLIC}/portal/children/{d.ana.pk}/events/{event.pk}/"
    assert link in message.body
    assert "Hello Gail Avery," in message.body
    assert "Outside news media" in message.body or "outside" in message.body.lower()
    assert "Cal" not in message.body
    entry = Entry.objects.get(action=Action.CONSENT)
    assert json.loads(entry.detail)["holders_emailed"] == 1


def test_no_e_mail_before_commit_nor_when_the_request_is_refused(
    emails: SimpleNamespace, users: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as pending:
        request_fair(emails, users.teacher)
    assert mail.outbox == [] and len(pending) == 1
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        request_fair(emails, users.art_teacher)
    assert mail.outbox == []


def test_from_eighteen_the_student_is_asked_and_not_the_parents(
    emails: SimpleNamespace, users: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    d = emails
    StudentDemographics.objects.create(
        student=d.ana,
        birth_date=timezone.localdate() - dt.timedelta(days=19 * 366),
        last_import=d.run,
    )
    with django_capture_on_commit_callbacks(execute=True):
        request_fair(d, users.teacher)
    assert mail.outbox == []  # from 18 the student alone holds consent (R9, R135): no address
    d.ana.email = "ana@students.example.org"
    d.ana.save()
    with django_capture_on_commit_callbacks(execute=True):
        request_fair(d, users.teacher)
    assert [m.to for m in mail.outbox] == [["ana@students.example.org"]]


def test_anonymous_visitors_go_to_the_login_page(
    client: Client, emails: SimpleNamespace, users: SimpleNamespace
) -> None:
    event = request_fair(emails, users.teacher)
    for url in (EVENTS_URL, reverse("media-event", args=[event.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{reverse('login')}?next=")
    assert client.post(EVENTS_URL, {}).status_code == 302


@pytest.mark.parametrize("who", ["gail", "officer"])
def test_accounts_that_are_not_staff_are_forbidden(
    client_as: Login, emails: SimpleNamespace, users: SimpleNamespace, who: str
) -> None:
    event = request_fair(emails, users.teacher)
    client = client_as(getattr(users, who))
    assert client.get(EVENTS_URL).status_code == 403
    assert client.get(reverse("media-event", args=[event.pk])).status_code == 403
    assert client.post(EVENTS_URL, {"section": emails.homeroom.pk}).status_code == 403


def test_another_teacher_gets_not_found(
    client_as: Login, emails: SimpleNamespace, users: SimpleNamespace
) -> None:
    d = emails
    event = request_fair(d, users.teacher)
    client = client_as(users.art_teacher)
    assert client.get(reverse("media-event", args=[event.pk])).status_code == 404
    assert client.get("/media/events/999999/").status_code == 404
    posted = client.post(
        EVENTS_URL,
        {"section": d.homeroom.pk, "title": "Fair", "date": "2026-12-03", "use": ["field_trips"]},
    )
    assert posted.status_code == 404
    page = client.get(EVENTS_URL)
    assert page.status_code == 200 and "Science fair" not in page.content.decode()
    assert EventReleaseRequest.objects.count() == 1


@override_settings(STEWARD_PUBLIC_URL=PUBLIC)
def test_the_teacher_asks_the_families_and_sees_the_answers(
    client_as: Login,
    emails: SimpleNamespace,
    users: SimpleNamespace,
    django_capture_on_commit_callbacks: Any,
) -> None:
    d = emails
    client = client_as(users.teacher)
    page = client.get(EVENTS_URL)
    assert page.status_code == 200 and "Grade 3 Homeroom" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            EVENTS_URL,
            {
                "section": d.homeroom.pk,
                "title": "Spring concert",
                "date": "2027-04-20",
                "use": ["field_trips", "newsletters"],
            },
        )
    event = EventReleaseRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("media-event", args=[event.pk])
    assert [m.to for m in mail.outbox] == [["gail@example.org"]]
    actions.do_sign_event_release(event, d.ana, False, TEXT, users.gail)
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    html = detail.content.decode()
    assert f'data-student="{d.ana.pk}" data-answer="denied"' in html
    assert f'data-student="{d.ben.pk}" data-answer="waiting"' in html
    assert "Allowed: 0. Not allowed: 1. No answer yet: 1." in html
    actions.do_sign_event_release(event, d.ana, True, TEXT, users.gail)
    html = client.get(response["Location"]).content.decode()
    assert f'data-student="{d.ana.pk}" data-answer="allowed"' in html
    listing = client.get(EVENTS_URL)
    [row] = listing.context["rows"]
    assert (row.allowed, row.denied, row.waiting) == (1, 0, 1)


def test_a_request_without_a_date_or_uses_is_shown_again_with_the_errors(
    client_as: Login, emails: SimpleNamespace, users: SimpleNamespace
) -> None:
    client = client_as(users.teacher)
    no_date = client.post(EVENTS_URL, {"section": emails.homeroom.pk, "title": "Fair"})
    assert no_date.status_code == 400 and "Give the date of the event." in no_date.content.decode()
    no_use = client.post(
        EVENTS_URL, {"section": emails.homeroom.pk, "title": "Fair", "date": "2027-01-10"}
    )
    assert no_use.status_code == 400
    assert "Choose one or more of the district" in no_use.content.decode()
    assert not EventReleaseRequest.objects.exists()
