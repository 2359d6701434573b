"""Forms of the privacy office's amendment pages: the decision on an item, the hearing's
schedule with the officer's attestation, and the hearing's written decision (R34–R36)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.accounts.models import Account
from steward.amendments.actions.decisions import Ruling
from steward.amendments.models import Item, ItemKind, Outcome
from steward.security import uploads

TEXT = 8000
OFFICIAL_ROLES = [
    role
    for role in Account.Role.values
    if role not in (Account.Role.GUARDIAN, Account.Role.STUDENT, Account.Role.VENDOR)
]


class RulingFields(forms.Form):
    """What the office, or the hearing officer, decides on one item."""

    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("Reasons"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    new_value = forms.CharField(
        label=_("What the record should say"),
        max_length=TEXT,
        required=False,
        help_text=_("For a correction: the new value, as the record shows it."),
    )
    action_taken = forms.CharField(
        label=_("What was done"),
        max_length=TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For something Steward cannot change itself."),
    )
    source_corrected = forms.BooleanField(
        label=_("Also corrected in the student information system"), required=False
    )

    def __init__(self, *args: Any, item: Item, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        if item.kind != ItemKind.CORRECT:
            del self.fields["new_value"]
        if item.kind != ItemKind.OTHER:
            del self.fields["action_taken"]
        if not item.model.startswith("roster."):
            del self.fields["source_corrected"]
        if item.kind == ItemKind.CORRECT:
            self.fields["new_value"].initial = item.requested_change[:TEXT]

    def ruling(self) -> Ruling:
        data = self.cleaned_data
        return Ruling(
            outcome=data["outcome"],
            reasons=data["reasons"],
            new_value=data.get("new_value", ""),
            action_taken=data.get("action_taken", ""),
            source_corrected=bool(data.get("source_corrected")),
        )


def officials() -> QuerySet[Any]:
    """Logins that may hear a hearing: the district's officials, not families or vendors."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(account__role__in=OFFICIAL_ROLES))
        .order_by("last_name", "first_name", "username")
    )


class OfficialChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


class ScheduleForm(forms.Form):
    """The R36 minimum: date, time, place, the hearing officer and their attestation."""

    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=500)
    officer = OfficialChoice(
        label=_("Hearing officer (a Steward user)"), queryset=officials(), required=False
    )
    officer_name = forms.CharField(
        label=_("…or the hearing officer's name, if they have no Steward login"),
        max_length=255,
        required=False,
    )
    officer_title = forms.CharField(label=_("Their position"), max_length=255, required=False)
    attested = forms.BooleanField(
        label=_(
            "The hearing officer attests that they have no direct interest in the outcome "
            "(34 CFR 99.22(c))"
        ),
        required=False,
    )
    attestation = uploads.PdfField(
        label=_("The attestation signed by the hearing officer (PDF)"),
        required=False,
        help_text=_("Not needed when the hearing officer schedules the hearing themselves."),
    )

    def starts_at(self) -> dt.datetime:
        return _aware(self.cleaned_data["day"], self.cleaned_data["time"])


class HearingDecisionForm(forms.Form):
    """The written decision (R36): when it was held, who was there, the summary of the
    evidence, the reasons; a finding per item is a `RulingFields` form of its own."""

    day = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("At"), widget=forms.TimeInput(attrs={"type": "time"}))
    attended_by = forms.CharField(
        label=_("Present at the hearing"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )
    representative = forms.CharField(
        label=_("The family's representative, if any"), max_length=255, required=False
    )
    evidence_summary = forms.CharField(
        label=_("Summary of the evidence presented"),
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    reasons = forms.CharField(
        label=_("Reasons for the decision, based solely on that evidence"),
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def held_at(self) -> dt.datetime:
        return _aware(self.cleaned_data["day"], self.cleaned_data["time"])
