"""Rights holders on a given day: the pure rules of `steward.rights.holders` (R9–R15, R17)."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.rights.holders import (
    GuardianLink,
    Holder,
    Holders,
    age_on,
    grade_number,
    reached_grade_9,
    rights_holders,
)

STUDENT = 500
MUM = GuardianLink(guardian_id=1, kind="parent")
DAD = GuardianLink(guardian_id=2, kind="parent")
BIRTH = dt.date(2010, 6, 15)


def on(years: int, days: int = 0) -> dt.date:
    """The day `days` after the student's birthday number `years`."""
    return BIRTH.replace(year=BIRTH.year + years) + dt.timedelta(days=days)


def holders(
    at: dt.date,
    links: tuple[GuardianLink, ...] = (MUM, DAD),
    *,
    grade: str = "05",
    birth: dt.date | None = BIRTH,
    ma_extension: bool = True,
) -> Holders:
    return rights_holders(STUDENT, birth, grade, links, at, ma_extension=ma_extension)


def ids(held: tuple[Holder, ...]) -> list[tuple[str, int]]:
    return [(h.kind, h.id) for h in held]


PARENTS = [("guardian", 1), ("guardian", 2)]
WITH_STUDENT = [*PARENTS, ("student", STUDENT)]


def test_a_13_year_old_below_grade_9_has_rights_held_by_the_parents_alone() -> None:
    h = holders(on(14, -1), grade="08")
    assert h.age == 13
    assert not h.ma_eligible and not h.ferpa_eligible
    assert ids(h.inspect) == ids(h.consent) == ids(h.amend) == PARENTS
    assert [x.reason for x in h.inspect] == ["parent", "parent"]


def test_a_student_turning_14_today_inspects_and_amends_alongside_the_parents() -> None:
    h = holders(on(14), grade="08")
    assert h.age == 14 and h.ma_eligible and not h.ferpa_eligible
    assert ids(h.inspect) == ids(h.amend) == WITH_STUDENT
    assert h.inspect[-1] == Holder("student", STUDENT, "ma_age_14")


def test_a_14_year_old_cannot_consent_to_disclosure_only_the_parents_can() -> None:
    assert ids(holders(on(14)).consent) == PARENTS


def test_a_13_year_old_in_grade_9_is_ma_eligible_by_grade() -> None:
    h = holders(on(13, 100), grade="09")
    assert h.age == 13 and h.ma_eligible
    assert h.inspect[-1] == Holder("student", STUDENT, "ma_grade_9")
    assert ids(h.consent) == PARENTS


def test_a_17_year_old_on_the_day_before_the_18th_birthday_still_needs_the_parents_to_consent() -> (
    None
):
    h = holders(on(18, -1), grade="12")
    assert h.age == 17 and h.ma_eligible and not h.ferpa_eligible
    assert ids(h.consent) == PARENTS
    assert ids(h.inspect) == WITH_STUDENT
    assert h.inspect[-1].reason == "ma_age_14"


def test_on_the_18th_birthday_the_student_alone_consents_and_the_parents_keep_inspection() -> None:
    h = holders(on(18), grade="12")
    assert h.age == 18 and h.ferpa_eligible
    assert h.consent == (Holder("student", STUDENT, "eligible_18"),)
    assert ids(h.inspect) == ids(h.amend) == WITH_STUDENT
    assert h.inspect[-1].reason == "eligible_18"


def test_without_a_birth_date_the_age_is_unknown_and_only_the_grade_counts() -> None:
    young = holders(dt.date(2026, 1, 1), birth=None, grade="07")
    assert young.age is None and not young.ma_eligible and not young.ferpa_eligible
    assert ids(young.inspect) == PARENTS
    older = holders(dt.date(2026, 1, 1), birth=None, grade="11")
    assert older.ma_eligible and not older.ferpa_eligible
    assert older.inspect[-1].reason == "ma_grade_9"
    assert ids(older.consent) == PARENTS


@pytest.mark.parametrize(
    ("at", "age"),
    [
        (dt.date(2027, 2, 28), 18),  # common year: not yet
        (dt.date(2027, 3, 1), 19),  # common year: the day after 28 February
        (dt.date(2028, 2, 28), 19),
        (dt.date(2028, 2, 29), 20),  # leap year: on the day
    ],
)
def test_a_29_february_birthday_counts_on_1_march_in_a_common_year(at: dt.date, age: int) -> None:
    assert age_on(dt.date(2008, 2, 29), at) == age


