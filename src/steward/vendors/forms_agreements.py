"""Forms of the agreement pages: they check input shape only; the actions decide
(`steward.vendors.actions.agreements`), and their ValidationErrors are shown on the form.

`exhibit_b_groups()` lays out the Exhibit B checklist (R109) by category, each element with the
data catalog elements that map to it (`steward.catalog.elements.ELEMENTS`), so the privacy
office sees what Steward itself holds behind each box.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from steward.bases import FerpaBasis, MassachusettsBasis
from steward.catalog.elements import ELEMENTS, EXHIBIT_B
from steward.roster.models import Org, Section
from steward.roster.oneroster.spec import GRADES
from steward.security import uploads
from steward.vendors.mandatory import DIRECT_CONTROL
from steward.vendors.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Extent,
    Nature,
    Product,
    Schedule,
    ScopeKind,
    Template,
    Vendor,
)

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_TEXT = forms.Textarea(attrs={"rows": 3})
SEPARATOR = "|"  # between category and element in a checkbox value; in no Exhibit B name

# Exhibit B (category, element) → labels of the catalog elements mapped to it.
CATALOG_BY_EXHIBIT_B: dict[tuple[str, str], tuple[Promise, ...]] = {}
for _element in ELEMENTS:
    CATALOG_BY_EXHIBIT_B[_element.exhibit_b] = (
        *CATALOG_BY_EXHIBIT_B.get(_element.exhibit_b, ()),
        _element.label,
    )


@dataclass(frozen=True)
class ExhibitBItem:
    value: str
    category: str
    element: str
    catalog: tuple[Promise, ...]
    checked: bool


def exhibit_b_groups(
    chosen: Iterable[Sequence[str]], *, only_chosen: bool = False
) -> list[tuple[str, list[ExhibitBItem]]]:
    """The Exhibit B schedule by category, in its order; `only_chosen` drops unchecked ones
    (and empty categories)."""
    picked = {tuple(entry) for entry in chosen}
    groups = []
    for category, names in EXHIBIT_B.items():
        items = [
            ExhibitBItem(
                f"{category}{SEPARATOR}{name}",
                category,
                name,
                CATALOG_BY_EXHIBIT_B.get((category, name), ()),
                (category, name) in picked,
            )
            for name in names
        ]
        if only_chosen:
            items = [item for item in items if item.checked]
        if items:
            groups.append((category, items))
    return groups


def show(form: forms.Form, error: ValidationError) -> None:
    """Put an action's errors on the fields they name, the rest on the form as a whole."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


def _label(name: str) -> Any:
    field = Agreement._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field.verbose_name


def _choices(choices: Sequence[tuple[str, Any]], empty: Any) -> list[tuple[str, Any]]:
    return [("", empty), *[(v, label) for v, label in choices if v]]


