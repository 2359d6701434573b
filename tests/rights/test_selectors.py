"""Rights holders read from the roster, with pinned query counts, and `can_act`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings
from django.utils import translation

from steward.access.service import Actor
from steward.accounts.models import Account
from steward.rights import selectors
from steward.rights.holders import REASONS, RIGHTS, Holder
from steward.roster.models import (
    Guardian,
    GuardianRelationship,
    ImportRun,
    Student,
    StudentDemographics,
)
from tests.web import factories as f

NumQueries = Callable[[int], AbstractContextManager[object]]
AT = dt.date(2026, 9, 1)


def born(run: ImportRun, pupil: Student, birth: dt.date | None) -> None:
    StudentDemographics.objects.create(student=pupil, birth_date=birth, last_import=run)


def relative_of(run: ImportRun, person: Guardian, child: Student, *, custodial: bool) -> None:
    GuardianRelationship.objects.create(
        guardian=person,
        student=child,
        kind=GuardianRelationship.Kind.RELATIVE,
        custodial=custodial,
        last_import=run,
    )


@pytest.fixture
def family(db: None) -> SimpleNamespace:
    """Mia (10, grade 5) and Leo (15, grade 10) are Rosa's children; a court order bars Omar
    from Leo. Ivy (18 on `AT`) lives with her aunt Ada, Rosa's link to her has ended. Zed has
    no demographics row (grade 9)."""
    run = f.import_run()
    d = SimpleNamespace(run=run)
    d.rosa = f.guardian(run, "Rosa", "Reyes")
    d.omar = f.guardian(run, "Omar", "Reyes")
    d.ada = f.guardian(run, "Ada", "Reyes")
    d.mia = f.student(run, "Mia", "Reyes", grade="05")
    d.leo = f.student(run, "Leo", "Reyes", grade="10")
    d.ivy = f.student(run, "Ivy", "Reyes", grade="12")
    d.zed = f.student(run, "Zed", "Reyes", grade="09")
    born(run, d.mia, dt.date(2016, 3, 1))
    born(run, d.leo, dt.date(2011, 5, 20))
    born(run, d.ivy, dt.date(2008, 9, 1))
    f.guardian_of(run, d.rosa, d.mia)
    f.guardian_of(run, d.omar, d.mia)
    f.guardian_of(run, d.rosa, d.leo)
    barred = f.guardian_of(run, d.omar, d.leo, restricted=True)
    barred.custodial = False
    barred.save(update_fields=["custodial"])
    f.guardian_of(run, d.rosa, d.ivy, active=False)
    relative_of(run, d.ada, d.ivy, custodial=True)
    f.guardian_of(run, d.rosa, d.zed)
    return d


def ids(held: tuple[Holder, ...]) -> list[tuple[str, int]]:
    return [(h.kind, h.id) for h in held]


def test_it_reads_one_student_in_two_queries(
    family: SimpleNamespace, django_assert_num_queries: NumQueries
) -> None:
    d = family
    with django_assert_num_queries(2):
        leo = selectors.holders_for(d.leo.pk, AT)
    assert leo.age == 15 and leo.ma_eligible and not leo.ferpa_eligible
    assert ids(leo.inspect) == [("guardian", d.rosa.pk), ("student", d.leo.pk)]
    assert ids(leo.consent) == [("guardian", d.rosa.pk)]


def test_it_reads_many_students_in_two_queries_whatever_their_number(
    family: SimpleNamespace, django_assert_num_queries: NumQueries
) -> None:
    d = family
    pupils = [d.mia, d.leo, d.ivy, d.zed]
    with django_assert_num_queries(2):
        found = selectors.holders_for_many([p.pk for p in pupils] + [10**9], AT)
    assert set(found) == {p.pk for p in pupils}
    assert ids(found[d.mia.pk].consent) == [("guardian", d.rosa.pk), ("guardian", d.omar.pk)]
    assert found[d.ivy.pk].consent == (Holder("student", d.ivy.pk, "eligible_18"),)
    assert ids(found[d.ivy.pk].inspect) == [("guardian", d.ada.pk), ("student", d.ivy.pk)]
    assert found[d.zed.pk].age is None and found[d.zed.pk].ma_eligible


def test_it_reads_nothing_for_no_students(django_assert_num_queries: NumQueries, db: None) -> None:
    with django_assert_num_queries(0):
        assert selectors.holders_for_many([], AT) == {}


def test_an_unknown_student_is_not_found(db: None) -> None:
    with pytest.raises(Student.DoesNotExist):
        selectors.holders_for(10**9, AT)


def test_the_district_can_switch_the_ma_extension_off(family: SimpleNamespace) -> None:
    with override_settings(STEWARD_MA_STUDENT_RIGHTS=False):
        leo = selectors.holders_for(family.leo.pk, AT)
    assert not leo.ma_eligible
    assert ids(leo.inspect) == [("guardian", family.rosa.pk)]


def test_a_guardian_account_can_act_for_their_child_but_not_for_another(
    family: SimpleNamespace, django_assert_num_queries: NumQueries
) -> None:
    d = family
    user = f.login("rosa", Account.Role.GUARDIAN, guardian=d.rosa)
    account = Account.objects.get(user=user)
    with django_assert_num_queries(2):
        assert selectors.can_act(account, d.mia.pk, "consent", AT)
    assert selectors.can_act(user, d.leo.pk, "inspect", AT)
    assert not selectors.can_act(account, d.ivy.pk, "inspect", AT)  # link inactive


def test_a_restricted_non_custodial_parent_cannot_act(family: SimpleNamespace) -> None:
    d = family
    omar = Actor(user_id=1, role=Account.Role.GUARDIAN, guardian_id=d.omar.pk)
    assert selectors.can_act(omar, d.mia.pk, "consent", AT)
    for right in RIGHTS:
        assert not selectors.can_act(omar, d.leo.pk, right, AT)


def test_an_adult_student_consents_and_the_relative_keeps_inspection(
    family: SimpleNamespace,
) -> None:
    d = family
    ivy = SimpleNamespace(guardian_id=None, student_id=d.ivy.pk)
    ada = SimpleNamespace(guardian_id=d.ada.pk)
    assert selectors.can_act(ivy, d.ivy.pk, "consent", AT)
    assert not selectors.can_act(ivy, d.leo.pk, "inspect", AT)
    assert not selectors.can_act(ada, d.ivy.pk, "consent", AT)
    assert selectors.can_act(ada, d.ivy.pk, "inspect", AT)
    assert not selectors.can_act(ivy, d.ivy.pk, "consent", AT - dt.timedelta(days=1))


def test_a_15_year_old_may_inspect_but_not_consent(family: SimpleNamespace) -> None:
    leo = SimpleNamespace(student_id=family.leo.pk)
    assert selectors.can_act(leo, family.leo.pk, "inspect", AT)
    assert not selectors.can_act(leo, family.leo.pk, "consent", AT)


def test_staff_anonymous_users_and_unknown_students_cannot_act(
    family: SimpleNamespace, django_assert_num_queries: NumQueries
) -> None:
    d = family
    teacher = f.staff(d.run, "Tess", "Turner")
    staff_user = f.login("tess", Account.Role.TEACHER, staff=teacher)
    no_account = f.login("nobody")
    with django_assert_num_queries(0):
        assert not selectors.can_act(AnonymousUser(), d.mia.pk, "inspect", AT)
        assert not selectors.can_act(None, d.mia.pk, "inspect", AT)
    assert not selectors.can_act(staff_user, d.mia.pk, "inspect", AT)
    assert not selectors.can_act(no_account, d.mia.pk, "inspect", AT)
    assert not selectors.can_act(Actor(1, "guardian", None, d.rosa.pk), 10**9, "inspect", AT)
    with pytest.raises(ValueError):
        selectors.can_act(d.rosa, d.mia.pk, "vote", AT)  # type: ignore[arg-type]


def test_every_right_and_reason_has_a_translatable_label() -> None:
    assert set(selectors.RIGHT_LABELS) == set(RIGHTS)
    assert set(selectors.REASON_TEXT) == set(REASONS)
    with translation.override("en"):
        assert str(selectors.reason_text(Holder("student", 1, "eligible_18"))).startswith(
            "The student is 18"
        )
