"""`steward restore PATH --yes`: replace the database with an encrypted backup (#10).

The file is checked to its last byte (backup key, database kind, integrity, record key)
before the database is touched; `--check` stops there and changes nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from steward.security.backup import check_backup, restore_backup
from steward.security.backup_format import BackupError
from steward.security.backup_verify import verify_after

EXIT_DAMAGED = 3


class Command(BaseCommand):
    help = (
        "Replace the database with the snapshot in an encrypted backup (needs --yes), then "
        "verify the audit ledger. --check only checks the file."
    )
    # The database may be empty (a new machine): nothing to check before the data is back.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the backup file")
        parser.add_argument(
            "--yes", action="store_true", help="really replace every row of the database"
        )
        parser.add_argument(
            "--check", action="store_true", help="check the file can be restored; change nothing"
        )

    def handle(self, *args: Any, path: Path, yes: bool, check: bool, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file.") % {"path": path})
        try:
            if check:
                header, size, _sha = check_backup(path)
                self.stdout.write(
                    _(
                        "%(path)s can be restored here: %(db)s backup of %(created)s, "
                        "%(size)s bytes."
                    )
                    % {
                        "path": path,
                        "db": header.database,
                        "created": header.fields.get("created"),
                        "size": f"{size:,}",
                    }
                )
                return
            if not yes:
                raise CommandError(
                    _(
                        "Restoring replaces every row of the database %(db)s with the backup. "
                        "Run again with --yes to do it (or --check to check the file only)."
                    )
                    % {"db": connection.settings_dict.get("NAME")}
                )
            done = restore_backup(path)
        except BackupError as exc:
            raise CommandError(
                _("Not restored, the database is unchanged: %(path)s: %(reason)s")
                % {"path": path, "reason": exc}
            ) from exc
        head = done.header.get("ledger_head") or {}
        self.stdout.write(
            _("Restored %(path)s (%(db)s backup of %(created)s, ledger seq %(seq)s).")
            % {
                "path": done.path,
                "db": done.header["database"],
                "created": done.header.get("created"),
                "seq": head.get("seq", 0),
            }
        )
        if _pending_migrations():
            self.stdout.write(
                _("The backup predates this version of Steward: run `steward migrate` now.")
            )
        self.stdout.write(
            _("Restart `steward serve` and `steward worker` so that they read the restored data.")
        )
        if not verify_after(self.stdout, self.stderr):
            sys.exit(EXIT_DAMAGED)


def _pending_migrations() -> bool:
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
