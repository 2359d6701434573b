"""`steward serve`: the production server (waitress), after collecting static files."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from steward.accounts import server


class Command(BaseCommand):
    help = "Serve Steward with waitress (collects static files first)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to bind")
        parser.add_argument("--port", type=int, default=8000, help="port to bind")
        parser.add_argument("--threads", type=int, default=8, help="worker threads")

    def handle(self, *args: Any, host: str, port: int, threads: int, **options: Any) -> None:
        server.collect_static()
        self.stdout.write(
            _("Steward is serving on %(url)s (Ctrl-C to stop)")
            % {"url": server.display_url(host, port)}
        )
        self.stdout.flush()
        server.run_server(host, port, threads)
