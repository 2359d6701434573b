"""What the family places in the record: statements on upheld items (R35) and material added
at any time (R37, 603 CMR 23.08(1))."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from steward.amendments import selectors
from steward.amendments.actions.decisions import Ruling
from steward.amendments.actions.family import do_add_material, do_place_statement
from steward.amendments.actions.hearings import (
    do_decide_hearing,
    do_request_hearing,
    do_schedule_hearing,
)
from steward.amendments.actions.requests import do_request_amendment
from steward.amendments.models import Addition, AmendmentRequest, Item, Statement
from steward.audit.models import Entry
from steward.vendors.models import Document
from tests.amendments.conftest import Clock
from tests.amendments.helpers import at, other, refuse_all, request_absence

PDF = b"%PDF-1.4 our side of the story"


def heard(amendment: AmendmentRequest, users: SimpleNamespace, clock: Clock) -> None:
    """Refuse every item, hear them, uphold every refusal."""
    refuse_all(amendment, users.olivia)
    amendment.refresh_from_db()
    hearing = do_request_hearing(amendment, users.gail)
    schedule = do_schedule_hearing(
        hearing,
        users.hugo,
        starts_at=at(12),
        place="Room 1",
        officer_user=users.hugo,
        attested=True,
    )
    clock.advance(days=13)
    do_decide_hearing(
        hearing,
        users.hugo,
        held_at=schedule.starts_at + dt.timedelta(hours=1),
        attended_by="Gail Avery; Hugo Hearing",
        evidence_summary="Gail's account; the teacher's report.",
        reasons="The report is consistent.",
        findings={i.pk: Ruling("refuse", "Accurate.") for i in amendment.items.all()},
    )


@pytest.fixture
def upheld(district: SimpleNamespace, users: SimpleNamespace, clock: Clock) -> AmendmentRequest:
    amendment = request_absence(district, users.gail)
    heard(amendment, users, clock)
    return amendment


def test_a_statement_is_placed_on_an_upheld_item_and_kept_with_it(
    upheld: AmendmentRequest, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    item = upheld.items.get(position=1)
    statement = do_place_statement(item, users.gail, "She was ill; we disagree.")
    assert (statement.scope, statement.element_key, statement.row_id) == (
        "attendance",
        "records.DailyAttendance.status",
        district.absence.pk,
    )
    assert statement.author_name == "Gail Avery"
    found = selectors.statements_for(district.ann.pk)
    assert found == {("records.DailyAttendance.status", district.absence.pk): [statement]}
    entry = Entry.objects.get(purpose__startswith="family statement")
    assert entry.scopes == "attendance"
    assert entry.subject_student == district.ann.pk


def test_a_deletion_item_and_something_else_are_keyed_as_documented(
    district: SimpleNamespace, users: SimpleNamespace, clock: Clock
) -> None:
    amendment = do_request_amendment(district.ann, users.gail, [other()])
    heard(amendment, users, clock)
    item = amendment.items.get()
    do_place_statement(item, users.gail, "The remark is unfair.")
    assert list(selectors.statements_for(district.ann.pk)) == [(f"other:{item.pk}", None)]


def test_no_statement_before_the_hearing_upheld_the_item(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    amendment = request_absence(district, users.gail)
    refuse_all(amendment, users.olivia)
    with pytest.raises(ValidationError, match="after a hearing"):
        do_place_statement(amendment.items.get(position=1), users.gail, "We disagree.")
    assert not Statement.objects.exists()


def test_only_a_rights_holder_places_a_statement(
    upheld: AmendmentRequest, users: SimpleNamespace
) -> None:
    item = upheld.items.get(position=1)
    for user in (users.hank, users.teacher, users.olivia):
        with pytest.raises(PermissionDenied):
            do_place_statement(item, user, "Not mine to say.")
    with pytest.raises(ValidationError, match="Write the statement"):
        do_place_statement(item, users.gail, "  ")


def test_the_family_adds_text_and_a_pdf_at_any_time(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    addition = do_add_material(
        district.ann,
        users.gail,
        scope="health",
        title="Allergy letter",
        text="Our doctor's letter about her allergy.",
        pdf=PDF,
        filename="letter.pdf",
    )
    assert addition.document is not None
    assert addition.document.size == len(PDF)
    assert selectors.additions_for(district.ann.pk) == [addition]
    notes = selectors.notes_by_scope(district.ann.pk, ["health", "attendance"])
    assert notes["health"] == ([], [addition])
    assert notes["attendance"] == ([], [])
    entry = Entry.objects.get(purpose__startswith="material added")
    assert entry.scopes == "health"


def test_a_refused_pdf_stores_nothing(district: SimpleNamespace, users: SimpleNamespace) -> None:
    with pytest.raises(ValidationError, match="only PDF"):
        do_add_material(
            district.ann,
            users.gail,
            scope="health",
            title="Photo",
            pdf=b"\x89PNG",
            filename="x.png",
        )
    assert not Addition.objects.exists()
    assert not Document.objects.exists()
    assert not Entry.objects.filter(purpose__startswith="material added").exists()


def test_an_addition_needs_a_part_a_title_and_content(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    with pytest.raises(ValidationError) as caught:
        do_add_material(district.ann, users.gail, scope="secret", title=" ")
    assert len(caught.value.messages) == 3
    with pytest.raises(PermissionDenied):
        do_add_material(district.ann, users.hank, scope="health", title="x", text="y")


def test_statements_travel_with_their_item_only(
    upheld: AmendmentRequest, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    first, second = Item.objects.filter(request=upheld).order_by("position")
    do_place_statement(first, users.gail, "About the absence.")
    do_place_statement(second, users.gail, "About the incident.")
    notes = selectors.notes_by_scope(district.ann.pk, ["attendance", "discipline", "health"])
    assert [s.text for s in notes["attendance"][0]] == ["About the absence."]
    assert [s.text for s in notes["discipline"][0]] == ["About the incident."]
    assert notes["health"] == ([], [])


def test_a_copy_or_export_gets_plain_rows_of_the_parts_it_discloses(
    upheld: AmendmentRequest, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    first = upheld.items.get(position=1)
    do_place_statement(first, users.gail, "About the absence.")
    do_add_material(district.ann, users.gail, scope="health", title="Letter", pdf=PDF)
    statements, additions = selectors.disclosure_rows(district.ann.pk, ["attendance", "health"])
    assert [(s["record_part"], s["statement"], s["record_said"]) for s in statements] == [
        ("attendance", "About the absence.", "absent, unexcused")
    ]
    assert statements[0]["item"].endswith("· Attendance status")
    assert [(a["record_part"], a["title"], a["document"]) for a in additions] == [
        ("health", "Letter", "document.pdf")
    ]
    # A part not disclosed carries nothing of its own along.
    assert selectors.disclosure_rows(district.ann.pk, ["discipline"]) == ([], [])
