"""Forms for the training confirmation and for naming a records custodian (R44, R138)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.roster.models import Org, Staff


class ConfirmTrainingForm(forms.Form):
    """An explicit act: the box must be ticked. `text_sha256` is the hash of the text the page
    showed, so a confirmation never attaches to words the person did not see."""

    confirm = forms.BooleanField(
        label=_("I confirm"),
        required=True,
        error_messages={"required": _("Tick the box to confirm.")},
    )
    text_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)


class NameCustodianForm(forms.Form):
    """Name a staff member records custodian of a school; the action checks they work there."""

    school = forms.ModelChoiceField(
        queryset=Org.objects.filter(type=Org.Type.SCHOOL, active=True), widget=forms.HiddenInput
    )
    staff = forms.ModelChoiceField(
        label=_("Records custodian"), queryset=Staff.objects.filter(active=True)
    )
