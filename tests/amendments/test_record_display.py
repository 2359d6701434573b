"""Statements and additions travel with their record part (R35, R37): shown wherever that part
is shown, to whoever may see it, and to no one else."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from steward.amendments.actions.family import do_add_material, do_place_statement
from steward.amendments.models import AmendmentRequest
from steward.audit.models import Action, Entry
from tests.amendments.conftest import Clock
from tests.amendments.helpers import request_absence
from tests.amendments.test_family import heard
from tests.web import factories as f

Login = Callable[[User], Client]
PDF = b"%PDF-1.4 the family's letter"


@pytest.fixture
def stated(district: SimpleNamespace, users: SimpleNamespace, clock: Clock) -> AmendmentRequest:
    """Both of Gail's items upheld at the hearing, a statement placed on each."""
    made = request_absence(district, users.gail)
    heard(made, users, clock)
    first, second = made.items.order_by("position")
    do_place_statement(first, users.gail, "She was ill that day; we disagree.")
    do_place_statement(second, users.gail, "The incident is described unfairly.")
    return made


def test_the_statement_is_shown_with_its_part_on_the_staff_record_page(
    stated: AmendmentRequest, client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    html = client_as(users.teacher).get(reverse("student-record", args=[district.ann.pk]))
    text = html.content.decode()
    part = text[text.index('id="part-attendance"') :]
    part = part[: part.index("</section>")]
    assert "She was ill that day; we disagree." in part
    assert "Attendance on" in part and "Attendance status" in part
    # A teacher never sees the discipline part (R41): nor the statement kept with it.
    assert "The incident is described unfairly." not in text


def test_the_statement_is_shown_in_the_portal_child_record(
    stated: AmendmentRequest, client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    text = client_as(users.gail).get(reverse("portal-child", args=[district.ann.pk])).content
    html = text.decode()
    discipline = html[html.index('id="part-discipline"') :]
    discipline = discipline[: discipline.index("</section>")]
    assert "The incident is described unfairly." in discipline
    assert "She was ill that day; we disagree." not in discipline
    assert "34 CFR 99.21(c)" in discipline


def test_another_family_sees_none_of_it(
    stated: AmendmentRequest, client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    page = client_as(users.hank).get(reverse("portal-child", args=[district.cara.pk]))
    assert page.status_code == 200
    assert "we disagree" not in page.content.decode()


def test_an_addition_document_opens_for_those_who_see_its_part(
    client: Client, client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    health = do_add_material(
        district.ann, users.gail, scope="health", title="Allergy letter", pdf=PDF
    )
    attendance = do_add_material(
        district.ann, users.gail, scope="attendance", title="Doctor's note", pdf=PDF
    )
    url = reverse("amendments-addition-document", args=[health.pk])
    assert client.get(url)["Location"].startswith("/login/")
    assert client_as(f.login("no_role")).get(url).status_code == 403
    # The teacher may see Ann's attendance, never her health part.
    teacher = client_as(users.teacher)
    assert teacher.get(url).status_code == 404
    shown = teacher.get(reverse("amendments-addition-document", args=[attendance.pk]))
    assert shown.status_code == 200 and shown.content == PDF
    assert client_as(users.hank).get(url).status_code == 404
    own = client_as(users.gail).get(url)
    assert own.status_code == 200
    assert own["Content-Disposition"].startswith("attachment;")
    reads = Entry.objects.filter(action=Action.READ, subject_student=district.ann.pk)
    assert reads.filter(scopes="health").count() == 1  # Gail's; the teacher's 404 read nothing


def test_additions_are_shown_with_their_part(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    do_add_material(
        district.ann, users.gail, scope="attendance", title="Doctor's note", text="Flu, 3 days."
    )
    text = client_as(users.teacher).get(reverse("student-record", args=[district.ann.pk]))
    html = text.content.decode()
    part = html[html.index('id="part-attendance"') :]
    part = part[: part.index("</section>")]
    assert "Doctor&#x27;s note" in part and "Flu, 3 days." in part
