"""Discipline incidents (record part "discipline"; never in the transcript, R4)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.roster.models import Org, Staff, Student


class DisciplineIncident(models.Model):
    """A conduct incident and what the school did about it.

    `action_days` counts the days of detention or suspension the action carries (0 for the
    others). `reported_by` is the member of staff who reported it, when known.
    """

    class Kind(models.TextChoices):
        DISRUPTION = "disruption", _("disruptive behavior")
        DEFIANCE = "defiance", _("defiance of authority")
        TRUANCY = "truancy", _("skipping class")
        DEVICE = "device", _("cell phone violation")
        LANGUAGE = "language", _("inappropriate language")
        BULLYING = "bullying", _("bullying")
        CYBERBULLYING = "cyberbullying", _("cyberbullying")
        HARASSMENT = "harassment", _("harassment")
        FIGHTING = "fighting", _("fighting")
        VAPING = "vaping", _("vaping or tobacco")
        THEFT = "theft", _("theft")
        VANDALISM = "vandalism", _("vandalism")

    class Action(models.TextChoices):
        WARNING = "warning", _("warning")
        CONFERENCE = "conference", _("parent conference")
        RESTORATIVE = "restorative", _("restorative conference")
        DETENTION = "detention", _("detention")
        IN_SCHOOL = "in_school_suspension", _("in-school suspension")
        OUT_OF_SCHOOL = "out_of_school_suspension", _("out-of-school suspension")

    student = models.ForeignKey(
        Student,
        on_delete=models.CASCADE,
        related_name="discipline_incidents",
        db_index=False,
        verbose_name=_("student"),
    )
    school = models.ForeignKey(
        Org, on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("type of incident"), max_length=24, choices=Kind.choices)
    description = models.TextField(_("description"))
    action = models.CharField(_("action taken"), max_length=32, choices=Action.choices)
    action_days = models.PositiveSmallIntegerField(_("days of detention or suspension"), default=0)
    reported_by = models.ForeignKey(
        Staff,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reported by"),
    )

    class Meta:
        verbose_name = _("discipline incident")
        verbose_name_plural = _("discipline incidents")
        indexes = [models.Index(fields=["student", "date"], name="rec_discipline_student")]

    def __str__(self) -> str:
        return f"{self.date} {self.kind}"
