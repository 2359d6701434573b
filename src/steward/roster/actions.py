"""Roster writes (design.md §3 rule 2): every change to the roster goes through here."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from steward.audit.ledger import Event, record
from steward.audit.models import Action
from steward.roster import version
from steward.roster.models import ImportRun
from steward.roster.oneroster.reader import Package


def do_import_roster(
    package: Package,
    *,
    package_sha256: str,
    kind: Callable[[str], int],
    source: str,
    started: dt.datetime,
    warnings: int,
    on_read: Callable[[int], None] | None = None,
    on_phase: Callable[[str], None] | None = None,
) -> tuple[ImportRun, dict[str, dict[str, int]]]:
    """Apply a validated package in one transaction, record the run, and write its ledger
    entry (a change with counts) in the same transaction.

    Either every row of the package is applied and the ImportRun says so, or (on any
    exception, or if the process dies) nothing is: the previous roster stays intact.
    """
    from steward.roster.importer.apply import Applier

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # One import at a time; SQLite gets the same from its IMMEDIATE write lock.
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('steward.roster.import'))")
        run = ImportRun.objects.create(
            started_at=started,
            source=source,
            package_sha256=package_sha256,
            oneroster_version=package.version,
            manifest=package.properties,
            warnings=warnings,
        )
        counts = Applier(package, kind, run.pk, timezone.localdate(), on_read, on_phase).run()
        changed = any(c.get(k, 0) for c in counts.values() for k in ("created", "updated", "ended"))
        run.outcome = ImportRun.Outcome.SUCCEEDED if changed else ImportRun.Outcome.UNCHANGED
        if changed:
            version.bump()  # every worker's access index rebuilds before its next decision
        run.counts = counts
        run.finished_at = timezone.now()
        run.save(update_fields=["outcome", "counts", "finished_at"])
        record(
            Event(
                action=Action.CHANGE,
                actor_name=f"steward import ({_operator()})",
                actor_role="district IT",
                purpose="OneRoster roster import",
                detail={
                    "import_run": run.pk,
                    "source": source,
                    "package_sha256": run.package_sha256,
                    "outcome": run.outcome,
                    "counts": counts,
                    "warnings": warnings,
                },
            )
        )
        if on_phase is not None:
            on_phase("commit")
    return run, counts


def _operator() -> str:
    """Who ran the command, as the operating system knows them."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
