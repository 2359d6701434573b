"""Forms of the registry, vetting and app-request pages (R73–R76, R127).

Forms only read and type the input; the actions (`steward.vendors.actions.registry`,
`...vetting`) hold every rule, and the views put an action's ValidationError back on the
form. None of them saves a model.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from steward.security import uploads
from steward.vendors import rubric
from steward.vendors.actions.registry import MANUAL_STATUSES
from steward.vendors.actions.vetting import DECISIONS
from steward.vendors.models import (
    AppStatus,
    ContactRole,
    CoppaConsent,
    Rating,
    Vendor,
)


def _url(label: Any, **kwargs: Any) -> forms.URLField:
    return forms.URLField(label=label, required=False, assume_scheme="https", **kwargs)


def _text(label: Any, *, required: bool = True, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class EditForm(forms.Form):
    """A form that starts from an existing row's values (`initial_from(obj)`)."""

    @classmethod
    def initial_from(cls, obj: Any) -> dict[str, Any]:
        return model_to_dict(obj, fields=list(cls.base_fields))


class VendorForm(EditForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    website = _url(_("Website"))
    address = _text(_("Address"), required=False)
    notes = _text(_("Notes"), required=False)


class ContactForm(EditForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=ContactRole.choices)


class SubprocessorForm(EditForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    purpose = forms.CharField(label=_("What it does with the data"), max_length=500)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)


class StorageLocationForm(EditForm):
    country = forms.CharField(label=_("Country"), max_length=100)
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    hosting_provider = forms.CharField(label=_("Hosting provider"), max_length=200, required=False)


class ProductForm(EditForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = _text(_("Description"), required=False)
    website = _url(_("Website"))
    used_under_13 = forms.BooleanField(label=_("Used by children under 13"), required=False)
    coppa_consent = forms.ChoiceField(
        label=_("Who consents for children under 13 (R127)"),
        choices=CoppaConsent.choices,
        required=False,
    )
    commercial_purpose = forms.BooleanField(
        label=_("The operator has a commercial purpose beyond the school's use"),
        required=False,
        help_text=_("Then the app can only be approved with guardian release (R127)."),
    )
    in_use = forms.BooleanField(label=_("In use in the district"), required=False)


class ProductStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(status.value, status.label) for status in MANUAL_STATUSES],
    )
    reason = _text(_("Reason"))


class TermsForm(forms.Form):
    text = _text(
        _("Terms of service and privacy policy"),
        rows=12,
        help_text=_("Paste the full text. A change starts a re-vetting (R74, R75)."),
    )


class RatingForm(forms.Form):
    item = forms.ChoiceField(choices=[(key, key) for key in rubric.ITEMS], widget=forms.HiddenInput)
    rating = forms.ChoiceField(label=_("Rating"), choices=Rating.choices, widget=forms.RadioSelect)
    evidence_note = _text(_("Evidence: note"), required=False, rows=2)
    evidence_url = _url(_("Evidence: link"))
    evidence_file = uploads.PdfField(label=_("Evidence: document (PDF)"), required=False)


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[(status.value, AppStatus(status).label) for status in DECISIONS],
        widget=forms.RadioSelect,
    )
    reasons = _text(_("Reasons"), rows=4)


class AppRequestForm(forms.Form):
    app_name = forms.CharField(label=_("App name"), max_length=200)
    vendor_name = forms.CharField(label=_("Company that makes it"), max_length=200, required=False)
    website = _url(_("Website"))
    purpose = _text(_("What you would use it for"))
    grades = forms.CharField(label=_("Grades or classes"), max_length=200, required=False)
    student_accounts = forms.BooleanField(
        label=_("Students would sign in or have accounts"), required=False
    )


class DeclineForm(forms.Form):
    reason = _text(_("Reason, for the person who asked"))


class ReviewForm(forms.Form):
    vendor = forms.ModelChoiceField(
        label=_("Vendor"),
        queryset=Vendor.objects.all(),
        required=False,
        empty_label=_("the vendor named in the request"),
    )


class SetPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") != data.get("password_again"):
            raise forms.ValidationError(_("The two passwords differ."))
        return data
