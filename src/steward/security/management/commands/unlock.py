"""`steward unlock <username>`: end a sign-in lockout from the console (R116(1)), recorded in
the ledger with the system account that ran it."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from steward.security.auth_actions import do_unlock_sign_in
from steward.security.auth_config import console_operator


class Command(BaseCommand):
    help = "Clear a username's failed sign-ins (every address), ending its lockout."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username", help="the username to unlock")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        cleared = do_unlock_sign_in(username, via="command", operator=console_operator())
        if cleared:
            self.stdout.write(
                _("%(username)s can sign in again (%(n)d failed sign-in records cleared).")
                % {"username": username, "n": cleared}
            )
        else:
            self.stdout.write(
                _("%(username)s had no failed sign-ins on record.") % {"username": username}
            )
