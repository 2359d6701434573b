"""may_disclose_directory: the notice's window, opt-outs, recruiters, former students (R85–R89)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from steward.consents.models import (
    DirectoryCategory,
    DirectoryNotice,
    DirectoryOptOut,
    DirectoryOptOutWithdrawal,
    MadeBy,
    Method,
)
from steward.consents.rules import (
    Reason,
    directory_disclosable,
    may_disclose_directory,
    school_year_of,
)
from tests.consents.conftest import notice
from tests.web import factories as f

pytestmark = pytest.mark.django_db

Kind = DirectoryOptOut.Kind


def opt_out(
    student: object, kind: str = Kind.ALL, key: str | None = None, days_ago: int = 10
) -> DirectoryOptOut:
    return DirectoryOptOut.objects.create(
        student=student,
        kind=kind,
        category=DirectoryCategory.objects.get(key=key) if key else None,
        made_at=timezone.now() - dt.timedelta(days=days_ago),
        made_by=MadeBy.GUARDIAN,
        method=Method.PAPER,
        attestation="on file",
    )


def withdraw(row: DirectoryOptOut, days_ago: int = 1) -> None:
    DirectoryOptOutWithdrawal.objects.create(
        opt_out=row,
        withdrawn_at=timezone.now() - dt.timedelta(days=days_ago),
        made_by=MadeBy.GUARDIAN,
        method=Method.PAPER,
        attestation="on file",
    )


@pytest.fixture
def window_ended(family: SimpleNamespace) -> DirectoryNotice:
    return notice(f.days(-14))


def test_nothing_is_disclosed_before_any_notice(family: SimpleNamespace) -> None:
    assert may_disclose_directory(family.sam.pk, "name") == (False, Reason.NO_NOTICE)


def test_nothing_is_disclosed_while_the_opt_out_window_is_open(family: SimpleNamespace) -> None:
    notice(f.days(10))
    assert may_disclose_directory(family.sam.pk, "name") == (False, Reason.WINDOW_OPEN)


def test_the_last_day_to_opt_out_is_still_inside_the_window(family: SimpleNamespace) -> None:
    notice(f.today())
    assert may_disclose_directory(family.sam.pk, "name") == (False, Reason.WINDOW_OPEN)


def test_directory_information_is_disclosed_once_the_window_has_ended(
    family: SimpleNamespace, window_ended: DirectoryNotice
) -> None:
    assert may_disclose_directory(family.sam.pk, "name") == (True, Reason.ALLOWED)


def test_a_question_about_a_moment_before_the_notice_was_published_is_refused(
    family: SimpleNamespace, window_ended: DirectoryNotice
) -> None:
    before = window_ended.published_at - dt.timedelta(days=1)
    assert may_disclose_directory(family.sam.pk, "name", before) == (False, Reason.NO_NOTICE)


def test_last_years_notice_does_not_cover_a_current_student(family: SimpleNamespace) -> None:
    DirectoryNotice.objects.create(
        school_year=school_year_of(f.today()) - 1,
        published_at=timezone.now() - dt.timedelta(days=400),
        opt_out_ends_on=f.days(-380),
        text="old",
        text_sha256="0" * 64,
    )
    assert may_disclose_directory(family.sam.pk, "name") == (False, Reason.WINDOW_OPEN)


def test_a_category_opt_out_blocks_that_category_only(
    family: SimpleNamespace, window_ended: DirectoryNotice
) -> None:
    opt_out(family.sam, Kind.CATEGORY, "birth")
    assert may_disclose_directory(family.sam.pk, "birth") == (False, Reason.OPTED_OUT)
    assert may_disclose_directory(family.sam.pk, "name") == (True, Reason.ALLOWED)


def test_an_all_categories_opt_out_blocks_every_category(
    family: SimpleNamespace, window_ended: DirectoryNotice
) -> None:
    opt_out(family.sam, Kind.ALL)
    for key in ("name", "address", "telephone", "awards"):
        assert may_disclose_directory(family.sam.pk, key) == (False, Reason.OPTED_OUT_ALL)


def test_the_recruiter_opt_out_blocks_recruiters_only(
    family: SimpleNamespace, window_ended: DirectoryNotice
) -> None:
    opt_out(family.sam, Kind.RECRUITERS)
    assert may_disclose_directory(family.sam.pk, "name", to_recruiter=True) == (
        False,
        Reason.RECRUITER_OPT_OUT,
    )
    assert may_disclose_directory(family.sam.pk, "name") == (True, Reason.ALLOWED)


def test_a_category_opt_out_also_binds_recruiters(
    family: SimpleNamespace, window_ended: DirectoryNotice
) -> None:
    opt_out(family.sam, Kind.CATEGORY, "telephone")
    assert may_disclose_directory(family.sam.pk, "telephone", to_recruiter=True)[0] is False


def test_a_withdrawn_opt_out_no_longer_blocks_from_its_withdrawal_on(
    family: SimpleNamespace, window_ended: DirectoryNotice
) -> None:
    row = opt_out(family.sam, Kind.ALL, days_ago=10)
    withdraw(row, days_ago=2)
    assert may_disclose_directory(family.sam.pk, "name") == (True, Reason.ALLOWED)
    three_days_ago = timezone.now() - dt.timedelta(days=3)
    assert may_disclose_directory(family.sam.pk, "name", three_days_ago)[0] is False


def test_an_opt_out_blocks_only_from_when_it_was_made(
    family: SimpleNamespace, window_ended: DirectoryNotice
) -> None:
    opt_out(family.sam, Kind.ALL, days_ago=2)
    three_days_ago = timezone.now() - dt.timedelta(days=3)
    assert may_disclose_directory(family.sam.pk, "name", three_days_ago)[0] is True


def test_an_opt_out_made_while_enrolled_continues_after_the_student_leaves(
    family: SimpleNamespace,
) -> None:
    DirectoryNotice.objects.create(
        school_year=school_year_of(f.today()) - 1,
        published_at=timezone.now() - dt.timedelta(days=400),
        opt_out_ends_on=f.days(-380),
        text="old",
        text_sha256="0" * 64,
    )
    opt_out(family.fay, Kind.CATEGORY, "attendance_dates", days_ago=300)
    assert may_disclose_directory(family.fay.pk, "attendance_dates") == (
        False,
        Reason.OPTED_OUT,
    )


def test_a_former_student_needs_no_new_notice(family: SimpleNamespace) -> None:
    DirectoryNotice.objects.create(
        school_year=school_year_of(f.today()) - 1,
        published_at=timezone.now() - dt.timedelta(days=400),
        opt_out_ends_on=f.days(-380),
        text="old",
        text_sha256="0" * 64,
    )
    assert may_disclose_directory(family.fay.pk, "name") == (True, Reason.ALLOWED)
    assert may_disclose_directory(family.sam.pk, "name") == (False, Reason.WINDOW_OPEN)


@pytest.mark.parametrize("key", ["photo", "email", "student_id"])
def test_photo_email_and_student_id_are_never_disclosed_as_directory_information(
    family: SimpleNamespace, window_ended: DirectoryNotice, key: str
) -> None:
    assert may_disclose_directory(family.sam.pk, key) == (False, Reason.MA_FORBIDDEN)


def test_even_a_forced_designation_of_the_photo_is_ignored_under_the_ma_rule(
    family: SimpleNamespace, window_ended: DirectoryNotice
) -> None:
    DirectoryCategory.objects.filter(key="photo").update(designated=True)
    assert may_disclose_directory(family.sam.pk, "photo") == (False, Reason.MA_FORBIDDEN)


def test_a_category_the_district_does_not_designate_is_never_disclosed(
    family: SimpleNamespace, window_ended: DirectoryNotice
) -> None:
    DirectoryCategory.objects.filter(key="athlete_measures").update(designated=False)
    assert may_disclose_directory(family.sam.pk, "athlete_measures") == (
        False,
        Reason.NOT_DESIGNATED,
    )


def test_an_unknown_category_or_student_is_refused(
    family: SimpleNamespace, window_ended: DirectoryNotice
) -> None:
    assert may_disclose_directory(family.sam.pk, "shoe_size") == (
        False,
        Reason.UNKNOWN_CATEGORY,
    )
    assert may_disclose_directory(-1, "name") == (False, Reason.UNKNOWN_STUDENT)


def test_the_bulk_answer_takes_four_queries_whatever_the_number_of_students(
    family: SimpleNamespace,
    window_ended: DirectoryNotice,
    django_assert_num_queries: object,
) -> None:
    run = family.run
    pupils = [f.student(run, f"Kid{n}", "K") for n in range(30)]
    opt_out(pupils[3], Kind.CATEGORY, "name")
    opt_out(pupils[7], Kind.ALL)
    ids = [p.pk for p in pupils]
    with django_assert_num_queries(4):  # type: ignore[operator]
        answers = directory_disclosable(ids, "name")
    assert {pk for pk, (ok, _) in answers.items() if not ok} == {ids[3], ids[7]}
    assert answers == {pk: may_disclose_directory(pk, "name") for pk in ids}


def test_the_school_year_begins_on_july_first() -> None:
    assert school_year_of(dt.date(2026, 6, 30)) == 2026
    assert school_year_of(dt.date(2026, 7, 1)) == 2027