def test_someone_born_on_29_february_is_18_on_1_march_of_a_common_year() -> None:
    birth = dt.date(2008, 2, 29)
    assert not holders(dt.date(2026, 2, 28), birth=birth).ferpa_eligible
    assert holders(dt.date(2026, 3, 1), birth=birth).ferpa_eligible


def test_a_birth_date_after_the_day_gives_age_0() -> None:
    assert age_on(dt.date(2030, 1, 1), dt.date(2026, 1, 1)) == 0


def test_a_restricted_non_custodial_parent_holds_no_right() -> None:
    barred = GuardianLink(guardian_id=2, kind="parent", custodial=False, access_restricted=True)
    for at in (on(10), on(15), on(18)):
        h = holders(at, (MUM, barred))
        for right in ("inspect", "consent", "amend"):
            assert not h.guardian_holds(2, right)
            assert h.guardian_holds(1, right) is (right != "consent" or not h.ferpa_eligible)


def test_an_unrestricted_non_custodial_parent_keeps_every_right() -> None:
    other = GuardianLink(guardian_id=2, kind="parent", custodial=False)
    assert ids(holders(on(10), (MUM, other)).consent) == PARENTS


def test_an_inactive_link_gives_no_right() -> None:
    ended = GuardianLink(guardian_id=2, kind="guardian", active=False)
    h = holders(on(10), (MUM, ended))
    assert ids(h.inspect) == ids(h.consent) == ids(h.amend) == [("guardian", 1)]


def test_a_custodial_relative_acts_as_parent_when_no_parent_or_guardian_is_on_record() -> None:
    aunt = GuardianLink(guardian_id=7, kind="relative", custodial=True)
    h = holders(on(10), (aunt,))
    assert h.consent == (Holder("guardian", 7, "relative"),)
    assert ids(h.inspect) == [("guardian", 7)]


def test_a_custodial_relative_acts_when_the_only_parent_is_barred_by_a_court_order() -> None:
    aunt = GuardianLink(guardian_id=7, kind="relative")
    barred = GuardianLink(guardian_id=2, kind="parent", access_restricted=True)
    assert ids(holders(on(10), (barred, aunt)).consent) == [("guardian", 7)]


def test_a_relative_holds_no_right_when_a_parent_is_present() -> None:
    aunt = GuardianLink(guardian_id=7, kind="relative", custodial=True)
    h = holders(on(10), (MUM, aunt))
    assert ids(h.inspect) == ids(h.consent) == [("guardian", 1)]


def test_a_non_custodial_relative_never_acts_as_parent() -> None:
    uncle = GuardianLink(guardian_id=8, kind="relative", custodial=False)
    h = holders(on(10), (uncle,))
    assert h.inspect == h.consent == h.amend == ()


def test_a_legal_guardian_holds_rights_with_reason_guardian() -> None:
    h = holders(on(10), (GuardianLink(guardian_id=3, kind="guardian"),))
    assert h.consent == (Holder("guardian", 3, "guardian"),)


def test_with_the_ma_extension_off_a_15_year_old_in_grade_10_holds_no_right() -> None:
    h = holders(on(15), grade="10", ma_extension=False)
    assert not h.ma_eligible
    assert ids(h.inspect) == ids(h.amend) == PARENTS


def test_with_the_ma_extension_off_the_student_still_holds_every_right_at_18() -> None:
    h = holders(on(18), grade="12", ma_extension=False)
    assert h.ferpa_eligible
    assert ids(h.inspect) == WITH_STUDENT
    assert ids(h.consent) == [("student", STUDENT)]


def test_a_link_listed_twice_gives_one_holder() -> None:
    assert ids(holders(on(10), (MUM, MUM)).consent) == [("guardian", 1)]


@pytest.mark.parametrize(
    ("grade", "number", "ninth"),
    [
        ("KG", 0, False),
        ("PK", 0, False),
        ("01", 1, False),
        ("08", 8, False),
        ("09", 9, True),
        ("12", 12, True),
        ("13", 13, True),
        ("PS", 13, True),
        ("UG", None, False),
        ("Other", None, False),
        ("", None, False),
    ],
)
def test_oneroster_grades_are_read_as_numbers(grade: str, number: int | None, ninth: bool) -> None:
    assert grade_number(grade) == number
    assert reached_grade_9(grade) is ninth


def test_a_postsecondary_grade_does_not_make_a_minor_ferpa_eligible() -> None:
    h = holders(on(16), grade="PS")
    assert h.ma_eligible and not h.ferpa_eligible
    assert ids(h.consent) == PARENTS


def test_asking_for_an_unknown_right_is_an_error() -> None:
    with pytest.raises(ValueError):
        holders(on(10)).of("vote")  # type: ignore[arg-type]
