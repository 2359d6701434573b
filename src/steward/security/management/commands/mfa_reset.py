"""`steward mfa-reset <username> --reason "..."`: remove a user's second factor from the
console (a lost phone), recorded in the ledger with the reason and the system account."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from steward.security.auth_config import console_operator
from steward.security.mfa_actions import do_reset_mfa


class Command(BaseCommand):
    help = (
        "Remove a user's authenticator app and recovery codes; they set up a new app at their "
        "next sign-in."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username", help="whose second factor to remove")
        parser.add_argument(
            "--reason", required=True, help="why, for the ledger (e.g. 'lost phone, called back')"
        )

    def handle(self, *args: Any, username: str, reason: str, **options: Any) -> None:
        if not reason.strip():
            raise CommandError(_("--reason must say why the second factor is reset."))
        target = get_user_model().objects.filter(username=username).first()
        if target is None:
            raise CommandError(_("There is no user with the username %(u)s.") % {"u": username})
        removed = do_reset_mfa(
            target, by=None, reason=reason.strip(), via="command", operator=console_operator()
        )
        if removed:
            self.stdout.write(
                _(
                    "The second factor of %(u)s is removed; they set it up again at their next "
                    "sign-in."
                )
                % {"u": username}
            )
        else:
            self.stdout.write(_("%(u)s had no second factor.") % {"u": username})
