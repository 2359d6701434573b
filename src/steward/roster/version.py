"""The roster stamp: which state of the access-granting relationships a reader has seen.

`bump()` runs inside the writer's transaction (the importer, the signal receivers in
`steward.roster.signals` for single-row ORM writes, and access-policy changes), so the new
stamp commits or rolls back with the change it announces. `current()` is one primary-key read.
"""

from __future__ import annotations

import secrets

from django.db import transaction

from steward.roster.models import RosterVersion

ROW_ID = 1


def bump() -> None:
    """Give the stamp a new random value, in the caller's transaction."""
    stamp = secrets.randbits(62) + 1
    with transaction.atomic():
        if not RosterVersion.objects.filter(pk=ROW_ID).update(value=stamp):
            RosterVersion.objects.update_or_create(pk=ROW_ID, defaults={"value": stamp})


def current() -> int:
    """The committed stamp (0 before the first change)."""
    value = RosterVersion.objects.filter(pk=ROW_ID).values_list("value", flat=True).first()
    return value or 0
