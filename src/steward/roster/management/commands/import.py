"""`steward import PATH`: import a OneRoster 1.1/1.2 CSV package (zip or folder)."""

from __future__ import annotations

import errno
import sqlite3
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _

from steward.roster.importer import ImportRejected, import_package

EXIT_REJECTED = 2
_POSTGRES_DISK_FULL = "53100"


def disk_full(exc: BaseException) -> bool:
    """Whether `exc` says the disk is full: ENOSPC or EDQUOT from the system, SQLite's
    SQLITE_FULL, or PostgreSQL's disk_full."""
    if isinstance(exc, OSError) and exc.errno in {errno.ENOSPC, errno.EDQUOT}:
        return True
    cause = exc.__cause__
    if getattr(cause, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        return True
    return getattr(cause, "sqlstate", None) == _POSTGRES_DISK_FULL


def failure(exc: DatabaseError | OSError) -> str:
    """The message for an import the database or the disk refused part-way (issue #10).

    The import is one transaction (`steward.roster.actions.do_import_roster`), so it was not
    applied; said without a traceback, which would only bury the reason.
    """
    if disk_full(exc):
        return _(
            "Import failed: the disk is full (%(error)s). The import was rolled back: the "
            "roster is as it was. Free some space and run the import again."
        ) % {"error": exc}
    return _(
        "Import failed: %(error)s. An import is applied whole or not at all, so running it "
        "again is safe."
    ) % {"error": exc}


class Command(BaseCommand):
    help = "Import a OneRoster CSV package, all or nothing. Exits 2 if the package has errors."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="a .zip package or a folder of CSV files")
        parser.add_argument(
            "--error-log",
            type=Path,
            default=None,
            help="where to write the conformance log (default: data dir)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            result = import_package(
                path,
                progress=options["verbosity"] >= 1,
                error_log=options["error_log"],
                on_phase=self._phase if options["verbosity"] >= 2 else None,
            )
        except ImportRejected as rejected:
            for line in rejected.log.lines():
                self.stderr.write(line)
            counts = {
                "errors": rejected.log.error_count,
                "warnings": rejected.log.warning_count,
            }
            if rejected.log_path is None:
                self.stderr.write(
                    _(
                        "Import rejected: %(errors)d error(s), %(warnings)d warning(s). "
                        "Nothing was changed. The log could not be written (%(why)s)."
                    )
                    % {**counts, "why": rejected.log_error}
                )
            else:
                self.stderr.write(
                    _(
                        "Import rejected: %(errors)d error(s), %(warnings)d warning(s). "
                        "Nothing was changed. Log: %(log)s"
                    )
                    % {**counts, "log": rejected.log_path}
                )
            sys.exit(EXIT_REJECTED)
        except (DatabaseError, OSError) as exc:
            raise CommandError(failure(exc)) from exc
        for line in result.log.lines():
            self.stderr.write(line)
        for line in result.summary():
            self.stdout.write(line)
        if result.changed:
            self.stdout.write(
                _("Imported %(path)s (import #%(run)d). Log: %(log)s")
                % {"path": path, "run": result.run_id, "log": result.log_path}
                if result.log_path is not None
                else _("Imported %(path)s (import #%(run)d).")
                % {"path": path, "run": result.run_id}
            )
        else:
            self.stdout.write(
                _("No changes: the roster already matches %(path)s (import #%(run)d).")
                % {"path": path, "run": result.run_id}
            )
        if result.log_error:
            self.stderr.write(
                _("Warning: the import log could not be written (%(why)s).")
                % {"why": result.log_error}
            )

    def _phase(self, phase: str) -> None:
        self.stderr.write(f"phase: {phase}")
        self.stderr.flush()
