"""`steward demo [--small] [--host] [--port] [--no-serve]`: see `steward.accounts.demo`."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.accounts import demo, server
from steward.records.actions import records_exist
from steward.security import mfa
from steward.security.auth_config import MFA_REQUIRED


def mfa_banner() -> str:
    """One line saying whether staff must use a second factor in this run (STEWARD_MFA)."""
    if mfa.mode() == MFA_REQUIRED:
        return _(
            "Multi-factor sign-in is required for staff: set up an authenticator app at the "
            "first sign-in."
        )
    return _(
        "Multi-factor sign-in is offered, not required, in the demo (STEWARD_MFA=offered); "
        "production requires it for staff."
    )


class Command(BaseCommand):
    help = (
        "Migrate, generate and import a synthetic district (once), create one login per "
        "role, print them, and serve."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--small",
            action="store_true",
            help=f"generate {demo.TIER_S_STUDENTS:,} students instead of {demo.TIER_M_STUDENTS:,}",
        )
        parser.add_argument("--host", default="127.0.0.1", help="address to bind")
        parser.add_argument("--port", type=int, default=8000, help="port to bind")
        parser.add_argument("--threads", type=int, default=8, help="worker threads")
        parser.add_argument(
            "--no-serve", action="store_true", help="set everything up, print the logins, exit"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data_dir = settings.DATA_DIR
        call_command("migrate", interactive=False, verbosity=0)
        if demo.roster_imported():
            self.stdout.write(_("Reusing the roster already imported."))
        else:
            students = demo.TIER_S_STUDENTS if options["small"] else demo.TIER_M_STUDENTS
            self.stdout.write(
                _("Generating and importing a synthetic district of %(n)s students…")
                % {"n": f"{students:,}"}
            )
            self.stdout.flush()
            try:
                demo.load_demo_roster(data_dir, students=students)
            except demo.DemoError as exc:
                raise CommandError(str(exc)) from exc
        if not records_exist():
            self.stdout.write(_("Generating synthetic student records…"))
            self.stdout.flush()
            demo.load_demo_records()
        demo.load_demo_vendors(timezone.localdate())
        password = demo.demo_password(data_dir)
        logins = demo.ensure_demo_accounts(password, timezone.localdate())
        server.collect_static()
        host, port = options["host"], options["port"]
        self.stdout.write("")
        self.stdout.write(_("Steward demo: %(url)s") % {"url": server.display_url(host, port)})
        self.stdout.write(mfa_banner())
        self.stdout.write("")
        self.stdout.write(demo.format_logins(logins, password))
        self.stdout.write("")
        made = {x.username for x in logins}
        for role, username in demo.USERNAMES.items():
            if username not in made and role != demo.Role.SPECIAL_EDUCATION:
                self.stderr.write(
                    _("No %(role)s login: nobody in the roster qualifies on %(date)s.")
                    % {"role": demo.Role(role).label, "date": timezone.localdate().isoformat()}
                )
        if options["no_serve"]:
            return
        if host not in settings.ALLOWED_HOSTS and host not in {"0.0.0.0", "::"}:  # noqa: S104
            self.stderr.write(
                _("Warning: %(host)s is not in STEWARD_ALLOWED_HOSTS; requests to it will fail.")
                % {"host": host}
            )
        self.stdout.write(_("Serving (Ctrl-C to stop)…"))
        self.stdout.flush()
        server.run_server(host, port, options["threads"])
