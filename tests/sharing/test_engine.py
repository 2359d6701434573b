"""The sharing engine's plan: who, which columns, and refusals (R71, R109; issue #7)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from steward.sharing.engine import SharingRefused, plan_for
from steward.vendors.models import AgreementStatus, ScopeKind
from tests.sharing import factories as sf


def test_it_plans_every_enrolled_student_of_a_district_agreement(district: SimpleNamespace) -> None:
    d = district
    plan = plan_for(sf.agreement(d.acme))
    assert plan.student_ids == {d.ana.pk, d.ben.pk, d.cal.pk, d.dee.pk}
    assert plan.section_ids == {d.homeroom.pk, d.art.pk, d.algebra.pk}
    assert plan.staff_ids == {d.tess.pk, d.omar.pk, d.lena.pk}
    assert plan.guardian_ids == frozenset()  # no Parent/Guardian element
    assert {d.district.pk, d.adams.pk, d.lincoln.pk} <= plan.org_ids
    assert plan.version == "1.2" and not plan.pseudonymous


def test_it_never_allows_a_password_column(district: SimpleNamespace) -> None:
    plan = plan_for(sf.agreement(district.acme, elements=sf.ALL_ELEMENTS))
    for names in [*plan.columns.values(), *plan.row_columns.values()]:
        assert "password" not in names
    assert "userProfiles.csv" not in plan.columns


def test_it_allows_only_the_columns_of_the_agreed_elements(district: SimpleNamespace) -> None:
    plan = plan_for(sf.agreement(district.acme, elements=[["Student Name", "First and/or last"]]))
    assert plan.row_columns["users.csv:student"] == (
        "sourcedId", "status", "dateLastModified", "givenName", "familyName", "middleName",
        "preferredGivenName", "preferredMiddleName", "preferredFamilyName",
    )  # fmt: skip
    assert "enrollments.csv" not in plan.columns  # no schedule element
    assert "demographics.csv" not in plan.columns


@pytest.mark.parametrize(
    "status",
    [
        AgreementStatus.DRAFT,
        AgreementStatus.EXPIRED,
        AgreementStatus.TERMINATED,
        AgreementStatus.DISPOSITION_PENDING,
        AgreementStatus.DISPOSITION_CERTIFIED,
        AgreementStatus.DISPOSITION_OVERDUE,
    ],
)
def test_it_refuses_an_agreement_that_does_not_allow_sharing(
    district: SimpleNamespace, status: str
) -> None:
    with pytest.raises(SharingRefused, match="only an active agreement"):
        plan_for(sf.agreement(district.acme, status=status))


def test_it_refuses_an_agreement_past_its_end_date(district: SimpleNamespace) -> None:
    agreement = sf.agreement(district.acme, status=AgreementStatus.EXPIRING, end_date=sf.days(0))
    with pytest.raises(SharingRefused, match="ended on"):
        plan_for(agreement)


def test_it_plans_only_the_students_of_a_rule(district: SimpleNamespace) -> None:
    d = district
    agreement = sf.agreement(
        d.acme, scope=ScopeKind.RULE, scope_rule='grade in (3, 04) and school = "adams elementary"'
    )
    assert plan_for(agreement).student_ids == {d.ana.pk, d.ben.pk, d.cal.pk}
