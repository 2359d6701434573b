"""What an agreement still lacks before it may be activated (R80; R72, R78, R79, R81, R108–R112).

`missing_fields(agreement)` lists every mandatory term that is empty or invalid for the
agreement's kind, each as a `Missing(key, label)`: `key` is the model field at fault (or
"direct_control.<provision>"), `label` a translated sentence that says what to supply. An empty
list means the agreement is complete. The function reads only the agreement and its own
related rows (the scope's schools and sections); it writes nothing.

Mandatory for every kind: title, vendor, template (R107), FERPA basis (R51), Massachusetts
basis, purpose and services (Exhibit A), at least one Exhibit B element, each a real one
(R109), the students covered with the detail their kind needs, start and end dates (end after
start), the provider's parent-access response days (at most `MA_PARENT_ACCESS_MAX_DAYS`, R108),
the breach-notification window (R119), the security framework (Exhibit F, R112), the
disposition window (R110), the signed document, its date and both signatories.

Per kind (R80):
- school-official DPA: FERPA basis A1 and every `DIRECT_CONTROL` provision attested (R72);
- audit or evaluation (99.35): basis A3, the authorized representative, a description of the
  activity, and the destruction terms (R78);
- study (99.31(a)(6)): basis A6, the study's scope and duration, the destruction terms and the
  IRB approval or exemption (R79, R81);
- other: the common terms only.
The destruction time period of R78 and R79 is the structured `disposition_window_days`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.bases import FerpaBasis
from steward.catalog.elements import EXHIBIT_B
from steward.roster.oneroster.spec import GRADES
from steward.vendors.models import Agreement, AgreementKind, ScopeKind

# The Massachusetts district answers a parent's request to inspect the record within ten days
# (603 CMR 23.07(2)); the provider's share of that clock can be no longer (NDPA II.3, R108).
# Steward's model district is in Massachusetts (design.md), so this applies to every agreement.
MA_PARENT_ACCESS_MAX_DAYS = 10

# The provisions that show the district's direct control over a school official (99.31(a)(1)
# (i)(B), R72; PTAC "Requirements and Best Practices", 2014). The district attests each one.
DIRECT_CONTROL: dict[str, Promise] = {
    "district_owns_data": gettext_lazy("The district owns and controls the student data."),
    "service_use_only": gettext_lazy(
        "The provider uses the data only to perform the contracted service."
    ),
    "written_instructions": gettext_lazy(
        "The provider follows the district's written instructions for the data."
    ),
    "no_redisclosure": gettext_lazy("The provider does not disclose the data further (99.33(a))."),
    "subprocessors_bound": gettext_lazy(
        "Subprocessors are approved by the district and bound by the same terms."
    ),
    "audit_rights": gettext_lazy("The district may audit the provider's handling of the data."),
    "return_or_destruction": gettext_lazy(
        "The data is returned or destroyed when the agreement ends."
    ),
}

# The FERPA basis each kind rests on (R51); OTHER may cite any.
KIND_BASIS: dict[str, str] = {
    AgreementKind.SCHOOL_OFFICIAL_DPA: FerpaBasis.A1,
    AgreementKind.AUDIT_EVALUATION: FerpaBasis.A3,
    AgreementKind.STUDY: FerpaBasis.A6,
}


@dataclass(frozen=True)
class Missing:
    """One mandatory term that is empty or invalid: the field at fault and what to supply."""

    key: str
    label: str


def exhibit_b_errors(elements: Any) -> list[str]:
    """The entries of `elements` that are not `[category, element]` pairs of `EXHIBIT_B`
    (R109), as text; an empty list when every entry is valid (or there are none)."""
    if not isinstance(elements, list | tuple):
        return [repr(elements)]
    bad = []
    for entry in elements:
        ok = (
            isinstance(entry, list | tuple)
            and len(entry) == 2
            and all(isinstance(part, str) for part in entry)
            and entry[1] in EXHIBIT_B.get(entry[0], ())
        )
        if not ok:
            bad.append(
                ": ".join(map(str, entry)) if isinstance(entry, list | tuple) else str(entry)
            )
    return bad


def grade_errors(grades: Any) -> list[str]:
    """The entries of `grades` that are not OneRoster grade codes."""
    if not isinstance(grades, list | tuple):
        return [repr(grades)]
    return [str(grade) for grade in grades if grade not in GRADES]


def direct_control_errors(keys: Iterable[Any]) -> list[str]:
    """The attested keys that are not `DIRECT_CONTROL` provisions."""
    return [str(key) for key in keys if key not in DIRECT_CONTROL]


def missing_fields(agreement: Agreement) -> list[Missing]:
    """Every mandatory term of `agreement`'s kind that is empty or invalid, in form order."""
    missing = _common(agreement)
    if agreement.kind == AgreementKind.SCHOOL_OFFICIAL_DPA:
        missing += _school_official(agreement)
    elif agreement.kind == AgreementKind.AUDIT_EVALUATION:
        missing += _audit(agreement)
    elif agreement.kind == AgreementKind.STUDY:
        missing += _study(agreement)
    return missing


