"""The retention pages in four states (anonymous → login, wrong role → 403, wrong object →
404, right role and object → 200 with the content), their forms, and the calendar's query
count, which does not grow with the number of students, notices, holds or agreements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from steward.retention.actions import destruction, exits, holds
from steward.retention.models import Certificate, Exit, ExitKind, ExitNotice, LegalHold
from steward.roster.models import StudentSchool
from tests.vendors.factories_agreements import build_world, ended

from .conftest import TEMPORARY_DAY, deliver, exit_ana

Login = Callable[[User], Client]
OLD_EXIT = dt.date(2015, 1, 2)  # temporary record due in 2022: due today


@pytest.fixture
def filled(world: SimpleNamespace, users: SimpleNamespace) -> SimpleNamespace:
    """Ana exited in 2025 (notice to send); Cal in 2015 (due, notice undelivered) with a
    hold; Dan in 2015 too; a vendor agreement awaiting disposition."""
    world.ana_exit = exit_ana(world)
    StudentSchool.objects.filter(student__in=[world.cal, world.dan]).update(end_date=OLD_EXIT)
    world.cal_exit = exits.record_exit(world.cal, ExitKind.TRANSFER, OLD_EXIT)
    world.dan_exit = exits.record_exit(world.dan, ExitKind.TRANSFER, OLD_EXIT)
    deliver(world.dan_exit, users.officer)
    world.hold = holds.place_hold(
        world.cal, "audit", "State audit of 2015 files", user=users.officer
    )
    world.agreement = ended(build_world())
    return world


def office_urls(w: SimpleNamespace) -> list[str]:
    return [reverse("retention-calendar"), reverse("retention-student", args=[w.ana.pk])]


def test_anonymous_visitors_go_to_the_login_page(client: Client, filled: SimpleNamespace) -> None:
    notice = filled.ana_exit.notice
    for url in [
        *office_urls(filled),
        reverse("retention-exit-new"),
        reverse("retention-notice-pdf", args=[notice.pk]),
        reverse("retention-family-notice", args=[notice.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{reverse('login')}?next="), url


def test_other_roles_are_forbidden(
    client_as: Login, users: SimpleNamespace, filled: SimpleNamespace
) -> None:
    for who in (users.teacher, users.gail):
        client = client_as(who)
        for url in [*office_urls(filled), reverse("retention-exit-new")]:
            assert client.get(url).status_code == 403, url
        response = client.post(reverse("retention-hold-place", args=[filled.ana.pk]), {})
        assert response.status_code == 403
    family = reverse("retention-family-notice", args=[filled.ana_exit.notice.pk])
    assert client_as(users.officer).get(family).status_code == 403


def test_unknown_objects_and_other_families_notices_are_not_found(
    client_as: Login, users: SimpleNamespace, filled: SimpleNamespace
) -> None:
    office = client_as(users.officer)
    assert office.get(reverse("retention-student", args=[999999])).status_code == 404
    assert office.get(reverse("retention-certificate", args=[999999])).status_code == 404
    assert office.get(reverse("retention-notice-pdf", args=[999999])).status_code == 404
    gus = client_as(users.gus)
    notice = filled.ana_exit.notice.pk
    assert gus.get(reverse("retention-family-notice", args=[notice])).status_code == 404
    assert gus.get(reverse("retention-family-notice-pdf", args=[notice])).status_code == 404
    assert gus.post(reverse("retention-family-notice", args=[notice])).status_code == 404
    assert not ExitNotice.objects.filter(pk=notice, delivered_at__isnull=False).exists()


def test_the_calendar_shows_due_coming_notices_holds_and_vendor_dispositions(
    client_as: Login, users: SimpleNamespace, filled: SimpleNamespace
) -> None:
    response = client_as(users.officer).get(reverse("retention-calendar"), {"days": 36500})
    assert response.status_code == 200
    html = response.content.decode()
    cal = response.context["calendar"]
    due = {(d.student.pk, d.ma_part): d.blockers for d in cal.due}
    assert due[(filled.cal.pk, "temporary")] == ["notice_undelivered", "legal_hold"]
    assert due[(filled.dan.pk, "temporary")] == []
    kinds = [("destruction" if e.destruction else "disposition") for e in cal.entries]
    assert "disposition" in kinds and "destruction" in kinds
    assert f'data-agreement="{filled.agreement.pk}"' in html
    assert [n.pk for n in cal.notices_to_send] == [
        filled.ana_exit.notice.pk,
        filled.cal_exit.notice.pk,
    ]
    assert [h.pk for h in cal.holds] == [filled.hold.pk]
    assert "State audit of 2015 files" in html
    assert "legal hold (R104)" in html


def test_the_calendar_query_count_is_fixed(
    client_as: Login,
    users: SimpleNamespace,
    filled: SimpleNamespace,
    django_assert_num_queries: Any,
) -> None:
    client = client_as(users.officer)
    client.get(reverse("retention-calendar"))  # warm the session
    # session, user, the second factor's device (R33), account; items, notices, holds,
    # agreements; for the due students: notices, holds, requests, hearings, amendments,
    # enrolled again.
    expected = 14
    with django_assert_num_queries(expected):
        client.get(reverse("retention-calendar"), {"days": 36500})
    for pupil in (filled.cal, filled.dan):
        holds.place_hold(pupil, "other", "one more hold to list", user=users.officer)
    with django_assert_num_queries(expected):
        client.get(reverse("retention-calendar"), {"days": 36500})


def test_the_student_file_shows_exits_parts_notice_holds_and_blockers(
    client_as: Login, users: SimpleNamespace, filled: SimpleNamespace
) -> None:
    response = client_as(users.officer).get(reverse("retention-student", args=[filled.cal.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-item="discipline/temporary"' in html
    assert "2022-01-02" in html
    assert "exit notice not delivered yet (R102)" in html
    assert 'id="destroy-now"' not in html
    assert "Gus Cole" in html  # the notice's addressee


def test_the_office_records_an_exit_from_the_form(
    client_as: Login, users: SimpleNamespace, world: SimpleNamespace
) -> None:
    client = client_as(users.officer)
    url = reverse("retention-exit-new")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"student": "nobody", "kind": "transfer", "exit_date": "2025-06-01"})
    assert bad.status_code == 200 and "No student has that ID." in bad.content.decode()
    future = client.post(
        url, {"student": world.cal.sourced_id, "kind": "transfer", "exit_date": "2999-01-01"}
    )
    assert "cannot be in the future" in future.content.decode()
    response = client.post(
        url, {"student": world.cal.sourced_id, "kind": "transfer", "exit_date": "2025-06-01"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("retention-student", args=[world.cal.pk])
    made = Exit.objects.get(student=world.cal)
    assert made.recorded_by == users.officer and made.kind == "transfer"


def test_the_office_tracks_the_notice_and_destroys_when_nothing_blocks(
    client_as: Login, users: SimpleNamespace, filled: SimpleNamespace
) -> None:
    client = client_as(users.officer)
    notice = filled.cal_exit.notice
    client.post(reverse("retention-notice-sent", args=[notice.pk]), {"method": "certified_mail"})
    client.post(reverse("retention-notice-delivered", args=[notice.pk]), {"evidence": "receipt 9"})
    notice.refresh_from_db()
    assert notice.sent_method == "certified_mail" and notice.delivery_evidence == "receipt 9"
    blocked = client.post(reverse("retention-destroy", args=[filled.cal.pk]), follow=True)
    assert "legal hold (R104)" in blocked.content.decode()
    assert not Certificate.objects.exists()
    client.post(
        reverse("retention-hold-release", args=[filled.hold.pk]), {"reason": "audit closed"}
    )
    assert not LegalHold.objects.get(pk=filled.hold.pk).active
    response = client.post(reverse("retention-destroy", args=[filled.cal.pk]))
    cert = Certificate.objects.get(student=filled.cal)
    assert response["Location"] == reverse("retention-certificate", args=[cert.pk])
    assert cert.operator_user == users.officer
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Cal Cole" in page.content.decode()
    pdf = client.get(reverse("retention-certificate-pdf", args=[cert.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_office_places_a_hold_and_cancels_an_exit_with_reasons(
    client_as: Login, users: SimpleNamespace, filled: SimpleNamespace
) -> None:
    client = client_as(users.officer)
    short = client.post(
        reverse("retention-hold-place", args=[filled.ana.pk]), {"kind": "audit", "reason": "x"},
        follow=True,
    )  # fmt: skip
    assert "at least 10 characters" in short.content.decode()
    client.post(
        reverse("retention-hold-place", args=[filled.ana.pk]),
        {"kind": "litigation", "reason": "Doe v. District, filed 2025"},
    )
    assert LegalHold.objects.filter(student=filled.ana, kind="litigation").exists()
    client.post(
        reverse("retention-exit-cancel", args=[filled.ana_exit.pk]), {"reason": "wrong student"}
    )
    assert Exit.objects.get(pk=filled.ana_exit.pk).cancelled_at is not None


def test_the_family_reads_downloads_and_acknowledges_the_notice(
    client_as: Login, users: SimpleNamespace, filled: SimpleNamespace
) -> None:
    client = client_as(users.gail)
    notice = filled.ana_exit.notice
    url = reverse("retention-family-notice", args=[notice.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "right to receive the information in it" in page.content.decode()
    pdf = client.get(reverse("retention-family-notice-pdf", args=[notice.pk]))
    assert pdf.content.startswith(b"%PDF")
    response = client.post(url)
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.delivered and notice.acknowledged_by_id == filled.gail.pk
    assert 'id="family-notice-acknowledged"' in client.get(url).content.decode()


def test_the_nightly_run_and_the_page_agree(
    client_as: Login, users: SimpleNamespace, filled: SimpleNamespace
) -> None:
    report = destruction.run(TEMPORARY_DAY)
    assert filled.cal.pk in report.blocked and len(report.certificates) == 1
    html = (
        client_as(users.officer)
        .get(reverse("retention-student", args=[filled.dan.pk]))
        .content.decode()
    )
    assert "Certificates of destruction" in html and "No. " in html
