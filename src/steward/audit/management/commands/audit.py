"""`steward audit verify|checkpoint|public-key|export|query`: keep the ledger honest (issue #3)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from steward.audit import csvexport, family, queries, signing
from steward.audit.actions import do_create_checkpoint
from steward.audit.export import write_export
from steward.audit.models import Action
from steward.audit.verify import stored_entries, verify_ledger, verify_subjects

EXIT_DAMAGED = 3


class Command(BaseCommand):
    help = "Verify, checkpoint and export the audit ledger."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="re-compute the hash chain")
        verify.add_argument("--from", dest="from_seq", type=int, default=1)
        verify.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="processes for a large ledger on SQLite (default: one per CPU)",
        )
        sub.add_parser("checkpoint", help="sign the current head of the ledger (Ed25519)")
        key = sub.add_parser("public-key", help="print the checkpoint public key (PEM)")
        key.add_argument("--out", type=Path, default=None)
        export = sub.add_parser("export", help="write the ledger as JSON Lines")
        export.add_argument("--out", type=Path, required=True)
        export.add_argument(
            "--checkpoint-out",
            type=Path,
            default=None,
            help="also write the latest checkpoint (JSON) for offline checking",
        )

        query = sub.add_parser("query", help="search the ledger; CSV on stdout or --out")
        query.add_argument("--student", default="", help="the student's OneRoster sourcedId")
        query.add_argument("--actor", default="", help="part of the actor's name")
        query.add_argument("--action", default="", choices=["", *Action.values])
        query.add_argument("--basis", default="", help="legal basis code (R51), e.g. A1")
        query.add_argument(
            "--recipient", default="", help="part of a recipient's name or affiliation"
        )
        query.add_argument("--since", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD")
        query.add_argument("--until", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD")
        query.add_argument(
            "--family",
            action="store_true",
            help="only what the student's family may see (R61, R66)",
        )
        query.add_argument("--out", type=Path, default=None, help="CSV file (default: stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "_" + options["subcommand"].replace("-", "_"))(options)

    def _verify(self, options: dict[str, Any]) -> None:
        report = verify_ledger(options["from_seq"], workers=max(1, options["workers"]))
        misfiled = verify_subjects(options["from_seq"]) if report.ok else []
        if misfiled:
            self.stderr.write(
                _(
                    "Ledger damaged: the students recorded for entries %(seqs)s do not match "
                    "the digest their hash covers"
                )
                % {"seqs": ", ".join(map(str, misfiled))}
            )
            sys.exit(EXIT_DAMAGED)
        if report.ok:
            self.stdout.write(
                ngettext(
                    "Ledger intact: %(n)d entry checked, last seq %(seq)d, head %(hash)s",
                    "Ledger intact: %(n)d entries checked, last seq %(seq)d, head %(hash)s",
                    report.checked,
                )
                % {"n": report.checked, "seq": report.last_seq, "hash": report.last_hash}
            )
            return
        damage = report.damage
        assert damage is not None
        self.stderr.write(
            _("Ledger damaged at seq %(seq)d: %(kind)s: %(detail)s")
            % {"seq": damage.seq, "kind": damage.kind, "detail": damage.detail}
        )
        sys.exit(EXIT_DAMAGED)

    def _checkpoint(self, options: dict[str, Any]) -> None:
        checkpoint = do_create_checkpoint()
        if checkpoint is None:
            raise CommandError(_("The ledger is empty: nothing to checkpoint."))
        self.stdout.write(checkpoint.to_json())

    def _public_key(self, options: dict[str, Any]) -> None:
        pem = signing.public_key()
        if options["out"]:
            options["out"].write_bytes(pem)
        else:
            self.stdout.write(pem.decode().rstrip())

    def _export(self, options: dict[str, Any]) -> None:
        with options["out"].open("w", encoding="utf-8") as handle:
            count = write_export(stored_entries(1), handle)
        latest = signing.latest_checkpoint()
        if options["checkpoint_out"] and latest is not None:
            options["checkpoint_out"].write_text(latest.to_json())
        self.stdout.write(
            _("Exported %(n)d entries to %(path)s") % {"n": count, "path": options["out"]}
        )

    def _query(self, options: dict[str, Any]) -> None:
        student = None
        if options["student"]:
            student = queries.student_pk(options["student"])
            if student is None:
                raise CommandError(
                    _("No student has sourcedId %(sid)s.") % {"sid": options["student"]}
                )
        entries = queries.search(
            student=student,
            actor=options["actor"],
            action=options["action"],
            basis=options["basis"],
            recipient=options["recipient"],
            since=options["since"],
            until=options["until"],
        )
        if options["family"]:
            if student is None:
                raise CommandError(_("--family needs --student."))
            entries = entries.filter(family.family_q())
        if options["out"]:
            with options["out"].open("w", newline="", encoding="utf-8") as handle:
                count = csvexport.write(entries, handle)
            self.stderr.write(
                _("%(n)d entries written to %(path)s") % {"n": count, "path": options["out"]}
            )
        else:
            csvexport.write(entries, self.stdout)  # type: ignore[arg-type]  # file-like wrapper
