"""Access and inspection requests from rights holders (R24–R33, R18, R26, R28, R31).

An `AccessRequest` is the one mutable row: its status moves received → in progress →
fulfilled / withdrawn / refused, and each move adds a `RequestStep` (history, never changed).
Copies (`RequestCopy`), reminders (`RequestReminder`) and the notices to custodial parents
(`CustodialNotice`) hang off it. Rows are written only by `steward.requests.actions` (and
the daily `sweep`), each with its ledger entry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.history import HistoryRow
from steward.roster.models import Guardian, Student
from steward.security.fields import EncryptedBinaryField


class Kind(models.TextChoices):
    INSPECTION = "inspection", _("Inspect and review the record")
    COPY = "copy", _("A copy of the whole record")
    TRANSCRIPT = "transcript", _("A copy of the transcript")
    EXPLANATION = "explanation", _("An explanation or interpretation of the record")
    MEETING = "meeting", _("A meeting with qualified school staff about the record")
    THIRD_PARTY = "third_party", _("Inspection by a third party with written consent")


#: Kinds fulfilled by handing over a copy; the others by a meeting or an appointment.
COPY_KINDS = frozenset({Kind.COPY, Kind.TRANSCRIPT})
#: Kinds fulfilled in person, with the R26 scheduling fields.
MEETING_KINDS = frozenset({Kind.INSPECTION, Kind.EXPLANATION, Kind.MEETING, Kind.THIRD_PARTY})


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    IN_PROGRESS = "in_progress", _("in progress")
    FULFILLED = "fulfilled", _("fulfilled")
    WITHDRAWN = "withdrawn", _("withdrawn")
    REFUSED = "refused", _("refused")


OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS)


class Channel(models.TextChoices):
    PORTAL = "portal", _("family portal")
    PAPER = "paper", _("written request, entered by staff")
    IN_PERSON = "in_person", _("in person, entered by staff")


class RequesterKind(models.TextChoices):
    GUARDIAN = "guardian", _("parent or guardian")
    STUDENT = "student", _("the student")


class AccessRequest(models.Model):
    """One request by a rights holder to inspect, copy or have explained a student's record.

    `due_on` is the Massachusetts deadline (10 calendar days by default, R25), never later
    than `ceiling_on`, FERPA's 45 days (R24). A non-custodial parent's request (R18) has no
    10-day clock: it is due at the FERPA ceiling and may be released from `release_on`, 21
    days after the custodial parents were notified. `closed_at` is the response date (R32).
    """

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("request"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    channel = models.CharField(_("received through"), max_length=16, choices=Channel.choices)
    requester_kind = models.CharField(_("requester"), max_length=16, choices=RequesterKind.choices)
    requester_guardian = models.ForeignKey(
        Guardian,
        verbose_name=_("parent or guardian"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The portal login that made the request; None for a request entered by staff.
    requester_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # R33: how staff checked the identity of a walk-in or paper requester.
    identity_check = models.TextField(_("how identity was checked"), blank=True)
    details = models.TextField(_("what was asked for"), blank=True)
    third_party_name = models.CharField(_("third party"), max_length=255, blank=True)
    third_party_affiliation = models.CharField(
        _("third party's affiliation"), max_length=255, blank=True
    )
    # R31: the requester's specific written consent, as given (the text, or staff's note of
    # the signed form on file).
    third_party_consent = models.TextField(_("written consent for the third party"), blank=True)
    non_custodial = models.BooleanField(_("non-custodial parent's request"), default=False)
    # R18: the non-custodial parent's statement that no order restricts their access.
    affirmation = models.TextField(_("statement that no order restricts access"), blank=True)
    notice_language = models.CharField(_("custodial notice language"), max_length=8, default="en")
    received_at = models.DateTimeField(_("received at"))
    due_on = models.DateField(_("due on"))
    ceiling_on = models.DateField(_("FERPA deadline"))
    release_on = models.DateField(_("release not before"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    meeting_at = models.DateTimeField(_("meeting at"), null=True, blank=True)
    meeting_place = models.CharField(_("meeting place"), max_length=255, blank=True)
    meeting_with = models.CharField(_("meeting with"), max_length=255, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    refusal_reason = models.TextField(_("reasons for refusal"), blank=True)
    released_copy = models.ForeignKey(
        "requests.RequestCopy", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        indexes = [
            models.Index(fields=["status", "due_on"], name="requests_status_due"),
            models.Index(fields=["student", "closed_at"], name="requests_student_open"),
            models.Index(fields=["requester_user", "received_at"], name="requests_by_user"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(requester_kind="guardian", requester_guardian__isnull=True),
                name="requests_guardian_requester_named",
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__lte=models.F("ceiling_on")),
                name="requests_due_within_ferpa",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status__in=["received", "in_progress"], closed_at__isnull=True)
                    | models.Q(
                        status__in=["fulfilled", "withdrawn", "refused"], closed_at__isnull=False
                    )
                ),
                name="requests_closed_iff_closed_at",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Step(models.TextChoices):
    RECEIVED = "received", _("Request received")
    NOTICE_SENT = "notice_sent", _("Custodial parent notified")
    NOTICE_MAILED = "notice_mailed", _("Notice letter mailed")
    ASSIGNED = "assigned", _("Assigned")
    STARTED = "started", _("Work started")
    MEETING_SCHEDULED = "meeting_scheduled", _("Meeting scheduled")
    COPY_MADE = "copy_made", _("Copy prepared")
    FULFILLED = "fulfilled", _("Fulfilled")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DOWNLOADED = "downloaded", _("Copy downloaded")
    REMINDED = "reminded", _("Reminder sent")
    ESCALATED = "escalated", _("Escalated")


class RequestStep(HistoryRow):
    """One step in a request's history: who did what, when."""

    request = models.ForeignKey(AccessRequest, on_delete=models.PROTECT, related_name="steps")
    step = models.CharField(max_length=24, choices=Step.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["request", "at"], name="requests_step_request")]


