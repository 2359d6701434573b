"""Every sharing page in four states: anonymous, teacher, vendor contact, privacy office
(issue #7; design.md §6), with the wrong object (another district's agreement) a 404."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse

from steward.audit.models import Action, Entry
from steward.sharing import actions
from steward.sharing.models import Export, Feed
from steward.vendors.models import AgreementStatus
from tests.sharing import factories as sf

ClientAs = Callable[[User], Client]
PAGES = [
    ("sharing-index", False),
    ("sharing-preview", True),
    ("sharing-exports", True),
    ("sharing-received", False),
    ("sharing-recipients", False),
]


@pytest.fixture
def world(
    district: SimpleNamespace,
    users: SimpleNamespace,
    settings: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> SimpleNamespace:
    settings.STEWARD_FAMILY_LOG_STAFF_READS = False
    w = SimpleNamespace(d=district, u=users)
    w.agreement = sf.agreement(district.acme)
    w.other = sf.agreement(district.beta, external=True, lea_name="Elsewhere")
    with django_capture_on_commit_callbacks(execute=True):
        w.export = actions.do_export(w.agreement, out=tmp_path / "acme.zip", by=users.officer)
    return w


def url(name: str, pk: int | None = None) -> str:
    return reverse(name, args=[pk] if pk is not None else [])


@pytest.mark.parametrize(("name", "with_pk"), PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(
    world: SimpleNamespace, client: Client, name: str, with_pk: bool
) -> None:
    response = client.get(url(name, world.agreement.pk if with_pk else None))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(("name", "with_pk"), PAGES)
@pytest.mark.parametrize("who", ["teacher", "vendor"])
def test_teachers_and_vendor_contacts_get_403(
    world: SimpleNamespace, client_as: ClientAs, name: str, with_pk: bool, who: str
) -> None:
    client = client_as(getattr(world.u, who))
    assert client.get(url(name, world.agreement.pk if with_pk else None)).status_code == 403


@pytest.mark.parametrize("who", ["teacher", "vendor"])
def test_teachers_and_vendor_contacts_cannot_export_download_or_change_a_feed(
    world: SimpleNamespace, client_as: ClientAs, who: str
) -> None:
    client = client_as(getattr(world.u, who))
    pk = world.agreement.pk
    assert client.post(url("sharing-exports", pk), {"mode": "bulk"}).status_code == 403
    assert client.post(url("sharing-feed", pk), {"version": "1.1"}).status_code == 403
    assert client.get(url("sharing-download", world.export.pk)).status_code == 403
    assert client.get(url("sharing-recipients-csv")).status_code == 403
    assert Export.objects.count() == 1 and not Feed.objects.exists()


@pytest.mark.parametrize("name", ["sharing-preview", "sharing-exports", "sharing-feed"])
def test_another_districts_agreement_is_not_found(
    world: SimpleNamespace, client_as: ClientAs, name: str
) -> None:
    client = client_as(world.u.officer)
    method = client.post if name == "sharing-feed" else client.get
    assert method(url(name, world.other.pk)).status_code == 404
    assert client.get(url("sharing-preview", 999_999)).status_code == 404


def test_the_office_sees_every_agreement_in_a_pinned_number_of_queries(
    world: SimpleNamespace, client_as: ClientAs, django_assert_num_queries: Any
) -> None:
    client = client_as(world.u.officer)
    client.get(url("sharing-index"))  # warm the session and the account
    for n in range(3):
        sf.agreement(sf.vendor(f"Extra {n}"))
    # session, user, the second factor's device (R33), account, the agreements
    with django_assert_num_queries(5):
        response = client.get(url("sharing-index"))
    assert response.status_code == 200
    assert f'data-agreement="{world.agreement.pk}" data-sharing="yes"' in response.content.decode()
    assert f'data-agreement="{world.other.pk}"' not in response.content.decode()


def test_the_preview_shows_counts_exclusions_and_requested_columns_not_allowed(
    world: SimpleNamespace, client_as: ClientAs
) -> None:
    sf.feed(world.agreement, requested_columns={"users.csv": ["email", "givenName"]})
    page = client_as(world.u.officer).get(url("sharing-preview", world.agreement.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert "4 students may be shared, as OneRoster 1.2." in html
    assert 'data-file="users.csv"' in html and "users.csv: 7 rows" in html
    assert "How to reach the student: e-mail address" in html  # email is not allowed, and why
    assert "Nobody in scope is left out." in html


def test_the_preview_of_an_ended_agreement_says_why_nothing_is_shared(
    world: SimpleNamespace, client_as: ClientAs
) -> None:
    ended = sf.agreement(world.d.acme, status=AgreementStatus.TERMINATED, title="Old DPA")
    page = client_as(world.u.officer).get(url("sharing-preview", ended.pk))
    assert page.status_code == 200
    assert "only an active agreement allows student data to be shared" in page.content.decode()


def test_the_office_saves_feed_settings_through_the_action(
    world: SimpleNamespace, client_as: ClientAs
) -> None:
    client = client_as(world.u.officer)
    response = client.post(
        url("sharing-feed", world.agreement.pk),
        {"version": "1.1", "pseudonymous": "on", "requested": ["users.csv:email"]},
    )
    assert response.status_code == 302
    feed = Feed.objects.get(agreement=world.agreement)
    assert (feed.version, feed.pseudonymous, feed.requested_columns) == (
        "1.1",
        True,
        {"users.csv": ["email"]},
    )
    assert Entry.objects.filter(action=Action.CREATE, agreement_id=str(world.agreement.pk)).exists()


def test_the_office_runs_an_export_and_downloads_it(
    world: SimpleNamespace,
    client_as: ClientAs,
    settings: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> None:
    monkeypatch.setenv("STEWARD_DATA_DIR", str(tmp_path / "data"))
    client = client_as(world.u.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("sharing-exports", world.agreement.pk), {"mode": "delta"})
    assert response.status_code == 302
    made = Export.objects.order_by("-pk").first()
    assert made is not None and made.mode == "delta" and made.baseline_id == world.export.pk
    download = client.get(url("sharing-download", made.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"  # type: ignore[attr-defined]
    listing = client.get(url("sharing-exports", world.agreement.pk)).content.decode()
    assert f'data-export="{made.pk}"' in listing


def test_an_export_of_an_ended_agreement_is_refused_on_the_page(
    world: SimpleNamespace, client_as: ClientAs
) -> None:
    type(world.agreement).objects.filter(pk=world.agreement.pk).update(
        status=AgreementStatus.EXPIRED
    )
    response = client_as(world.u.officer).post(
        url("sharing-exports", world.agreement.pk), {"mode": "bulk"}
    )
    assert response.status_code == 400
    assert 'id="export-refused"' in response.content.decode()
    assert Export.objects.count() == 1


def test_the_office_sees_what_a_vendor_received_about_a_student(
    world: SimpleNamespace, client_as: ClientAs
) -> None:
    client = client_as(world.u.officer)
    response = client.get(
        url("sharing-received"), {"vendor": world.d.acme.pk, "student": world.d.ana.sourced_id}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-seq="{world.export.entry_seq}"' in html
    assert "The student&#x27;s name: first and last name" in html
    beta = client.get(
        url("sharing-received"), {"vendor": world.d.beta.pk, "student": world.d.ana.sourced_id}
    )
    assert 'id="received-none"' in beta.content.decode()


def test_the_office_lists_and_downloads_whose_data_a_vendor_received(
    world: SimpleNamespace, client_as: ClientAs
) -> None:
    client = client_as(world.u.officer)
    query = {"vendor": world.d.acme.pk}
    html = client.get(url("sharing-recipients"), query).content.decode()
    for pupil in (world.d.ana, world.d.ben, world.d.cal, world.d.dee):
        assert f'data-student="{pupil.sourced_id}"' in html
    response = client.get(url("sharing-recipients-csv"), query)
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(body)))
    assert sorted(r["sourcedId"] for r in rows) == sorted(
        p.sourced_id for p in (world.d.ana, world.d.ben, world.d.cal, world.d.dee)
    )
    assert {r["disclosures"] for r in rows} == {"1"}
    tomorrow = sf.days(1).isoformat()
    later = client.get(url("sharing-recipients"), {**query, "since": tomorrow}).content.decode()
    assert "0 students." in later


def test_a_bad_search_is_a_400_with_the_form(world: SimpleNamespace, client_as: ClientAs) -> None:
    client = client_as(world.u.officer)
    assert client.get(url("sharing-received"), {"student": "nobody"}).status_code == 400
    assert client.get(url("sharing-recipients"), {"vendor": "x"}).status_code == 400
    assert connection.vendor in ("sqlite", "postgresql")


def test_the_export_list_takes_a_pinned_number_of_queries(
    world: SimpleNamespace,
    client_as: ClientAs,
    tmp_path: Path,
    django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> None:
    client = client_as(world.u.officer)
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            actions.do_export(world.agreement, out=tmp_path / f"more-{n}.zip", by=world.u.officer)
    client.get(url("sharing-exports", world.agreement.pk))
    # session, user, the second factor's device (R33), account, the agreement, its exports
    # with who made them
    with django_assert_num_queries(6):
        html = client.get(url("sharing-exports", world.agreement.pk)).content.decode()
    assert html.count("data-export=") == 4


def test_whose_data_a_vendor_received_takes_a_pinned_number_of_queries(
    world: SimpleNamespace, client_as: ClientAs, django_assert_num_queries: Any
) -> None:
    client = client_as(world.u.officer)
    query = {"vendor": world.d.acme.pk}
    client.get(url("sharing-recipients"), query)
    # session, user, the second factor's device (R33), account, the vendor; its agreements,
    # the entries, their sets, the students (whatever their number); the page's own ledger
    # entry (savepoint, head, set lookup, insert, release); the vendors listed in the form
    expected = 15 + (connection.vendor == "postgresql")
    with django_assert_num_queries(expected):
        client.get(url("sharing-recipients"), query)
