"""The privacy office's API-client page in four states (design.md §6): anonymous → login,
staff or vendor contact → 403, the privacy office → the page; a client that does not exist
is 404; the secret is shown once, on the answer that created it."""

from __future__ import annotations

from types import SimpleNamespace

from django.test import Client
from django.urls import reverse

from steward.rostering import scopes as sc
from steward.rostering.models import ApiClient
from tests.rostering.factories import make_client

URL = "/officer/rostering/clients/"


def test_anonymous_visitors_are_sent_to_the_login_page(
    world: SimpleNamespace, client: Client
) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_and_vendor_contacts_get_403(world: SimpleNamespace, client: Client) -> None:
    made, _secret = make_client(world.deal)
    for user in (world.logins.teacher, world.logins.vendor):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(reverse("rostering-client-rotate", args=[made.pk])).status_code == 403
    assert ApiClient.objects.get().rotated_at is None


def test_the_privacy_office_sees_the_clients(world: SimpleNamespace, client: Client) -> None:
    made, secret = make_client(world.deal, name="Acme nightly sync")
    client.force_login(world.logins.officer)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Acme nightly sync" in html and made.client_id in html
    assert secret not in html
    assert "/ims/oneroster/rostering/v1p2/token" in html


def test_the_privacy_office_creates_a_client_and_sees_its_secret_once(
    world: SimpleNamespace, client: Client
) -> None:
    client.force_login(world.logins.officer)
    response = client.post(
        URL, {"agreement": world.deal.pk, "name": "Acme sync", "scope": [sc.CORE, sc.ROSTER]}
    )
    assert response.status_code == 200
    made = ApiClient.objects.get()
    html = response.content.decode()
    assert 'id="secret-value"' in html and made.client_id in html
    assert 'id="secret-value"' not in client.get(URL).content.decode()


def test_a_refused_creation_is_shown_with_its_reason(
    world: SimpleNamespace, client: Client
) -> None:
    client.force_login(world.logins.officer)
    response = client.post(URL, {"agreement": world.deal.pk, "name": "", "scope": []})
    assert response.status_code == 400
    assert 'id="client-errors"' in response.content.decode()
    assert not ApiClient.objects.exists()
    assert client.post(URL, {"agreement": "", "name": "x"}).status_code == 400


def test_rotate_and_deactivate_from_the_page(world: SimpleNamespace, client: Client) -> None:
    made, _secret = make_client(world.deal)
    client.force_login(world.logins.officer)
    rotated = client.post(reverse("rostering-client-rotate", args=[made.pk]))
    assert rotated.status_code == 200 and 'id="secret-value"' in rotated.content.decode()
    refused = client.post(reverse("rostering-client-deactivate", args=[made.pk]), {"reason": ""})
    assert refused.status_code == 400
    done = client.post(reverse("rostering-client-deactivate", args=[made.pk]), {"reason": "ended"})
    assert done.status_code == 200
    made.refresh_from_db()
    assert not made.active


def test_a_client_that_does_not_exist_is_404(world: SimpleNamespace, client: Client) -> None:
    client.force_login(world.logins.officer)
    assert client.post(reverse("rostering-client-rotate", args=[999999])).status_code == 404


def test_the_list_costs_a_fixed_number_of_queries(
    world: SimpleNamespace, client: Client, django_assert_num_queries: object
) -> None:
    client.force_login(world.logins.officer)
    make_client(world.deal)
    client.get(URL)
    # 5 for the page, and the second factor's device of the session (R33).
    with django_assert_num_queries(6):  # type: ignore[operator]
        client.get(URL)
    for n in range(5):
        make_client(world.deal, name=f"Sync {n}")
    with django_assert_num_queries(6):  # type: ignore[operator]
        client.get(URL)
