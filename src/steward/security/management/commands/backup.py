"""`steward backup --out PATH`: an encrypted, consistent snapshot of the whole database (#10)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from steward.security.backup import make_backup
from steward.security.backup_format import BackupError
from steward.security.backup_verify import verify_after

EXIT_DAMAGED = 3


class Command(BaseCommand):
    help = (
        "Write an encrypted snapshot of the database (SQLite online backup or pg_dump) to "
        "--out, under STEWARD_BACKUP_KEY; then verify the audit ledger."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, required=True, help="the backup file to create")

    def handle(self, *args: Any, out: Path, **options: Any) -> None:
        try:
            done = make_backup(out)
        except BackupError as exc:
            raise CommandError(_("Backup failed: %(reason)s") % {"reason": exc}) from exc
        head = done.header.get("ledger_head") or {}
        self.stdout.write(
            _(
                "Backup written: %(path)s (%(size)s bytes, %(db)s, ledger seq %(seq)s, "
                "backup key id %(key)s, SHA-256 %(sha)s)"
            )
            % {
                "path": done.path,
                "size": f"{done.size:,}",
                "db": done.header["database"],
                "seq": head.get("seq", 0),
                "key": done.header["key_id"],
                "sha": done.sha256,
            }
        )
        if not verify_after(self.stdout, self.stderr):
            sys.exit(EXIT_DAMAGED)
