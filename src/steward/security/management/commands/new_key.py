"""`steward new-key`: print a fresh random key for STEWARD_ENCRYPTION_KEYS or STEWARD_BACKUP_KEY."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from steward.security.keys import new_key


class Command(BaseCommand):
    help = (
        "Print a new random 256-bit key (URL-safe base64) for STEWARD_ENCRYPTION_KEYS or "
        "STEWARD_BACKUP_KEY. Nothing is stored: keep it where the district keeps its secrets."
    )
    # Works on a machine whose configuration is incomplete (that is when a key is needed).
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(new_key())
