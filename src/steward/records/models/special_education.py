"""IEP and Section 504 plans and their accommodations (record part "special_education").

Teachers see only the accommodations summary (`steward.records.parts.accommodations_summary`):
the accommodations of the plans in effect, without the plan itself.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.roster.models import Staff, Student
from steward.security.fields import EncryptedTextField


class EducationPlan(models.Model):
    """An individualized education program (IEP) or a Section 504 plan, for one plan period.

    An IEP runs a year from `start_date` to `end_date`; a 504 plan's `end_date` is its review
    date. A plan is in effect on the days from its start to its end, both included.
    `disability_category` (Massachusetts IEP categories) is blank for a 504 plan.
    """

    class Kind(models.TextChoices):
        IEP = "iep", _("IEP")
        SECTION_504 = "section504", _("Section 504 plan")

    class Disability(models.TextChoices):
        AUTISM = "autism", _("autism")
        COMMUNICATION = "communication", _("communication")
        DEVELOPMENTAL_DELAY = "developmental_delay", _("developmental delay")
        EMOTIONAL = "emotional", _("emotional")
        HEALTH = "health", _("health")
        INTELLECTUAL = "intellectual", _("intellectual")
        NEUROLOGICAL = "neurological", _("neurological")
        PHYSICAL = "physical", _("physical")
        SENSORY_HEARING = "sensory_hearing", _("sensory: hearing")
        SENSORY_VISION = "sensory_vision", _("sensory: vision")
        SPECIFIC_LEARNING = "specific_learning", _("specific learning disability")
        MULTIPLE = "multiple", _("multiple disabilities")

    student = models.ForeignKey(
        Student,
        on_delete=models.CASCADE,
        related_name="education_plans",
        db_index=False,
        verbose_name=_("student"),
    )
    kind = models.CharField(_("kind of plan"), max_length=16, choices=Kind.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end or review date"))
    disability_category = models.CharField(
        _("disability category"), max_length=32, choices=Disability.choices, blank=True
    )
    case_manager = models.ForeignKey(
        Staff,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("case manager"),
    )
    summary = EncryptedTextField(_("summary"), blank=True)  # encrypted at rest (R116, #10)

    class Meta:
        verbose_name = _("IEP or 504 plan")
        verbose_name_plural = _("IEP and 504 plans")
        indexes = [models.Index(fields=["student", "start_date"], name="rec_plan_student")]

    def __str__(self) -> str:
        return f"{self.kind} {self.start_date}"


class Accommodation(models.Model):
    """One accommodation of a plan, e.g. "Extended time (1.5x) on tests", and where it applies.

    `student` repeats the plan's student, so that the summary of one student's accommodations
    is read from this table's own index (the generator and any writer set both).
    """

    class Setting(models.TextChoices):
        CLASSROOM = "classroom", _("classroom")
        TESTING = "testing", _("testing")
        ALL = "all", _("classroom and testing")

    plan = models.ForeignKey(
        EducationPlan,
        on_delete=models.CASCADE,
        related_name="accommodations",
        verbose_name=_("plan"),
    )
    student = models.ForeignKey(
        Student,
        on_delete=models.CASCADE,
        related_name="accommodations",
        db_index=False,
        verbose_name=_("student"),
    )
    text = EncryptedTextField(_("accommodation"), max_length=500)  # encrypted at rest (R116)
    setting = models.CharField(_("setting"), max_length=16, choices=Setting.choices)

    class Meta:
        verbose_name = _("accommodation")
        verbose_name_plural = _("accommodations")
        indexes = [models.Index(fields=["student", "plan"], name="rec_accommodation_student")]

    def __str__(self) -> str:
        return self.text
