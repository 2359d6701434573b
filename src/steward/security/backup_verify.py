"""The ledger check `steward backup` and `steward restore` run when they are done (#10)."""

from __future__ import annotations

import os
from typing import Any

from django.utils.translation import gettext as _

from steward.audit.verify import verify_ledger, verify_subjects


def verify_after(stdout: Any, stderr: Any) -> bool:
    """Verify the whole audit ledger as `steward audit verify` does; report; True when intact."""
    report = verify_ledger(1, workers=max(1, os.cpu_count() or 1))
    if report.ok and not verify_subjects(1):
        stdout.write(
            _("Audit ledger intact: %(n)d entries, head seq %(seq)d.")
            % {"n": report.checked, "seq": report.last_seq}
        )
        return True
    damage = report.damage
    where = f"seq {damage.seq}: {damage.kind}: {damage.detail}" if damage else "subject sets"
    stderr.write(_("Audit ledger damaged at %(where)s") % {"where": where})
    return False
