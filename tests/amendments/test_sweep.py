"""The daily reminders (R34, R36): soon and overdue, once each, for decisions, hearings and
hearing decisions; run with a controllable "today"."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.core import mail

from steward.amendments import sweep
from steward.amendments.actions.hearings import do_request_hearing, do_schedule_hearing
from steward.amendments.actions.requests import do_request_amendment
from steward.amendments.models import Reminder, ReminderKind
from steward.audit.models import Entry
from tests.amendments.helpers import ask, at, refuse_all, request_absence
from tests.web import factories as f


def test_nothing_is_due_for_a_fresh_request(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    request_absence(district, users.gail)
    assert sweep.run(f.today()) == []
    assert mail.outbox == []


def test_a_decision_due_soon_then_overdue_is_reminded_once_each(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    amendment = request_absence(district, users.gail)
    soon = amendment.due_on - dt.timedelta(days=3)
    lines = sweep.run(soon)
    assert lines == [f"amendment request #{amendment.pk}: decision_soon (due {amendment.due_on})"]
    assert mail.outbox[0].to == ["o@example.org"]
    assert f"/officer/amendments/{amendment.pk}/" in mail.outbox[0].body
    assert sweep.run(soon) == []  # idempotent
    late = amendment.due_on + dt.timedelta(days=1)
    assert sweep.run(late) == [
        f"amendment request #{amendment.pk}: decision_overdue (due {amendment.due_on})"
    ]
    assert sweep.run(late) == []
    assert list(Reminder.objects.values_list("kind", flat=True).order_by("pk")) == [
        ReminderKind.DECISION_SOON,
        ReminderKind.DECISION_OVERDUE,
    ]
    assert len(mail.outbox) == 2
    assert Entry.objects.filter(purpose__startswith="amendment deadline").count() == 2


def test_a_decided_request_is_no_longer_reminded(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    amendment = request_absence(district, users.gail)
    refuse_all(amendment, users.olivia)
    assert sweep.run(f.days(40)) == []


def test_hearings_to_hold_and_to_decide_are_reminded(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    amendment = request_absence(district, users.gail)
    refuse_all(amendment, users.olivia)
    amendment.refresh_from_db()
    hearing = do_request_hearing(amendment, users.gail)
    assert sweep.run(f.days(31)) == [
        f"amendment request #{amendment.pk}: hearing_overdue (due {hearing.due_on})"
    ]
    do_schedule_hearing(
        hearing, users.hugo, starts_at=at(12), place="Room 1", officer_user=users.hugo,
        attested=True,
    )  # fmt: skip
    assert sweep.run(f.days(12)) == []  # the hearing's own day: nothing to decide yet
    decision_due = f.days(12 + 14)
    assert sweep.run(f.days(13)) == []
    assert sweep.run(f.days(22)) == [
        f"amendment request #{amendment.pk}: hearing_decision_soon (due {decision_due})"
    ]
    assert sweep.run(f.days(27)) == [
        f"amendment request #{amendment.pk}: hearing_decision_overdue (due {decision_due})"
    ]


def test_without_an_office_address_nothing_is_recorded_and_it_is_retried(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    amendment = request_absence(district, users.gail)
    users.olivia.email = ""
    users.olivia.save(update_fields=["email"])
    late = f.days(31)
    assert sweep.run(late) == [
        f"amendment request #{amendment.pk}: decision_overdue: no privacy-office address"
    ]
    assert not Reminder.objects.exists()
    users.hugo.email = "h@example.org"
    users.hugo.save(update_fields=["email"])
    assert len(sweep.run(late)) == 1
    assert Reminder.objects.count() == 1


def test_the_due_list_costs_three_queries(
    district: SimpleNamespace, users: SimpleNamespace, django_assert_num_queries: object
) -> None:
    cara = ask(district.cara, "attendance", "c:records.DailyAttendance.status:", "present")
    for amendment in (
        request_absence(district, users.gail),
        do_request_amendment(district.cara, users.hank, [cara]),
    ):
        refuse_all(amendment, users.olivia)
        amendment.refresh_from_db()
        do_request_hearing(
            amendment, users.hank if amendment.student == district.cara else users.gail
        )
    with django_assert_num_queries(3):  # type: ignore[operator]
        assert len(sweep.due_reminders(f.days(31))) == 2
