"""`import_package`: the one entry point for OneRoster imports (CLI, demo, tests)."""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from steward import config
from steward.roster import actions
from steward.roster.importer.known import DatabaseKnown
from steward.roster.oneroster.issues import IssueLog, write_conformance_log
from steward.roster.oneroster.reader import Package, PackageUnreadable, open_package
from steward.roster.oneroster.validate import Validator


class ImportRejected(Exception):
    """The package has errors; nothing was written. `log` holds every problem found.

    `log_path` is None, and `log_error` says why, when the log file could not be written.
    """

    def __init__(self, log: IssueLog, log_path: Path | None, log_error: str = "") -> None:
        super().__init__(f"{log.error_count} error(s)")
        self.log = log
        self.log_path = log_path
        self.log_error = log_error


@dataclass
class ImportResult:
    run_id: int
    changed: bool
    counts: dict[str, dict[str, int]]
    log: IssueLog
    log_path: Path | None
    rows_read: dict[str, int] = field(default_factory=dict)
    # Why the log file could not be written (log_path is then None); the import stands.
    log_error: str = ""

    def summary(self) -> list[str]:
        lines = []
        for table, c in self.counts.items():
            parts = [f"{c.get(k, 0)} {k}" for k in ("created", "updated", "ended", "unchanged")]
            if c.get("skipped"):
                parts.append(f"{c['skipped']} skipped")
            lines.append(f"{table}: " + ", ".join(parts))
        return lines


def default_log_path() -> Path:
    folder = config.data_dir() / "import-logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"import-{timezone.now():%Y%m%dT%H%M%S%f}.csv"


def import_package(
    path: Path,
    *,
    progress: bool = False,
    error_log: Path | None = None,
    on_phase: Callable[[str], None] | None = None,
) -> ImportResult:
    """Validate and apply the OneRoster package at `path` (zip or folder), all or nothing.

    Raises ImportRejected (with every error) when anything is wrong; the database is then
    untouched. Writes the conformance-shaped log to `error_log` (default: the data directory).
    `on_phase`, if given, is told each step ("validate users.csv", "apply users.csv", "commit").
    """
    # Millions of long-lived tuples would make the cyclic garbage collector rescan the heap
    # over and over; nothing the import allocates forms cycles, so it is paused meanwhile.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _import_package(path, progress=progress, error_log=error_log, on_phase=on_phase)
    finally:
        if gc_was_enabled:
            gc.enable()


def _import_package(
    path: Path,
    *,
    progress: bool,
    error_log: Path | None,
    on_phase: Callable[[str], None] | None,
) -> ImportResult:
    log = IssueLog()
    log_path = error_log or default_log_path()
    started = timezone.now()
    try:
        package = open_package(Path(path), log)
    except PackageUnreadable as exc:
        log.error(Path(path).name, None, "", "", str(exc), "package.unreadable")
        raise ImportRejected(log, *_write_log(log_path, log, path, None, started)) from exc
    try:
        if not log.ok or not package.version:
            raise ImportRejected(log, *_write_log(log_path, log, path, package, started))
        with _progress_bar(package, progress) as on_read:
            validator = Validator(package, log, DatabaseKnown(), on_read, on_phase)
            catalog = validator.run()
            if not log.ok:
                raise ImportRejected(log, *_write_log(log_path, log, path, package, started))
            # Pass 2 needs only each user's kind; the id sets are the bulk of pass 1's memory.
            catalog.ids.clear()
            # Read outside the write transaction, so the lock is not held for the extra pass.
            package_sha256 = package.sha256()
            run, counts = actions.do_import_roster(
                package,
                package_sha256=package_sha256,
                kind=validator.kind,
                source=str(path),
                started=started,
                warnings=log.warning_count,
                on_read=on_read,
                on_phase=on_phase,
            )
        # Committed: from here on nothing may fail the import (a full disk included).
        written, log_error = _write_log(log_path, log, path, package, started)
        return ImportResult(
            run_id=run.pk,
            changed=run.outcome == run.Outcome.SUCCEEDED,
            counts=counts,
            log=log,
            log_path=written,
            rows_read=catalog.rows,
            log_error=log_error,
        )
    finally:
        package.close()


def _write_log(
    log_path: Path, log: IssueLog, path: Path, package: Package | None, when: object
) -> tuple[Path | None, str]:
    """Write the conformance log: (its path, "") or, when it cannot be written (a full disk,
    no permission), (None, the reason) and no partial file. The log reports an outcome that
    is already settled, so it never changes it."""
    files = []
    if package is not None:
        files = [f"{k}.csv" for k, mode in sorted(package.modes.items()) if mode != "absent"]
    try:
        write_conformance_log(
            log_path,
            log,
            source=str(path),
            imported=files if log.ok else [],
            rejected=[] if log.ok else files,
            when=when,  # type: ignore[arg-type]
        )
    except OSError as exc:
        with contextlib.suppress(OSError):
            log_path.unlink(missing_ok=True)
        return None, f"{log_path}: {exc.strerror or exc}"
    return log_path, ""


class _progress_bar:
    """A tqdm bar over the bytes read (both passes), shown only on a terminal."""

    def __init__(self, package: Package, enabled: bool) -> None:
        self.bar = None
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            total = 2 * sum(
                package.size(f"{k}.csv")
                for k, mode in package.modes.items()
                if mode != "absent" and package.has(f"{k}.csv")
            )
            self.bar = tqdm(total=total, unit="B", unit_scale=True, desc="import", leave=False)

    def __enter__(self) -> Callable[[int], None] | None:
        return self.bar.update if self.bar is not None else None

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()
