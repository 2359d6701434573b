"""Forms of the report pages. Each cleans input for one action, which validates the rest."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.reports import extract_columns, policy
from steward.reports.extracts import ExtractSpec
from steward.reports.models import Series
from steward.reports.sdc.rules import MIN_THRESHOLD, Rules
from steward.reports.spec import Family, Geography, Grades, Measure, ReportSpec, Subject
from steward.vendors.models import SHARING_STATUSES, Agreement, AgreementKind

_DEFAULT_RULES = Rules()
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BuilderForm(forms.Form):
    """What to count and how to protect it (the builder's GET form)."""

    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.choices)
    subject = forms.ChoiceField(
        label=_("Assessment subject"),
        choices=[("", "—"), *Subject.choices],
        required=False,
        help_text=_("For assessment proficiency only."),
    )
    geography = forms.ChoiceField(label=_("Geography"), choices=Geography.choices)
    grades = forms.ChoiceField(label=_("Grades"), choices=Grades.choices)
    family = forms.ChoiceField(label=_("Subgroups"), choices=Family.choices)
    as_of = forms.DateField(
        label=_("Students enrolled on"),
        widget=DATE,
        help_text=_("Events are counted from the first day of that school year to this date."),
    )
    school_days = forms.IntegerField(
        label=_("School days in the period"),
        min_value=1,
        max_value=366,
        required=False,
        help_text=_(
            "For the attendance rate: from the district's calendar. Left empty, it is "
            "estimated from the days on which any absence was recorded."
        ),
    )
    threshold = forms.IntegerField(
        label=_("Minimum group size"),
        min_value=MIN_THRESHOLD,
        max_value=100,
        initial=_DEFAULT_RULES.threshold,
        help_text=_("Smaller counts, and rates of smaller groups, are withheld (R92, R93)."),
    )
    rare_threshold = forms.IntegerField(
        label=_("Minimum group size for rare attributes"),
        min_value=MIN_THRESHOLD,
        max_value=100,
        initial=_DEFAULT_RULES.rare_threshold,
        help_text=_(
            "For English learners, IEP/504, low income, homeless or foster care (R98). "
            "At least the minimum group size."
        ),
    )
    protection = forms.IntegerField(
        label=_("Protection interval (% of the minimum group size)"),
        min_value=10,
        max_value=100,
        initial=round(_DEFAULT_RULES.protection * 100),
        help_text=_("How far above and below its value a withheld count must stay uncertain."),
    )
    complement = forms.BooleanField(
        label=_("Withhold both categories of a two-category group together"),
        required=False,
        initial=_DEFAULT_RULES.complement,
    )
    percent_decimals = forms.TypedChoiceField(
        label=_("Decimals of percentages"),
        choices=[(0, "0"), (1, "1"), (2, "2")],
        coerce=int,
        initial=_DEFAULT_RULES.percent_decimals,
    )

    @classmethod
    def initial_data(cls) -> dict[str, Any]:
        return {
            "measure": Measure.ENROLLMENT,
            "geography": Geography.SCHOOL,
            "grades": Grades.GRADE,
            "family": Family.RACE,
            "as_of": timezone.localdate(),
            "threshold": _DEFAULT_RULES.threshold,
            "rare_threshold": _DEFAULT_RULES.rare_threshold,
            "protection": round(_DEFAULT_RULES.protection * 100),
            "complement": _DEFAULT_RULES.complement,
            "percent_decimals": _DEFAULT_RULES.percent_decimals,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if data["rare_threshold"] < data["threshold"]:
            self.add_error("rare_threshold", _("It cannot be below the minimum group size (R98)."))
            return data
        try:
            data["spec"] = ReportSpec(
                measure=data["measure"],
                geography=data["geography"],
                grades=data["grades"],
                family=data["family"],
                as_of=data["as_of"],
                subject=data.get("subject") or "",
                school_days=data.get("school_days"),
            )
            data["rules"] = Rules(
                threshold=data["threshold"],
                rare_threshold=data["rare_threshold"],
                complement=bool(data.get("complement")),
                protection=data["protection"] / 100,
                percent_decimals=int(data["percent_decimals"]),
            )
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        except ValueError as exc:  # the engine's own checks of the rules
            raise ValidationError(str(exc)) from exc
        return data


class PrepareForm(forms.Form):
    """Into which series the builder's table goes as a draft release."""

    series = forms.ModelChoiceField(
        label=_("Series"),
        queryset=Series.objects.order_by("title"),
        required=False,
        empty_label=_("a new series"),
    )
    new_title = forms.CharField(
        label=_("Title of the new series"),
        max_length=200,
        required=False,
        help_text=_("For example: “Enrollment by school and race, yearly”."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and data.get("series") is None and not data.get("new_title", "").strip():
            self.add_error("new_title", _("Name the new series, or choose one."))
        return data


class NextReleaseForm(forms.Form):
    as_of = forms.DateField(label=_("Students enrolled on"), widget=DATE)
    school_days = forms.IntegerField(
        label=_("School days in the period (attendance only)"),
        min_value=1,
        max_value=366,
        required=False,
    )


class ApproveForm(forms.Form):
    determination = forms.CharField(
        label=_("Determination"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Why no student can be identified from this release, alone or combined with the "
            "series' earlier releases and other reasonably available information (R90)."
        ),
    )


class StudyField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} — {obj.vendor.name}"


def study_agreements() -> Any:
    return (
        Agreement.objects.filter(
            kind=AgreementKind.STUDY, status__in=SHARING_STATUSES, external=False
        )
        .select_related("vendor")
        .order_by("title")
    )


class ExtractForm(forms.Form):
    agreement = StudyField(label=_("Study agreement"), queryset=Agreement.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    as_of = forms.DateField(label=_("Students enrolled on"), widget=DATE)
    quasi_identifiers = forms.MultipleChoiceField(
        label=_("Quasi-identifiers (generalized until k-anonymity holds)"),
        choices=extract_columns.quasi_identifier_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    attributes = forms.MultipleChoiceField(
        label=_("Attributes (released as computed)"),
        choices=extract_columns.attribute_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sensitive = forms.MultipleChoiceField(
        label=_("Sensitive attributes (ℓ-diversity required)"),
        choices=extract_columns.attribute_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    k = forms.IntegerField(
        label=_("k: smallest group of alike rows"),
        min_value=policy.MIN_K,
        max_value=1000,
        initial=policy.DEFAULT_K,
    )
    l_div = forms.IntegerField(
        label=_("ℓ: distinct values of each sensitive attribute in every group"),
        min_value=1,
        max_value=20,
        initial=policy.DEFAULT_L,
    )
    max_suppressed_percent = forms.IntegerField(
        label=_("Rows that may be left out rather than generalize all (%)"),
        min_value=0,
        max_value=50,
        initial=policy.DEFAULT_MAX_SUPPRESSED_PERCENT,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = study_agreements()  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("as_of", timezone.localdate())

    def spec(self) -> ExtractSpec:
        data = self.cleaned_data
        as_of: dt.date = data["as_of"]
        return ExtractSpec(
            as_of=as_of,
            quasi_identifiers=tuple(data["quasi_identifiers"]),
            attributes=tuple(data["attributes"]),
            sensitive=tuple(data["sensitive"]),
            k=data["k"],
            l_div=data["l_div"],
            max_suppressed_percent=data["max_suppressed_percent"],
        )
