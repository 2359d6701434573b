"""Seed the default media uses of R132 (district configuration; a district may change them)."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.utils import translation


def seed(apps: Any, schema_editor: Any) -> None:
    from steward.media.defaults import DEFAULT_USES

    MediaUse = apps.get_model("media", "MediaUse")
    with translation.override(None):
        for order, (key, label, description) in enumerate(DEFAULT_USES, start=1):
            MediaUse.objects.get_or_create(
                key=key,
                defaults={
                    "label": str(label),
                    "description": str(description),
                    "order": order * 10,
                    "active": True,
                },
            )


def unseed(apps: Any, schema_editor: Any) -> None:
    from steward.media.defaults import DEFAULT_USES

    MediaUse = apps.get_model("media", "MediaUse")
    MediaUse.objects.filter(key__in=[key for key, _l, _d in DEFAULT_USES]).delete()


class Migration(migrations.Migration):
    dependencies = [("media", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
