"""Start-up check that the retention periods are lawful (R100, R101): `manage.py check`
fails on a temporary period above 7 years or a transcript period below 60."""

from __future__ import annotations

from typing import Any

from django.core import checks

from steward.retention import policy


@checks.register()
def retention_periods(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    temporary = policy.temporary_years()
    if not 1 <= temporary <= policy.TEMPORARY_MAX:
        errors.append(
            checks.Error(
                f"STEWARD_RETENTION_TEMPORARY_YEARS is {temporary}: 603 CMR 23.06(3) requires "
                f"destroying the temporary record no later than {policy.TEMPORARY_MAX} years "
                "after the student leaves (1 to 7).",
                id="retention.E001",
            )
        )
    transcript = policy.transcript_years()
    if transcript < policy.TRANSCRIPT_MIN:
        errors.append(
            checks.Error(
                f"STEWARD_RETENTION_TRANSCRIPT_YEARS is {transcript}: 603 CMR 23.06(2) keeps "
                f"the transcript {policy.TRANSCRIPT_MIN} years after the student leaves.",
                id="retention.E002",
            )
        )
    if policy.backup_cycle_days() < 1:
        errors.append(
            checks.Error("STEWARD_BACKUP_CYCLE_DAYS must be 1 or more.", id="retention.E003")
        )
    return errors
