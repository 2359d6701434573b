"""Properties of may_disclose_directory: an opt-out in force that covers the category always
blocks disclosure, whatever else holds; and the answer agrees with a plain oracle (R85–R89)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.consents.directory import DEFAULT_CATEGORIES
from steward.consents.models import (
    DirectoryCategory,
    DirectoryNotice,
    DirectoryOptOut,
    DirectoryOptOutWithdrawal,
    MadeBy,
    Method,
)
from steward.consents.rules import directory_disclosable, may_disclose_directory, school_year_of

KEYS = [c.key for c in DEFAULT_CATEGORIES]
Kind = DirectoryOptOut.Kind

# An opt-out: its kind, its category, days ago it was made, days ago it was withdrawn (or None).
opt_outs = st.lists(
    st.tuples(
        st.sampled_from([Kind.CATEGORY, Kind.ALL, Kind.RECRUITERS]),
        st.sampled_from(KEYS),
        st.integers(-5, 400),
        st.one_of(st.none(), st.integers(-5, 400)),
    ),
    max_size=5,
)
notices = st.lists(st.tuples(st.integers(-1, 0), st.integers(-400, 30)), max_size=3)


def _signed() -> dict[str, object]:
    return {"made_by": MadeBy.GUARDIAN, "method": Method.PAPER, "attestation": "on file"}


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    rows=opt_outs,
    notice_rows=notices,
    key=st.sampled_from(KEYS),
    former=st.booleans(),
    to_recruiter=st.booleans(),
    designated=st.booleans(),
)
def test_any_opt_out_in_force_covering_the_category_makes_it_false(
    family: SimpleNamespace,
    rows: list[tuple[str, str, int, int | None]],
    notice_rows: list[tuple[int, int]],
    key: str,
    former: bool,
    to_recruiter: bool,
    designated: bool,
) -> None:
    now = timezone.now()
    today = timezone.localdate(now)
    pupil = family.fay if former else family.sam
    with transaction.atomic():
        DirectoryCategory.objects.filter(key=key).update(designated=designated)
        for year_offset, ends in notice_rows:
            DirectoryNotice.objects.create(
                school_year=school_year_of(today) + year_offset,
                published_at=now - dt.timedelta(days=420),
                opt_out_ends_on=today + dt.timedelta(days=ends),
                text="notice",
                text_sha256="0" * 64,
            )
        covered = False
        for kind, category_key, made, withdrawn in rows:
            row = DirectoryOptOut.objects.create(
                student=pupil,
                kind=kind,
                category=(
                    DirectoryCategory.objects.get(key=category_key)
                    if kind == Kind.CATEGORY
                    else None
                ),
                made_at=now - dt.timedelta(days=made),
                **_signed(),
            )
            if withdrawn is not None:
                DirectoryOptOutWithdrawal.objects.create(
                    opt_out=row, withdrawn_at=now - dt.timedelta(days=withdrawn), **_signed()
                )
            in_force = made >= 0 and (withdrawn is None or withdrawn < 0)
            applies = (
                kind == Kind.ALL
                or (kind == Kind.CATEGORY and category_key == key)
                or (kind == Kind.RECRUITERS and to_recruiter)
            )
            covered = covered or (in_force and applies)
        allowed, reason = may_disclose_directory(pupil.pk, key, now, to_recruiter=to_recruiter)
        if covered:
            assert not allowed
        # The whole rule, as an oracle: the latest notice of this school year for a current
        # student, any ended window for a former one (R86).
        this_year = [ends for year_offset, ends in notice_rows if year_offset == 0]
        noticed = (
            any(ends < 0 for _, ends in notice_rows)
            if former
            else bool(this_year) and this_year[-1] < 0
        )
        effective = designated and key not in {"photo", "email", "student_id"}
        assert allowed == (effective and noticed and not covered), reason
        bulk = directory_disclosable(
            [family.sam.pk, family.fay.pk], key, now, to_recruiter=to_recruiter
        )
        assert bulk[pupil.pk] == (allowed, reason)
        transaction.set_rollback(True)
