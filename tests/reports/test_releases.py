"""Series and releases (R90, R97): history in every audit, approval only of a passed audit
with a written determination, the published CSV with its method note, ledger entries, and
multi-step actions that leave nothing behind when they fail."""

from __future__ import annotations

import csv
import hashlib
import io
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from steward.audit.models import Action, Entry
from steward.reports import build
from steward.reports.actions import releases as actions
from steward.reports.models import Release, ReleaseStatus, Series
from steward.reports.sdc.published import SUPPRESSED
from steward.reports.sdc.rules import Rules
from steward.reports.spec import Family, Geography, Grades, Measure, ReportSpec
from steward.roster.models import StudentDemographics

from .factories import AS_OF
from .test_pages import DETERMINATION

pytestmark = pytest.mark.django_db


def spec(**over: object) -> ReportSpec:
    values: dict[str, object] = {
        "measure": Measure.ENROLLMENT,
        "geography": Geography.SCHOOL,
        "grades": Grades.BAND,
        "family": Family.RACE,
        "as_of": AS_OF,
    }
    return ReportSpec(**(values | over))  # type: ignore[arg-type]


def first_release(w: SimpleNamespace, title: str = "Enrollment by race") -> Release:
    return actions.prepare_from_builder(spec(), Rules(), new_title=title, user=w.officer)


def test_preparing_a_release_keeps_the_protected_table_audit_and_parameters(
    world: SimpleNamespace,
) -> None:
    release = first_release(world)
    assert release.status == ReleaseStatus.DRAFT
    assert release.audit_ok and release.audit["ok"]
    assert release.rules == Rules().to_dict()
    assert release.spec["as_of"] == AS_OF.isoformat()
    assert release.suppressed_primary > 0
    assert release.considered == []
    stored = release.tables["tables"][0]
    assert stored["labels"]["subgroup"]["race:white"] == "White"
    entry = Entry.objects.order_by("-seq").first()
    assert entry is not None and entry.action == Action.CREATE
    assert entry.subject_count == 0  # aggregate: no student is named
    assert set(entry.scopes.split(",")) == {"demographics", "enrollment_schedule"}


def test_approval_records_the_determination_and_publishes_the_csv_with_its_note(
    world: SimpleNamespace,
) -> None:
    release = actions.approve_release(first_release(world), DETERMINATION, user=world.officer)
    assert release.status == ReleaseStatus.APPROVED
    assert release.approved_by == world.officer
    assert release.determination == DETERMINATION
    text = release.published_csv
    assert release.published_sha256 == hashlib.sha256(text.encode()).hexdigest()
    notes = [line for line in text.splitlines() if line.startswith("# ")]
    assert notes[0] == "# " + release.title
    assert any("Counts of fewer than 10 students are withheld" in line for line in notes)
    body = [line for line in text.splitlines() if not line.startswith("#")]
    rows = list(csv.reader(io.StringIO("\n".join(body))))
    published = release.tables["tables"][0]["published"]
    assert [row[-1] for row in rows[1:]].count(SUPPRESSED) == len(published["suppressed"])
    entry = Entry.objects.order_by("-seq").first()
    assert entry is not None and entry.action == Action.CHANGE
    assert entry.purpose == actions.APPROVE_PURPOSE
    assert f'"csv_sha256":"{release.published_sha256}"' in entry.detail
    with pytest.raises(ValidationError, match="Only a draft"):
        actions.approve_release(release, DETERMINATION, user=world.officer)


def test_a_release_whose_audit_failed_cannot_be_approved(world: SimpleNamespace) -> None:
    release = first_release(world)
    Release.objects.filter(pk=release.pk).update(audit_ok=False)
    before = Entry.objects.count()
    with pytest.raises(ValidationError, match="did not pass"):
        actions.approve_release(release, DETERMINATION, user=world.officer)
    release.refresh_from_db()
    assert release.status == ReleaseStatus.DRAFT and not release.published_csv
    assert Entry.objects.count() == before


