"""Hearings (R35, R36): asked for after a refusal, scheduled with notice before an impartial
officer who attests to it, decided in writing on the evidence."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from steward.amendments import selectors
from steward.amendments.actions.decisions import Ruling
from steward.amendments.actions.hearings import (
    do_decide_hearing,
    do_request_hearing,
    do_schedule_hearing,
)
from steward.amendments.models import (
    AmendmentRequest,
    AttestationMethod,
    Decision,
    Hearing,
    Letter,
    LetterKind,
    Schedule,
    Stage,
    Status,
)
from steward.audit.models import Entry
from steward.records.models import DailyAttendance
from steward.vendors.models import Document
from tests.amendments.conftest import Clock
from tests.amendments.helpers import at, refuse_all, request_absence
from tests.web import factories as f

PDF = b"%PDF-1.4 signed attestation"


@pytest.fixture
def refused(district: SimpleNamespace, users: SimpleNamespace) -> AmendmentRequest:
    """Gail's request, both items refused by Olivia."""
    amendment = request_absence(district, users.gail)
    refuse_all(amendment, users.olivia)
    amendment.refresh_from_db()
    return amendment


@pytest.fixture
def hearing(refused: AmendmentRequest, users: SimpleNamespace) -> Hearing:
    return do_request_hearing(refused, users.gail, "I will bring the doctor's note.")


def schedule(hearing: Hearing, user: Any, **fields: Any) -> Schedule:
    values: dict[str, Any] = {
        "starts_at": at(12, 15),
        "place": "Adams Elementary, room 101",
        "officer_user": user,
        "attested": True,
    }
    return do_schedule_hearing(hearing, user, **(values | fields))


