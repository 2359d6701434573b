"""The privacy office's vendor dashboard (issue #6 item 5): what needs action, the charts, the
four visitor states, and a query count that does not grow with the rows."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steward.vendors import dashboard
from steward.vendors.models import AgreementStatus, AppRequestStatus, AppStatus

from . import factories_public as fp

URL = "/officer/vendors/dashboard/"


@pytest.fixture
def people(db: None) -> SimpleNamespace:
    return fp.people()


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def test_the_dashboard_lives_under_officer_vendors() -> None:
    assert reverse("vendors-dashboard") == URL


def test_anonymous_visitors_go_to_the_login_page(client: Client, db: None) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


@pytest.mark.parametrize("who", ["teacher", "contact"])
def test_staff_and_vendor_contacts_are_forbidden(
    client: Client, people: SimpleNamespace, who: str
) -> None:
    client.force_login(getattr(people, who))
    assert client.get(URL).status_code == 403


def test_it_lists_what_needs_action(people: SimpleNamespace) -> None:
    acme = people.acme
    review = fp.product(acme, "Pending App", status=AppStatus.UNDER_REVIEW)
    request = fp.app_request(people.teacher, "Sketchpad")
    fp.app_request(people.teacher, "Declined App", status=AppRequestStatus.DECLINED)
    soon = fp.agreement(acme, title="Ends soon", end_date=days(20))
    fp.agreement(acme, title="Ends later", end_date=days(200))
    fp.agreement(acme, title="Imported", end_date=days(5), external=True, registry_id="x")
    overdue = fp.agreement(
        acme,
        title="Overdue",
        status=AgreementStatus.DISPOSITION_OVERDUE,
        disposition_due=days(-12),
    )
    pending = fp.agreement(
        acme, title="Pending", status=AgreementStatus.DISPOSITION_PENDING, disposition_due=days(9)
    )
    fp.agreement(acme, title="Certified", status=AgreementStatus.DISPOSITION_CERTIFIED)
    covered = fp.product(acme, "Covered", in_use=True)
    fp.agreement(acme, [covered])
    uncovered = fp.product(acme, "Uncovered", in_use=True)
    fp.agreement(acme, [uncovered], status=AgreementStatus.DRAFT)
    fp.agreement(acme, [uncovered], external=True, registry_id="y")  # never allows sharing
    late = fp.product(acme, "Late review", revetting_due=days(-3))
    fp.product(acme, "Fine for now", revetting_due=days(100))

    board = dashboard.build()

    assert [d.item for d in board.under_review] == [review]
    assert [d.item for d in board.open_requests] == [request]
    assert [(d.item.title, d.days) for d in board.expiring] == [("Ends soon", 20)]
    assert board.expiring[0].item == soon
    assert [(d.item, d.overdue_days) for d in board.dispositions] == [(overdue, 12), (pending, 0)]
    assert [d.item for d in board.in_use_without_agreement] == [uncovered]
    assert [(d.item, d.overdue_days) for d in board.revetting] == [(late, 3)]
    assert board.needs_action == 7


def test_the_officer_sees_the_page_with_its_sections_and_charts(
    client: Client, people: SimpleNamespace
) -> None:
    fp.agreement(people.acme, title="Ends soon", end_date=days(20))
    fp.agreement(
        people.acme,
        title="Overdue",
        status=AgreementStatus.DISPOSITION_OVERDUE,
        disposition_due=days(-12),
    )
    client.force_login(people.officer)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-days-left="20"' in html
    assert 'data-days-overdue="12"' in html
    for key in ("agreements", "decisions"):
        assert f'aria-labelledby="chart-{key}-title chart-{key}-desc"' in html
    assert "<desc" in html and "<rect" in html
    assert "Agreements by status, month by month" in html
    assert "<details>" in html  # the data table fallback


def test_the_agreements_chart_counts_each_phase_at_each_month_end(people: SimpleNamespace) -> None:
    today = dt.date(2026, 6, 15)
    tz = timezone.get_current_timezone()

    def at(day: dt.date) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, 12, tzinfo=tz)

    agreement = fp.agreement(people.acme, status=AgreementStatus.DISPOSITION_CERTIFIED)
    agreement.created_at = at(dt.date(2025, 1, 10))
    agreement.activated_at = at(dt.date(2025, 3, 5))
    agreement.ended_at = at(dt.date(2026, 2, 1))
    agreement.save()
    fp.certificate(agreement).__class__.objects.filter(pk=agreement.certificate.pk).update(
        recorded_at=at(dt.date(2026, 4, 20))
    )
    chart = dashboard.agreements_chart(today)
    assert len(chart.months) == 24
    assert chart.months[0] == dt.date(2024, 7, 1) and chart.months[-1] == dt.date(2026, 6, 1)
    phase = {
        chart.months[i]: next((s.label for s in chart.series if s.values[i]), None)
        for i in range(24)
    }
    assert phase[dt.date(2024, 12, 1)] is None
    assert str(phase[dt.date(2025, 1, 1)]) == "draft"
    assert str(phase[dt.date(2025, 3, 1)]) == "in force"
    assert str(phase[dt.date(2026, 2, 1)]) == "ended, deletion not yet certified"
    assert str(phase[dt.date(2026, 4, 1)]) == "deletion certified"
    assert len(chart.bars) == 18  # one bar a month from January 2025


def test_the_decisions_chart_counts_decisions_by_month_and_status(
    people: SimpleNamespace,
) -> None:
    today = timezone.localdate()
    app = fp.product(people.acme)
    fp.decision(app, AppStatus.APPROVED)
    fp.decision(fp.product(people.acme), AppStatus.NOT_APPROVED)
    fp.decision(fp.product(people.acme), AppStatus.APPROVED)
    fp.decision(
        fp.product(people.acme), AppStatus.APPROVED, timezone.now() - dt.timedelta(days=900)
    )
    chart = dashboard.decisions_chart(today)
    by_label = {str(s.label): s.values[-1] for s in chart.series}
    assert by_label["approved"] == 2 and by_label["not approved"] == 1
    assert sum(sum(s.values) for s in chart.series) == 3  # the old one is outside 24 months
    assert chart.rows[-1][2] == 3


def test_chart_gridlines_fall_on_round_values() -> None:
    assert [dashboard._nice(n) for n in (0, 3, 5, 9, 21, 41, 81, 201)] == [
        4,
        4,
        8,
        20,
        40,
        80,
        200,
        400,
    ]


def test_the_page_costs_the_same_queries_however_many_rows(
    client: Client, people: SimpleNamespace, django_assert_num_queries: object
) -> None:
    client.force_login(people.officer)

    def add_rows(n: int) -> None:
        for i in range(n):
            fp.product(people.acme, f"Review {n}-{i}", status=AppStatus.UNDER_REVIEW)
            fp.app_request(people.teacher, f"Request {n}-{i}")
            fp.agreement(people.acme, title=f"Soon {n}-{i}", end_date=days(10 + i))
            fp.agreement(
                people.acme,
                title=f"Overdue {n}-{i}",
                status=AgreementStatus.DISPOSITION_OVERDUE,
                disposition_due=days(-i - 1),
            )
            fp.product(people.acme, f"In use {n}-{i}", in_use=True)
            fp.product(people.acme, f"Revet {n}-{i}", revetting_due=days(i))
            fp.decision(fp.product(people.acme), AppStatus.APPROVED)

    # Session, user, the second factor's device (R33) and account, then the eight queries of
    # `dashboard.build`.
    expected = 4 + 8  # no ledger write, so no advisory lock on PostgreSQL either
    add_rows(1)
    with django_assert_num_queries(expected):  # type: ignore[operator]
        assert client.get(URL).status_code == 200
    add_rows(4)
    with django_assert_num_queries(expected):  # type: ignore[operator]
        assert client.get(URL).status_code == 200
