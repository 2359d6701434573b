"""Everyone's part in protecting data (design.md P3): records custodians and training.

603 CMR 23.05 makes each principal (or designee) responsible for the records of the school and
for making sure staff are informed of the regulations and educated on confidentiality (R44);
the district confirms this with an annual staff training and acknowledgement (R138).

Both tables are histories: a row is never changed once written. The current custodian of a
school is its latest `RecordsCustodian` row; a staff member's training is current when they
have an attestation in the current training period (`steward.stewardship.rules`). Rows are
written only by `steward.stewardship.actions`, each with its ledger entry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.history import HistoryRow
from steward.roster.models import Org, Staff


class TrainingAttestation(HistoryRow):
    """A staff member's confirmation of the district's annual privacy training (R44, R138).

    `text` is the exact attestation text the person was shown (in their language) and
    `text_sha256` its SHA-256 over UTF-8, so a later change of the district's wording never
    changes what someone confirmed.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_attestations"
    )
    period = models.CharField(
        max_length=32, help_text=_("Training period confirmed, e.g. the school year 2026-2027")
    )
    text = models.TextField()
    text_sha256 = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField()
    client_ip = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "confirmed_at"], name="stewardship_attest_user")]

    def __str__(self) -> str:
        return f"{self.user} ({self.period})"


class RecordsCustodian(HistoryRow):
    """A school's records custodian from `named_at` on, until a later row names another (R44)."""

    school = models.ForeignKey(
        Org,
        on_delete=models.PROTECT,
        related_name="records_custodians",
        limit_choices_to={"type": Org.Type.SCHOOL},
    )
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="custodianships")
    named_at = models.DateTimeField()
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["school", "named_at"], name="stewardship_custodian_school")]

    def __str__(self) -> str:
        return f"{self.staff} ({self.school})"
