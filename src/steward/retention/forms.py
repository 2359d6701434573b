"""Forms of the retention pages: each cleans input for one action, which validates the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.retention.models import ExitKind, HoldKind, SendMethod


class ExitForm(forms.Form):
    student = forms.CharField(
        label=_("Student information system ID"),
        max_length=255,
        help_text=_("The student's ID in the district's student information system."),
    )
    kind = forms.ChoiceField(label=_("Kind of exit"), choices=ExitKind.choices)
    exit_date = forms.DateField(
        label=_("Date of exit"), widget=forms.DateInput(attrs={"type": "date"})
    )


class LookupForm(forms.Form):
    student = forms.CharField(label=_("Student information system ID"), max_length=255)


class HoldForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of hold"), choices=HoldKind.choices)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The case, order or investigation, so that a later reader can act on it."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


SEND_CHOICES = [(value, label) for value, label in SendMethod.choices if value != "portal"]


class SentForm(forms.Form):
    method = forms.ChoiceField(label=_("Sent by"), choices=SEND_CHOICES)


class DeliveredForm(forms.Form):
    evidence = forms.CharField(
        label=_("Evidence of delivery"),
        max_length=255,
        help_text=_("For example: certified mail receipt no. 7019 0000 1234, signed copy."),
    )


class HorizonForm(forms.Form):
    days = forms.IntegerField(
        label=_("Days ahead"), min_value=1, max_value=36600, required=False, initial=365
    )
