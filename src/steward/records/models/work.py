"""Student work: content the student created (record part "student_generated_content", P7)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.roster.models import Section, Student


class StudentWork(models.Model):
    """A piece of work a student made for a class: an essay, a lab report, a drawing.

    Either the text itself (`body`, content type text/plain) or a stored file, named by
    `file_name` with its `content_type`; Steward keeps no file contents (issue #4 item 2).
    """

    student = models.ForeignKey(
        Student,
        on_delete=models.CASCADE,
        related_name="work_items",
        db_index=False,
        verbose_name=_("student"),
    )
    section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("class"),
    )
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100)
    created = models.DateField(_("date created"))

    class Meta:
        verbose_name = _("student work")
        verbose_name_plural = _("student work")
        indexes = [models.Index(fields=["student", "created"], name="rec_work_student")]

    def __str__(self) -> str:
        return self.title