class AgreementFilterForm(forms.Form):
    """The list's filters (GET)."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_choices(AgreementStatus.choices, _("Any status")),
    )
    vendor = forms.ModelChoiceField(
        label=_("Vendor"),
        required=False,
        queryset=Vendor.objects.order_by("name").only("pk", "name"),
        empty_label=_("Any vendor"),
    )


class CreateForm(forms.Form):
    vendor = forms.ModelChoiceField(
        label=_("Vendor"), queryset=Vendor.objects.order_by("name").only("pk", "name")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=AgreementKind.choices)


class SectionIds(forms.CharField):
    """Classes by their OneRoster sourcedId, one per line: a district has thousands of classes,
    too many for a list to choose from. Cleans to the classes' keys (one query); an unknown id
    is an error that names it."""

    widget = forms.Textarea(attrs={"rows": 3})

    def clean(self, value: Any) -> list[int]:
        text = super().clean(value) or ""
        wanted = list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
        found = dict(Section.objects.filter(sourced_id__in=wanted).values_list("sourced_id", "pk"))
        unknown = [sid for sid in wanted if sid not in found]
        if unknown:
            raise ValidationError(
                _("No class has this sourcedId: %(ids)s."), params={"ids": ", ".join(unknown)}
            )
        return [found[sid] for sid in wanted]


class AgreementForm(forms.Form):
    """Every term of a draft. `terms()` gives the keyword arguments of `update_agreement`."""

    title = forms.CharField(label=_label("title"), max_length=200)
    kind = forms.ChoiceField(label=_label("kind"), choices=AgreementKind.choices)
    template = forms.ChoiceField(
        label=_label("template"), required=False, choices=_choices(Template.choices, "—")
    )
    ferpa_basis = forms.ChoiceField(
        label=_label("ferpa_basis"), required=False, choices=_choices(FerpaBasis.choices, "—")
    )
    ma_basis = forms.ChoiceField(
        label=_label("ma_basis"),
        required=False,
        choices=_choices(MassachusettsBasis.choices, "—"),
    )
    products = forms.ModelMultipleChoiceField(
        label=_("Products"), required=False, queryset=Product.objects.none()
    )
    purpose = forms.CharField(label=_label("purpose"), required=False, widget=_TEXT)
    services = forms.CharField(label=_label("services"), required=False, widget=_TEXT)
    data_elements = forms.MultipleChoiceField(
        label=_label("data_elements"),
        required=False,
        choices=[(i.value, i.element) for _c, items in exhibit_b_groups(()) for i in items],
    )
    scope_kind = forms.ChoiceField(
        label=_label("scope_kind"), required=False, choices=_choices(ScopeKind.choices, "—")
    )
    scope_schools = forms.ModelMultipleChoiceField(
        label=_("Schools"),
        required=False,
        queryset=Org.objects.filter(type=Org.Type.SCHOOL).order_by("name").only("pk", "name"),
    )
    scope_grades = forms.MultipleChoiceField(
        label=_("Grades"), required=False, choices=[(g, g) for g in GRADES]
    )
    scope_sections = SectionIds(label=_("Classes (sourcedIds, one per line)"), required=False)
    scope_rule = forms.CharField(label=_label("scope_rule"), required=False, widget=_TEXT)
    start_date = forms.DateField(label=_label("start_date"), required=False, widget=_DATE)
    end_date = forms.DateField(label=_label("end_date"), required=False, widget=_DATE)
    parent_access_days = forms.IntegerField(
        label=_label("parent_access_days"), required=False, min_value=1
    )
    breach_notification_hours = forms.IntegerField(
        label=_label("breach_notification_hours"), required=False, min_value=1
    )
    security_framework = forms.CharField(
        label=_label("security_framework"), required=False, max_length=200
    )
    security_evidence = forms.CharField(
        label=_label("security_evidence"), required=False, widget=_TEXT
    )
    direct_control = forms.MultipleChoiceField(
        label=_("Direct control provisions in the agreement (R72)"),
        required=False,
        choices=list(DIRECT_CONTROL.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    representative = forms.CharField(label=_label("representative"), required=False, max_length=200)
    activity_description = forms.CharField(
        label=_label("activity_description"), required=False, widget=_TEXT
    )
    study_scope = forms.CharField(label=_label("study_scope"), required=False, widget=_TEXT)
    study_duration = forms.CharField(label=_label("study_duration"), required=False, max_length=200)
    irb_evidence = forms.CharField(label=_label("irb_evidence"), required=False, widget=_TEXT)
    destruction_terms = forms.CharField(
        label=_label("destruction_terms"), required=False, widget=_TEXT
    )
    disposition_window_days = forms.IntegerField(
        label=_("Days to dispose of the data after the end"), min_value=1
    )
    exhibit_e_offered = forms.BooleanField(label=_label("exhibit_e_offered"), required=False)
    exhibit_e_expires = forms.DateField(
        label=_label("exhibit_e_expires"), required=False, widget=_DATE
    )
    signed_on = forms.DateField(label=_label("signed_on"), required=False, widget=_DATE)
    district_signatory = forms.CharField(
        label=_label("district_signatory"), required=False, max_length=200
    )
    provider_signatory = forms.CharField(
        label=_label("provider_signatory"), required=False, max_length=200
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        products = self.fields["products"]
        assert isinstance(products, forms.ModelMultipleChoiceField)
        products.queryset = Product.objects.filter(vendor_id=agreement.vendor_id).order_by("name")

    @staticmethod
    def initial_for(agreement: Agreement) -> dict[str, Any]:
        """The form's initial values from a saved agreement (three queries: its relations)."""
        initial = {name: getattr(agreement, name) for name in TERM_FIELDS}
        initial["data_elements"] = [f"{c}{SEPARATOR}{e}" for c, e in agreement.data_elements]
        for name in ("products", "scope_schools"):
            initial[name] = list(getattr(agreement, name).values_list("pk", flat=True))
        sections = agreement.scope_sections.order_by("sourced_id")
        initial["scope_sections"] = "\n".join(sections.values_list("sourced_id", flat=True))
        return initial

    def clean_data_elements(self) -> list[list[str]]:
        return [value.split(SEPARATOR, 1) for value in self.cleaned_data["data_elements"]]

    def terms(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}


TERM_FIELDS = [
    name
    for name in AgreementForm.base_fields
    if name not in {"products", "scope_schools", "scope_sections"}
]


class UploadForm(forms.Form):
    document = uploads.PdfField(label=_("Signed agreement (PDF)"))


class TerminateForm(forms.Form):
    """The termination and its Exhibit D directive (R110)."""

    reason = forms.CharField(label=_("Reason for terminating"), widget=_TEXT)
    extent = forms.ChoiceField(
        label=_("Extent"), choices=Extent.choices, initial=Extent.COMPLETE, widget=forms.RadioSelect
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories (partial disposition)"),
        required=False,
        choices=[(c, c) for c in EXHIBIT_B],
        widget=forms.CheckboxSelectMultiple,
    )
    nature = forms.ChoiceField(
        label=_("Nature"), choices=Nature.choices, initial=Nature.DESTROY, widget=forms.RadioSelect
    )
    transfer_to = forms.CharField(label=_("Transfer to"), required=False, max_length=500)
    schedule = forms.ChoiceField(
        label=_("Schedule"),
        choices=Schedule.choices,
        initial=Schedule.BY_DATE,
        widget=forms.RadioSelect,
    )
    due_date = forms.DateField(
        label=_("Due date (default: the agreement's disposition window from today)"),
        required=False,
        widget=_DATE,
    )
    authorized_by = forms.CharField(
        label=_("The district's authorized representative"), max_length=200
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        covered = list(dict.fromkeys(c for c, _e in agreement.data_elements))
        categories = self.fields["categories"]
        assert isinstance(categories, forms.MultipleChoiceField)
        categories.choices = [(c, c) for c in covered]
        if not self.is_bound:
            self.initial["authorized_by"] = agreement.district_signatory


class CertificateForm(forms.Form):
    """The provider's verification of disposition (Exhibit D part 5)."""

    signer_name = forms.CharField(label=_("Signed by"), max_length=200)
    signer_title = forms.CharField(label=_("Title"), max_length=200)
    signed_on = forms.DateField(label=_("Date signed"), widget=_DATE)
    method = forms.CharField(label=_("Method of disposition"), max_length=500)
    scope = forms.CharField(label=_("What was disposed of"), widget=_TEXT)
    document = uploads.PdfField(label=_("Signed verification (PDF)"))