def _blank(value: str) -> bool:
    return not (value or "").strip()


def _common(a: Agreement) -> list[Missing]:
    out: list[Missing] = []

    def need(key: str, absent: bool, label: str) -> None:
        if absent:
            out.append(Missing(key, label))

    need("title", _blank(a.title), _("Title: name the agreement."))
    need("vendor", a.vendor_id is None, _("Vendor: choose the provider."))
    need("kind", a.kind not in AgreementKind.values, _("Type: choose the kind of agreement."))
    need("template", _blank(a.template), _("Template: choose the agreement template signed."))
    out += _basis(a)
    need("ma_basis", _blank(a.ma_basis), _("Massachusetts basis: choose the 603 CMR 23.07 ground."))
    need("purpose", _blank(a.purpose), _("Purpose: state why the data is shared (Exhibit A)."))
    need(
        "services",
        _blank(a.services),
        _("Services: describe the services provided (Exhibit A)."),
    )
    out += _exhibit_b(a)
    out += _scope(a)
    out += _dates(a)
    out += _clocks(a)
    need(
        "security_framework",
        _blank(a.security_framework),
        _("Security framework: name the framework the provider follows (Exhibit F)."),
    )
    need(
        "disposition_window_days",
        not a.disposition_window_days,
        _("Disposition window: give the days within which data must be disposed of."),
    )
    adopted = a.originating_agreement_id is not None
    need(
        "signed_document",
        a.signed_document_id is None,
        _("Signed document: upload the district's signed Exhibit E (general offer).")
        if adopted
        else _("Signed document: upload the signed agreement (PDF)."),
    )
    need("signed_on", a.signed_on is None, _("Signed on: give the date it was signed."))
    need(
        "district_signatory",
        _blank(a.district_signatory),
        _("District signatory: name who signed for the district."),
    )
    need(
        "provider_signatory",
        _blank(a.provider_signatory),
        _("Provider signatory: name who signed for the provider."),
    )
    return out


def _basis(a: Agreement) -> list[Missing]:
    if _blank(a.ferpa_basis):
        return [Missing("ferpa_basis", _("FERPA basis: choose the 99.31(a) exception relied on."))]
    wanted = KIND_BASIS.get(a.kind)
    if wanted is not None and a.ferpa_basis != wanted:
        return [
            Missing(
                "ferpa_basis",
                _("FERPA basis: a %(kind)s rests on %(wanted)s, not %(given)s.")
                % {
                    "kind": AgreementKind(a.kind).label,
                    "wanted": wanted,
                    "given": a.ferpa_basis,
                },
            )
        ]
    return []


