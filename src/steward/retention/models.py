"""Retention and destruction of student records (R100–R106, R29, R60).

- `Exit`: a student's transfer, graduation or withdrawal, detected from the roster or recorded
  by staff; at most one open (not cancelled) exit per student.
- `Item`: one record part's Massachusetts part (transcript or temporary) of an exited student,
  with the date from which it may be destroyed (R100, R101).
- `ExitNotice`: the written notice to the family of the approximate destruction date and of
  their right to a copy (R102), and its tracking: generated, sent, delivered.
- `LegalHold`: a hold, with its reason, that blocks destruction (R104).
- `Certificate`: what one destruction removed, whose, when, under which rule and who ran it
  (R105). History: written once.
- `JobRun`: the scheduler's note that a periodic job was enqueued for a day (docs/tasks.md).

Rows here are written only by `steward.retention.actions` (and `JobRun` by
`steward.retention.schedule`); the student rows themselves are kept as an empty shell after
the transcript is destroyed, so that the history rows of other apps keep their reference.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from steward.catalog.elements import MAPart
from steward.history import HistoryRow
from steward.roster.models import Guardian, Student


class ExitKind(models.TextChoices):
    """The three events after which 603 CMR 23.06 counts the retention periods."""

    TRANSFER = "transfer", _("transfer")
    GRADUATION = "graduation", _("graduation")
    WITHDRAWAL = "withdrawal", _("withdrawal")


class ExitSource(models.TextChoices):
    ROSTER = "roster", _("detected from the roster")
    STAFF = "staff", _("recorded by staff")


class Exit(models.Model):
    """A student's exit from the district. Cancelled (not deleted) when recorded in error or
    when the student comes back; a cancelled exit's items are never destroyed."""

    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="+", verbose_name=_("student")
    )
    kind = models.CharField(_("kind of exit"), max_length=16, choices=ExitKind.choices)
    exit_date = models.DateField(_("date of exit"))
    source = models.CharField(_("source"), max_length=16, choices=ExitSource.choices)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        verbose_name = _("exit")
        verbose_name_plural = _("exits")
        constraints = [
            models.UniqueConstraint(
                fields=["student"],
                condition=Q(cancelled_at__isnull=True),
                name="retention_one_open_exit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.exit_date}"


class Certificate(HistoryRow):
    """A certificate of destruction (R105): one per student per destruction run.

    `items` lists each record part destroyed: `{"scope", "ma_part", "destroy_on", "removed":
    {what: count}, "kept": [what, ...]}`. `ledger_seqs` are the audit entries tombstoned with
    the parts (R60). `sha256` covers the canonical JSON of every other field (see
    `steward.retention.certificates.content`).
    """

    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="+", verbose_name=_("student")
    )
    exit = models.ForeignKey(Exit, on_delete=models.PROTECT, related_name="certificates")
    student_name = models.CharField(_("student's name"), max_length=255)
    student_sourced_id = models.CharField(_("student information system ID"), max_length=255)
    destroyed_at = models.DateTimeField(_("destroyed at"))
    operator_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    operator_name = models.CharField(_("run by"), max_length=255)
    rule = models.TextField(_("rule"))
    method = models.TextField(_("method"))
    items = models.JSONField(_("what was destroyed"), default=list)
    ledger_seqs = models.JSONField(_("log entries destroyed"), default=list)
    backup_purge_by = models.DateField(_("backup copies expire by"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("certificate of destruction")
        verbose_name_plural = _("certificates of destruction")
        indexes = [models.Index(fields=["student", "destroyed_at"], name="retention_cert_student")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.student_name}"


class Item(models.Model):
    """One record part's Massachusetts part of one exit, destroyable from `destroy_on`."""

    exit = models.ForeignKey(Exit, on_delete=models.PROTECT, related_name="items")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(_("record part"), max_length=40)
    ma_part = models.CharField(_("Massachusetts part"), max_length=16, choices=MAPart.choices)
    destroy_on = models.DateField(_("destroy on or after"))
    destroyed_at = models.DateTimeField(_("destroyed at"), null=True, blank=True)
    certificate = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("retention item")
        verbose_name_plural = _("retention items")
        constraints = [
            models.UniqueConstraint(fields=["exit", "scope", "ma_part"], name="retention_item_once")
        ]
        indexes = [models.Index(fields=["destroyed_at", "destroy_on"], name="retention_item_due")]

    def __str__(self) -> str:
        return f"{self.scope}/{self.ma_part} {self.destroy_on}"


class SendMethod(models.TextChoices):
    MAIL = "mail", _("first-class mail")
    CERTIFIED_MAIL = "certified_mail", _("certified mail")
    EMAIL = "email", _("e-mail")
    HAND = "hand", _("handed over in person")
    PORTAL = "portal", _("shown in the family portal")


class ExitNotice(models.Model):
    """The written notice of R102 for one exit, and its tracking.

    `addressed_to` lists the rights holders it is for (the parents and, once eligible, the
    student: `[{"kind": "guardian"|"student", "id": int, "name": str}]`), as they were when the
    notice was generated. `text` is the notice as generated, in the district's language, with
    its SHA-256. A notice counts as given once `delivered_at` is set: acknowledged by one of
    those it is addressed to in the portal, or recorded by the office with its evidence (a
    certified-mail receipt, a signed copy).
    """

    exit = models.OneToOneField(Exit, on_delete=models.PROTECT, related_name="notice")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="+")
    generated_at = models.DateTimeField(_("generated at"))
    addressed_to = models.JSONField(_("addressed to"), default=list)
    text = models.TextField(_("text"))
    text_sha256 = models.CharField(_("text SHA-256"), max_length=64)
    temporary_destroy_on = models.DateField(_("approximate destruction of the temporary record"))
    transcript_destroy_on = models.DateField(_("destruction of the transcript"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_method = models.CharField(
        _("sent by"), max_length=16, choices=SendMethod.choices, blank=True
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    delivery_evidence = models.CharField(_("evidence of delivery"), max_length=255, blank=True)
    delivery_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_by = models.ForeignKey(
        Guardian, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("exit notice")
        verbose_name_plural = _("exit notices")
        indexes = [models.Index(fields=["delivered_at", "sent_at"], name="retention_notice_state")]

    def __str__(self) -> str:
        return f"notice #{self.pk}"

    @property
    def delivered(self) -> bool:
        return self.delivered_at is not None


class HoldKind(models.TextChoices):
    LITIGATION = "litigation", _("litigation or anticipated litigation")
    INVESTIGATION = "investigation", _("investigation")
    SUBPOENA = "subpoena", _("subpoena or court order")
    AUDIT = "audit", _("audit")
    OTHER = "other", _("other")


class LegalHold(models.Model):
    """A hold on a student's whole record: nothing of it is destroyed while it is in force
    (R104). Released, never deleted; the reason is required."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of hold"), max_length=16, choices=HoldKind.choices)
    reason = models.TextField(_("reason"))
    placed_at = models.DateTimeField(_("placed at"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    release_reason = models.TextField(_("reason for release"), blank=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        indexes = [models.Index(fields=["student", "released_at"], name="retention_hold_student")]

    def __str__(self) -> str:
        return f"hold #{self.pk}"

    @property
    def active(self) -> bool:
        return self.released_at is None


class JobRun(models.Model):
    """A periodic job enqueued for one day: the unique key makes the scheduler enqueue each
    job at most once a day, however many workers run."""

    job = models.CharField(max_length=64)
    day = models.DateField()
    enqueued_at = models.DateTimeField()
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="retention_job_once")]

    def __str__(self) -> str:
        return f"{self.job} {self.day}"
