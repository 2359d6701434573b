"""What the family places in the record: statements on contested items (R35) and material
added at any time (R37).

A `Statement` comments on one contested item after the hearing upheld it (99.21(b)(2)). It
names the item the way the record does (`element_key`, `model`, `row_id`, `scope`) so that it
is shown and disclosed with that item wherever the part is (99.21(c); `selectors.statements_for`).

An `Addition` is information, comments, data or other written material the parent or eligible
student adds to the record (603 CMR 23.08(1)): text, a PDF, or both, filed under one record
part, and shown with that part to whoever may see it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.amendments.models.requests import Item, RequesterKind
from steward.history import HistoryRow
from steward.roster.models import Student
from steward.vendors.models import Document


class Statement(HistoryRow):
    """The family's statement on one contested item, kept and disclosed with it (R35)."""

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="+", verbose_name=_("student")
    )
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="statements")
    scope = models.CharField(_("record part"), max_length=64)
    element_key = models.CharField(max_length=128, blank=True)
    model = models.CharField(max_length=64, blank=True)
    row_id = models.BigIntegerField(null=True, blank=True)
    text = models.TextField(_("statement"))
    author_kind = models.CharField(max_length=16, choices=RequesterKind.choices)
    author_name = models.CharField(_("by"), max_length=255)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(_("placed"))

    class Meta:
        verbose_name = _("family statement")
        verbose_name_plural = _("family statements")
        indexes = [models.Index(fields=["student", "scope"], name="amend_statement_student")]

    def __str__(self) -> str:
        return f"statement on item #{self.item_id}"


class Addition(HistoryRow):
    """Material the family added to one part of the record (603 CMR 23.08(1), R37)."""

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="+", verbose_name=_("student")
    )
    scope = models.CharField(_("record part"), max_length=64)
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("text"), blank=True)
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author_kind = models.CharField(max_length=16, choices=RequesterKind.choices)
    author_name = models.CharField(_("by"), max_length=255)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("added"))

    class Meta:
        verbose_name = _("addition to the record")
        verbose_name_plural = _("additions to the record")
        indexes = [models.Index(fields=["student", "scope"], name="amend_addition_student")]

    def __str__(self) -> str:
        return self.title
