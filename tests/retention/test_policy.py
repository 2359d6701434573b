"""The retention schedule from the catalog and the settings (R100, R101)."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings

from steward.catalog.elements import SCOPE_KEYS, MAPart
from steward.retention import checks, policy
from steward.retention.destroy import DESTROYERS


def test_every_part_of_the_schedule_has_exactly_one_destroyer() -> None:
    assert set(DESTROYERS) == set(policy.schedule())
    assert {scope for scope, _part in policy.schedule()} == SCOPE_KEYS


def test_grades_hold_a_transcript_part_and_a_temporary_part_but_discipline_only_temporary() -> None:
    assert policy.parts_of("grades_transcript") == (MAPart.TEMPORARY, MAPart.TRANSCRIPT)
    assert policy.parts_of("discipline") == (MAPart.TEMPORARY,)


def test_the_temporary_record_goes_after_7_years_and_the_transcript_after_60() -> None:
    left = dt.date(2025, 6, 20)
    assert policy.destroy_on(left, MAPart.TEMPORARY) == dt.date(2032, 6, 20)
    assert policy.destroy_on(left, MAPart.TRANSCRIPT) == dt.date(2085, 6, 20)


def test_a_leap_day_exit_is_never_shortened() -> None:
    assert policy.add_years(dt.date(2024, 2, 29), 7) == dt.date(2031, 3, 1)
    assert policy.add_years(dt.date(2024, 2, 29), 60) == dt.date(2084, 2, 29)


@override_settings(STEWARD_RETENTION_TEMPORARY_YEARS=5, STEWARD_RETENTION_TRANSCRIPT_YEARS=75)
def test_the_periods_are_district_settings() -> None:
    assert policy.destroy_on(dt.date(2025, 1, 1), MAPart.TEMPORARY) == dt.date(2030, 1, 1)
    assert policy.destroy_on(dt.date(2025, 1, 1), MAPart.TRANSCRIPT) == dt.date(2100, 1, 1)
    assert checks.retention_periods() == []


@override_settings(STEWARD_RETENTION_TEMPORARY_YEARS=8, STEWARD_RETENTION_TRANSCRIPT_YEARS=59)
def test_the_check_refuses_periods_the_regulations_do_not_allow() -> None:
    ids = {error.id for error in checks.retention_periods()}
    assert ids == {"retention.E001", "retention.E002"}


def test_the_accommodations_summary_log_goes_with_the_special_education_part() -> None:
    assert policy.ledger_scopes({"special_education"}) == {
        "special_education",
        "accommodations_summary",
    }
