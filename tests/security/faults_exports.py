"""What the child's database says about exports (#10 item 7), as JSON.

`python -m tests.security.faults_exports agreement`: the first agreement that may export
today (`steward demo`'s district has several).
`python -m tests.security.faults_exports facts`: every Export row, every disclosure entry of
the export channel, and the integrity checks (SQLite).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")


def agreement() -> int:
    from django.utils import timezone

    from steward.sharing.engine import plan_for, refusal
    from steward.vendors.models import Agreement

    for candidate in Agreement.objects.order_by("pk"):
        if refusal(candidate, timezone.now()) is None and plan_for(candidate).student_ids:
            return int(candidate.pk)
    raise SystemExit("no agreement may export in the demo district")


def facts() -> dict[str, Any]:
    from django.db import connection

    from steward.audit.models import Action, Entry
    from steward.sharing.models import Export
    from tests.security.faults_snapshot import integrity

    entries = [
        {"seq": seq, "export": json.loads(detail).get("export")}
        for seq, detail in Entry.objects.filter(action=Action.RELEASE)
        .order_by("seq")
        .values_list("seq", "detail")
        if json.loads(detail).get("channel") == "export"
    ]
    out: dict[str, Any] = {
        "vendor": connection.vendor,
        "exports": [
            {"pk": pk, "entry_seq": seq, "sha256": sha, "path": path}
            for pk, seq, sha, path in Export.objects.order_by("pk").values_list(
                "pk", "entry_seq", "sha256", "path"
            )
        ],
        "entries": entries,
    }
    out.update(integrity())
    return out


def main() -> None:
    import django

    django.setup()
    if sys.argv[1] == "agreement":
        print(json.dumps(agreement()))
    elif sys.argv[1] == "facts":
        print(json.dumps(facts()))
    else:
        raise SystemExit(f"unknown command {sys.argv[1]!r}")


if __name__ == "__main__":
    main()
