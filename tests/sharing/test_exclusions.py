"""Students left out by their families' decisions (R23, R45–R50, R85–R88, R127; issue #7)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from steward.bases import FerpaBasis
from steward.catalog.elements import SCOPE_KEYS
from steward.consents.models import DirectoryOptOut, DisclosureConsentRevocation, MadeBy, Method
from steward.sharing import exclusions
from steward.sharing.engine import SharingRefused, plan_for
from steward.vendors.models import Agreement, AppStatus
from tests.sharing import factories as sf

NAME_AND_GRADE = [["Student Name", "First and/or last"], ["Enrollment", "Student grade level"]]


def _release_agreement(d: SimpleNamespace) -> Agreement:
    app = sf.product(d.acme, AppStatus.APPROVED_WITH_GUARDIAN_RELEASE, "Acme Reader")
    return sf.agreement(d.acme, products=[app], elements=NAME_AND_GRADE)


def test_an_app_needing_a_guardian_release_gets_only_released_students(
    district: SimpleNamespace,
) -> None:
    d = district
    agreement = _release_agreement(d)
    sf.release(d.ana, "acme  reader", ["directory"])  # the app's name, any case and spacing
    sf.release(d.ben, "Acme Learning", sorted(SCOPE_KEYS))  # the vendor's name
    sf.release(d.cal, "Someone Else", ["directory"])
    sf.release(d.dee, "Acme Reader", ["contact"])  # does not cover what is sent
    plan = plan_for(agreement)
    assert plan.student_ids == {d.ana.pk, d.ben.pk}
    assert plan.excluded == {exclusions.GUARDIAN_RELEASE: 2}


def test_an_expired_or_revoked_release_no_longer_counts(district: SimpleNamespace) -> None:
    d = district
    agreement = _release_agreement(d)
    sf.release(d.ana, "Acme Reader", ["directory"], expires_on=sf.days(-1))
    revoked = sf.release(d.ben, "Acme Reader", ["directory"])
    DisclosureConsentRevocation.objects.create(
        consent=revoked, made_by=MadeBy.GUARDIAN, method=Method.PAPER, revoked_at=sf.now()
    )
    assert plan_for(agreement).student_ids == frozenset()


def test_a_product_not_yet_vetted_refuses_every_share(district: SimpleNamespace) -> None:
    app = sf.product(district.acme, AppStatus.UNDER_REVIEW, "Acme Beta")
    with pytest.raises(SharingRefused, match="passed vetting"):
        plan_for(sf.agreement(district.acme, products=[app]))


def test_directory_information_leaves_out_opted_out_students_and_waits_for_the_notice(
    district: SimpleNamespace,
) -> None:
    d = district
    agreement = sf.agreement(
        d.acme, basis=FerpaBasis.A11, elements=NAME_AND_GRADE, title="Yearbook"
    )
    sf.feed(agreement, pseudonymous=True)  # the SIS id is not directory information
    before_notice = plan_for(agreement)
    assert before_notice.student_ids == frozenset()
    assert before_notice.excluded == {exclusions.DIRECTORY_NOTICE: 4}
    sf.directory_notice()
    sf.opt_out(d.ana, DirectoryOptOut.Kind.CATEGORY, "name")
    sf.opt_out(d.ben, DirectoryOptOut.Kind.ALL)
    sf.opt_out(d.cal, DirectoryOptOut.Kind.RECRUITERS)  # not a recruiter: no effect
    plan = plan_for(agreement)
    assert plan.student_ids == {d.cal.pk, d.dee.pk}
    assert plan.excluded == {exclusions.DIRECTORY_OPT_OUT: 2}


def test_sending_non_directory_details_under_a11_shares_nobody(district: SimpleNamespace) -> None:
    agreement = sf.agreement(
        district.acme, basis=FerpaBasis.A11, elements=[["Student Contact Information", "Email"]]
    )
    sf.directory_notice()
    plan = plan_for(agreement)
    assert plan.student_ids == frozenset()
    assert exclusions.NOT_DIRECTORY in plan.excluded


def test_a_recruiter_never_receives_a_student_with_the_recruiter_opt_out(
    district: SimpleNamespace,
) -> None:
    d = district
    agreement = sf.agreement(d.acme, elements=NAME_AND_GRADE)
    sf.feed(agreement, recruiter=True)
    opted = sf.opt_out(d.dee, DirectoryOptOut.Kind.RECRUITERS)
    plan = plan_for(agreement)
    assert d.dee.pk not in plan.student_ids and len(plan.student_ids) == 3
    assert plan.excluded == {exclusions.RECRUITER_OPT_OUT: 1}
    # An opt-out dated after the moment planned does not apply to it.
    type(opted).objects.filter(pk=opted.pk).update(made_at=sf.now() + dt.timedelta(hours=1))
    assert d.dee.pk in plan_for(agreement).student_ids
