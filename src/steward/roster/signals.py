"""Bump the roster version on every ORM write to an access-granting relationship.

The importer writes in bulk (no signals) and bumps once itself; these receivers cover
everything else: the admin, data fixes, and tests that build rosters row by row.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from steward.roster import models, version

GRANTING = (
    models.Enrollment,
    models.StudentSchool,
    models.StaffRole,
    models.Caseload,
    models.GuardianRelationship,
)


def _changed(sender: type, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loaddata: the fixture's own rows, no transaction of ours
        return
    version.bump()


def connect() -> None:
    for model in GRANTING:
        post_save.connect(_changed, sender=model, dispatch_uid=f"roster-version-save-{model}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"roster-version-del-{model}")