class RequestCopy(HistoryRow):
    """A complete copy made for a request: a PDF for people and a zip (JSON + CSV) for
    machines, each with its SHA-256. `scopes` names every record part it holds.

    Both files hold the whole record, so both are encrypted at rest (R116, #10); the SHA-256
    digests are of the plaintext files, as the family downloads them."""

    request = models.ForeignKey(AccessRequest, on_delete=models.PROTECT, related_name="copies")
    generated_at = models.DateTimeField()
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scopes = models.JSONField(default=list)
    redactions = models.JSONField(default=dict)
    pdf = EncryptedBinaryField()
    pdf_sha256 = models.CharField(max_length=64)
    archive = EncryptedBinaryField()
    archive_sha256 = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["request", "generated_at"], name="requests_copy_request")]


class CustodialNotice(models.Model):
    """R18: the notice to a custodial parent that a non-custodial parent asked for access.

    Sent at once by e-mail (when the roster has an address) and shown in the portal; the
    office prints the letter for certified and first-class mail and records `mailed_at`.
    """

    request = models.ForeignKey(
        AccessRequest, on_delete=models.PROTECT, related_name="custodial_notices"
    )
    guardian = models.ForeignKey(Guardian, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    emailed_to = models.CharField(max_length=255, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)
    mailed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "guardian"], name="requests_notice_once")
        ]
        indexes = [models.Index(fields=["guardian", "sent_at"], name="requests_notice_guardian")]


class RequestReminder(HistoryRow):
    """A reminder or escalation sent about a request: one per request and kind, so the daily
    sweep never sends one twice."""

    request = models.ForeignKey(AccessRequest, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(max_length=32)
    sent_at = models.DateTimeField()
    recipients = models.TextField(blank=True)  # e-mail addresses, one per line

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "kind"], name="requests_reminder_once")
        ]
