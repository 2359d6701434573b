"""Forms of the sign-in security pages. Checking a code or a password is the actions' job
(`mfa_actions`, `auth_actions`); these only shape and bound what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """One code: six digits from the app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_(
            "The six-digit code from your authenticator app, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class AppCodeForm(forms.Form):
    """The first code of an app being enrolled: six digits only."""

    code = forms.CharField(
        label=_("Code from the app"),
        max_length=16,
        help_text=_("Enter the six-digit code your app shows now."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class ReauthForm(forms.Form):
    """The password (when the user has one) and a code (when the session used one)."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=CodeForm.base_fields["code"].help_text,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def __init__(self, *args: Any, password: bool, code: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not password:
            del self.fields["password"]
        if not code:
            del self.fields["code"]
        elif not password:
            self.fields["code"].widget.attrs["autofocus"] = True


class UsernameForm(forms.Form):
    """A username, for unlocking a sign-in."""

    username = forms.CharField(label=_("Username"), max_length=150)


class ResetForm(forms.Form):
    """Whose second factor to reset, and why (kept in the ledger)."""

    username = forms.CharField(label=_("Username"), max_length=150)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("For example: lost phone, confirmed by calling the school office."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
