"""Course grades (record part "grades_transcript", R4) and assessment results ("assessments")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.roster.models import AcademicSession, Section, Student


class CourseGrade(models.Model):
    """A student's mark in one section for one term.

    A final grade (`final`) is part of the Massachusetts transcript (603 CMR 23.02, R4): the
    course, the mark, the credits earned and the term. A progress grade (`final` false) is the
    running mark of a term still in progress, posted on a progress-report date, and belongs to
    the temporary record. Elementary sections are marked on the 1–4 standards scale with no
    percentage; a withdrawal before the term ends is marked "W".
    """

    student = models.ForeignKey(
        Student,
        on_delete=models.CASCADE,
        related_name="course_grades",
        db_index=False,
        verbose_name=_("student"),
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("class"),
    )
    term = models.ForeignKey(
        AcademicSession,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("term"),
    )
    mark = models.CharField(_("mark"), max_length=8)
    percent = models.PositiveSmallIntegerField(_("percentage"), null=True, blank=True)
    credits = models.DecimalField(
        _("credits earned"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    comment = models.CharField(_("teacher's comment"), max_length=500, blank=True)
    posted = models.DateField(_("date posted"))
    final = models.BooleanField(_("final grade"), default=True)

    class Meta:
        verbose_name = _("course grade")
        verbose_name_plural = _("course grades")
        constraints = [
            # Also the index for per-student reads, and for one student's grades in a section.
            models.UniqueConstraint(
                fields=["student", "section", "term", "final"], name="rec_grade_once"
            ),
        ]

    def __str__(self) -> str:
        return self.mark


class AssessmentResult(models.Model):
    """One result of a standardized or benchmark assessment, e.g. "MCAS ELA Grade 5".

    `school_year` is the calendar year in which the school year of the administration ends
    (2027 for 2026-2027), as on `roster.AcademicSession`. `scale_score` is on the assessment's
    own scale and `performance_level` is its own wording; neither is comparable across
    assessments.
    """

    student = models.ForeignKey(
        Student,
        on_delete=models.CASCADE,
        related_name="assessment_results",
        db_index=False,
        verbose_name=_("student"),
    )
    name = models.CharField(_("assessment"), max_length=120)
    subject = models.CharField(_("subject"), max_length=60)
    administered = models.DateField(_("date administered"))
    school_year = models.PositiveSmallIntegerField(_("school year"))
    scale_score = models.PositiveIntegerField(_("scale score"), null=True, blank=True)
    performance_level = models.CharField(_("performance level"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        indexes = [models.Index(fields=["student", "administered"], name="rec_assessment_student")]

    def __str__(self) -> str:
        return self.name
