"""`steward import PATH`: import a OneRoster 1.1/1.2 CSV package (zip or folder)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from steward.roster.importer import ImportRejected, import_package

EXIT_REJECTED = 2


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
            self.stderr.write(
                _(
                    "Import rejected: %(errors)d error(s), %(warnings)d warning(s). "
                    "Nothing was changed. Log: %(log)s"
                )
                % {
                    "errors": rejected.log.error_count,
                    "warnings": rejected.log.warning_count,
                    "log": rejected.log_path,
                }
            )
            sys.exit(EXIT_REJECTED)
        for line in result.log.lines():
            self.stderr.write(line)
        for line in result.summary():
            self.stdout.write(line)
        if result.changed:
            self.stdout.write(
                _("Imported %(path)s (import #%(run)d). Log: %(log)s")
                % {"path": path, "run": result.run_id, "log": result.log_path}
            )
        else:
            self.stdout.write(
                _("No changes: the roster already matches %(path)s (import #%(run)d).")
                % {"path": path, "run": result.run_id}
            )

    def _phase(self, phase: str) -> None:
        self.stderr.write(f"phase: {phase}")
        self.stderr.flush()
