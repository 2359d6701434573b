"""Forms of the request pages: the family's request, the office's entry of a written or walk-in
request, and the office's actions on a request."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.requests.eligibility import Choice
from steward.requests.models import Channel, Kind, Status

#: What a parent without custody affirms when asking (603 CMR 23.07(5), R18).
AFFIRMATION = _(
    "I affirm that no court order or other legal document denies me custody or visitation "
    "because of a threat to the student's safety, restricts my access to the student, or "
    "prohibits giving me the student's records."
)
#: What a requester consents to for a third-party inspection (603 CMR 23.07(2)(d), R31).
THIRD_PARTY_CONSENT = _(
    "I give my specific written consent for the person named above to inspect and have "
    "interpreted the student's record on my behalf."
)

_TEXT = forms.Textarea(attrs={"rows": 3})


class _Terms(forms.Form):
    """The terms every request may carry."""

    details = forms.CharField(
        label=_("What would you like to see or ask? (optional)"), required=False, widget=_TEXT
    )
    third_party_name = forms.CharField(
        label=_("Third party's name"), required=False, max_length=255
    )
    third_party_affiliation = forms.CharField(
        label=_("Third party's organization (optional)"), required=False, max_length=255
    )


class PortalRequestForm(_Terms):
    """A request by a signed-in parent or eligible student (R24–R28, R31)."""

    student = forms.TypedChoiceField(label=_("Student"), coerce=int)
    kind = forms.ChoiceField(label=_("I ask for"), choices=Kind.choices, widget=forms.RadioSelect)
    third_party_consent = forms.BooleanField(label=THIRD_PARTY_CONSENT, required=False)
    affirm = forms.BooleanField(label=AFFIRMATION, required=False)

    field_order = ["student", "kind", "details"]

    def __init__(self, choices: list[Choice], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = {c.student.pk: set(c.kinds) for c in choices}
        student_field = self.fields["student"]
        assert isinstance(student_field, forms.TypedChoiceField)
        student_field.choices = [(c.student.pk, c.student.display_name) for c in choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        student, kind = data.get("student"), data.get("kind")
        if student is not None and kind and kind not in self.allowed.get(student, set()):
            self.add_error("kind", _("You may ask only for a copy of your own transcript."))
        return data

    def consent_text(self) -> str:
        """The consent as given: the statement ticked, with the person it names."""
        if not self.cleaned_data.get("third_party_consent"):
            return ""
        return f"{THIRD_PARTY_CONSENT} ({self.cleaned_data.get('third_party_name', '')})"

    def affirmation_text(self) -> str:
        return str(AFFIRMATION) if self.cleaned_data.get("affirm") else ""


class LookupForm(forms.Form):
    student = forms.CharField(
        label=_("Student number or information-system ID"), max_length=255, strip=True
    )


class EnterRequestForm(_Terms):
    """A written or walk-in request entered by the office (R33: how identity was checked)."""

    requester = forms.ChoiceField(label=_("Requester"))
    kind = forms.ChoiceField(label=_("Asks for"), choices=Kind.choices)
    channel = forms.ChoiceField(
        label=_("Received"), choices=[(c.value, c.label) for c in Channel if c != Channel.PORTAL]
    )
    received_on = forms.DateField(
        label=_("Date received"), widget=forms.DateInput({"type": "date"})
    )
    identity_check = forms.CharField(
        label=_("How the requester's identity was checked"), widget=_TEXT
    )
    third_party_consent = forms.CharField(
        label=_("Written consent for the third party (what it says, where it is kept)"),
        required=False,
        widget=_TEXT,
    )
    affirmation = forms.CharField(
        label=_("For a parent without custody: their statement that no order restricts access"),
        required=False,
        widget=_TEXT,
    )
    notice_language = forms.ChoiceField(
        label=_("Language of the notice to the custodial parent, besides English"),
        choices=settings.LANGUAGES,
        initial="en",
    )

    def __init__(self, requesters: list[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        requester = self.fields["requester"]
        assert isinstance(requester, forms.ChoiceField)
        requester.choices = requesters
        self.fields["received_on"].initial = timezone.localdate()

    def received_at(self) -> dt.datetime:
        """The day received, at noon district time (the clock counts days)."""
        day: dt.date = self.cleaned_data["received_on"]
        received = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
        return min(received, timezone.now())


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Assign to"), coerce=int)

    def __init__(self, people: list[tuple[int, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = people


class MeetingForm(forms.Form):
    when = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput({"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Where"), max_length=255)
    with_whom = forms.CharField(label=_("With whom"), max_length=255)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("What took place"), required=False, widget=_TEXT)


class ReasonsForm(forms.Form):
    reasons = forms.CharField(label=_("Reasons, as the requester will read them"), widget=_TEXT)


class WithdrawForm(forms.Form):
    note = forms.CharField(label=_("How the requester withdrew it"), widget=_TEXT, required=False)


class QueueFilterForm(forms.Form):
    """Filters of the office's request queue."""

    OPEN = "open"
    LATE = "late"
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(OPEN, _("open")), (LATE, _("late")), ("", _("all")), *Status.choices],
    )
    kind = forms.ChoiceField(
        label=_("Request"), required=False, choices=[("", _("all")), *Kind.choices]
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    unassigned = forms.BooleanField(label=_("Nobody assigned"), required=False)
