"""Forms of the family portal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class ActivationForm(forms.Form):
    code = forms.CharField(label=_("Invitation code"), max_length=64)
    password = forms.CharField(label=_("Choose a password"), widget=forms.PasswordInput)
    password_again = forms.CharField(label=_("Type it again"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data
