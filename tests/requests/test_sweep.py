"""The daily sweep (R24, R25): reminders before the due date, escalation when late; idempotent,
with the clock in the tests' hands (`today`)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core import mail
from django.test import override_settings

from steward.requests import actions, sweep
from steward.requests.models import AccessRequest, RequestReminder, RequestStep, Step

from .conftest import DAY0, at, submit


def _day(n: int) -> dt.date:
    return DAY0 + dt.timedelta(days=n)


def _kinds(req: AccessRequest) -> list[str]:
    return list(
        RequestReminder.objects.filter(request=req)
        .order_by("sent_at", "pk")
        .values_list("kind", flat=True)
    )


@pytest.fixture
def req(users: SimpleNamespace, district: SimpleNamespace) -> AccessRequest:
    return submit(users.gail, district.ana, now=at(DAY0))  # due on day 10


def test_nothing_is_sent_while_the_deadline_is_far(req: AccessRequest) -> None:
    assert sweep.run(_day(4))[1:] == ["  reminders sent: 0"]
    assert not RequestReminder.objects.exists() and not mail.outbox


@override_settings(STEWARD_RECORDS_CUSTODIAN_EMAILS=["custodian@district.example"])
def test_reminders_five_and_three_days_before_then_escalation_each_once(
    req: AccessRequest, users: SimpleNamespace
) -> None:
    actions.do_assign_request(req, users.otto, users.officer)
    report = sweep.run(_day(5))
    assert f"    request {req.pk}: before_5" in report
    assert set(mail.outbox[-1].to) == {"olivia@district.example", "otto@district.example"}
    assert "Due in 5 days" in mail.outbox[-1].subject
    for day in (5, 5, 6):  # the same day again, and the next: nothing more
        assert sweep.run(_day(day))[1] == "  reminders sent: 0"
    sweep.run(_day(7))  # day 7: R25's escalation point goes to the records custodian too
    assert "custodian@district.example" in mail.outbox[-1].to
    sweep.run(_day(10))  # due today: nothing new
    sweep.run(_day(11))
    assert "Late by 1 days" in mail.outbox[-1].subject
    assert "custodian@district.example" in mail.outbox[-1].to
    sweep.run(_day(46))  # past FERPA's 45 days too
    assert "FERPA" in mail.outbox[-1].body
    assert _kinds(req) == ["before_5", "before_3", "overdue", "ferpa_overdue"]
    steps = list(RequestStep.objects.filter(request=req).values_list("step", flat=True))
    assert steps.count(Step.REMINDED) == 2 and steps.count(Step.ESCALATED) == 2
    assert len(mail.outbox) == 4


def test_a_sweep_that_missed_days_sends_only_the_current_reminder(req: AccessRequest) -> None:
    sweep.run(_day(8))
    assert _kinds(req) == ["before_3"]
    sweep.run(_day(30))
    assert _kinds(req) == ["before_3", "overdue"]


def test_closed_requests_are_left_alone(req: AccessRequest, users: SimpleNamespace) -> None:
    actions.do_withdraw_request(req, users.gail)
    sweep.run(_day(11))
    assert not RequestReminder.objects.exists()


def test_a_failed_e_mail_is_retried_by_the_next_sweep(
    req: AccessRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*args: object, **kwargs: object) -> None:
        raise OSError("mail server down")

    monkeypatch.setattr("steward.requests.notify.send_mail", down)
    report = sweep.run(_day(5))
    assert any("e-mail failed: mail server down" in line for line in report)
    assert not RequestReminder.objects.exists()
    monkeypatch.undo()
    sweep.run(_day(5))
    assert _kinds(req) == ["before_5"]


def test_with_no_one_to_write_to_nothing_is_recorded(
    req: AccessRequest, users: SimpleNamespace
) -> None:
    for user in (users.officer, users.otto):
        user.email = ""
        user.save(update_fields=["email"])
    report = sweep.run(_day(5))
    assert any("no one to send before_5 to" in line for line in report)
    assert not RequestReminder.objects.exists()


@override_settings(STEWARD_REQUEST_REMINDER_DAYS=[2])
def test_the_reminder_points_are_district_configuration(req: AccessRequest) -> None:
    sweep.run(_day(5))
    assert not RequestReminder.objects.exists()
    sweep.run(_day(8))
    assert _kinds(req) == ["before_2"]


def test_a_non_custodial_request_is_due_at_the_ferpa_limit_only(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    req = submit(users.nick, district.ana, affirmation="No order.", now=at(DAY0))
    sweep.run(_day(11))
    assert _kinds(req) == []  # no 10-day clock (R18)
    sweep.run(_day(46))
    assert _kinds(req) == ["overdue"]  # one escalation: its due date is FERPA's
