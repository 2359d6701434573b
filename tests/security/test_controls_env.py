"""Control settings read from the environment (#10 item 2; design.md §4): rates, the cache, the
upload limits, and the waitress options `steward serve` adds."""

from __future__ import annotations

from typing import Any

import pytest

from steward.security import control_env, deploy

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("text", "rate"),
    [("30/m", (30, 60)), ("1200/60s", (1200, 60)), ("5000/h", (5000, 3600)),
     ("10/5m", (10, 300)), (" 2 / d ", (2, 86400)), ("7/S", (7, 1))],
)  # fmt: skip
def test_a_rate_is_a_count_over_a_period(text: str, rate: tuple[int, int]) -> None:
    assert control_env.parse_rate(text) == rate


@pytest.mark.parametrize("text", ["30", "thirty/m", "30/week", "0/m", "5/0s", "-1/m", ""])
def test_a_rate_that_is_not_one_is_refused_with_the_variables_name(text: str) -> None:
    with pytest.raises(ValueError, match="STEWARD_X_RATE"):
        control_env.parse_rate(text, variable="STEWARD_X_RATE")


def test_a_rate_variable_falls_back_to_its_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STEWARD_X_RATE", raising=False)
    assert control_env.env_rate("STEWARD_X_RATE", "30/m") == (30, 60)
    monkeypatch.setenv("STEWARD_X_RATE", "100/h")
    assert control_env.env_rate("STEWARD_X_RATE", "30/m") == (100, 3600)


def test_upload_limits_are_whole_megabytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STEWARD_X_MB", raising=False)
    assert control_env.env_megabytes("STEWARD_X_MB", 20) == 20 * MB
    monkeypatch.setenv("STEWARD_X_MB", "50")
    assert control_env.env_megabytes("STEWARD_X_MB", 20) == 50 * MB
    for bad in ("0", "1.5", "-3", "lots"):
        monkeypatch.setenv("STEWARD_X_MB", bad)
        with pytest.raises(ValueError, match="STEWARD_X_MB"):
            control_env.env_megabytes("STEWARD_X_MB", 20)


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("", "locmem.LocMemCache", "steward"),
        ("locmem://", "locmem.LocMemCache", "steward"),
        ("db://", "db.DatabaseCache", "steward_cache"),
        ("db://rate_counts", "db.DatabaseCache", "rate_counts"),
    ],
)
def test_the_cache_url_chooses_process_memory_or_the_database(
    url: str, backend: str, location: str
) -> None:
    assert control_env.cache_from_url(url) == {
        "BACKEND": f"django.core.cache.backends.{backend}",
        "LOCATION": location,
    }


@pytest.mark.parametrize("url", ["redis://10.0.0.5", "db://drop table;", "file:///tmp/c"])
def test_any_other_cache_url_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="STEWARD_CACHE_URL"):
        control_env.cache_from_url(url)


def test_steward_serve_caps_request_bodies_just_above_the_largest_upload(settings: Any) -> None:
    settings.STEWARD_UPLOAD_MAX_BYTES = 20 * MB
    settings.STEWARD_REGISTRY_UPLOAD_MAX_BYTES = 10 * MB
    assert deploy.server_options() == {"max_request_body_size": 21 * MB}
    settings.STEWARD_REGISTRY_UPLOAD_MAX_BYTES = 40 * MB
    assert deploy.server_options()["max_request_body_size"] == 41 * MB


def test_a_trusted_proxy_makes_waitress_believe_only_its_forwarding_headers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STEWARD_TRUSTED_PROXY", "10.0.0.2")
    options = deploy.server_options()
    assert options["trusted_proxy"] == "10.0.0.2"
    assert options["trusted_proxy_count"] == 1
    assert options["trusted_proxy_headers"] == {"x-forwarded-for", "x-forwarded-proto"}
    assert options["clear_untrusted_proxy_headers"] is True
