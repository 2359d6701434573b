"""`steward export --agreement ID --out PATH [--since TIMESTAMP | --delta]` (issue #7).

Writes the agreement's minimized OneRoster CSV package (zip) to PATH and records the
disclosure. Bulk by default; `--since` (an ISO 8601 date or time; UTC unless it says
otherwise) or `--delta` sends only what changed since an earlier export. Exits 1 with the
reason when the agreement does not allow sharing (R71) or the package cannot be made.
"""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from steward.sharing.actions import do_export
from steward.vendors.models import Agreement


def parse_since(text: str) -> dt.datetime:
    """An aware datetime from `text` (a date means its midnight, UTC)."""
    try:
        value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise CommandError(
            _("--since %(value)s is not an ISO 8601 date or time (2024-09-01T00:00:00Z).")
            % {"value": text}
        ) from exc
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class Command(BaseCommand):
    help = "Export an agreement's minimized OneRoster CSV package and record the disclosure."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agreement", type=int, required=True, help="the agreement's id")
        parser.add_argument("--out", type=Path, required=True, help="the zip file to write")
        changes = parser.add_mutually_exclusive_group()
        changes.add_argument(
            "--since",
            type=parse_since,
            default=None,
            help="a delta against the latest export at or before this time",
        )
        changes.add_argument(
            "--delta", action="store_true", help="a delta against the latest export"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agreement = (
            Agreement.objects.select_related("vendor").filter(pk=options["agreement"]).first()
        )
        if agreement is None:
            raise CommandError(_("There is no agreement %(id)s.") % {"id": options["agreement"]})
        out: Path = options["out"]
        if out.is_dir():
            raise CommandError(_("--out %(path)s is a folder: give a file name.") % {"path": out})
        try:
            export = do_export(
                agreement,
                out=out,
                delta=options["delta"],
                since=options["since"],
                operator=f"steward export ({operator()})",
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            _("Wrote %(path)s: %(mode)s export #%(id)d for %(vendor)s, %(students)d student(s).")
            % {
                "path": out,
                "mode": export.mode,
                "id": export.pk,
                "vendor": agreement.vendor.name,
                "students": export.student_count,
            }
        )
        for name, rows in export.counts.items():
            self.stdout.write(f"  {name}: {rows}")
        self.stdout.write(_("SHA-256: %(sha)s") % {"sha": export.sha256})
