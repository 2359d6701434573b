"""Guardian restriction documents: the court order or other legal document behind a guardian
link's `access_restricted` (R17; 603 CMR 23.07(5)(a), M.G.L. c.71 §34H).

Massachusetts lets a district deny a parent access to the record only when it *holds the
documentation*; the document itself therefore belongs in Steward, beside the flag it justifies.
It is among the most sensitive things a district keeps (a protective order names an address to
hide from someone), so the PDF, its file name and every free-text field are encrypted at rest
(`steward.security.fields`, R116) and rotated with every other encrypted column. Only the
privacy office reads them (`steward.roster.views_restrictions`); they are never part of a
family's copy of the record (`steward.catalog.elements.OFFICE_ONLY_MODELS`).

Rows are written only by `steward.roster.actions_restrictions` and never deleted by the
application: a document that no longer applies is *withdrawn* (when, by whom, why), so the
history of a guardian's access stays readable. Retention destroys them with the temporary
record (`steward.retention.destroy`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.security.fields import EncryptedBinaryField, EncryptedTextField

NOTE_MAX = 4000
REASON_MAX = 2000
FILENAME_MAX = 255


class RestrictionDocument(models.Model):
    """One document restricting one guardian's access to one student's record."""

    class Kind(models.TextChoices):
        COURT_ORDER = "court_order", _("court order")
        RESTRAINING_ORDER = "restraining_order", _("restraining or protective order")
        CUSTODY_AGREEMENT = "custody_agreement", _("custody agreement or judgment")
        OTHER = "other", _("other legal restriction")

    class Status(models.TextChoices):
        """What a document means today (see `status()`); not stored."""

        PENDING = "pending", _("not yet in effect")
        IN_FORCE = "in_force", _("in force")
        EXPIRED = "expired", _("past its expiry date")
        WITHDRAWN = "withdrawn", _("withdrawn")

    link = models.ForeignKey(
        "roster.GuardianRelationship",
        on_delete=models.PROTECT,  # court documents go only through retention, never a cascade
        related_name="restriction_documents",
    )
    kind = models.CharField(_("kind of document"), max_length=32, choices=Kind.choices)
    issued_on = models.DateField(_("issued on"))
    effective_on = models.DateField(_("in effect from"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    issuer = models.CharField(_("issuing court or authority"), max_length=255)
    note = EncryptedTextField(_("note"), blank=True, max_length=NOTE_MAX)
    filename = EncryptedTextField(_("file name"), max_length=FILENAME_MAX)
    content = EncryptedBinaryField(_("document"))
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_reason = EncryptedTextField(
        _("why it was withdrawn"), blank=True, max_length=REASON_MAX
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True)
                    | models.Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False)
                ),
                name="restriction_withdrawal_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("issued_on")),
                name="restriction_expires_after_issue",
            ),
            models.CheckConstraint(
                condition=models.Q(size__gt=0), name="restriction_document_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"restriction document #{self.pk}"

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def status(self, today: dt.date) -> str:
        """PENDING before `effective_on`, EXPIRED after `expires_on`, WITHDRAWN once withdrawn.

        Informational only: the restriction on the link does not lapse by itself on the expiry
        date (orders are often extended; lifting it is the privacy office's decision).
        """
        if self.withdrawn_at is not None:
            return self.Status.WITHDRAWN
        if self.expires_on is not None and self.expires_on < today:
            return self.Status.EXPIRED
        if self.effective_on is not None and self.effective_on > today:
            return self.Status.PENDING
        return self.Status.IN_FORCE
