"""`steward publish-notices --school-year 2026-2027`: publish the four default annual notices
(FERPA, Massachusetts, directory information, PPRA; R19–R23) for families in the portal."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import ngettext

from steward.media.selectors import school_year
from steward.portal.notice_actions import publish_default_notices


class Command(BaseCommand):
    help = "Publish the default annual notices (FERPA, MA, directory, PPRA) for a school year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school-year", help="e.g. 2026-2027 (default: the current one)")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.utils import timezone

        year = options["school_year"] or school_year(timezone.now())
        try:
            made = publish_default_notices(year)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            ngettext(
                "%(n)d notice published for %(year)s.",
                "%(n)d notices published for %(year)s.",
                len(made),
            )
            % {"n": len(made), "year": year}
        )
