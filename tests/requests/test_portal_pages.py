"""The family's request pages: four states each (anonymous → login, staff → 403, another
family's request or child → 404, the requester → 200), the flow, and pinned query counts."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from steward.audit.models import Action, Entry
from steward.requests import actions
from steward.requests.models import AccessRequest, Kind, Status

from .conftest import Login, submit

NumQueries = Callable[[int], AbstractContextManager[object]]


def _released(users: SimpleNamespace, district: SimpleNamespace) -> AccessRequest:
    req = submit(users.gail, district.ana)
    actions.do_make_copy(req, users.officer)
    return actions.do_fulfil_request(req, users.officer)


def _urls(req: AccessRequest) -> dict[str, str]:
    return {
        "list": reverse("requests-portal-list"),
        "new": reverse("requests-portal-new"),
        "detail": reverse("requests-portal-detail", args=[req.pk]),
        "pdf": reverse("requests-portal-download", args=[req.pk, "pdf"]),
        "zip": reverse("requests-portal-download", args=[req.pk, "zip"]),
    }


def test_the_pages_live_under_the_portal() -> None:
    assert reverse("requests-portal-list") == "/portal/requests/"
    assert reverse("requests-portal-download", args=[3, "pdf"]) == "/portal/requests/3/copy/pdf/"


def test_anonymous_visitors_go_to_the_login_page(
    client: Client, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    req = _released(users, district)
    for url in _urls(req).values():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    withdraw = reverse("requests-portal-withdraw", args=[req.pk])
    assert client.post(withdraw).status_code == 302


@pytest.mark.parametrize("who", ["teacher", "officer"])
def test_staff_are_forbidden(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace, who: str
) -> None:
    req = _released(users, district)
    client = client_as(getattr(users, who))
    for url in _urls(req).values():
        assert client.get(url).status_code == 403, url


def test_another_family_gets_not_found(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    req = _released(users, district)
    client = client_as(users.gus)
    for name in ("detail", "pdf", "zip"):
        assert client.get(_urls(req)[name]).status_code == 404, name
    assert (
        client.get(reverse("requests-portal-new"), {"student": district.ana.pk}).status_code == 404
    )
    assert client.post(reverse("requests-portal-withdraw", args=[req.pk])).status_code == 404
    listed = client.get(reverse("requests-portal-list"))
    assert listed.status_code == 200 and f"request-{req.pk}" not in listed.content.decode()
    assert not Entry.objects.filter(actor_user_id=users.gus.pk, action=Action.READ).exists()


def test_a_parent_makes_a_request_and_follows_it(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.gail)
    page = client.get(reverse("requests-portal-new"), {"student": district.ana.pk})
    assert page.status_code == 200 and "Ana Avery" in page.content.decode()
    response = client.post(
        reverse("requests-portal-new"),
        {"student": district.ana.pk, "kind": Kind.COPY, "details": "All of it"},
    )
    req = AccessRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == _urls(req)["detail"]
    detail = client.get(_urls(req)["detail"]).content.decode()
    assert "received" in detail and 'id="due"' in detail and 'id="download-pdf"' not in detail
    listed = client.get(reverse("requests-portal-list")).content.decode()
    assert f'id="request-{req.pk}"' in listed


def test_the_form_explains_what_is_missing(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.nick)
    response = client.post(
        reverse("requests-portal-new"), {"student": district.ana.pk, "kind": Kind.COPY}
    )
    assert response.status_code == 400 and "no court order" in response.content.decode()
    response = client.post(
        reverse("requests-portal-new"),
        {"student": district.ana.pk, "kind": Kind.COPY, "affirm": "on"},
    )
    assert response.status_code == 302
    assert AccessRequest.objects.get().non_custodial


def test_a_young_student_may_ask_only_for_the_transcript(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    from django.contrib.auth.models import User

    from steward.accounts.models import Account

    young = User.objects.create_user(username="ana")
    Account.objects.create(user=young, role=Account.Role.STUDENT, student=district.ana)
    client = client_as(young)
    refused = client.post(
        reverse("requests-portal-new"), {"student": district.ana.pk, "kind": Kind.COPY}
    )
    assert refused.status_code == 400 and "own transcript" in refused.content.decode()
    made = client.post(
        reverse("requests-portal-new"), {"student": district.ana.pk, "kind": Kind.TRANSCRIPT}
    )
    assert made.status_code == 302


def test_the_requester_downloads_the_pdf_and_the_zip_and_each_download_is_logged(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    req = _released(users, district)
    client = client_as(users.gail)
    detail = client.get(_urls(req)["detail"]).content.decode()
    assert 'id="download-pdf"' in detail and req.released_copy.pdf_sha256 in detail  # type: ignore[union-attr]
    pdf = client.get(_urls(req)["pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and pdf["Cache-Control"] == "private, no-store"
    archive = client.get(_urls(req)["zip"])
    assert archive.status_code == 200
    with zipfile.ZipFile(BytesIO(archive.content)) as zipped:
        assert "copy.json" in zipped.namelist()
    reads = Entry.objects.filter(actor_user_id=users.gail.pk, action=Action.READ)
    assert reads.count() == 2
    assert client.get(reverse("requests-portal-download", args=[req.pk, "exe"])).status_code == 404


def test_no_download_before_the_release(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    req = submit(users.gail, district.ana)
    actions.do_make_copy(req, users.officer)
    assert client_as(users.gail).get(_urls(req)["pdf"]).status_code == 404


def test_the_requester_withdraws_an_open_request(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    req = submit(users.gail, district.ana)
    response = client_as(users.gail).post(reverse("requests-portal-withdraw", args=[req.pk]))
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == Status.WITHDRAWN


def test_the_custodial_parent_reads_the_notice_in_the_portal(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    req = submit(users.nick, district.ana, affirmation="No order.")
    html = client_as(users.gail).get(reverse("requests-portal-list")).content.decode()
    notice = req.custodial_notices.get()
    assert f'id="notice-{notice.pk}"' in html and "does not have custody" in html


def test_the_list_reads_a_fixed_number_of_queries(
    client_as: Login,
    users: SimpleNamespace,
    district: SimpleNamespace,
    django_assert_num_queries: NumQueries,
) -> None:
    client = client_as(users.gail)
    submit(users.nick, district.ana, affirmation="No order.")
    submit(users.gail, district.ana)
    expected = 5
    with django_assert_num_queries(expected):
        client.get(reverse("requests-portal-list"))
    for kind in (Kind.INSPECTION, Kind.MEETING, Kind.EXPLANATION):
        submit(users.gail, district.ana, kind)
    submit(users.nick, district.ana, affirmation="No order.")
    with django_assert_num_queries(expected):
        response = client.get(reverse("requests-portal-list"))
    assert len(response.context["rows"]) == 4 and len(response.context["notices"]) == 2
