"""`steward rotate-keys [--check] [--batch-size N]`: re-encrypt every encrypted value under the
current key, or check that every value decrypts with the keys configured now (R116, #10).

Rotating from key A to key B: set STEWARD_ENCRYPTION_KEYS=B,A and restart Steward (new writes
use B, old values still open with A); run `steward rotate-keys`; run `steward rotate-keys
--check` (every value under B); then set STEWARD_ENCRYPTION_KEYS=B.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from steward.security import crypto, crypto_rotate
from steward.security.crypto_actions import do_rotate_keys

EXIT_UNREADABLE = 3


class Command(BaseCommand):
    help = "Re-encrypt every encrypted record part under the first STEWARD_ENCRYPTION_KEYS key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="write nothing: open every value and count them per key",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=crypto_rotate.DEFAULT_BATCH,
            help="rows per transaction (default %(default)s)",
        )

    def handle(self, *args: Any, check: bool, batch_size: int, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError(_("--batch-size must be at least 1."))
        ring = crypto.keyring()
        self.stdout.write(_("Current key id: %(id)s") % {"id": ring.primary.hex_id})
        if check:
            self._check(ring, batch_size)
            return
        try:
            counts = do_rotate_keys(batch_size=batch_size)
        except crypto.CryptoError as exc:
            raise CommandError(
                _("Key rotation stopped (rows before it are done; run again once fixed): %(e)s")
                % {"e": exc}
            ) from exc
        for label, c in counts.items():
            self.stdout.write(
                _(
                    "%(col)s: %(re)d re-encrypted, %(cur)d already under the current key, "
                    "%(plain)d plaintext values encrypted, %(moved)d changed meanwhile"
                )
                % {
                    "col": label,
                    "re": c.reencrypted,
                    "cur": c.current,
                    "plain": c.sealed_plaintext,
                    "moved": c.changed_meanwhile,
                }
            )
        total = sum(c.reencrypted for c in counts.values())
        self.stdout.write(_("Re-encrypted %(n)d values in all.") % {"n": total})

    def _check(self, ring: crypto.Keyring, batch_size: int) -> None:
        results = crypto_rotate.check(ring, batch_size)
        bad = older = 0
        for label, result in results.items():
            parts = ", ".join(f"{key}: {n}" for key, n in sorted(result.by_key.items())) or "-"
            self.stdout.write(f"{label}: {parts}")
            for failure in result.failures:
                self.stderr.write(f"  {failure}")
            bad += sum(result.by_key[b] for b in crypto_rotate.FAILURES)
            older += sum(
                n
                for key, n in result.by_key.items()
                if key not in crypto_rotate.FAILURES and key != ring.primary.hex_id
            )
        if bad:
            self.stderr.write(
                _("%(n)d values cannot be read with the keys configured now.") % {"n": bad}
            )
            sys.exit(EXIT_UNREADABLE)
        if older:
            self.stdout.write(
                _(
                    "Every encrypted value decrypts; %(n)d are still under older keys: run "
                    "`steward rotate-keys` before removing a key."
                )
                % {"n": older}
            )
            return
        self.stdout.write(_("Every encrypted value decrypts and is under the current key."))
