"""Forms of the privacy office's restriction pages (R17): find a guardian link, file a document,
withdraw one. They check what a person can fix on the form; the actions check again inside
their transaction (`steward.roster.actions_restrictions`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.roster.actions_restrictions import Particulars
from steward.roster.models_restrictions import NOTE_MAX, REASON_MAX, RestrictionDocument
from steward.security import uploads

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

IN_FORCE = "in_force"
EXPIRED = "expired"
WITHDRAWN = "withdrawn"
ALL = "all"
UNDOCUMENTED = "undocumented"


class RestrictionFilterForm(forms.Form):
    """The list's filter and the search for a guardian link (by student or parent)."""

    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (IN_FORCE, _("documents on file")),
            (EXPIRED, _("documents past their expiry date")),
            (WITHDRAWN, _("withdrawn documents")),
            (ALL, _("every document")),
            (UNDOCUMENTED, _("restricted parents without a document on file")),
        ],
    )
    # Django's CharField refuses NUL, which PostgreSQL could not compare with anyway.
    q = forms.CharField(
        label=_("Find a student or parent (name or number)"), required=False, max_length=100
    )


class RestrictionUploadForm(forms.Form):
    """A court order or other legal document restricting one parent (a PDF)."""

    kind = forms.ChoiceField(label=_("Kind of document"), choices=RestrictionDocument.Kind.choices)
    issuer = forms.CharField(label=_("Issuing court or authority"), max_length=255)
    issued_on = forms.DateField(label=_("Issued on"), widget=_DATE)
    effective_on = forms.DateField(
        label=_("In effect from (if not the date of issue)"), widget=_DATE, required=False
    )
    expires_on = forms.DateField(label=_("Expires on (if stated)"), widget=_DATE, required=False)
    note = forms.CharField(
        label=_("Note for the privacy office (kept encrypted)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=NOTE_MAX,
    )
    document = uploads.PdfField(label=_("The document (PDF)"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        issued: dt.date | None = data.get("issued_on")
        if issued is not None and issued > timezone.localdate():
            self.add_error("issued_on", _("A document cannot be issued in the future."))
        expires: dt.date | None = data.get("expires_on")
        starts = max(d for d in (issued, data.get("effective_on")) if d) if issued else None
        if expires is not None and starts is not None and expires < starts:
            self.add_error(
                "expires_on", _("The expiry date comes before the document takes effect.")
            )
        return data

    def particulars(self) -> Particulars:
        data = self.cleaned_data
        return Particulars(
            kind=data["kind"],
            issued_on=data["issued_on"],
            issuer=data["issuer"],
            effective_on=data.get("effective_on"),
            expires_on=data.get("expires_on"),
            note=data.get("note") or "",
        )


class RestrictionWithdrawForm(forms.Form):
    """Withdraw a document: why, and whether the parent gets their access back."""

    reason = forms.CharField(
        label=_("Why is it withdrawn? (kept encrypted)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX,
    )
    lift = forms.BooleanField(
        label=_("Give this parent their access to the record back"), required=False
    )


def withdraw_form(pk: int, data: Any = None) -> RestrictionWithdrawForm:
    """The withdrawal form of document `pk`, its field ids unique on a page that holds one form
    per document."""
    return RestrictionWithdrawForm(data, auto_id=f"id_withdraw_{pk}_%s")
