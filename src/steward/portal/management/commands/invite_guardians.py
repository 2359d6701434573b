"""`steward invite-guardians`: send portal invitations to guardians from the roster."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from steward.accounts.models import Account
from steward.portal.actions import do_invite_guardian
from steward.roster.models import Guardian, GuardianRelationship


class Command(BaseCommand):
    help = "Invite guardians to the family portal by e-mail (one-time code, 14 days)."

    def add_arguments(self, parser: CommandParser) -> None:
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--guardian", help="one guardian's sourcedId")
        who.add_argument(
            "--all", action="store_true", help="every guardian with an e-mail and no login yet"
        )
        parser.add_argument("--language", default="en", help="e-mail language: en, es, pt-br, ht")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["guardian"]:
            guardians = list(Guardian.objects.filter(sourced_id=options["guardian"]))
            if not guardians:
                raise CommandError(_("No guardian has this sourcedId."))
        else:
            with_child = GuardianRelationship.objects.filter(
                active=True, access_restricted=False
            ).values("guardian_id")
            guardians = list(
                Guardian.objects.filter(pk__in=with_child)
                .exclude(email="")
                .exclude(pk__in=Account.objects.filter(guardian__isnull=False).values("guardian"))
                .order_by("sourced_id")
            )
        sent = 0
        for guardian in guardians:
            try:
                do_invite_guardian(guardian, language=options["language"])
            except ValidationError as exc:
                self.stderr.write(f"{guardian.sourced_id}: {' '.join(exc.messages)}")
            else:
                sent += 1
        self.stdout.write(
            ngettext("%(n)d invitation sent.", "%(n)d invitations sent.", sent) % {"n": sent}
        )
