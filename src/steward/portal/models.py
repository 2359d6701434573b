"""Invitations to the family portal (issue #5 item 6).

A guardian activates their account with a one-time code sent to the e-mail address the roster
holds for them. Only the code's SHA-256 is stored: a database reader cannot activate anyone.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.history import HistoryRow
from steward.roster.models import Guardian, Student


class Invitation(models.Model):
    """One invitation, of a guardian or of a student to their own record: usable once, until
    `expires_at`."""

    guardian = models.ForeignKey(
        Guardian, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    student = models.ForeignKey(
        Student, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    email = models.CharField(_("sent to"), max_length=255)
    code_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["guardian", "created_at"], name="portal_invite_guardian")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(guardian__isnull=False, student__isnull=True)
                    | models.Q(guardian__isnull=True, student__isnull=False)
                ),
                name="portal_invite_one_person",
            )
        ]

    def usable(self, now: dt.datetime) -> bool:
        return self.used_at is None and now < self.expires_at


class NoticeKind(models.TextChoices):
    """The annual notices families receive (R19–R23)."""

    FERPA = "ferpa", _("Rights under FERPA")
    MASSACHUSETTS = "massachusetts", _("Rights under the Massachusetts student records regulations")
    DIRECTORY = "directory", _("Directory information")
    PPRA = "ppra", _("Rights under the Protection of Pupil Rights Amendment")


class AnnualNotice(HistoryRow):
    """An annual notice as published for one school year (R19, R20, R21, R23).

    `text` is the published text (paragraphs separated by a blank line) with its SHA-256.
    Publishing a changed text for the same year adds a notice; the latest of each kind counts.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    school_year = models.CharField(_("school year"), max_length=9, help_text=_("e.g. 2026-2027"))
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("text"))
    text_sha256 = models.CharField(_("text SHA-256"), max_length=64)
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        ordering = ["school_year", "kind", "-published_at"]
        verbose_name = _("annual notice")
        verbose_name_plural = _("annual notices")
        indexes = [
            models.Index(fields=["school_year", "kind", "published_at"], name="portal_notice_year")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.school_year})"


class NoticeAcknowledgement(HistoryRow):
    """A guardian's "I have read this notice", once per guardian and notice.

    `text_sha256` is the hash of the text as it was shown (in the reader's language).
    """

    notice = models.ForeignKey(
        AnnualNotice, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    guardian = models.ForeignKey(Guardian, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged at"))
    text_sha256 = models.CharField(_("text SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("notice acknowledgement")
        verbose_name_plural = _("notice acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["notice", "guardian"], name="portal_notice_ack_once")
        ]
