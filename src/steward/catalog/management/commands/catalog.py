"""`steward catalog export --format json|csv [--out FILE]`: the data catalog (issue #4, R109)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from steward.catalog import export


class Command(BaseCommand):
    help = "Export the data catalog: every element Steward holds about students and guardians."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        out = sub.add_parser("export", help="write the catalog as JSON or CSV")
        out.add_argument("--format", choices=["json", "csv"], default="json")
        out.add_argument("--out", type=Path, default=None, help="file (default: stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        text = export.as_json() if options["format"] == "json" else export.as_csv()
        target: Path | None = options["out"]
        if target is None:
            self.stdout.write(text, ending="")
            return
        target.write_text(text, encoding="utf-8", newline="")
        self.stderr.write(_("Wrote the data catalog to %(path)s.") % {"path": target})
