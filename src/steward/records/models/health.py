"""Health notes and alerts kept by the school nurse (record part "health")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.roster.models import Staff, Student
from steward.security.fields import EncryptedTextField


class HealthNote(models.Model):
    """A dated note by the nurse, such as a visit to the health office."""

    student = models.ForeignKey(
        Student,
        on_delete=models.CASCADE,
        related_name="health_notes",
        db_index=False,
        verbose_name=_("student"),
    )
    date = models.DateField(_("date"))
    author = models.ForeignKey(
        Staff,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("written by"),
    )
    # Encrypted at rest (R116, #10): the database never holds the note's text.
    text = EncryptedTextField(_("note"))

    class Meta:
        verbose_name = _("health note")
        verbose_name_plural = _("health notes")
        indexes = [models.Index(fields=["student", "date"], name="rec_health_note_student")]

    def __str__(self) -> str:
        return str(self.date)


class HealthAlert(models.Model):
    """An allergy, medication or condition staff must know about.

    A student whose roster special indicators carry the health-alert flag has at least one
    active severe or life-threatening alert.
    """

    class Kind(models.TextChoices):
        ALLERGY = "allergy", _("allergy")
        MEDICATION = "medication", _("medication")
        CONDITION = "condition", _("medical condition")

    class Severity(models.TextChoices):
        MILD = "mild", _("mild")
        MODERATE = "moderate", _("moderate")
        SEVERE = "severe", _("severe")
        LIFE_THREATENING = "life_threatening", _("life-threatening")

    student = models.ForeignKey(
        Student,
        on_delete=models.CASCADE,
        related_name="health_alerts",
        db_index=False,
        verbose_name=_("student"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = EncryptedTextField(_("alert"), max_length=500)  # encrypted at rest (R116)
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("health alert")
        verbose_name_plural = _("health alerts")
        indexes = [models.Index(fields=["student", "active"], name="rec_health_alert_student")]

    def __str__(self) -> str:
        return self.text
