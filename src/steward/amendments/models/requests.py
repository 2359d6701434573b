"""Amendment requests, their items, the decisions on each item, letters and reminders
(R34, R37).

A request belongs to one student and is made by one rights holder (`steward.rights`, the
"amend" right). Each item names one thing in the record: a field of one row (a catalog element
and the row's primary key), a whole row to delete (Massachusetts allows asking for deletion,
603 CMR 23.08(2)), or something described in words. What the record said when the family
asked is captured on the item, so the case reads the same after the record changes.

Items and decisions are history: a decision is a new `Decision` row, never an edit, and the
hearing's finding on an item is a second row of stage "hearing".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.history import HistoryRow
from steward.roster.models import Guardian, Student


class Status(models.TextChoices):
    OPEN = "open", _("Waiting for the district's decision")
    DECIDED = "decided", _("Decided; a hearing may be requested")
    HEARING_REQUESTED = "hearing_requested", _("Hearing requested")
    HEARING_SCHEDULED = "hearing_scheduled", _("Hearing scheduled")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: The district still owes something: a decision, a hearing or a hearing decision.
OPEN_STATUSES: tuple[str, ...] = (
    Status.OPEN,
    Status.HEARING_REQUESTED,
    Status.HEARING_SCHEDULED,
)
HEARING_STATUSES: tuple[str, ...] = (Status.HEARING_REQUESTED, Status.HEARING_SCHEDULED)


class RequesterKind(models.TextChoices):
    GUARDIAN = "guardian", _("Parent or guardian")
    STUDENT = "student", _("Student")


class AmendmentRequest(models.Model):
    """One written request to amend the record of one student (R34, R37).

    `due_on` is the date by which the district decides (received + the configured days,
    `steward.amendments.policy`). `language` is the requester's language when they asked:
    letters are written in it.
    """

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="+", verbose_name=_("student")
    )
    requester_kind = models.CharField(
        _("requested by"), max_length=16, choices=RequesterKind.choices
    )
    requester_guardian = models.ForeignKey(
        Guardian, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requester_name = models.CharField(_("requester"), max_length=255)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(_("language"), max_length=16)
    received_at = models.DateTimeField(_("received"))
    due_on = models.DateField(_("decision due"))
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.OPEN
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("amendment request")
        verbose_name_plural = _("amendment requests")
        indexes = [
            models.Index(fields=["student", "received_at"], name="amend_request_student"),
            models.Index(fields=["status", "due_on"], name="amend_request_status"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ItemKind(models.TextChoices):
    CORRECT = "correct", _("Correct a value")
    DELETE = "delete", _("Delete an entry")
    OTHER = "other", _("Something else")


class Ground(models.TextChoices):
    """Why the family contests the item: the three grounds of 34 CFR 99.20(a)."""

    INACCURATE = "inaccurate", _("It is inaccurate")
    MISLEADING = "misleading", _("It is misleading")
    PRIVACY = "privacy", _("It violates the student's privacy")


class Item(HistoryRow):
    """One contested item of a request, as the family saw it when they asked.

    `element_key` (a catalog key such as "records.DailyAttendance.status") and `row_id` name
    the field for a correction; `model` and `row_id` the row for a deletion; neither for
    "something else", which `requested_change` describes.
    """

    request = models.ForeignKey(AmendmentRequest, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    scope = models.CharField(_("record part"), max_length=64)
    element_key = models.CharField(_("data element"), max_length=128, blank=True)
    model = models.CharField(max_length=64, blank=True)
    row_id = models.BigIntegerField(null=True, blank=True)
    row_label = models.CharField(_("entry"), max_length=255, blank=True)
    field_label = models.CharField(_("field"), max_length=255, blank=True)
    value_at_request = models.TextField(_("what the record said"), blank=True)
    ground = models.CharField(_("ground"), max_length=16, choices=Ground.choices)
    problem = models.TextField(_("what is wrong"))
    requested_change = models.TextField(_("requested change"))

    class Meta:
        ordering = ["request", "position"]
        verbose_name = _("contested item")
        verbose_name_plural = _("contested items")
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="amend_item_position")
        ]

    def __str__(self) -> str:
        return f"{self.row_label} {self.field_label}".strip() or self.kind


class Stage(models.TextChoices):
    INITIAL = "initial", _("District's decision")
    HEARING = "hearing", _("Hearing decision")


class Outcome(models.TextChoices):
    AMEND = "amend", _("Amend the record")
    REFUSE = "refuse", _("Refuse")


class Decision(HistoryRow):
    """The district's decision on one item (stage "initial", R34) or the hearing officer's
    finding on a refused item (stage "hearing", R35), with the reasons.

    For an amendment: `old_value` and `new_value` are what the field held before and after the
    write (a deletion leaves `new_value` empty); `action_taken` says what was done when the
    item could not be written in Steward (an "other" item, a field kept in another system);
    `source_corrected` records that a roster field was also corrected in the student
    information system, without which the next import would undo the change.
    """

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="decisions")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    outcome = models.CharField(_("decision"), max_length=16, choices=Outcome.choices)
    reasons = models.TextField(_("reasons"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_name = models.CharField(_("decided by"), max_length=255)
    decided_at = models.DateTimeField(_("decided"))
    old_value = models.TextField(_("value before"), blank=True)
    new_value = models.TextField(_("value after"), blank=True)
    action_taken = models.TextField(_("what was done"), blank=True)
    source_corrected = models.BooleanField(_("corrected in the source system"), default=False)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["item", "stage"], name="amend_decision_once")
        ]


class LetterKind(models.TextChoices):
    DECISION = "decision", _("Decision on your request")
    HEARING_NOTICE = "hearing_notice", _("Notice of hearing")
    HEARING_DECISION = "hearing_decision", _("Hearing decision")


class Letter(HistoryRow):
    """A written notice to the requester, as issued: the text is kept with its SHA-256 and
    shown in the portal; it is also e-mailed when an address is on file."""

    request = models.ForeignKey(AmendmentRequest, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("kind"), max_length=24, choices=LetterKind.choices)
    language = models.CharField(_("language"), max_length=16)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"))
    body_sha256 = models.CharField(max_length=64)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    emailed_to = models.CharField(_("e-mailed to"), max_length=255, blank=True)

    class Meta:
        ordering = ["request", "issued_at", "pk"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")


class ReminderKind(models.TextChoices):
    DECISION_SOON = "decision_soon", _("Decision due soon")
    DECISION_OVERDUE = "decision_overdue", _("Decision overdue")
    HEARING_SOON = "hearing_soon", _("Hearing to be held soon")
    HEARING_OVERDUE = "hearing_overdue", _("Hearing not held in time")
    HEARING_DECISION_SOON = "hearing_decision_soon", _("Hearing decision due soon")
    HEARING_DECISION_OVERDUE = "hearing_decision_overdue", _("Hearing decision overdue")


class Reminder(HistoryRow):
    """One reminder sent to the privacy office; at most one of each kind per request, so the
    daily sweep sends nothing twice."""

    request = models.ForeignKey(
        AmendmentRequest, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=32, choices=ReminderKind.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField()
    recipients = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "kind"], name="amend_reminder_once")
        ]
