"""steward.vendors.mandatory: what each kind of agreement must hold before activation (R80;
R72 direct control, R78 audit/evaluation, R79 and R81 studies, R108 parent access, R109
Exhibit B). Each case starts from a complete agreement and empties exactly one term."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from steward.bases import FerpaBasis
from steward.vendors.mandatory import (
    DIRECT_CONTROL,
    MA_PARENT_ACCESS_MAX_DAYS,
    exhibit_b_errors,
    missing_fields,
)
from steward.vendors.models import Agreement, ScopeKind

from .factories_agreements import CASES, KINDS, Kind, ag_world, blank, draft, offer

__all__ = ["ag_world"]


def keys(agreement: Agreement) -> list[str]:
    return [m.key for m in missing_fields(agreement)]


@pytest.mark.parametrize("kind", KINDS)
def test_a_complete_agreement_of_each_kind_lacks_nothing(
    ag_world: SimpleNamespace, kind: str
) -> None:
    assert missing_fields(draft(ag_world, kind)) == []


@pytest.mark.parametrize(("kind", "key"), CASES)
def test_it_lists_exactly_the_one_term_left_empty(
    ag_world: SimpleNamespace, kind: str, key: str
) -> None:
    agreement = draft(ag_world, kind)
    blank(agreement, key)
    missing = missing_fields(agreement)
    assert [m.key for m in missing] == [key]
    assert missing[0].label.strip()


def test_it_names_the_vendor_when_there_is_none(ag_world: SimpleNamespace) -> None:
    agreement = draft(ag_world)
    unsaved = Agreement(
        **{
            f.attname: getattr(agreement, f.attname)
            for f in Agreement._meta.concrete_fields
            if f.name not in {"id", "vendor"}
        }
    )
    assert "vendor" in keys(unsaved)


@pytest.mark.parametrize(
    ("kind", "wrong"),
    [
        (Kind.SCHOOL_OFFICIAL_DPA, FerpaBasis.A6),
        (Kind.AUDIT_EVALUATION, FerpaBasis.A1),
        (Kind.STUDY, FerpaBasis.A3),
    ],
)
def test_it_says_when_the_ferpa_basis_does_not_fit_the_kind(
    ag_world: SimpleNamespace, kind: str, wrong: str
) -> None:
    agreement = draft(ag_world, kind, ferpa_basis=wrong)
    missing = missing_fields(agreement)
    assert [m.key for m in missing] == ["ferpa_basis"]
    assert f"not {wrong}" in missing[0].label


def test_any_basis_fits_an_agreement_of_another_kind(ag_world: SimpleNamespace) -> None:
    assert missing_fields(draft(ag_world, Kind.OTHER, ferpa_basis=FerpaBasis.A10)) == []


def test_a_school_official_dpa_lists_each_direct_control_provision_not_attested(
    ag_world: SimpleNamespace,
) -> None:
    agreement = draft(ag_world, direct_control=[])
    missing = missing_fields(agreement)
    assert [m.key for m in missing] == [f"direct_control.{key}" for key in DIRECT_CONTROL]
    assert "written instructions" in missing[2].label


def test_parent_access_longer_than_the_massachusetts_clock_is_flagged(
    ag_world: SimpleNamespace,
) -> None:
    assert keys(draft(ag_world, parent_access_days=MA_PARENT_ACCESS_MAX_DAYS)) == []
    agreement = draft(ag_world, parent_access_days=MA_PARENT_ACCESS_MAX_DAYS + 1)
    missing = missing_fields(agreement)
    assert [m.key for m in missing] == ["parent_access_days"]
    assert "603 CMR 23.07(2)" in missing[0].label


def test_an_end_date_not_after_the_start_is_flagged(ag_world: SimpleNamespace) -> None:
    agreement = draft(ag_world)
    Agreement.objects.filter(pk=agreement.pk).update(end_date=agreement.start_date)
    agreement.refresh_from_db()
    missing = missing_fields(agreement)
    assert [(m.key, m.label) for m in missing] == [
        ("end_date", "End date: must be after the start date.")
    ]


def test_an_element_outside_the_exhibit_b_schedule_is_flagged(ag_world: SimpleNamespace) -> None:
    agreement = draft(ag_world)
    Agreement.objects.filter(pk=agreement.pk).update(
        data_elements=[["Student Name", "First and/or last"], ["Student Name", "Nickname"]]
    )
    agreement.refresh_from_db()
    missing = missing_fields(agreement)
    assert [m.key for m in missing] == ["data_elements"]
    assert "Student Name: Nickname" in missing[0].label


def test_exhibit_b_errors_reject_malformed_entries() -> None:
    assert exhibit_b_errors([["Attendance", "Class attendance"]]) == []
    assert exhibit_b_errors([["Attendance"], "Attendance", ["Nope", "x"]]) == [
        "Attendance",
        "Attendance",
        "Nope: x",
    ]
    assert exhibit_b_errors("Attendance") == ["'Attendance'"]


def test_schools_in_scope_satisfy_a_schools_scope(ag_world: SimpleNamespace) -> None:
    agreement = draft(ag_world, scope_kind=ScopeKind.SCHOOLS, scope_schools=[ag_world.adams])
    assert missing_fields(agreement) == []


def test_an_exhibit_e_adoption_asks_for_the_districts_own_signed_exhibit_e(
    ag_world: SimpleNamespace,
) -> None:
    from steward.vendors.actions import agreements as actions

    adoption = actions.adopt_exhibit_e(offer(ag_world), by=ag_world.officer)
    missing = {m.key: m.label for m in missing_fields(adoption)}
    assert set(missing) == {"signed_document", "signed_on", "district_signatory"} | {
        "provider_signatory"
    }
    assert "Exhibit E" in missing["signed_document"]
