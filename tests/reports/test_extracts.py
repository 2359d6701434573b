"""Research extracts (R79, R91): only for an active study agreement, only the columns it
lists, random surrogate ids kept in a district-held key, k-anonymity and ℓ-diversity on the
file itself, and the delivery recorded as a disclosure."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from steward.accounts.models import Account
from steward.audit.models import Action, Entry, SubjectSet
from steward.reports.actions import extracts as actions
from steward.reports.extracts import SURROGATE_HEADER, ExtractSpec
from steward.reports.models import ExtractKey, ExtractStatus, ResearchExtract
from steward.vendors.actions import agreements
from steward.vendors.models import AgreementKind
from tests.web import factories as f

from .factories import AS_OF, district, study_agreement

pytestmark = pytest.mark.django_db

QIS = ("age", "sex", "school", "race")


@pytest.fixture
def world() -> SimpleNamespace:
    w = district(seed=11, students=240)
    w.officer = f.login("officer", Account.Role.PRIVACY_OFFICER)
    w.study = study_agreement(w.officer)
    return w


def spec(**over: object) -> ExtractSpec:
    values: dict[str, object] = {
        "as_of": AS_OF,
        "quasi_identifiers": QIS,
        "attributes": ("english_learner", "days_absent", "ela_level"),
        "sensitive": ("english_learner",),
        "k": 10,
        "l_div": 2,
        "max_suppressed_percent": 5,
    }
    return ExtractSpec(**(values | over))  # type: ignore[arg-type]


def rows_of(extract: ResearchExtract) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(bytes(extract.content).decode())))


def test_the_file_is_k_anonymous_and_l_diverse_with_no_direct_identifier(
    world: SimpleNamespace,
) -> None:
    extract = actions.prepare_extract(world.study, "Fluency 2026", spec(), user=world.officer)
    rows = rows_of(extract)
    assert list(rows[0]) == [SURROGATE_HEADER, *QIS, "english_learner", "days_absent", "ela_level"]
    classes: dict[tuple[str, ...], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        classes[tuple(row[q] for q in QIS)].append(row)
    for members in classes.values():
        assert len(members) >= 10
        assert len({m["english_learner"] for m in members}) >= 2
    result = extract.result
    assert result["population"] == 240
    assert result["rows"] == len(rows) == 240 - result["suppressed"]
    assert result["suppressed"] <= 240 * 5 // 100
    assert result["smallest_class"] >= 10
    text = bytes(extract.content).decode()
    for pupil in world.pupils[:20]:
        assert f"Kid{world.pupils.index(pupil)}" not in text
        assert pupil.born.isoformat() not in text


def test_surrogate_ids_are_random_keyed_by_the_district_and_never_the_student_id(
    world: SimpleNamespace,
) -> None:
    first = actions.prepare_extract(world.study, "One", spec(), user=world.officer)
    second = actions.prepare_extract(world.study, "Two", spec(), user=world.officer)
    keys = dict(ExtractKey.objects.filter(extract=first).values_list("surrogate", "student_id"))
    again = dict(ExtractKey.objects.filter(extract=second).values_list("student_id", "surrogate"))
    assert set(keys) == {row[SURROGATE_HEADER] for row in rows_of(first)}
    assert len(keys) == first.result["rows"]
    student_ids = {str(s) for s in keys.values()}
    assert not student_ids & set(keys)
    # The same student gets an unrelated id in another extract (R91: not derived from them).
    assert not {keys_id for keys_id in keys} & set(again.values())
    for surrogate in keys:
        assert len(surrogate) == 16 and int(surrogate, 16) >= 0


def test_the_rows_released_match_the_students_generalized_values(
    world: SimpleNamespace,
) -> None:
    extract = actions.prepare_extract(
        world.study,
        "Absences",
        spec(quasi_identifiers=("grade",), attributes=("days_absent",), sensitive=(), l_div=1),
        user=world.officer,
    )
    keys = dict(ExtractKey.objects.filter(extract=extract).values_list("surrogate", "student_id"))
    pupils = {p.id: p for p in world.pupils}
    levels = extract.result["levels"]
    for row in rows_of(extract):
        pupil = pupils[keys[row[SURROGATE_HEADER]]]
        assert row["days_absent"] == str(pupil.absences)
        if levels["grade"] == 0:
            assert row["grade"] == pupil.grade


def test_columns_the_agreement_does_not_list_are_refused(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError, match="Conduct or behavioral data"):
        actions.prepare_extract(
            world.study,
            "Discipline",
            spec(attributes=("incidents",), sensitive=()),
            user=world.officer,
        )
    assert not ResearchExtract.objects.exists()


def test_only_an_active_study_agreement_may_receive_an_extract(world: SimpleNamespace) -> None:
    dpa = study_agreement(world.officer, kind=AgreementKind.SCHOOL_OFFICIAL_DPA, title="A DPA")
    with pytest.raises(ValidationError, match="only for study agreements"):
        actions.prepare_extract(dpa, "No", spec(), user=world.officer)
    agreements.terminate_agreement(
        world.study, reason="Study cancelled.", by=world.officer, authorized_by="Dana Director"
    )
    world.study.refresh_from_db()
    with pytest.raises(ValidationError, match="only an active agreement"):
        actions.prepare_extract(world.study, "No", spec(), user=world.officer)
    assert not ResearchExtract.objects.exists()


def test_a_study_too_small_for_k_is_refused(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError, match="No generalization"):
        actions.prepare_extract(world.study, "Too diverse", spec(k=300), user=world.officer)


def test_delivery_is_recorded_as_a_disclosure_of_the_students_in_the_file(
    world: SimpleNamespace,
) -> None:
    extract = actions.prepare_extract(world.study, "Fluency", spec(), user=world.officer)
    prepared = Entry.objects.order_by("-seq").first()
    assert prepared is not None and prepared.action == Action.CREATE
    assert prepared.subject_count == 0  # nothing left the district yet
    extract = actions.deliver_extract(extract, user=world.officer)
    assert extract.status == ExtractStatus.DELIVERED
    assert extract.delivery_entry is not None
    entry = Entry.objects.get(seq=extract.delivery_entry)
    assert entry.action == Action.RELEASE
    assert entry.basis == "A6"
    assert entry.agreement_id == str(world.study.pk)
    students = set(ExtractKey.objects.filter(extract=extract).values_list("student_id", flat=True))
    assert entry.subject_count == len(students) == extract.result["rows"]
    assert entry.subject_set_id is not None
    members = SubjectSet.objects.get(pk=entry.subject_set_id).members
    assert {int(s) for s in members.split(",")} == students
    assert set(entry.scopes.split(",")) == {
        "assessments",
        "attendance",
        "demographics",
        "enrollment_schedule",
        "special_indicators",
    }
    assert '"recipient"' in entry.release and "State University" in entry.release
    with pytest.raises(ValidationError, match="Only a prepared extract"):
        actions.deliver_extract(extract, user=world.officer)


def test_a_failed_delivery_changes_nothing(world: SimpleNamespace) -> None:
    extract = actions.prepare_extract(world.study, "Fluency", spec(), user=world.officer)
    agreements.terminate_agreement(
        world.study, reason="Study cancelled.", by=world.officer, authorized_by="Dana Director"
    )
    before = Entry.objects.count()
    with pytest.raises(ValidationError):
        actions.deliver_extract(extract, user=world.officer)
    extract.refresh_from_db()
    assert extract.status == ExtractStatus.DRAFT
    assert Entry.objects.count() == before


def test_discarding_a_draft_drops_its_file_and_key(world: SimpleNamespace) -> None:
    extract = actions.prepare_extract(world.study, "Fluency", spec(), user=world.officer)
    extract = actions.discard_extract(extract, user=world.officer)
    assert extract.status == ExtractStatus.DISCARDED
    assert bytes(extract.content) == b""
    assert not ExtractKey.objects.filter(extract=extract).exists()
    counts = Counter(Entry.objects.values_list("action", flat=True))
    assert counts[Action.RELEASE] == 0