def test_a_hearing_is_asked_for_after_a_refusal(
    refused: AmendmentRequest, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    made = do_request_hearing(refused, users.gail, "I will bring the doctor's note.")
    refused.refresh_from_db()
    assert refused.status == Status.HEARING_REQUESTED
    assert made.due_on == f.days(30)
    assert selectors.students_with_open_hearings() == {district.ann.pk}
    with pytest.raises(ValidationError):
        do_request_hearing(refused, users.gail)


def test_no_hearing_without_a_refusal_nor_for_another_family(
    district: SimpleNamespace, users: SimpleNamespace, refused: AmendmentRequest
) -> None:
    with pytest.raises(PermissionDenied):
        do_request_hearing(refused, users.hank)
    pending = AmendmentRequest.objects.create(
        student=district.cara,
        requester_kind="guardian",
        requester_name="Hank Cole",
        language="en",
        received_at=at(0),
        due_on=f.days(30),
    )
    with pytest.raises(ValidationError, match="refused items"):
        do_request_hearing(pending, users.hank)


def test_the_officer_who_schedules_attests_in_steward_and_the_notice_goes_out(
    hearing: Hearing, users: SimpleNamespace
) -> None:
    made = schedule(hearing, users.hugo, officer_title="Assistant superintendent")
    assert made.attestation_method == AttestationMethod.ELECTRONIC
    assert "Hugo Hearing" in made.attestation_text
    assert "no direct interest" in made.attestation_text
    assert made.notice_sent_at is not None
    hearing.request.refresh_from_db()
    assert hearing.request.status == Status.HEARING_SCHEDULED
    notice = Letter.objects.get(kind=LetterKind.HEARING_NOTICE)
    assert "Adams Elementary, room 101" in notice.body
    assert "Hugo Hearing, Assistant superintendent" in notice.body
    assert "including an attorney" in notice.body
    assert "present evidence" in notice.body


def test_the_officer_who_refused_cannot_hear_the_appeal(
    hearing: Hearing, users: SimpleNamespace
) -> None:
    with pytest.raises(ValidationError, match="refused items of this request"):
        schedule(hearing, users.olivia)
    with pytest.raises(ValidationError, match="refused items of this request"):
        schedule(
            hearing,
            users.hugo,
            officer_user=None,
            officer_name="olivia officer",
            attestation_pdf=PDF,
        )
    assert not Schedule.objects.exists()


def test_the_teacher_who_reported_the_incident_cannot_hear_it(
    hearing: Hearing, users: SimpleNamespace
) -> None:
    with pytest.raises(ValidationError, match="made a contested entry"):
        schedule(hearing, users.tess_officer)


def test_a_family_login_is_no_hearing_officer(hearing: Hearing, users: SimpleNamespace) -> None:
    with pytest.raises(ValidationError, match="official of the district"):
        schedule(hearing, users.olivia, officer_user=users.hank, attestation_pdf=PDF)


def test_scheduling_needs_the_attestation(hearing: Hearing, users: SimpleNamespace) -> None:
    with pytest.raises(ValidationError, match="must attest"):
        schedule(hearing, users.hugo, attested=False)
    # Someone else schedules for the officer: the officer's signed attestation is attached.
    with pytest.raises(ValidationError, match="Attach the attestation"):
        schedule(hearing, users.olivia, officer_user=users.hugo)
    with pytest.raises(ValidationError, match="only PDF"):
        schedule(hearing, users.olivia, officer_user=users.hugo, attestation_pdf=b"GIF89a")
    assert not Document.objects.exists()
    made = schedule(hearing, users.olivia, officer_user=users.hugo, attestation_pdf=PDF)
    assert made.attestation_method == AttestationMethod.PAPER
    assert made.attestation_document is not None
    assert made.scheduled_by == users.olivia


def test_the_notice_must_come_reasonably_in_advance(
    hearing: Hearing, users: SimpleNamespace, settings: Any
) -> None:
    with pytest.raises(ValidationError, match="at least 10 days"):
        schedule(hearing, users.hugo, starts_at=at(9))
    settings.STEWARD_HEARING_NOTICE_DAYS = 5
    assert schedule(hearing, users.hugo, starts_at=at(5)).starts_at == at(5)


def test_moving_a_hearing_sends_a_new_notice(hearing: Hearing, users: SimpleNamespace) -> None:
    schedule(hearing, users.hugo)
    schedule(hearing, users.hugo, starts_at=at(20), place="District office")
    assert hearing.schedules.count() == 2
    assert Letter.objects.filter(kind=LetterKind.HEARING_NOTICE).count() == 2
    steps = [json.loads(e.detail).get("step") for e in Entry.objects.order_by("seq")]
    assert steps[-2:] == ["scheduled", "rescheduled"]


def findings(amendment: AmendmentRequest, first: Ruling, second: Ruling) -> dict[int, Ruling]:
    one, two = amendment.items.order_by("position")
    return {one.pk: first, two.pk: second}


def decide(hearing: Hearing, user: Any, rulings: dict[int, Ruling], **fields: Any) -> Hearing:
    starts = hearing.schedules.order_by("-pk").values_list("starts_at", flat=True).first()
    assert starts is not None
    values: dict[str, Any] = {
        "held_at": starts + dt.timedelta(hours=1),
        "attended_by": "Gail Avery; Tess Turner; Hugo Hearing",
        "evidence_summary": "A doctor's note dated the day of the absence.",
        "reasons": "The note shows the absence was for illness.",
        "findings": rulings,
    }
    return do_decide_hearing(hearing, user, **(values | fields))


def test_the_hearing_decision_amends_or_upholds_each_item(
    hearing: Hearing, users: SimpleNamespace, district: SimpleNamespace, clock: Clock
) -> None:
    schedule(hearing, users.hugo)
    clock.advance(days=12, hours=8)
    rulings = findings(
        hearing.request,
        Ruling("amend", "The note proves illness.", new_value="absent, excused"),
        Ruling("refuse", "The report is accurate."),
    )
    decide(hearing, users.hugo, rulings, representative="Ms. Lawyer")
    hearing.refresh_from_db()
    assert hearing.decided_by == users.hugo
    assert hearing.request.status == Status.CLOSED
    district.absence.refresh_from_db()
    assert district.absence.status == DailyAttendance.Status.ABSENT_EXCUSED
    assert Decision.objects.filter(stage=Stage.HEARING).count() == 2
    letter = Letter.objects.get(kind=LetterKind.HEARING_DECISION)
    assert "A doctor's note dated the day of the absence." in letter.body
    assert "The note shows the absence was for illness." in letter.body
    assert "Ms. Lawyer" in letter.body
    assert "place a statement" in letter.body
    assert selectors.students_with_open_hearings() == set()


def test_only_the_hearing_officer_records_the_decision(
    hearing: Hearing, users: SimpleNamespace, clock: Clock
) -> None:
    schedule(hearing, users.hugo)
    clock.advance(days=13)
    rulings = findings(hearing.request, Ruling("refuse", "No."), Ruling("refuse", "No."))
    for user in (users.olivia, users.teacher):
        with pytest.raises(PermissionDenied):
            decide(hearing, user, rulings)


def test_the_decision_needs_evidence_reasons_every_finding_and_a_held_hearing(
    hearing: Hearing, users: SimpleNamespace, clock: Clock
) -> None:
    schedule(hearing, users.hugo)
    rulings = findings(hearing.request, Ruling("refuse", "No."), Ruling("refuse", "No."))
    with pytest.raises(ValidationError, match="before it is held"):
        decide(hearing, users.hugo, rulings)
    clock.advance(days=13)
    with pytest.raises(ValidationError, match="Summarize the evidence"):
        decide(hearing, users.hugo, rulings, evidence_summary=" ")
    with pytest.raises(ValidationError, match="every item heard"):
        decide(hearing, users.hugo, dict(list(rulings.items())[:1]))
    with pytest.raises(ValidationError, match="scheduled for a later date"):
        decide(hearing, users.hugo, rulings, held_at=clock.now - dt.timedelta(days=5))


def test_a_failing_finding_leaves_the_hearing_and_the_record_as_they_were(
    hearing: Hearing, users: SimpleNamespace, district: SimpleNamespace, clock: Clock
) -> None:
    """The first finding amends the attendance, the second cannot be carried out: the whole
    decision rolls back, the attendance included (R36 atomicity)."""
    schedule(hearing, users.hugo)
    clock.advance(days=13)
    rulings = findings(
        hearing.request,
        Ruling("amend", "Proven.", new_value="absent, excused"),
        Ruling("amend", "   "),
    )
    before = Entry.objects.count()
    with pytest.raises(ValidationError, match="reasons"):
        decide(hearing, users.hugo, rulings)
    district.absence.refresh_from_db()
    assert district.absence.status == DailyAttendance.Status.ABSENT_UNEXCUSED
    hearing.refresh_from_db()
    assert hearing.decided_at is None
    assert not Decision.objects.filter(stage=Stage.HEARING).exists()
    assert not Letter.objects.filter(kind=LetterKind.HEARING_DECISION).exists()
    assert Entry.objects.count() == before


def test_a_paper_officer_decision_is_recorded_by_an_office_member_who_refused_nothing(
    hearing: Hearing, users: SimpleNamespace, clock: Clock
) -> None:
    outside = {"officer_user": None, "officer_name": "Judge Outside", "attestation_pdf": PDF}
    schedule(hearing, users.olivia, **outside)
    clock.advance(days=13)
    rulings = findings(hearing.request, Ruling("refuse", "No."), Ruling("refuse", "No."))
    with pytest.raises(PermissionDenied):
        decide(hearing, users.olivia, rulings)
    assert decide(hearing, users.hugo, rulings).decided_by == users.hugo


def test_the_open_hearing_set_follows_the_clock(
    hearing: Hearing, users: SimpleNamespace, district: SimpleNamespace, clock: Clock
) -> None:
    schedule(hearing, users.hugo)
    clock.advance(days=13)
    rulings = findings(hearing.request, Ruling("refuse", "No."), Ruling("refuse", "No."))
    decide(hearing, users.hugo, rulings)
    assert selectors.students_with_open_hearings() == set()
    assert selectors.students_with_open_hearings(clock.now - dt.timedelta(days=1)) == {
        district.ann.pk
    }
