"""The privacy office's amendment pages (R34–R36), each in four states: anonymous (login),
another role (403), an unknown case or item (404), the office (200 with the content)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steward.accounts.models import Account
from steward.amendments.actions.hearings import do_request_hearing, do_schedule_hearing
from steward.amendments.actions.requests import do_request_amendment
from steward.amendments.models import (
    Decision,
    Hearing,
    Schedule,
    Status,
)
from steward.audit.models import Action, Entry
from steward.records.models import DailyAttendance
from tests.amendments.conftest import Clock
from tests.amendments.helpers import ask, at, refuse_all, request_absence
from tests.web import factories as f

Login = Callable[[User], Client]
PDF = b"%PDF-1.4 signed attestation"


def _states(
    client: Client, client_as: Login, users: SimpleNamespace, url: str, missing: str
) -> Client:
    """Anonymous → login; a teacher and a guardian → 403; the office: unknown → 404."""
    assert client.get(url)["Location"].startswith("/login/")
    assert client_as(users.teacher).get(url).status_code == 403
    assert client_as(users.gail).get(url).status_code == 403
    office = client_as(users.olivia)
    assert office.get(missing).status_code == 404
    return office


def test_the_queue_in_four_states(
    client: Client, client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    """A list has no object of its own to miss: an unknown filter or page shows the first
    page of the requests to do."""
    made = request_absence(district, users.gail)
    url = reverse("amendments-office-queue")
    assert client.get(url)["Location"].startswith("/login/")
    assert client_as(users.teacher).get(url).status_code == 403
    assert client_as(users.gail).get(url).status_code == 403
    office = client_as(users.olivia)
    html = office.get(url + "?page=x&show=x").content.decode()
    assert f'id="request-{made.pk}"' in html
    assert "Ann Avery" in html and "Gail Avery" in html
    closed = office.get(url + "?show=closed").content.decode()
    assert f'id="request-{made.pk}"' not in closed
    assert 'id="empty-queue"' in closed


def test_a_late_decision_is_marked_late(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace, clock: Clock
) -> None:
    made = request_absence(district, users.gail)
    clock.advance(days=31)
    html = client_as(users.olivia).get(reverse("amendments-office-queue")).content.decode()
    assert f'id="request-{made.pk}" class="late"' in html


def test_the_queue_costs_the_same_whatever_the_number_of_requests(
    client_as: Login,
    users: SimpleNamespace,
    district: SimpleNamespace,
    django_assert_num_queries: Callable[..., Any],
) -> None:
    made = request_absence(district, users.gail)
    refuse_all(made, users.olivia)
    made.refresh_from_db()
    do_request_hearing(made, users.gail)
    cara = ask(district.cara, "attendance", "c:records.DailyAttendance.status:", "present")
    do_request_amendment(district.cara, users.hank, [cara])
    client = client_as(users.olivia)
    url = reverse("amendments-office-queue")
    client.get(url)
    # Session, user, the second factor's device (R33), account; the count for the pager; the
    # page of requests (with student, hearing and item counts); the hearings' schedules.
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200


def test_a_case_in_four_states_is_logged_as_a_read(
    client: Client, client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    made = request_absence(district, users.gail)
    url = reverse("amendments-office-case", args=[made.pk])
    missing = reverse("amendments-office-case", args=[made.pk + 1])
    office = _states(client, client_as, users, url, missing)
    before = Entry.objects.filter(action=Action.READ).count()
    html = office.get(url).content.decode()
    assert "absent, unexcused" in html
    assert "She was ill and we sent a note." in html
    assert f'id="decide-{made.items.get(position=1).pk}"' in html
    reads = Entry.objects.filter(action=Action.READ).order_by("-seq")
    assert reads.count() == before + 1
    assert reads[0].subject_student == district.ann.pk
    assert reads[0].scopes == "attendance,discipline"
    assert reads[0].purpose.startswith("amendment case review")


def test_the_office_decides_an_item(
    client: Client, client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    made = request_absence(district, users.gail)
    item = made.items.get(position=1)
    url = reverse("amendments-office-decide", args=[made.pk, item.pk])
    data = {
        f"item-{item.pk}-outcome": "amend",
        f"item-{item.pk}-reasons": "The note is on file.",
        f"item-{item.pk}-new_value": "absent, excused",
    }
    assert client.post(url, data)["Location"].startswith("/login/")
    assert client_as(users.teacher).post(url, data).status_code == 403
    other = do_request_amendment(
        district.cara,
        users.hank,
        [ask(district.cara, "attendance", "c:records.DailyAttendance.status:", "present")],
    )
    elsewhere = reverse("amendments-office-decide", args=[other.pk, item.pk])
    office = client_as(users.olivia)
    assert office.post(elsewhere, data).status_code == 404
    assert office.post(url, data).status_code == 302
    district.absence.refresh_from_db()
    assert district.absence.status == DailyAttendance.Status.ABSENT_EXCUSED
    assert Decision.objects.get().reasons == "The note is on file."


def test_a_refused_decision_comes_back_with_its_error(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    made = request_absence(district, users.gail)
    item = made.items.get(position=1)
    url = reverse("amendments-office-decide", args=[made.pk, item.pk])
    data = {
        f"item-{item.pk}-outcome": "amend",
        f"item-{item.pk}-reasons": "Fix.",
        f"item-{item.pk}-new_value": "on holiday",
    }
    response = client_as(users.olivia).post(url, data)
    assert response.status_code == 400
    assert "not a valid choice" in response.content.decode()
    assert not Decision.objects.exists()


def _hearing(district: SimpleNamespace, users: SimpleNamespace) -> Hearing:
    made = request_absence(district, users.gail)
    refuse_all(made, users.olivia)
    made.refresh_from_db()
    return do_request_hearing(made, users.gail)


def test_scheduling_in_four_states_with_the_paper_attestation(
    client: Client, client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    hearing = _hearing(district, users)
    url = reverse("amendments-office-schedule", args=[hearing.request_id])
    other = do_request_amendment(
        district.cara,
        users.hank,
        [ask(district.cara, "attendance", "c:records.DailyAttendance.status:", "present")],
    )
    missing = reverse("amendments-office-schedule", args=[other.pk])  # no hearing asked
    office = _states(client, client_as, users, url, missing)
    page = office.get(url)
    assert page.status_code == 200
    assert "no direct interest" in page.content.decode()
    day = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    form = {
        "day": day,
        "time": "15:00",
        "place": "District office, room 2",
        "officer": str(users.olivia.pk),
        "attested": "on",
        "attestation": SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
    }
    refused = office.post(url, form)
    assert refused.status_code == 400
    assert "refused items of this request" in refused.content.decode()
    form["officer"] = str(users.hugo.pk)
    form["attestation"] = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    assert office.post(url, form).status_code == 302
    schedule = Schedule.objects.get()
    assert schedule.officer_user == users.hugo
    assert schedule.attestation_document is not None
    attestation = office.get(
        reverse("amendments-office-attestation", args=[hearing.request_id, schedule.pk])
    )
    assert attestation.status_code == 200
    assert attestation.content == PDF


def _scheduled(district: SimpleNamespace, users: SimpleNamespace) -> Hearing:
    hearing = _hearing(district, users)
    do_schedule_hearing(
        hearing, users.hugo, starts_at=at(12), place="Room 1", officer_user=users.hugo,
        attested=True,
    )  # fmt: skip
    return hearing


def test_the_hearing_decision_page_is_the_officers_and_the_offices(
    client: Client,
    client_as: Login,
    users: SimpleNamespace,
    district: SimpleNamespace,
    clock: Clock,
) -> None:
    hearing = _scheduled(district, users)
    url = reverse("amendments-office-hearing-decision", args=[hearing.request_id])
    pending = do_request_amendment(
        district.cara,
        users.hank,
        [ask(district.cara, "attendance", "c:records.DailyAttendance.status:", "present")],
    )
    missing = reverse("amendments-office-hearing-decision", args=[pending.pk])
    _states(client, client_as, users, url, missing)
    officer = client_as(users.hugo)
    page = officer.get(url)
    assert page.status_code == 200
    assert "Summary of the evidence presented" in page.content.decode()
    clock.advance(days=13)
    officer = client_as(users.hugo)  # a new day, a new sign-in: sessions last 12 hours (R116)
    one, two = hearing.request.items.order_by("position")
    held = timezone.localtime(Schedule.objects.get().starts_at) + dt.timedelta(hours=1)
    form = {
        "day": held.date().isoformat(),
        "time": held.time().isoformat("minutes"),
        "attended_by": "Gail Avery; Hugo Hearing",
        "evidence_summary": "A doctor's note.",
        "reasons": "The note proves illness.",
        f"item-{one.pk}-outcome": "amend",
        f"item-{one.pk}-reasons": "Illness proven.",
        f"item-{one.pk}-new_value": "absent_excused",
        f"item-{two.pk}-outcome": "refuse",
        f"item-{two.pk}-reasons": "The report stands.",
    }
    assert officer.post(url, form).status_code == 302
    hearing.refresh_from_db()
    assert hearing.decided_by == users.hugo
    assert hearing.request.status == Status.CLOSED
    letter = hearing.request.letters.get(kind="hearing_decision")
    assert "A doctor's note." in letter.body
    page = client_as(users.olivia).get(reverse("amendments-office-case", args=[hearing.request_id]))
    html = page.content.decode()
    assert "The note proves illness." in html and "Gail Avery; Hugo Hearing" in html
    assert "absent, unexcused → absent, excused" not in html  # the initial decision refused
    assert "Signed in Steward by the hearing officer" in html


def test_the_office_cannot_record_the_decision_of_an_officer_with_a_login(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace, clock: Clock
) -> None:
    hearing = _scheduled(district, users)
    clock.advance(days=13)
    one, two = hearing.request.items.order_by("position")
    held = timezone.localtime(Schedule.objects.get().starts_at) + dt.timedelta(hours=1)
    form = {
        "day": held.date().isoformat(),
        "time": held.time().isoformat("minutes"),
        "attended_by": "Gail",
        "evidence_summary": "x",
        "reasons": "y",
        f"item-{one.pk}-outcome": "refuse",
        f"item-{one.pk}-reasons": "z",
        f"item-{two.pk}-outcome": "refuse",
        f"item-{two.pk}-reasons": "z",
    }
    response = client_as(users.olivia).post(
        reverse("amendments-office-hearing-decision", args=[hearing.request_id]), form
    )
    assert response.status_code == 400
    assert "records this decision themselves" in response.content.decode()
    assert Hearing.objects.get().decided_at is None


def test_office_letters_download_as_pdf(
    client: Client, client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    made = request_absence(district, users.gail)
    refuse_all(made, users.olivia)
    letter = made.letters.get()
    url = reverse("amendments-office-letter", args=[made.pk, letter.pk])
    missing = reverse("amendments-office-letter", args=[made.pk + 1, letter.pk])
    office = _states(client, client_as, users, url, missing)
    response = office.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_a_hearing_officer_from_outside_the_office_decides_on_their_own_page(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace, clock: Clock
) -> None:
    """A principal of another school hears it: only their decision page opens for them."""
    principal = f.login(
        "paula", Account.Role.PRINCIPAL, staff=f.staff(district.run, "Paula", "Park")
    )
    hearing = _hearing(district, users)
    do_schedule_hearing(
        hearing, users.olivia, starts_at=at(12), place="Room 1", officer_user=principal,
        attested=True, attestation_pdf=PDF,
    )  # fmt: skip
    client = client_as(principal)
    url = reverse("amendments-office-hearing-decision", args=[hearing.request_id])
    assert client.get(url).status_code == 200
    case = reverse("amendments-office-case", args=[hearing.request_id])
    assert client.get(case).status_code == 403
    clock.advance(days=13)
    client = client_as(principal)  # a new day, a new sign-in: sessions last 12 hours (R116)
    one, two = hearing.request.items.order_by("position")
    held = timezone.localtime(Schedule.objects.get().starts_at) + dt.timedelta(hours=1)
    form = {
        "day": held.date().isoformat(),
        "time": held.time().isoformat("minutes"),
        "attended_by": "Gail Avery; Paula Park",
        "evidence_summary": "Gail's account.",
        "reasons": "The record is consistent with the account.",
        f"item-{one.pk}-outcome": "refuse",
        f"item-{one.pk}-reasons": "Accurate.",
        f"item-{two.pk}-outcome": "refuse",
        f"item-{two.pk}-reasons": "Accurate.",
    }
    assert client.post(url, form)["Location"] == reverse("home")
    assert Hearing.objects.get().decided_by == principal
