"""Forms of the family's amendment pages: the request, the hearing request, the statement,
and material added to the record (R34–R37)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.amendments import items
from steward.amendments.actions.requests import MAX_TEXT, Ask
from steward.amendments.models import Ground
from steward.catalog.elements import SCOPES
from steward.security import uploads

OTHER = "other"
ITEM_ROWS = 3


class ItemForm(forms.Form):
    """One contested item: which one, why it is wrong, and what it should say."""

    item = forms.ChoiceField(label=_("What is wrong in the record"))
    ground = forms.ChoiceField(label=_("Why"), choices=[("", "—"), *Ground.choices], required=True)
    problem = forms.CharField(
        label=_("What is wrong, in your words"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    requested_change = forms.CharField(
        label=_("What it should say instead (or what should be done)"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, options: list[items.Option], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options = items.codes(options)
        choices: list[tuple[str, str]] = [("", "—")]
        choices += [(o.code, o.label) for o in options]
        choices.append((OTHER, str(_("Something else in this part (describe it below)"))))
        self.fields["item"].choices = choices  # type: ignore[attr-defined]

    def ask(self, scope: str) -> Ask:
        data = self.cleaned_data
        return Ask(
            option=self.options.get(data["item"]),
            scope=scope,
            ground=data["ground"],
            problem=data["problem"],
            requested_change=data["requested_change"],
        )


class BaseItemFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        if not any(form.cleaned_data for form in self.forms if form.is_valid()):
            raise forms.ValidationError(_("Name at least one item of the record to amend."))


ItemFormSet = forms.formset_factory(
    ItemForm, formset=BaseItemFormSet, extra=ITEM_ROWS, max_num=ITEM_ROWS, validate_max=True
)


class HearingRequestForm(forms.Form):
    family_note = forms.CharField(
        label=_("What you would like to present at the hearing (optional)"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the documents you will bring, or who will represent you."),
    )


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Comment on the information, or say why you disagree with the decision. It will be "
            "kept with this information and shown whenever it is shown or disclosed."
        ),
    )


def scope_choices() -> list[tuple[str, Any]]:
    return [(scope.key, scope.label) for scope in SCOPES]


class AdditionForm(forms.Form):
    """Information, comments or written material the family adds (603 CMR 23.08(1))."""

    scope = forms.ChoiceField(label=_("Part of the record it belongs to"), choices=scope_choices)
    title = forms.CharField(label=_("Title"), max_length=255)
    text = forms.CharField(
        label=_("Text"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    document = uploads.PdfField(label=_("A PDF document (optional)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Formatted per request, in the reader's language.
        self.fields["document"].help_text = _("At most %(mb)d MB.") % {
            "mb": uploads.document_limit() // (1024 * 1024)
        }
