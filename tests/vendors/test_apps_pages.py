"""Staff app pages (/apps/: which apps they may use, their requests) and the privacy
office's request queue (R73, R125, R127). Staff pages: anonymous → login page; guardians and
vendor contacts → 403; staff and the privacy office → the page; another teacher's request →
404. The queue: privacy office only."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steward.vendors.actions import registry
from steward.vendors.models import (
    AppRequest,
    AppRequestStatus,
    AppStatus,
    Product,
    Vetting,
    VettingTrigger,
)

from .factories_registry import entries, make_product, make_vendor, reg_client, reg_world

__all__ = ["reg_client", "reg_world"]

SignIn = Callable[[User | None], Client]
NumQueries = Callable[[int], AbstractContextManager[object]]
APPS = "/apps/"


def ask(w: SimpleNamespace, user: User | None = None, app: str = "Storyboard") -> AppRequest:
    return registry.request_app(
        by=user or w.teacher,
        app_name=app,
        vendor_name="Storyco",
        website="",
        purpose="Students write stories.",
        grades="3",
        student_accounts=True,
    )


def staff_pages(w: SimpleNamespace) -> list[str]:
    asked = ask(w)
    return [
        reverse("vendors-apps"),
        reverse("vendors-apps-request-new"),
        reverse("vendors-apps-request", args=[asked.pk]),
    ]


def test_the_staff_pages_live_under_apps() -> None:
    assert reverse("vendors-apps") == APPS
    assert reverse("vendors-apps-request-new") == "/apps/request/"
    assert reverse("vendors-apps-queue") == "/officer/vendors/requests/"


def test_anonymous_visitors_go_to_the_login_page(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    client = reg_client(None)
    urls = [*staff_pages(reg_world), reverse("vendors-apps-queue")]
    asked = AppRequest.objects.get()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{reverse('login')}?next="), url
    withdraw = reverse("vendors-apps-request-withdraw", args=[asked.pk])
    assert client.post(withdraw).status_code == 302


@pytest.mark.parametrize("role", ["guardian", "vendor"])
def test_guardians_and_vendor_contacts_are_forbidden(
    reg_world: SimpleNamespace, reg_client: SignIn, role: str
) -> None:
    client = reg_client(getattr(reg_world, role))
    for url in [*staff_pages(reg_world), reverse("vendors-apps-queue")]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Mathly" not in response.content.decode()


@pytest.mark.parametrize("role", ["teacher", "officer"])
def test_staff_and_the_privacy_office_open_the_staff_pages(
    reg_world: SimpleNamespace, reg_client: SignIn, role: str
) -> None:
    client = reg_client(getattr(reg_world, role))
    for url in staff_pages(reg_world):
        assert client.get(url).status_code == 200, url


# --- which apps staff may use --------------------------------------------------------------------


def test_staff_see_each_app_in_the_group_of_what_they_may_do(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    make_product(w.globex, "Spellio", status=AppStatus.APPROVED_WITH_GUARDIAN_RELEASE)
    make_product(
        w.globex, "Chatty", status=AppStatus.NOT_APPROVED, status_reason="Shows targeted ads."
    )
    make_product(w.globex, "Oldie", status=AppStatus.EXPIRED)
    response = reg_client(w.teacher).get(APPS)
    groups = {
        key: [p.name for p in products] for key, products in response.context["groups"].items()
    }
    assert groups == {
        "approved": ["Mathly"],
        "guardian_release": ["Spellio"],
        "not_approved": ["Chatty", "Oldie"],
        "under_review": ["Quizzo"],
    }
    html = response.content.decode()
    assert "only with students whose guardians consented" in html
    assert "Shows targeted ads." in html
    assert html.index('id="apps-approved"') < html.index('id="apps-guardian_release"')


def test_staff_search_apps_by_name(reg_world: SimpleNamespace, reg_client: SignIn) -> None:
    response = reg_client(reg_world.teacher).get(APPS, {"q": "math"})
    groups = response.context["groups"]
    assert [p.name for p in groups["approved"]] == ["Mathly"]
    assert "under_review" not in groups
    by_vendor = reg_client(reg_world.teacher).get(APPS, {"q": "acme"}).context["groups"]
    assert [p.name for p in by_vendor["under_review"]] == ["Quizzo"]
    assert (
        'href="/apps/request/?app=acme"'
        in reg_client(reg_world.teacher).get(APPS, {"q": "acme"}).content.decode()
    )


def test_staff_see_only_their_own_requests_with_the_answer(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    mine = ask(w)
    registry.decline_request(mine, reason="Use Storybird instead.", by=w.officer)
    ask(w, user=w.other_teacher, app="Padlet")
    html = reg_client(w.teacher).get(APPS).content.decode()
    assert "Storyboard" in html and "Use Storybird instead." in html
    assert "Padlet" not in html


def test_the_apps_page_costs_the_same_queries_however_many_apps_and_requests(
    reg_world: SimpleNamespace, reg_client: SignIn, django_assert_num_queries: NumQueries
) -> None:
    w = reg_world
    client = reg_client(w.teacher)
    # session, user, the second factor's device (R33), account; apps with vendors; own requests
    expected = 6
    with django_assert_num_queries(expected):
        client.get(APPS)
    for n in range(6):
        vendor = make_vendor(f"Vendor {n}")
        make_product(vendor, f"App {n}", status=AppStatus.APPROVED)
        ask(w, app=f"Wanted {n}")
    with django_assert_num_queries(expected):
        response = client.get(APPS)
    assert "Wanted 5" in response.content.decode()


# --- requests ------------------------------------------------------------------------------------


def test_a_teacher_requests_an_app_and_sees_the_request(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    client = reg_client(w.teacher)
    assert (
        'value="Storyboard"'
        in client.get(reverse("vendors-apps-request-new"), {"app": "Storyboard"}).content.decode()
    )
    response = client.post(
        reverse("vendors-apps-request-new"),
        {
            "app_name": "Storyboard",
            "vendor_name": "Storyco",
            "website": "storyboard.example",
            "purpose": "Students write stories.",
            "grades": "3",
            "student_accounts": "on",
        },
    )
    asked = AppRequest.objects.get()
    assert response["Location"] == reverse("vendors-apps-request", args=[asked.pk])
    assert (asked.requested_by, asked.student_accounts, asked.website) == (
        w.teacher,
        True,
        "https://storyboard.example",
    )
    html = client.get(response["Location"]).content.decode()
    assert "Students write stories." in html and 'id="withdraw-form"' in html


def test_a_request_for_an_approved_app_is_refused_on_the_form(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    response = reg_client(reg_world.teacher).post(
        reverse("vendors-apps-request-new"), {"app_name": "Mathly", "purpose": "Maths practice"}
    )
    assert response.status_code == 400
    assert "already approved" in response.content.decode()
    assert not AppRequest.objects.exists()


def test_another_teachers_request_is_not_found(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    asked = ask(w)
    client = reg_client(w.other_teacher)
    assert client.get(reverse("vendors-apps-request", args=[asked.pk])).status_code == 404
    withdraw = reverse("vendors-apps-request-withdraw", args=[asked.pk])
    assert client.post(withdraw).status_code == 404
    asked.refresh_from_db()
    assert asked.status == AppRequestStatus.OPEN
    assert (
        reg_client(w.teacher).get(reverse("vendors-apps-request", args=[999_999])).status_code
        == 404
    )


def test_the_requester_withdraws_their_request(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    asked = ask(w)
    client = reg_client(w.teacher)
    response = client.post(reverse("vendors-apps-request-withdraw", args=[asked.pk]), follow=True)
    asked.refresh_from_db()
    assert asked.status == AppRequestStatus.WITHDRAWN
    assert 'id="withdraw-form"' not in response.content.decode()


# --- the privacy office's queue ------------------------------------------------------------------


def test_the_queue_is_for_the_privacy_office_only(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    asked = ask(w)
    teacher = reg_client(w.teacher)
    assert teacher.get(reverse("vendors-apps-queue")).status_code == 403
    before = entries()
    assert teacher.post(reverse("vendors-apps-queue-review", args=[asked.pk])).status_code == 403
    decline = reverse("vendors-apps-queue-decline", args=[asked.pk])
    assert teacher.post(decline, {"reason": "No."}).status_code == 403
    assert entries() == before
    officer = reg_client(w.officer)
    html = officer.get(reverse("vendors-apps-queue")).content.decode()
    assert "Storyboard" in html and "Students would have accounts." in html
    assert officer.post(reverse("vendors-apps-queue-review", args=[999_999])).status_code == 404


def test_the_officer_takes_a_request_into_review(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    asked = ask(w)
    response = reg_client(w.officer).post(
        reverse("vendors-apps-queue-review", args=[asked.pk]), {"vendor": ""}
    )
    vetting = Vetting.objects.get(trigger=VettingTrigger.REQUESTED)
    assert response["Location"] == reverse("vendors-vetting", args=[vetting.pk])
    assert vetting.product.name == "Storyboard" and vetting.product.vendor.name == "Storyco"
    asked.refresh_from_db()
    assert asked.status == AppRequestStatus.IN_REVIEW


def test_the_officer_may_file_the_request_under_an_existing_vendor(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    asked = ask(w)
    reg_client(w.officer).post(
        reverse("vendors-apps-queue-review", args=[asked.pk]), {"vendor": str(w.acme.pk)}
    )
    assert Product.objects.get(name="Storyboard").vendor == w.acme


def test_the_officer_declines_a_request_with_a_reason(
    reg_world: SimpleNamespace, reg_client: SignIn
) -> None:
    w = reg_world
    asked = ask(w)
    client = reg_client(w.officer)
    url = reverse("vendors-apps-queue-decline", args=[asked.pk])
    client.post(url, {"reason": ""})
    asked.refresh_from_db()
    assert asked.status == AppRequestStatus.OPEN
    response = client.post(url, {"reason": "Storybird does this and is approved."}, follow=True)
    asked.refresh_from_db()
    assert asked.status == AppRequestStatus.DECLINED
    assert "Storybird does this and is approved." in response.content.decode()


def test_the_queue_costs_the_same_queries_however_many_requests(
    reg_world: SimpleNamespace, reg_client: SignIn, django_assert_num_queries: NumQueries
) -> None:
    w = reg_world
    client = reg_client(w.officer)
    ask(w)
    # session, user, the second factor's device (R33), account; open, in review, answered; vendors
    expected = 8
    with django_assert_num_queries(expected):
        client.get(reverse("vendors-apps-queue"))
    for n in range(4):
        asked = ask(w, user=w.other_teacher, app=f"Wanted {n}")
        if n % 2:
            registry.start_review(asked, by=w.officer)
        else:
            AppRequest.objects.filter(pk=asked.pk).update(
                status=AppRequestStatus.DECLINED, decided_at=timezone.now(), decided_by=w.officer
            )
    with django_assert_num_queries(expected):
        client.get(reverse("vendors-apps-queue"))
