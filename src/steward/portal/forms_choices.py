"""Forms of the family portal's choices: the media release (every use answered yes or no,
R132), an event release (R130), each signed by an explicit act over the text shown (R47)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.media.models import MediaUse

YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


def field_name(use: MediaUse) -> str:
    return f"use-{use.key}"


class _Signed(forms.Form):
    """The signature part: the hash of the text shown, and the signer's explicit act."""

    text_sha256 = forms.CharField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=gettext_lazy("I am the parent or guardian and I sign this release electronically"),
        error_messages={
            "required": gettext_lazy("Tick the box to sign the release electronically.")
        },
    )

    def __init__(self, *args: Any, text_sha256: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expected_sha256 = text_sha256

    def clean_text_sha256(self) -> str:
        value: str = self.cleaned_data["text_sha256"]
        if value != self.expected_sha256:
            raise forms.ValidationError(
                _("The release text changed while you were reading it. Please read it again.")
            )
        return value


class MediaReleaseForm(_Signed):
    """One required yes/no per active use, named `use-<key>`."""

    def __init__(self, *args: Any, uses: Sequence[MediaUse], text_sha256: str, **kwargs: Any):
        super().__init__(*args, text_sha256=text_sha256, **kwargs)
        self.uses = list(uses)
        for use in self.uses:
            label = use.display_label
            self.fields[field_name(use)] = forms.ChoiceField(
                label=label,
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose yes or no for “%(use)s”.") % {"use": label},
                    "invalid_choice": _("Choose yes or no for “%(use)s”.") % {"use": label},
                },
            )

    def choices(self) -> dict[str, bool]:
        """use key → allowed, once the form is valid."""
        return {use.key: self.cleaned_data[field_name(use)] == "yes" for use in self.uses}

    def use_errors(self) -> list[str]:
        """The error messages of the uses left unanswered, in form order."""
        return [
            str(message) for use in self.uses for message in self.errors.get(field_name(use), [])
        ]


class EventReleaseForm(_Signed):
    """Yes or no for one event."""

    allowed = forms.ChoiceField(
        label=gettext_lazy("May the school record and share media of your child at this event?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose yes or no."),
            "invalid_choice": gettext_lazy("Choose yes or no."),
        },
    )
