"""/media/published/ and /media/published/<id>/take-down/: four states (anonymous → login,
not staff → 403, a teacher without the class or the item's students → 404, the class's teacher
→ 200), recording a publication from the class list, and the "to take down" list (R134)."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from steward.media import actions
from steward.media.models import PublishedItem, TakeDown

from .conftest import answers, sign

Login = Callable[[User], Client]
URL = "/media/published/"


def take_down_url(item: PublishedItem) -> str:
    return f"/media/published/{item.pk}/take-down/"


@pytest.fixture
def item(district: SimpleNamespace, users: SimpleNamespace) -> PublishedItem:
    sign(users.gail, district.ana)
    return actions.do_record_publication(
        title="Fall concert",
        use_key="newsletters",
        location="Adams newsletter, November",
        students=[district.ana],
        published_by=users.teacher,
        section=district.homeroom,
    )


def test_the_pages_live_under_media(item: PublishedItem) -> None:
    assert reverse("media-published") == URL
    assert reverse("media-take-down", args=[item.pk]) == take_down_url(item)


def test_anonymous_visitors_go_to_the_login_page(client: Client, item: PublishedItem) -> None:
    for response in (client.get(URL), client.post(take_down_url(item))):
        assert response.status_code == 302
        assert response["Location"].startswith(f"{reverse('login')}?next=")


@pytest.mark.parametrize("who", ["gail", "officer"])
def test_accounts_that_are_not_staff_are_forbidden(
    client_as: Login, users: SimpleNamespace, item: PublishedItem, who: str
) -> None:
    client = client_as(getattr(users, who))
    assert client.get(URL).status_code == 403
    assert client.post(take_down_url(item)).status_code == 403
    assert not TakeDown.objects.exists()


def test_a_teacher_of_another_class_gets_not_found(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace, item: PublishedItem
) -> None:
    client = client_as(users.art_teacher)
    assert client.get(URL, {"section": district.homeroom.pk, "use": "newsletters"}).status_code == (
        404
    )
    assert client.get(URL, {"student": district.ana.pk}).status_code == 404
    assert client.post(take_down_url(item)).status_code == 404
    assert client.post("/media/published/999999/take-down/").status_code == 404
    posted = client.post(
        URL,
        {
            "section": district.homeroom.pk,
            "use": "newsletters",
            "title": "Mine",
            "location": "Hall",
            "student": [district.ana.pk],
        },
    )
    assert posted.status_code == 404
    page = client.get(URL)
    assert page.status_code == 200 and "Fall concert" not in page.content.decode()
    assert PublishedItem.objects.count() == 1 and not TakeDown.objects.exists()


def test_the_teacher_records_a_publication_from_the_class_list(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    sign(users.gail, district.ana)
    client = client_as(users.teacher)
    form = client.get(URL, {"section": district.homeroom.pk, "use": "name_with_photo"})
    assert form.status_code == 200
    cleared = {c.student.pk: c.cleared for c in form.context["candidates"]}
    assert cleared == {district.ana.pk: True, district.ben.pk: False}
    html = form.content.decode()
    assert f'id="student-{district.ben.pk}" name="student" value="{district.ben.pk}" disabled' in (
        html
    )
    response = client.post(
        URL,
        {
            "section": district.homeroom.pk,
            "use": "name_with_photo",
            "title": "Reading champions",
            "location": "https://adams.example.org/champions",
            "student": [district.ana.pk],
        },
    )
    assert response.status_code == 302 and response["Location"] == URL
    made = PublishedItem.objects.get()
    assert list(made.students.all()) == [district.ana]
    listing = client.get(URL)
    assert "Reading champions" in listing.content.decode()
    assert [row.item for row in listing.context["items"]] == [made]
    mine = client.get(URL, {"student": district.ben.pk})
    assert mine.status_code == 200 and mine.context["items"] == []


def test_a_student_who_is_not_cleared_is_refused_with_the_reason(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    sign(users.gail, district.ana, answers(True, name_with_photo=False))
    response = client_as(users.teacher).post(
        URL,
        {
            "section": district.homeroom.pk,
            "use": "name_with_photo",
            "title": "Reading champions",
            "location": "Hall display",
            "student": [district.ana.pk],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Not cleared for Name with photo, so not published: Ana Avery" in html
    assert not PublishedItem.objects.exists()


def test_a_withdrawal_puts_the_item_on_the_list_to_take_down(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace, item: PublishedItem
) -> None:
    client = client_as(users.teacher)
    assert client.get(URL).context["to_take_down"] == []
    actions.do_revoke_media_use(district.ana, "newsletters", users.gail)
    page = client.get(URL)
    [row] = page.context["to_take_down"]
    assert row.item == item
    assert [student.pk for student, _why in row.withdrawals] == [district.ana.pk]
    assert "Withdrawn by the family on" in page.content.decode()
    done = client.post(take_down_url(item), {"note": "Removed from the newsletter archive."})
    assert done.status_code == 302 and done["Location"] == URL
    assert TakeDown.objects.get().note == "Removed from the newsletter archive."
    after = client.get(URL)
    assert after.context["to_take_down"] == []
    assert "Taken down on" in after.content.decode()
    again = client.post(take_down_url(item), follow=True)
    assert "already taken down" in again.content.decode()
    assert TakeDown.objects.count() == 1


def test_take_down_accepts_only_post(
    client_as: Login, users: SimpleNamespace, item: PublishedItem
) -> None:
    assert client_as(users.teacher).get(take_down_url(item)).status_code == 405
