"""History rows: written once, never updated in place (consents, releases, attestations...).

A change is a new row (a revocation, a superseding release), so what was true at any moment
stays readable; each row is written by an `actions.py` function with its ledger entry.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class HistoryRow(models.Model):
    """Abstract base: `save()` refuses a row that is already in the database."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError(f"{type(self).__name__} rows are history: add a new row instead")
        super().save(*args, **kwargs)
