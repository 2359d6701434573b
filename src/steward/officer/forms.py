"""The audit-log search form: what the privacy office may filter the ledger by."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from steward.audit import queries
from steward.audit.models import Action

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    """GET filters for `steward.audit.queries.search`; every field is optional.

    `student` is the OneRoster sourcedId the office knows; cleaning resolves it to the roster
    key (one query). `upto` pins the results to the ledger as it was at the first page, so
    paging is stable while new entries (this page's own reads among them) are appended.
    """

    student = forms.CharField(label=_("Student sourcedId"), required=False, max_length=255)
    actor = forms.CharField(label=_("Actor name contains"), required=False, max_length=255)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any action")), *Action.choices]
    )
    basis = forms.CharField(
        label=_("Legal basis code"),
        required=False,
        max_length=16,
        validators=[RegexValidator(r"^[A-Za-z0-9-]*$", _("Enter a basis code such as A1 or A9."))],
    )
    recipient = forms.CharField(
        label=_("Recipient name or affiliation contains"), required=False, max_length=255
    )
    since = forms.DateField(label=_("From (inclusive)"), required=False, widget=_DATE)
    until = forms.DateField(label=_("To (inclusive)"), required=False, widget=_DATE)
    upto = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    student_pk: int | None = None

    def clean_student(self) -> str:
        sourced_id: str = self.cleaned_data["student"].strip()
        self.student_pk = queries.student_pk(sourced_id) if sourced_id else None
        if sourced_id and self.student_pk is None:
            raise forms.ValidationError(_("No student has this sourcedId."))
        return sourced_id

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned

    def search_filters(self) -> dict[str, Any]:
        """Keyword arguments for `queries.search` (call after `is_valid()`)."""
        data = self.cleaned_data
        return {
            "student": self.student_pk,
            "actor": data["actor"].strip(),
            "action": data["action"],
            "basis": data["basis"].strip(),
            "recipient": data["recipient"].strip(),
            "since": data["since"],
            "until": data["until"],
        }

    def detail(self) -> dict[str, str]:
        """The filters as the officer gave them, for the ledger entry of this review."""
        data = self.cleaned_data
        out = {}
        for name in ("student", "actor", "action", "basis", "recipient", "since", "until"):
            value = data.get(name)
            if value:
                out[name] = value.isoformat() if isinstance(value, dt.date) else str(value)
        return out
