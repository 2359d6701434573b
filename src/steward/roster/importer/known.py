"""What the database already holds, for references a delta or partial package leaves open."""

from __future__ import annotations

from functools import cache

from django.db import models

from steward.roster import models as m
from steward.roster.oneroster.validate import GUARDIAN, STAFF, STUDENT

_MODELS: dict[str, type[models.Model]] = {
    "orgs": m.Org,
    "academicSessions": m.AcademicSession,
    "courses": m.Course,
    "classes": m.Section,
    "enrollments": m.Enrollment,
}


class DatabaseKnown:
    """Implements `validate.Known` with one query per table, loaded only when first needed."""

    @cache  # noqa: B019 - one instance per import; the cache dies with it
    def ids(self, file: str) -> set[str]:
        model = _MODELS.get(file)
        if model is None:
            return set()
        return set(
            model._default_manager.values_list("sourced_id", flat=True).iterator(chunk_size=20000)
        )

    def user_kinds(self) -> dict[str, int]:
        kinds: dict[str, int] = {}
        for model, bit in ((m.Student, STUDENT), (m.Guardian, GUARDIAN), (m.Staff, STAFF)):
            for sid in model.objects.values_list("sourced_id", flat=True).iterator(
                chunk_size=20000
            ):
                kinds[sid] = kinds.get(sid, 0) | bit
        return kinds
