"""`steward generate`: write a seeded synthetic district as a OneRoster CSV package.

    steward generate --students 7000 --seed 1 --out var/district.zip [--version 1.2|1.1]
                     [--school-year 2026]

A thin wrapper over `steward.roster.oneroster.generate.generate_package`: an --out ending in
.zip gets a zip, anything else a folder. Prints one line with the rows written per file; shows
a progress bar on stderr only when stderr is a terminal.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from steward.roster.oneroster import spec
from steward.roster.oneroster.generate import estimated_rows, generate_package


class Command(BaseCommand):
    help = "Write a seeded synthetic district as a OneRoster CSV package (a folder or a .zip)."
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Django defines --version (its own version); this command's --version is OneRoster's.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--students", type=int, default=7000, help="number of students")
        parser.add_argument(
            "--seed", type=int, default=1, help="random seed (same seed, same bytes)"
        )
        parser.add_argument(
            "--out", type=Path, required=True, help="folder, or a path ending in .zip"
        )
        parser.add_argument(
            "--version", choices=spec.VERSIONS, default="1.2", help="OneRoster version to write"
        )
        parser.add_argument(
            "--school-year",
            type=int,
            default=None,
            help="year the school year ends (2026 for 2025-2026); default: the current one",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        students, seed, out = options["students"], options["seed"], Path(options["out"])
        version = options["version"]
        if students < 1:
            raise CommandError("--students must be at least 1")
        started = time.monotonic()
        bar = tqdm(
            total=estimated_rows(students, version),
            unit=" rows",
            unit_scale=True,
            file=sys.stderr,
            disable=not sys.stderr.isatty(),
            leave=False,
        )
        try:
            counts = generate_package(
                out,
                students=students,
                seed=seed,
                version=version,
                progress=bar.update,
                school_year=options["school_year"],
            )
        except OSError as exc:
            raise CommandError(f"{out}: {exc.strerror or exc}") from exc
        finally:
            bar.close()
        summary = ", ".join(f"{name} {rows}" for name, rows in counts.items())
        self.stdout.write(
            f"Wrote OneRoster {version} package {out} (seed {seed}) in "
            f"{time.monotonic() - started:.1f} s: {summary}"
        )
