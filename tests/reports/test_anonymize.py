"""k-anonymity and ℓ-diversity of research extracts (R91, R96): unit cases and the property
test that every released equivalence class has at least k rows and ℓ distinct values."""

from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.reports.anonymize import ANY, Hierarchy, Infeasible, anonymize


def _band(width: int):  # type: ignore[no-untyped-def]
    return lambda v: str(int(v) // width * width)


AGE = Hierarchy("age", (str, _band(2), _band(4)))
SEX = Hierarchy("sex", (str,))
SCHOOL = Hierarchy("school", (str, lambda v: v[0]))


def classes(
    released: list[dict[str, str]], qis: list[str]
) -> dict[tuple[str, ...], list[dict[str, str]]]:
    out: dict[tuple[str, ...], list[dict[str, str]]] = defaultdict(list)
    for row in released:
        out[tuple(row[q] for q in qis)].append(row)
    return out


def released_rows(rows, outcome, sensitive):  # type: ignore[no-untyped-def]
    return [
        {**general, **{s: rows[i][s] for s in sensitive}}
        for i, general in zip(outcome.kept, outcome.rows, strict=True)
    ]


def test_rows_already_k_anonymous_are_released_as_held() -> None:
    rows = [{"age": "10", "sex": "f"}] * 5 + [{"age": "11", "sex": "m"}] * 5
    outcome = anonymize(rows, [AGE, SEX], [], k=5)
    assert outcome.levels == {"age": 0, "sex": 0}
    assert outcome.suppressed == 0
    assert outcome.rows[0] == {"age": "10", "sex": "f"}


def test_of_two_equally_high_generalizations_it_takes_the_one_that_loses_least() -> None:
    rows = [{"age": str(10 + i % 4), "sex": "f" if i < 8 else "m"} for i in range(16)]
    # Withholding sex, or ages in two-year bands, both make classes of 4; the band loses a
    # third of the age hierarchy, withholding loses all of sex.
    outcome = anonymize(rows, [AGE, SEX], [], k=4)
    assert outcome.levels == {"age": 1, "sex": 0}
    assert {row["age"] for row in outcome.rows} == {"10", "12"}
    assert outcome.smallest_class == 4
    assert outcome.classes == 4


def test_it_withholds_an_attribute_when_that_is_the_least_generalization() -> None:
    rows = [{"age": str(10 + i % 2), "sex": "fmx"[i % 3]} for i in range(12)]
    outcome = anonymize(rows, [AGE, SEX], [], k=6)
    assert outcome.levels == {"age": 0, "sex": 1}
    assert {row["sex"] for row in outcome.rows} == {ANY}


def test_it_suppresses_a_few_outliers_rather_than_generalize_everyone() -> None:
    rows = [{"age": "10", "sex": "f"}] * 12 + [{"age": "17", "sex": "m"}]
    outcome = anonymize(rows, [AGE, SEX], [], k=5, max_suppressed=1)
    assert outcome.levels == {"age": 0, "sex": 0}
    assert outcome.suppressed == 1
    assert 12 not in outcome.kept


def test_without_room_to_suppress_it_generalizes_instead() -> None:
    rows = [{"age": "10", "sex": "f"}] * 12 + [{"age": "17", "sex": "m"}]
    outcome = anonymize(rows, [AGE, SEX], [], k=5, max_suppressed=0)
    assert outcome.suppressed == 0
    assert outcome.levels == {"age": 3, "sex": 1}


def test_l_diversity_merges_classes_whose_sensitive_value_is_the_same_for_all() -> None:
    rows = [{"school": "A1", "iep": "yes"}] * 5 + [{"school": "A2", "iep": "no"}] * 5
    outcome = anonymize(rows, [SCHOOL], ["iep"], k=5, l_div=2)
    assert outcome.levels == {"school": 1}  # "A": both values in one class
    assert outcome.least_diverse == {"iep": 2}


def test_a_population_smaller_than_k_is_infeasible() -> None:
    with pytest.raises(Infeasible):
        anonymize([{"age": "10", "sex": "f"}] * 4, [AGE, SEX], [], k=5)


def test_a_column_cannot_be_both_a_quasi_identifier_and_sensitive() -> None:
    with pytest.raises(ValueError, match="both"):
        anonymize([{"age": "1", "sex": "f"}], [AGE], ["age"], k=1)


_values = st.fixed_dictionaries(
    {
        "age": st.integers(5, 18).map(str),
        "sex": st.sampled_from(["f", "m", "x"]),
        "school": st.sampled_from(["A1", "A2", "B1", "B2", "C1"]),
        "ela": st.sampled_from(["1", "2", "3", "4"]),
        "iep": st.sampled_from(["yes", "no"]),
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(_values, min_size=1, max_size=120),
    k=st.integers(2, 12),
    l_div=st.integers(1, 3),
    room=st.integers(0, 20),
)
def test_every_released_class_has_k_rows_and_l_distinct_sensitive_values(
    rows: list[dict[str, str]], k: int, l_div: int, room: int
) -> None:
    qis = [AGE, SEX, SCHOOL]
    sensitive = ["ela", "iep"]
    try:
        outcome = anonymize(rows, qis, sensitive, k=k, l_div=l_div, max_suppressed=room)
    except Infeasible:
        # Only when even one class of everyone fails.
        distinct = min(len({r[s] for r in rows}) for s in sensitive)
        assert len(rows) < k or distinct < l_div
        return
    released = released_rows(rows, outcome, sensitive)
    assert len(released) + outcome.suppressed == len(rows)
    assert outcome.suppressed <= room
    for members in classes(released, ["age", "sex", "school"]).values():
        assert len(members) >= k
        for name in sensitive:
            assert len({m[name] for m in members}) >= l_div
    # The released generalization is exactly the level reported for each quasi-identifier.
    for i, general in zip(outcome.kept, outcome.rows, strict=True):
        for h in qis:
            assert general[h.name] == h.label(rows[i][h.name], outcome.levels[h.name])
