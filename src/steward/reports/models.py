"""Releases of de-identified tables and research extracts (R79, R90, R91, R97).

Rows are written only by `steward.reports.actions` (each with its ledger entry in the same
transaction).

- `Series`: a dataset published again and again ("Enrollment by school and race, yearly"):
  the table's shape (measure, geography, grades, subgroups) and the suppression rules every
  release of it uses, so that thresholds apply to every time point alike (R97).
- `Release`: one publication of a series: the report's parameters, the protected tables
  (what is published, cell by cell, with why each withheld cell is withheld), the audit that
  proved it safe given the series' earlier releases, who approved it with what written
  determination (R90), and the exact CSV published. A release is prepared as a DRAFT, then
  APPROVED (only when its audit passed) or DISCARDED; an approved release never changes.
- `ResearchExtract`: a de-identified student-level file for a study agreement (R79, R91),
  with its generalization and counts, and `ExtractKey`, the district's own key from each
  random surrogate id to the student; it never leaves the district.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.roster.models import Student
from steward.vendors.models import Agreement


class Series(models.Model):
    title = models.CharField(_("title"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    # ReportSpec.as_dict() without "as_of" and "school_days": what every release counts.
    shape = models.JSONField()
    rules = models.JSONField()  # the suppression rules (`build.rules_as_dict`)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["title"]
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return self.title


class ReleaseStatus(models.TextChoices):
    DRAFT = "draft", _("draft: not published")
    APPROVED = "approved", _("approved and published")
    DISCARDED = "discarded", _("discarded")


class Release(models.Model):
    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="releases")
    number = models.PositiveIntegerField()  # 1, 2, … within the series, in order of preparation
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        max_length=16, choices=ReleaseStatus.choices, default=ReleaseStatus.DRAFT
    )
    spec = models.JSONField()  # ReportSpec.as_dict(), with the school days used
    rules = models.JSONField()
    # The protected tables: [{"name", "dimensions", "cells": [{"key", "value", "status"}]}].
    tables = models.JSONField()
    audit = models.JSONField()  # the audit report (`build.audit_as_dict`)
    audit_ok = models.BooleanField(default=False)
    # The earlier approved releases of the series this one's audit took into account (R97).
    considered = models.JSONField(default=list)
    suppressed_primary = models.PositiveIntegerField(default=0)
    suppressed_secondary = models.PositiveIntegerField(default=0)
    coded = models.PositiveIntegerField(default=0)
    prepared_at = models.DateTimeField()
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    determination = models.TextField(_("determination"), blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    discarded_at = models.DateTimeField(null=True, blank=True)
    # The CSV as published (set on approval), and its SHA-256, also in the ledger entry.
    published_csv = models.TextField(blank=True)
    published_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["series", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="reports_release_number")
        ]

    def __str__(self) -> str:
        return f"{self.series} #{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == ReleaseStatus.DRAFT


class ExtractStatus(models.TextChoices):
    DRAFT = "draft", _("prepared, not delivered")
    DELIVERED = "delivered", _("delivered")
    DISCARDED = "discarded", _("discarded")


class ResearchExtract(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="extracts")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        max_length=16, choices=ExtractStatus.choices, default=ExtractStatus.DRAFT
    )
    # {"as_of", "quasi_identifiers", "attributes", "sensitive", "k", "l", "max_suppressed"}
    spec = models.JSONField()
    # What the anonymization found: {"levels", "population", "rows", "suppressed", "classes",
    # "smallest_class", "least_diverse", "nodes_evaluated"}.
    result = models.JSONField()
    content = models.BinaryField()  # the CSV delivered (UTF-8)
    sha256 = models.CharField(max_length=64)
    prepared_at = models.DateTimeField()
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivery_entry = models.BigIntegerField(null=True, blank=True)  # the ledger entry's seq
    discarded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-prepared_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ExtractKey(models.Model):
    """One released row's random surrogate id and the student it stands for (R91): drawn at
    random, never computed from the student; held only by the district."""

    extract = models.ForeignKey(ResearchExtract, on_delete=models.CASCADE, related_name="keys")
    surrogate = models.CharField(max_length=32)
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["extract", "surrogate"], name="reports_key_surrogate"),
            models.UniqueConstraint(fields=["extract", "student"], name="reports_key_student"),
        ]
