"""The privacy office's stewardship pages (R44, R138): who is overdue with the training
(/officer/training/, .csv) and each school's records custodian (/officer/custodians/).
Anonymous → login page; every role but the privacy officer (and superusers) → 403."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steward.accounts.models import Account
from steward.audit.models import Entry
from steward.stewardship import actions, rules, selectors
from steward.stewardship.models import RecordsCustodian
from tests.web import factories as f

from .conftest import attest

Login = Callable[[User], Client]
NumQueries = Callable[..., object]
TRAINING = "/officer/training/"
TRAINING_CSV = "/officer/training.csv"
CUSTODIANS = "/officer/custodians/"
URLS = [TRAINING, TRAINING_CSV, CUSTODIANS]


def test_the_pages_live_under_officer() -> None:
    assert reverse("stewardship-officer-training") == TRAINING
    assert reverse("stewardship-officer-training-csv") == TRAINING_CSV
    assert reverse("stewardship-officer-custodians") == CUSTODIANS


@pytest.mark.parametrize("url", URLS)
def test_they_send_anonymous_visitors_to_the_login_page(client: Client, db: None, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("user", ["teacher", "principal", "guardian", "no_role"])
def test_they_forbid_everyone_but_the_privacy_office(
    client_as: Login, users: SimpleNamespace, user: str, url: str
) -> None:
    response = client_as(getattr(users, user)).get(url)
    assert response.status_code == 403
    assert "Tess Turner" not in response.content.decode()


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("user", ["officer", "root"])
def test_they_open_for_the_privacy_officer_and_superusers(
    client_as: Login, users: SimpleNamespace, user: str, url: str
) -> None:
    assert client_as(getattr(users, user)).get(url).status_code == 200


def test_a_principal_cannot_name_a_custodian(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    response = client_as(users.principal).post(
        CUSTODIANS, {"school": district.north.pk, "staff": district.paula.pk}
    )
    assert response.status_code == 403
    assert not RecordsCustodian.objects.exists()


def test_the_home_page_links_both_pages(client_as: Login, users: SimpleNamespace) -> None:
    html = client_as(users.officer).get(reverse("home")).content.decode()
    assert f'href="{TRAINING}"' in html
    assert f'href="{CUSTODIANS}"' in html


# --- who is overdue -----------------------------------------------------------------------


def test_it_lists_who_is_overdue_with_their_last_confirmation(
    client_as: Login, users: SimpleNamespace
) -> None:
    now = timezone.now()
    period = rules.training_period(now)
    attest(users.teacher, now)  # current
    attest(users.nurse, period.begins_at - dt.timedelta(days=3))  # last year's: overdue
    response = client_as(users.officer).get(TRAINING)
    report = response.context["report"]
    assert [row.username for row in report.overdue] == [
        "counselor",
        "nurse",
        "principal",
        "officer",
    ]
    assert (report.required, report.current) == (5, 1)
    nurse = report.overdue[1]
    assert nurse.name == "Nina Nolan"
    assert nurse.last_period == rules.training_period(period.starts - dt.timedelta(days=1)).label
    html = response.content.decode()
    assert "Nina Nolan" in html and "Tess Turner" not in html
    assert "never" in html
    assert 'id="training-required">5<' in html
    assert 'id="training-overdue">4<' in html


def test_it_leaves_out_guardians_logins_without_a_role_and_inactive_users(
    users: SimpleNamespace,
) -> None:
    users.principal.is_active = False
    users.principal.save(update_fields=["is_active"])
    report = selectors.training_report(timezone.now())
    names = {row.username for row in report.overdue}
    assert names == {"officer", "teacher", "counselor", "nurse"}
    assert report.required == 4


def test_the_list_agrees_with_training_status_for_every_account(users: SimpleNamespace) -> None:
    at = timezone.now()
    attest(users.teacher, at - dt.timedelta(minutes=1))
    attest(users.nurse, at + dt.timedelta(minutes=1))  # after `at`: does not count yet
    attest(users.counselor, rules.training_period(at).begins_at)
    overdue = {row.username for row in selectors.training_report(at).overdue}
    for user in User.objects.all():
        expected = rules.training_status(user, at) is rules.Status.OVERDUE
        assert (user.username in overdue) == expected, user.username


def test_it_shows_the_district_setting(
    client_as: Login, users: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEWARD_TRAINING_ENFORCEMENT", "block")
    html = client_as(users.officer).get(TRAINING).content.decode()
    assert "record access is blocked until a staff member confirms" in html


def test_it_downloads_the_overdue_list_as_csv(client_as: Login, users: SimpleNamespace) -> None:
    attest(users.teacher, timezone.now())
    response = client_as(users.officer).get(TRAINING_CSV)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["username", "name", "role", "last_confirmed_at", "last_period"]
    assert [r[0] for r in rows[1:]] == ["counselor", "nurse", "principal", "officer"]


def test_the_csv_defuses_spreadsheet_formulas(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    evil = f.staff(district.run, "=HYPERLINK(1)", "Zed")
    f.login("zed", Account.Role.TEACHER, staff=evil)
    response = client_as(users.officer).get(TRAINING_CSV)
    assert "'=HYPERLINK(1) Zed" in response.content.decode()


def _more_staff(district: SimpleNamespace, n: int) -> None:
    for i in range(n):
        member = f.staff(district.run, f"Extra{i}", "Staff")
        f.staff_role(district.run, member, district.north, "teacher")
        user = f.login(f"extra{i}", Account.Role.TEACHER, staff=member)
        if i % 2:
            attest(user, timezone.now() - dt.timedelta(days=400))


@pytest.mark.parametrize("extra", [0, 12])
def test_the_overdue_list_does_a_fixed_number_of_queries(
    client_as: Login,
    users: SimpleNamespace,
    district: SimpleNamespace,
    django_assert_num_queries: NumQueries,
    extra: int,
) -> None:
    _more_staff(district, extra)
    client = client_as(users.officer)
    # session, user, the second factor's device (R33), account; the count; the overdue
    # accounts with their last confirmation
    with django_assert_num_queries(6):  # type: ignore[operator]
        response = client.get(TRAINING)
    assert len(response.context["report"].overdue) == 5 + extra
    with django_assert_num_queries(6):  # type: ignore[operator]
        client.get(TRAINING_CSV)


# --- records custodians -------------------------------------------------------------------


def test_it_lists_every_school_and_offers_only_its_current_staff(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    response = client_as(users.officer).get(CUSTODIANS)
    rows = {row.school_name: row for row in response.context["schools"]}
    assert list(rows) == ["Adams Elementary", "Baker Middle"]
    assert [s.display_name for s in rows["Adams Elementary"].candidates] == [
        "Carl Cruz",
        "Paula Park",
        "Tess Turner",
    ]
    assert [s.display_name for s in rows["Baker Middle"].candidates] == ["Nina Nolan"]
    assert all(row.custodian is None for row in rows.values())
    assert "none named" in response.content.decode()


def test_the_officer_names_a_custodian_and_the_page_shows_it(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.officer)
    response = client.post(
        CUSTODIANS, {"school": district.north.pk, "staff": district.paula.pk}, follow=True
    )
    assert response.redirect_chain == [(CUSTODIANS, 302)]
    html = response.content.decode()
    assert "Paula Park is the records custodian of Adams Elementary." in html
    rows = {row.school_name: row for row in response.context["schools"]}
    custodian = rows["Adams Elementary"].custodian
    assert custodian is not None and custodian.staff == district.paula
    assert [h.staff for h in response.context["history"]] == [district.paula]
    assert Entry.objects.filter(purpose=actions.CUSTODIAN_PURPOSE).count() == 1


def test_naming_a_successor_keeps_the_predecessor_in_the_history(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.officer)
    client.post(CUSTODIANS, {"school": district.north.pk, "staff": district.paula.pk})
    response = client.post(
        CUSTODIANS, {"school": district.north.pk, "staff": district.carl.pk}, follow=True
    )
    rows = {row.school_name: row for row in response.context["schools"]}
    assert rows["Adams Elementary"].custodian.staff == district.carl
    assert [h.staff for h in response.context["history"]] == [district.carl, district.paula]
    assert "Rita Reyes" in response.content.decode()


@pytest.mark.parametrize("member", ["nina", "ollie"])
def test_it_refuses_someone_who_does_not_work_at_the_school(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace, member: str
) -> None:
    staff = getattr(district, member)
    response = client_as(users.officer).post(
        CUSTODIANS, {"school": district.north.pk, "staff": staff.pk}
    )
    assert response.status_code == 400
    assert "holds no current position at Adams Elementary" in response.content.decode()
    assert not RecordsCustodian.objects.exists()


def test_it_refuses_a_district_in_place_of_a_school(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    response = client_as(users.officer).post(
        CUSTODIANS, {"school": district.district.pk, "staff": district.paula.pk}
    )
    assert response.status_code == 400
    assert not RecordsCustodian.objects.exists()


def test_it_refuses_a_post_without_csrf_token(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users.officer)
    response = client.post(CUSTODIANS, {"school": district.north.pk, "staff": district.paula.pk})
    assert response.status_code == 403
    assert not RecordsCustodian.objects.exists()


@pytest.mark.parametrize("extra", [0, 12])
def test_the_custodian_page_does_a_fixed_number_of_queries(
    client_as: Login,
    users: SimpleNamespace,
    district: SimpleNamespace,
    django_assert_num_queries: NumQueries,
    extra: int,
) -> None:
    _more_staff(district, extra)
    actions.do_name_records_custodian(district.north, district.paula, users.officer)
    actions.do_name_records_custodian(district.south, district.nina, users.officer)
    actions.do_name_records_custodian(district.north, district.tess, users.officer)
    client = client_as(users.officer)
    # session, user, the second factor's device (R33), account; schools, their custodians,
    # their staff; the history
    with django_assert_num_queries(8):  # type: ignore[operator]
        response = client.get(CUSTODIANS)
    assert len(response.context["history"]) == 3
