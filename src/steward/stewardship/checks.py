"""A system check, so a mistyped `STEWARD_TRAINING_ENFORCEMENT` stops `steward serve` and
`steward migrate` with a clear message instead of failing at the first login."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from steward import config


@register()
def training_enforcement_is_valid(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        config.training_enforcement()
    except ValueError as error:
        return [Error(str(error), id="stewardship.E001")]
    return []
