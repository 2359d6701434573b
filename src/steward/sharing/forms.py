"""Forms of the sharing pages (privacy office only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.audit import queries
from steward.sharing.actions import requestable_columns
from steward.sharing.models import Mode, Version
from steward.vendors.models import Vendor

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def column_choices() -> list[tuple[str, str]]:
    """ "file.csv:column" for every column of either version a vendor may ask for."""
    seen: dict[str, None] = {}
    for version in Version.values:
        for file, names in requestable_columns(version).items():
            for name in names:
                seen[f"{file}:{name}"] = None
    return [(key, key) for key in seen]


class FeedForm(forms.Form):
    version = forms.ChoiceField(label=_("OneRoster version"), choices=Version.choices)
    pseudonymous = forms.BooleanField(
        label=_("Pseudonymous sourcedIds (stable for this vendor, unlinkable across vendors)"),
        required=False,
    )
    recruiter = forms.BooleanField(
        label=_("The recipient is a military recruiter or an institution of higher education"),
        required=False,
    )
    requested = forms.MultipleChoiceField(
        label=_("Columns the vendor asked for"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requested"].choices = column_choices()  # type: ignore[attr-defined]

    def requested_columns(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key in self.cleaned_data.get("requested") or ():
            file, _sep, name = key.partition(":")
            out.setdefault(file, []).append(name)
        return out


def feed_initial(settings: dict[str, Any]) -> dict[str, Any]:
    requested = settings.get("requested_columns") or {}
    return {
        "version": settings["version"],
        "pseudonymous": settings["pseudonymous"],
        "recruiter": settings["recruiter"],
        "requested": [f"{file}:{name}" for file, names in requested.items() for name in names],
    }


class ExportForm(forms.Form):
    mode = forms.ChoiceField(label=_("Export"), choices=Mode.choices, initial=Mode.BULK)


class VendorField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ReceivedForm(forms.Form):
    """What did vendor X receive about student Y?"""

    vendor = VendorField(label=_("Vendor"), queryset=Vendor.objects.order_by("name"))
    student = forms.CharField(label=_("Student sourcedId"), max_length=255)

    student_pk: int | None = None

    def clean_student(self) -> str:
        sourced_id: str = self.cleaned_data["student"].strip()
        self.student_pk = queries.student_pk(sourced_id)
        if self.student_pk is None:
            raise forms.ValidationError(_("No student has this sourcedId."))
        return sourced_id


class RecipientsForm(forms.Form):
    """Which students' data did vendor X receive in period P?"""

    vendor = VendorField(label=_("Vendor"), queryset=Vendor.objects.order_by("name"))
    since = forms.DateField(label=_("From (inclusive)"), required=False, widget=_DATE)
    until = forms.DateField(label=_("To (inclusive)"), required=False, widget=_DATE)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since: dt.date | None = cleaned.get("since")
        until: dt.date | None = cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned
