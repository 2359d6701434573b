"""Forms for break-glass requests, their review, and the access policy editor."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.access.actions import BREAK_GLASS_HOURS, BREAK_GLASS_MAX_HOURS, MIN_THREAT_LENGTH
from steward.catalog.elements import SCOPES

SCOPE_CHOICES = [(scope.key, scope.label) for scope in SCOPES] + [
    ("accommodations_summary", _("Accommodations summary"))
]


class BreakGlassForm(forms.Form):
    """Emergency access request (R82, R83): the threat and the parties come first."""

    student = forms.CharField(
        label=_("Student number"),
        max_length=255,
        help_text=_("The student's number (or source-system ID) from the emergency report."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Record parts needed"),
        choices=SCOPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    threat = forms.CharField(
        label=_("The articulable and significant threat"),
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=MIN_THREAT_LENGTH,
        help_text=_("What is happening, to whom, and why the record is needed now."),
    )
    parties = forms.CharField(
        label=_("Who needs the information"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names and roles of the people you will share it with, if anyone."),
    )
    hours = forms.IntegerField(
        label=_("Hours of access"),
        min_value=1,
        max_value=BREAK_GLASS_MAX_HOURS,
        initial=BREAK_GLASS_HOURS,
    )


class ReviewForm(forms.Form):
    """The privacy office's finding on one break-glass grant."""

    finding = forms.ChoiceField(
        label=_("Finding"),
        choices=[("justified", _("Justified")), ("not_justified", _("Not justified"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))
    close = forms.BooleanField(label=_("End the access now"), required=False)


class StudentLookupForm(forms.Form):
    q = forms.CharField(label=_("Student number or name"), max_length=255)


class PolicyForm(forms.Form):
    """One row of checkboxes per rule, plus the teacher's grace period."""

    def __init__(self, *args: Any, rules: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rules = rules
        for number, rule in enumerate(rules):
            self.fields[f"rule_{number}"] = forms.MultipleChoiceField(
                label=rule.label or rule.relation,
                choices=SCOPE_CHOICES,
                required=False,
                initial=sorted(rule.scopes),
                widget=forms.CheckboxSelectMultiple,
            )
            if rule.relation == "section":
                self.fields[f"grace_{number}"] = forms.IntegerField(
                    label=_("Grace period after the section ends (days)"),
                    min_value=0,
                    max_value=365,
                    initial=rule.grace_days,
                )
        self.fields["note"] = forms.CharField(
            label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2})
        )

    def rule_fields(self) -> list[tuple[Any, forms.BoundField, forms.BoundField | None]]:
        out = []
        for number, rule in enumerate(self.rules):
            grace = self[f"grace_{number}"] if f"grace_{number}" in self.fields else None
            out.append((rule, self[f"rule_{number}"], grace))
        return out
