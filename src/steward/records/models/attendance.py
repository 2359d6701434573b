"""Daily attendance (record part "attendance")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.roster.models import Org, Student


class DailyAttendance(models.Model):
    """One school day on which a student was not simply present: absent, tardy or dismissed
    early.

    Steward keeps the exceptions only: a school day inside the student's enrollment with no row
    is a day present (the school calendar implies it). `PRESENT` exists so that a district feed
    which sends every day can be stored as it comes. Class (per-period) attendance is not held.
    """

    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        ABSENT_EXCUSED = "absent_excused", _("absent, excused")
        ABSENT_UNEXCUSED = "absent_unexcused", _("absent, unexcused")
        TARDY = "tardy", _("tardy")
        DISMISSED = "dismissed", _("dismissed early")

    student = models.ForeignKey(
        Student,
        on_delete=models.CASCADE,
        related_name="attendance",
        db_index=False,
        verbose_name=_("student"),
    )
    school = models.ForeignKey(
        Org,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("school"),
    )
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("daily attendance")
        verbose_name_plural = _("daily attendance")
        constraints = [
            # Also the index for per-student reads, in date order.
            models.UniqueConstraint(fields=["student", "date"], name="rec_attendance_day"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.status}"
