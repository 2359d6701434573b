"""Invitations to the family portal (issue #5 item 6).

A guardian activates their account with a one-time code sent to the e-mail address the roster
holds for them. Only the code's SHA-256 is stored: a database reader cannot activate anyone.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.roster.models import Guardian


class Invitation(models.Model):
    """One invitation: usable once, until `expires_at`."""

    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="+")
    email = models.CharField(_("sent to"), max_length=255)
    code_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["guardian", "created_at"], name="portal_invite_guardian")]

    def usable(self, now: dt.datetime) -> bool:
        return self.used_at is None and now < self.expires_at
