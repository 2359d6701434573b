"""Seed a scratch database for the conformance test: the model district, an active agreement
for Acme, and an API client. Run as a script with STEWARD_DATA_DIR (or DATABASE_URL) set;
prints the client's credentials and a few sourcedIds as JSON."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEACHER_EMAIL = "tess.turner@staff.example.org"


def main() -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")
    import django

    django.setup()
    from django.db import transaction

    from steward.roster.models import Staff
    from steward.rostering import actions
    from steward.rostering import scopes as sc
    from tests.rostering.factories import FULL
    from tests.sharing.factories import agreement, build_district

    with transaction.atomic():
        d = build_district()
        Staff.objects.filter(pk=d.tess.pk).update(email=TEACHER_EMAIL)
        deal = agreement(d.acme, elements=FULL)
        client, secret = actions.do_create_api_client(
            agreement=deal, name="Conformance", scopes=sc.ALL, by=None
        )
    print(
        json.dumps(
            {
                "client_id": client.client_id,
                "secret": secret,
                "teacher_email": TEACHER_EMAIL,
                "teacher": d.tess.sourced_id,
                "homeroom": d.homeroom.sourced_id,
            }
        )
    )


if __name__ == "__main__":
    main()