def _exhibit_b(a: Agreement) -> list[Missing]:
    if not a.data_elements:
        return [Missing("data_elements", _("Data elements: check at least one Exhibit B element."))]
    bad = exhibit_b_errors(a.data_elements)
    if bad:
        return [
            Missing(
                "data_elements",
                _("Data elements: not in the Exhibit B schedule: %(items)s.")
                % {"items": "; ".join(bad)},
            )
        ]
    return []


def _scope(a: Agreement) -> list[Missing]:
    if a.scope_kind not in ScopeKind.values:
        return [Missing("scope_kind", _("Students covered: choose which students."))]
    if a.scope_kind == ScopeKind.SCHOOLS and (a.pk is None or not a.scope_schools.exists()):
        return [Missing("scope_schools", _("Schools: choose the schools covered."))]
    if a.scope_kind == ScopeKind.SECTIONS and (a.pk is None or not a.scope_sections.exists()):
        return [Missing("scope_sections", _("Classes: choose the classes covered."))]
    if a.scope_kind == ScopeKind.GRADES and (not a.scope_grades or grade_errors(a.scope_grades)):
        return [Missing("scope_grades", _("Grades: choose the grades covered."))]
    if a.scope_kind == ScopeKind.RULE and _blank(a.scope_rule):
        return [Missing("scope_rule", _("Rule: describe which students are covered."))]
    return []


def _dates(a: Agreement) -> list[Missing]:
    out = []
    if a.start_date is None:
        out.append(Missing("start_date", _("Start date: give the first day of the agreement.")))
    if a.end_date is None:
        out.append(Missing("end_date", _("End date: give the day the agreement ends.")))
    elif a.start_date is not None and a.end_date <= a.start_date:
        out.append(Missing("end_date", _("End date: must be after the start date.")))
    return out


def _clocks(a: Agreement) -> list[Missing]:
    out = []
    if not a.parent_access_days:
        out.append(
            Missing(
                "parent_access_days",
                _("Parent access: give the days the provider has to answer a parent's request."),
            )
        )
    elif a.parent_access_days > MA_PARENT_ACCESS_MAX_DAYS:
        out.append(
            Missing(
                "parent_access_days",
                _(
                    "Parent access: %(days)d days is longer than the %(max)d days Massachusetts "
                    "gives the district (603 CMR 23.07(2))."
                )
                % {"days": a.parent_access_days, "max": MA_PARENT_ACCESS_MAX_DAYS},
            )
        )
    if not a.breach_notification_hours:
        out.append(
            Missing(
                "breach_notification_hours",
                _("Breach notification: give the hours within which the provider reports one."),
            )
        )
    return out


def _school_official(a: Agreement) -> list[Missing]:
    attested = set(a.direct_control or ())
    return [
        Missing(f"direct_control.{key}", _("Direct control: %(provision)s") % {"provision": label})
        for key, label in DIRECT_CONTROL.items()
        if key not in attested
    ]


def _destruction(a: Agreement) -> list[Missing]:
    if _blank(a.destruction_terms):
        return [
            Missing(
                "destruction_terms",
                _("Destruction: state that the data is destroyed when no longer needed, and when."),
            )
        ]
    return []


def _audit(a: Agreement) -> list[Missing]:
    out = []
    if _blank(a.representative):
        out.append(
            Missing("representative", _("Authorized representative: name who is designated."))
        )
    if _blank(a.activity_description):
        out.append(
            Missing(
                "activity_description",
                _("Activity: describe the audit or evaluation and how the data is used."),
            )
        )
    return out + _destruction(a)


def _study(a: Agreement) -> list[Missing]:
    out = []
    if _blank(a.study_scope):
        out.append(Missing("study_scope", _("Study scope: describe the study and its purpose.")))
    if _blank(a.study_duration):
        out.append(Missing("study_duration", _("Study duration: say how long the study runs.")))
    out += _destruction(a)
    if _blank(a.irb_evidence):
        out.append(
            Missing("irb_evidence", _("IRB: give the approval or exemption (or why none applies)."))
        )
    return out
