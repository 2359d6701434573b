"""Properties of the rights-holder rules over generated students, days and guardian links."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from steward.rights.holders import GuardianLink, Holders, age_on, rights_holders

STUDENT = 9_999

links = st.lists(
    st.builds(
        GuardianLink,
        guardian_id=st.integers(1, 6),
        kind=st.sampled_from(["parent", "guardian", "relative"]),
        custodial=st.booleans(),
        access_restricted=st.booleans(),
        active=st.booleans(),
    ),
    max_size=5,
)
grades = st.sampled_from(["PK", "KG", "01", "05", "08", "09", "10", "12", "13", "PS", "UG", ""])
births = st.dates(dt.date(1995, 1, 1), dt.date(2025, 12, 31))
days = st.dates(dt.date(2000, 1, 1), dt.date(2045, 12, 31))


def compute(
    birth: dt.date, grade: str, found: list[GuardianLink], at: dt.date, ma: bool
) -> Holders:
    return rights_holders(STUDENT, birth, grade, found, at, ma_extension=ma)


def acting_parents(found: list[GuardianLink]) -> list[tuple[str, int]]:
    """Reference rule (R11, R17): usable parents and guardians, else custodial relatives."""
    usable = [x for x in found if x.active and not x.access_restricted]
    chosen = {x.guardian_id for x in usable if x.kind in ("parent", "guardian")}
    if not chosen:
        chosen = {x.guardian_id for x in usable if x.kind == "relative" and x.custodial}
    return [("guardian", i) for i in sorted(chosen)]


def eighteenth_birthday(birth: dt.date) -> dt.date:
    try:
        return birth.replace(year=birth.year + 18)
    except ValueError:  # 29 February in a common year
        return dt.date(birth.year + 18, 3, 1)


@given(births, grades, links, days, st.booleans())
def test_consent_is_the_guardians_before_the_18th_birthday_and_the_student_alone_from_it(
    birth: dt.date, grade: str, found: list[GuardianLink], at: dt.date, ma: bool
) -> None:
    h = compute(birth, grade, found, at, ma)
    if at < eighteenth_birthday(birth):
        assert [(x.kind, x.id) for x in h.consent] == acting_parents(found)
    else:
        assert [(x.kind, x.id) for x in h.consent] == [("student", STUDENT)]


@given(births, grades, links, days, st.booleans())
def test_inspection_always_includes_every_guardian_who_may_consent_for_a_minor(
    birth: dt.date, grade: str, found: list[GuardianLink], at: dt.date, ma: bool
) -> None:
    h = compute(birth, grade, found, at, ma)
    if not h.ferpa_eligible:
        assert set(h.consent) <= set(h.inspect)
        assert h.amend == h.inspect


@given(births, grades, links, days, st.booleans())
def test_no_restricted_or_inactive_guardian_ever_holds_a_right(
    birth: dt.date, grade: str, found: list[GuardianLink], at: dt.date, ma: bool
) -> None:
    h = compute(birth, grade, found, at, ma)
    usable = {x.guardian_id for x in found if x.active and not x.access_restricted}
    for held in (h.inspect, h.consent, h.amend):
        assert {x.id for x in held if x.kind == "guardian"} <= usable


@given(births, grades, links, days)
def test_switching_the_ma_extension_off_never_adds_a_holder(
    birth: dt.date, grade: str, found: list[GuardianLink], at: dt.date
) -> None:
    on = compute(birth, grade, found, at, True)
    off = compute(birth, grade, found, at, False)
    assert set(off.inspect) <= set(on.inspect)
    assert off.consent == on.consent


@given(births, days)
def test_age_grows_by_one_on_each_birthday_and_never_goes_backwards(
    birth: dt.date, at: dt.date
) -> None:
    later = at + dt.timedelta(days=1)
    assert age_on(birth, later) - age_on(birth, at) in (0, 1)