def test_a_determination_must_say_why(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError, match="Write the determination"):
        actions.approve_release(first_release(world), "Looks fine.", user=world.officer)


def test_every_later_release_is_audited_with_the_earlier_ones_of_its_series(
    world: SimpleNamespace,
) -> None:
    first = actions.approve_release(first_release(world), DETERMINATION, user=world.officer)
    # The same day again (a corrected re-release): its cells are the same numbers, and the
    # audit must see the first release's cells beside its own (R97).
    second = actions.prepare_release(first.series, AS_OF, user=world.officer)
    assert second.considered == [first.pk]
    assert second.number == 2
    assert any(cell["history"] for cell in second.audit["cells"])
    assert second.audit_ok
    history = build.history_of([first.tables])
    assert history[0].table.measure == build.measure_key(spec())


def test_a_draft_audited_before_another_release_was_approved_must_be_prepared_again(
    world: SimpleNamespace,
) -> None:
    first = first_release(world)
    stale = actions.prepare_release(first.series, AS_OF.replace(day=9), user=world.officer)
    actions.approve_release(first, DETERMINATION, user=world.officer)
    with pytest.raises(ValidationError, match="prepare it again"):
        actions.approve_release(stale, DETERMINATION, user=world.officer)


def test_a_series_keeps_its_shape_and_rules(world: SimpleNamespace) -> None:
    series = first_release(world).series
    with pytest.raises(ValidationError, match="publishes a different table"):
        actions.prepare_from_builder(
            spec(family=Family.SEX), Rules(), series=series, user=world.officer
        )
    with pytest.raises(ValidationError, match="other suppression rules"):
        actions.prepare_from_builder(spec(), Rules(threshold=11), series=series, user=world.officer)
    same = actions.prepare_from_builder(
        spec(as_of=AS_OF.replace(day=5)), Rules(), series=series, user=world.officer
    )
    assert same.series == series and same.number == 2


def test_a_new_series_is_not_kept_when_its_first_release_cannot_be_prepared(
    world: SimpleNamespace,
) -> None:
    before = Entry.objects.count()
    nothing = spec(geography=Geography.DISTRICT, grades=Grades.ALL, family=Family.NONE)
    with pytest.raises(ValidationError, match="Break the table down"):
        actions.prepare_from_builder(nothing, Rules(), new_title="Nothing", user=world.officer)
    assert not Series.objects.exists()
    assert Entry.objects.count() == before


def test_series_titles_are_unique(world: SimpleNamespace) -> None:
    first_release(world, "Yearly enrollment")
    with pytest.raises(ValidationError, match="exists already"):
        actions.create_series("yearly ENROLLMENT", spec(), Rules(), user=world.officer)


def test_a_discarded_draft_stays_in_the_history_but_can_no_longer_be_approved(
    world: SimpleNamespace,
) -> None:
    release = actions.discard_release(first_release(world), user=world.officer)
    assert release.status == ReleaseStatus.DISCARDED and release.discarded_at is not None
    with pytest.raises(ValidationError, match="Only a draft"):
        actions.approve_release(release, DETERMINATION, user=world.officer)
    with pytest.raises(ValidationError, match="Only a draft"):
        actions.discard_release(release, user=world.officer)


def test_a_re_release_of_the_same_date_after_the_records_changed_is_refused(
    world: SimpleNamespace,
) -> None:
    first = actions.approve_release(first_release(world), DETERMINATION, user=world.officer)
    # A student's race is corrected after the first release was published.
    pupil = next(p for p in world.pupils if p.race == "white")
    StudentDemographics.objects.filter(student_id=pupil.id).update(white=False, asian=True)
    with pytest.raises(ValidationError, match="records have changed"):
        actions.prepare_release(first.series, AS_OF, user=world.officer)
    assert Release.objects.filter(series=first.series).count() == 1
