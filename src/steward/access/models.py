"""Stored access configuration and emergency grants.

Grants for ordinary work are never stored: they are derived from roster relationships by
`steward.access.index` (issue #4, R41). What is stored is the district's policy (role → scope
rules, edited by the privacy officer) and break-glass grants, which are time-boxed, justified
and reviewed (R82, R83).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.roster.models import Staff, Student


class PolicyRevision(models.Model):
    """One version of the district's access policy (`Policy.to_dict()`); the newest applies.

    Revisions are only ever added, so the history of who changed which rule stays readable;
    each addition also writes a ledger entry (`actions.do_set_policy`).
    """

    policy = models.JSONField()
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        get_latest_by = "pk"


class BreakGlassGrantQuerySet(models.QuerySet["BreakGlassGrant"]):
    def open_at(self, now: dt.datetime) -> BreakGlassGrantQuerySet:
        """The grants giving access at `now`: opened, not expired, not closed (`is_open`)."""
        return self.filter(
            models.Q(closed_at__isnull=True) | models.Q(closed_at__gt=now),
            opened_at__lte=now,
            expires_at__gt=now,
        )


class BreakGlassGrant(models.Model):
    """Emergency access by one staff member to parts of one student's record (R82, R83).

    It starts when opened and ends at `expires_at` (default four hours later; `closed_at` ends
    it early). The threat and the parties are recorded before access starts; the privacy office
    must then review it, justified or not, with a note.
    """

    class Outcome(models.TextChoices):
        PENDING = "pending", _("awaiting review")
        JUSTIFIED = "justified", _("justified")
        NOT_JUSTIFIED = "not_justified", _("not justified")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="+")
    scopes = models.JSONField(help_text=_("The record parts opened."))
    threat = models.TextField(help_text=_("The articulable and significant threat."))
    parties = models.TextField(help_text=_("Who needs the information, and why."))
    opened_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_note = models.TextField(blank=True)

    objects = BreakGlassGrantQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["staff", "student", "expires_at"], name="bg_staff_student"),
            models.Index(fields=["outcome", "opened_at"], name="bg_review_queue"),
        ]

    def is_open(self, now: dt.datetime) -> bool:
        """Whether the grant gives access at `now`."""
        return self.opened_at <= now < self.expires_at and (
            self.closed_at is None or now < self.closed_at
        )
