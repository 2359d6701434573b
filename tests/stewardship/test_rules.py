"""Who must confirm the annual privacy training, the period boundary (July 1, district time),
and the district's warn / block setting (R44, R138)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from steward import config
from steward.stewardship import rules
from steward.stewardship.rules import Status

from .conftest import attest

BOSTON = zoneinfo.ZoneInfo("America/New_York")


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BOSTON)  # type: ignore[misc]


JUNE_30_LATE = local(2026, 6, 30, 23, 59, 59)
JULY_1_MIDNIGHT = local(2026, 7, 1, 0, 0, 0)


def test_the_training_period_is_the_school_year_starting_july_1() -> None:
    period = rules.training_period(dt.date(2026, 9, 15))
    assert (period.label, period.starts, period.ends) == (
        "2026-2027",
        dt.date(2026, 7, 1),
        dt.date(2027, 6, 30),
    )
    assert period.begins_at == JULY_1_MIDNIGHT
    assert period.ends_before == local(2027, 7, 1)


@pytest.mark.parametrize(
    ("at", "label"),
    [
        (dt.date(2026, 6, 30), "2025-2026"),
        (dt.date(2026, 7, 1), "2026-2027"),
        (JUNE_30_LATE, "2025-2026"),
        (JULY_1_MIDNIGHT, "2026-2027"),
        # 02:00 UTC on July 1 is still June 30 in the district.
        (dt.datetime(2026, 7, 1, 2, 0, tzinfo=dt.UTC), "2025-2026"),
        (dt.datetime(2026, 7, 1, 4, 0, tzinfo=dt.UTC), "2026-2027"),
        (dt.date(2027, 1, 1), "2026-2027"),
    ],
)
def test_the_period_changes_on_july_1_in_district_time(at: dt.date, label: str) -> None:
    assert rules.training_period(at).label == label
    assert at in rules.training_period(at)


def test_it_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="naive"):
        rules.training_period(dt.datetime(2026, 7, 1, 12, 0))


@pytest.mark.parametrize("user", ["officer", "teacher", "principal", "counselor", "nurse"])
def test_it_requires_every_account_with_record_access(users: SimpleNamespace, user: str) -> None:
    assert rules.training_status(getattr(users, user), JULY_1_MIDNIGHT) is Status.OVERDUE


@pytest.mark.parametrize("user", ["guardian", "no_role", "root"])
def test_it_does_not_require_guardians_or_accounts_without_a_staff_role(
    users: SimpleNamespace, user: str
) -> None:
    assert rules.training_status(getattr(users, user), JULY_1_MIDNIGHT) is Status.NOT_REQUIRED
    assert not rules.record_access_blocked(getattr(users, user), JULY_1_MIDNIGHT)


def test_it_does_not_require_anonymous_visitors(db: None) -> None:
    assert rules.training_status(AnonymousUser(), JULY_1_MIDNIGHT) == "not_required"


def test_a_june_30_confirmation_is_current_until_the_period_ends(
    users: SimpleNamespace,
) -> None:
    attest(users.teacher, JUNE_30_LATE)
    assert rules.training_status(users.teacher, JUNE_30_LATE) is Status.CURRENT
    assert rules.training_status(users.teacher, dt.date(2026, 6, 30)) is Status.CURRENT
    assert rules.training_status(users.teacher, JULY_1_MIDNIGHT) is Status.OVERDUE
    assert rules.training_status(users.teacher, dt.date(2026, 7, 1)) is Status.OVERDUE


def test_a_july_1_confirmation_lasts_the_whole_school_year(users: SimpleNamespace) -> None:
    attest(users.teacher, JULY_1_MIDNIGHT)
    assert rules.training_status(users.teacher, JULY_1_MIDNIGHT) is Status.CURRENT
    assert rules.training_status(users.teacher, dt.date(2027, 6, 30)) is Status.CURRENT
    assert rules.training_status(users.teacher, local(2027, 6, 30, 23, 59)) is Status.CURRENT
    assert rules.training_status(users.teacher, local(2027, 7, 1)) is Status.OVERDUE


def test_a_confirmation_counts_only_from_the_moment_it_is_made(users: SimpleNamespace) -> None:
    attest(users.teacher, local(2026, 9, 1, 10, 0))
    assert rules.training_status(users.teacher, local(2026, 9, 1, 9, 59)) is Status.OVERDUE
    assert rules.training_status(users.teacher, local(2026, 9, 1, 10, 0)) is Status.CURRENT
    # A date counts to its end, district time.
    assert rules.training_status(users.teacher, dt.date(2026, 8, 31)) is Status.OVERDUE
    assert rules.training_status(users.teacher, dt.date(2026, 9, 1)) is Status.CURRENT


def test_another_users_confirmation_does_not_count(users: SimpleNamespace) -> None:
    attest(users.principal, JULY_1_MIDNIGHT)
    assert rules.training_status(users.teacher, local(2026, 9, 1)) is Status.OVERDUE


def test_the_status_compares_equal_to_its_plain_string() -> None:
    assert Status.OVERDUE == "overdue"
    assert {s.value for s in Status} == {"current", "overdue", "not_required"}


def test_enforcement_is_warn_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STEWARD_TRAINING_ENFORCEMENT", raising=False)
    assert rules.enforcement() == rules.WARN


@pytest.mark.parametrize("value", ["block", "BLOCK", " block "])
def test_the_district_may_choose_block(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("STEWARD_TRAINING_ENFORCEMENT", value)
    assert rules.enforcement() == rules.BLOCK


def test_an_unknown_enforcement_value_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STEWARD_TRAINING_ENFORCEMENT", "strict")
    with pytest.raises(ValueError, match="STEWARD_TRAINING_ENFORCEMENT"):
        config.training_enforcement()
    with pytest.raises(SystemCheckError, match=r"stewardship\.E001"):
        call_command("check")


def test_warn_never_blocks_record_access(
    users: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEWARD_TRAINING_ENFORCEMENT", "warn")
    assert rules.training_status(users.teacher, JULY_1_MIDNIGHT) is Status.OVERDUE
    assert rules.record_access_blocked(users.teacher, JULY_1_MIDNIGHT) is False


def test_block_blocks_an_overdue_teacher_until_they_confirm(
    users: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEWARD_TRAINING_ENFORCEMENT", "block")
    at = local(2026, 9, 1, 12, 0)
    assert rules.record_access_blocked(users.teacher, at) is True
    attest(users.teacher, local(2026, 9, 1, 11, 0))
    assert rules.record_access_blocked(users.teacher, at) is False
    assert rules.record_access_blocked(users.guardian, at) is False


def test_warn_costs_no_query(
    users: SimpleNamespace,
    monkeypatch: pytest.MonkeyPatch,
    django_assert_num_queries: object,
) -> None:
    monkeypatch.setenv("STEWARD_TRAINING_ENFORCEMENT", "warn")
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert not rules.record_access_blocked(users.teacher, JULY_1_MIDNIGHT)
