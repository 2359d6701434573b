"""Rate limits on the OneRoster token endpoint (per client address) and the rostering API (per API
client): 429 with Retry-After past the limit, one ledger entry per window, counters shared by
every thread of the server (#10 item 2; design.md §6; R116(1), R116(4))."""

from __future__ import annotations

import json
import threading
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client, RequestFactory

from steward.audit.models import Action, Entry
from steward.rostering.models import AccessToken
from steward.security import ratelimits
from tests.rostering.factories import (
    TOKEN_URL,
    Api,
    _fresh_api_state,
    basic,
    make_client,
    token_for,
    world,
)
from tests.sharing.factories import ROSTER_ELEMENTS, agreement

__all__ = ["_fresh_api_state", "world"]


def _limit_events() -> list[dict[str, Any]]:
    rows = Entry.objects.filter(action=Action.SECURITY).values_list("detail", flat=True)
    details = [json.loads(text) for text in rows if text]
    return [d for d in details if d.get("event") == "rate limit reached"]


def _token_request(http: Client, auth: str, address: str) -> Any:
    return http.post(
        TOKEN_URL,
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=auth,
        REMOTE_ADDR=address,
    )


def test_guessing_client_secrets_from_one_address_is_stopped_with_429_and_retry_after(
    world: SimpleNamespace, client: Client, settings: Any
) -> None:
    settings.STEWARD_ROSTERING_TOKEN_RATE = (5, 60)
    made, secret = make_client(world.deal)
    guesser = "198.51.100.7"
    for attempt in range(5):
        wrong = _token_request(client, basic(made.client_id, f"guess-{attempt}"), guesser)
        assert wrong.status_code == 401
    refused = _token_request(client, basic(made.client_id, "guess-5"), guesser)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert (
        refused.json()["imsx_CodeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"]
        == "server_busy"
    )
    # Even the right secret is refused from that address until the window passes: a lucky
    # guess past the limit earns nothing.
    assert _token_request(client, basic(made.client_id, secret), guesser).status_code == 429
    assert not AccessToken.objects.exists()
    # Another address is counted on its own.
    assert _token_request(client, basic(made.client_id, secret), "198.51.100.8").status_code == 200


def test_the_first_refusal_of_a_window_is_one_ledger_entry_however_many_follow(
    world: SimpleNamespace, client: Client, settings: Any
) -> None:
    settings.STEWARD_ROSTERING_TOKEN_RATE = (2, 60)
    auth = basic("nobody", "nothing")
    for _ in range(7):
        _token_request(client, auth, "203.0.113.9")
    events = _limit_events()
    assert len(events) == 1
    assert events[0] == {"event": "rate limit reached", "endpoint": "token", "limit": 2,
                         "seconds": 60}  # fmt: skip
    entry = Entry.objects.get(action=Action.SECURITY)
    assert entry.client_ip == "203.0.113.9"
    # Two failed logins reached the credential check; the five refused did not.
    assert Entry.objects.filter(action=Action.LOGIN_FAILED).count() == 2


def test_ipv6_addresses_are_counted_per_64_network(
    world: SimpleNamespace, client: Client, settings: Any
) -> None:
    settings.STEWARD_ROSTERING_TOKEN_RATE = (2, 60)
    auth = basic("nobody", "nothing")
    assert _token_request(client, auth, "2001:db8:1:2::1").status_code == 401
    assert _token_request(client, auth, "2001:db8:1:2::2").status_code == 401
    assert _token_request(client, auth, "2001:db8:1:2:ffff::9").status_code == 429
    assert _token_request(client, auth, "2001:db8:1:3::1").status_code == 401


def test_each_api_client_has_its_own_limit_on_the_data_endpoints(
    world: SimpleNamespace, client: Client, settings: Any
) -> None:
    settings.STEWARD_ROSTERING_CLIENT_RATE = (3, 60)
    acme_client, acme_secret = make_client(world.deal)
    beta_client, beta_secret = make_client(agreement(world.beta, elements=ROSTER_ELEMENTS))
    acme = Api(client, token_for(client, acme_client, acme_secret))
    beta = Api(client, token_for(client, beta_client, beta_secret))
    assert [acme.get("/orgs").status_code for _ in range(3)] == [200, 200, 200]
    refused = acme.get("/orgs")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Cache-Control"] == "no-store"
    assert acme.get("/users").status_code == 429  # per client, not per path
    assert beta.get("/orgs").status_code == 200
    (event,) = _limit_events()
    assert event["endpoint"] == "api" and event["client_id"] == acme_client.client_id
    entry = Entry.objects.get(action=Action.SECURITY, detail__contains='"rate limit reached"')
    assert entry.agreement_id == str(world.deal.pk)
    assert entry.actor_role == "vendor" and acme_client.client_id in entry.actor_name


def test_the_counter_is_exact_across_threads_of_one_server() -> None:
    """`steward serve` is one process with many threads: they share the in-process cache, and
    its counter is locked, so a burst from many threads is cut at exactly the limit."""
    factory = RequestFactory()
    outcomes: list[bool] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def burst() -> None:
        request = factory.post(TOKEN_URL, REMOTE_ADDR="192.0.2.77")
        start.wait()
        for _ in range(10):
            try:
                ratelimits.hit(request, "threads-test", (25, 60))
            except ratelimits.RateLimited:
                allowed = False
            else:
                allowed = True
            with lock:
                outcomes.append(allowed)

    threads = [threading.Thread(target=burst) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 80
    assert outcomes.count(True) == 25


def test_switching_rate_limits_off_counts_nothing(settings: Any) -> None:
    settings.RATELIMIT_ENABLE = False
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1")
    for _ in range(5):
        assert ratelimits.hit(request, "off-test", (1, 60)).count == 0


@pytest.mark.parametrize(
    ("time_left", "retry"), [(17, 17), (0, 1), (-1, 60)], ids=["in window", "edge", "cache failed"]
)
def test_retry_after_is_at_least_a_second_and_a_whole_window_when_the_cache_failed(
    monkeypatch: pytest.MonkeyPatch, time_left: int, retry: int
) -> None:
    answer = {"count": 3, "limit": 2, "should_limit": True, "time_left": time_left}
    monkeypatch.setattr(ratelimits, "get_usage", lambda *args, **kwargs: answer)
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1")
    with pytest.raises(ratelimits.RateLimited) as limited:
        ratelimits.hit(request, "retry-test", (2, 60))
    assert limited.value.usage.retry_after == retry


def test_a_request_without_a_client_address_is_counted_not_crashed(settings: Any) -> None:
    settings.STEWARD_ROSTERING_TOKEN_RATE = (1, 60)
    request = RequestFactory().post(TOKEN_URL)
    del request.META["REMOTE_ADDR"]
    assert ratelimits.hit(request, "no-address", (1, 60)).count == 1
    with pytest.raises(ratelimits.RateLimited):
        ratelimits.hit(request, "no-address", (1, 60))
