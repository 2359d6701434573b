"""Hearings on refused amendments (R35, R36; 34 CFR 99.21–99.22).

A `Hearing` is requested once per amendment request, after the district refused at least one
item. Each scheduling (and each rescheduling) is a `Schedule` row: the date, time and place,
when the notice went out, and the hearing officer with their attestation that they have no
direct interest in the outcome. The decision is written on the hearing once, with the summary
of the evidence and the reasons (R36); the findings on each item are `Decision` rows of stage
"hearing".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.amendments.models.requests import AmendmentRequest
from steward.history import HistoryRow
from steward.vendors.models import Document


class Hearing(models.Model):
    """The family's request for a hearing and, once held, its written decision.

    `due_on` is the date by which the hearing should be held ("within a reasonable time after
    the request", 99.22(a)); the decision fields stay empty until `do_decide_hearing`.
    """

    request = models.OneToOneField(
        AmendmentRequest, on_delete=models.CASCADE, related_name="hearing"
    )
    requested_at = models.DateTimeField(_("requested"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by_name = models.CharField(_("requested by"), max_length=255)
    family_note = models.TextField(
        _("what the family wants to present"), blank=True, max_length=4000
    )
    due_on = models.DateField(_("to be held by"))
    held_at = models.DateTimeField(_("held"), null=True, blank=True)
    attended_by = models.TextField(_("present at the hearing"), blank=True)
    representative = models.CharField(_("family's representative"), max_length=255, blank=True)
    evidence_summary = models.TextField(_("summary of the evidence"), blank=True)
    reasons = models.TextField(_("reasons for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_name = models.CharField(_("decision recorded by"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        indexes = [models.Index(fields=["requested_at"], name="amend_hearing_requested")]

    def __str__(self) -> str:
        return f"hearing on request #{self.request_id}"


class AttestationMethod(models.TextChoices):
    ELECTRONIC = "electronic", _("Signed in Steward by the hearing officer")
    PAPER = "paper", _("Signed on paper by the hearing officer (scan attached)")


class Schedule(HistoryRow):
    """One scheduling of a hearing (R36): when, where, who hears it, and the notice.

    The officer attests "no direct interest in the outcome" (99.22(c)): in Steward when they
    schedule it themselves (`ELECTRONIC`), otherwise on paper, the signed scan stored as a
    `Document`. `notice_sent_at` is when the notice of date, time and place was issued.
    """

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="schedules")
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=500)
    officer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    officer_name = models.CharField(_("hearing officer"), max_length=255)
    officer_title = models.CharField(_("hearing officer's position"), max_length=255, blank=True)
    attestation_text = models.TextField(_("attestation"))
    attestation_sha256 = models.CharField(max_length=64)
    attestation_method = models.CharField(max_length=16, choices=AttestationMethod.choices)
    attestation_document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attested_at = models.DateTimeField(_("attested"))
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scheduled_at = models.DateTimeField(_("scheduled"))
    notice_sent_at = models.DateTimeField(_("notice sent"))

    class Meta:
        ordering = ["hearing", "scheduled_at", "pk"]
        verbose_name = _("hearing schedule")
        verbose_name_plural = _("hearing schedules")
