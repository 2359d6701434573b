"""OAuth 2 client credentials for the rostering API (RFC 6749 §4.4; design.md §6).

An `ApiClient` belongs to one agreement: it can never see more than that agreement's sharing
plan, and it stops working the moment the agreement stops allowing sharing (issue #7 item 5).
Neither the client secret nor an access token is ever stored: the secret as a Django password
hash (Argon2), the token as its SHA-256 (a token is long and random, so a fast hash suffices
and lets every request find its token with one indexed lookup).

Rows are written only by `steward.rostering.actions`, each with its ledger entry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.vendors.models import Agreement


class ApiClient(models.Model):
    """A vendor system's credentials for the rostering API, bound to one agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="api_clients")
    name = models.CharField(_("name"), max_length=200)
    client_id = models.CharField(max_length=64, unique=True)
    secret_hash = models.CharField(max_length=255)
    # The scope URIs the privacy office granted (steward.rostering.scopes.ALL).
    scopes = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    rotated_at = models.DateTimeField(null=True, blank=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agreement", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"


class AccessToken(models.Model):
    """A bearer token issued to a client; only its SHA-256 is kept."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="tokens")
    token_sha256 = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["client", "revoked"], name="rostering_token_client")]

    def __str__(self) -> str:
        return f"token {self.token_sha256[:8]}… of {self.client.client_id}"
