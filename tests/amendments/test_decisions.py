"""The district's decision on each item (R34): amend (the record changes at once) or refuse
with reasons; the written notice, with the right to a hearing after a refusal."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from steward.amendments.actions.decisions import Ruling, do_decide_item
from steward.amendments.actions.requests import do_request_amendment
from steward.amendments.models import Decision, Letter, LetterKind, Outcome, Status
from steward.audit.models import Action, Entry
from steward.records.models import DailyAttendance, DisciplineIncident
from steward.roster.models import StudentDemographics
from tests.amendments.helpers import ask, other, request_absence
from tests.web import factories as f

AMEND = Outcome.AMEND
REFUSE = Outcome.REFUSE


def test_amending_writes_the_record_and_keeps_both_values(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    amendment = request_absence(district, users.gail)
    first = amendment.items.get(position=1)
    decision = do_decide_item(
        first, users.olivia, Ruling(AMEND, "The note is on file.", new_value="absent, excused")
    )
    district.absence.refresh_from_db()
    assert district.absence.status == DailyAttendance.Status.ABSENT_EXCUSED
    assert (decision.old_value, decision.new_value) == ("absent, unexcused", "absent, excused")
    assert decision.decided_by_name == "Olivia Officer"
    change = Entry.objects.get(action=Action.CHANGE)
    assert change.subject_student == district.ann.pk
    assert change.scopes == "attendance"
    assert json.loads(change.detail)["element"] == "records.DailyAttendance.status"
    assert "excused" not in change.detail  # values stay in the decision, not in the ledger
    amendment.refresh_from_db()
    assert amendment.status == Status.OPEN  # the second item is still undecided
    assert not Letter.objects.exists()


def test_deciding_the_last_item_sends_the_notice_with_the_right_to_a_hearing(
    district: SimpleNamespace, users: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    amendment = request_absence(district, users.gail)
    first, second = amendment.items.order_by("position")
    do_decide_item(first, users.olivia, Ruling(AMEND, "Note on file.", new_value="absent_excused"))
    with django_capture_on_commit_callbacks(execute=True):
        do_decide_item(second, users.olivia, Ruling(REFUSE, "The teacher's report is accurate."))
    amendment.refresh_from_db()
    assert amendment.status == Status.DECIDED
    assert amendment.decided_at is not None
    letter = Letter.objects.get(request=amendment)
    assert letter.kind == LetterKind.DECISION
    assert "The teacher's report is accurate." in letter.body
    assert "right to a hearing" in letter.body
    assert "The record now says: absent, excused" in letter.body
    assert "603 CMR 23.08(1)" in letter.body
    assert letter.emailed_to == "gail@example.org"
    assert [m.to for m in mail.outbox] == [["gail@example.org"]]
    assert mail.outbox[0].body.strip() == letter.body
    assert DisciplineIncident.objects.filter(pk=district.incident.pk).exists()


def test_a_request_amended_in_full_closes_without_a_hearing(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    amendment = request_absence(district, users.gail)
    first, second = amendment.items.order_by("position")
    do_decide_item(first, users.olivia, Ruling(AMEND, "Note on file.", new_value="absent_excused"))
    do_decide_item(second, users.olivia, Ruling(AMEND, "The report was filed in error."))
    amendment.refresh_from_db()
    assert amendment.status == Status.CLOSED
    assert not DisciplineIncident.objects.filter(pk=district.incident.pk).exists()
    deletion = Entry.objects.get(action=Action.DELETE)
    assert deletion.scopes == "discipline"
    letter = Letter.objects.get(request=amendment)
    assert "right to a hearing" not in letter.body
    assert "deleted from the record" in letter.body


def test_a_value_that_does_not_fit_changes_nothing(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    amendment = request_absence(district, users.gail)
    first = amendment.items.get(position=1)
    before = Entry.objects.count()
    with pytest.raises(ValidationError, match="Attendance status"):
        do_decide_item(first, users.olivia, Ruling(AMEND, "Fix it.", new_value="on holiday"))
    district.absence.refresh_from_db()
    assert district.absence.status == DailyAttendance.Status.ABSENT_UNEXCUSED
    assert not Decision.objects.exists()
    assert Entry.objects.count() == before


def test_a_change_that_would_break_the_record_is_refused_and_rolled_back(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    """Two absences cannot fall on the same day: the write fails, nothing stays."""
    d = district
    tardy = DailyAttendance.objects.create(
        student=d.ann, school=d.adams, date=f.days(-6), status=DailyAttendance.Status.TARDY
    )
    picked = ask(d.ann, "attendance", f"c:records.DailyAttendance.date:{d.absence.pk}")
    amendment = do_request_amendment(d.ann, users.gail, [picked])
    other_day = tardy.date
    with pytest.raises(ValidationError, match="already holds"):
        do_decide_item(
            amendment.items.get(),
            users.olivia,
            Ruling(AMEND, "Wrong day.", new_value=other_day.isoformat()),
        )
    d.absence.refresh_from_db()
    assert d.absence.date != other_day
    assert not Decision.objects.exists()
    assert not Entry.objects.filter(action=Action.CHANGE).exists()


def test_a_roster_field_needs_the_source_system_corrected_too(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    d = district
    amendment = do_request_amendment(
        d.ann,
        users.gail,
        [ask(d.ann, "demographics", "c:roster.StudentDemographics.city_of_birth:", "Cambridge")],
    )
    item = amendment.items.get()
    with pytest.raises(ValidationError, match="student information system"):
        do_decide_item(item, users.olivia, Ruling(AMEND, "Certificate.", new_value="Cambridge"))
    decision = do_decide_item(
        item,
        users.olivia,
        Ruling(AMEND, "Birth certificate.", new_value="Cambridge", source_corrected=True),
    )
    assert decision.source_corrected
    assert StudentDemographics.objects.get(student=d.ann).city_of_birth == "Cambridge"


def test_refusing_needs_reasons_and_something_else_needs_what_was_done(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    amendment = do_request_amendment(district.ann, users.gail, [other()])
    item = amendment.items.get()
    with pytest.raises(ValidationError, match="reasons"):
        do_decide_item(item, users.olivia, Ruling(REFUSE, "  "))
    with pytest.raises(ValidationError, match="what was done"):
        do_decide_item(item, users.olivia, Ruling(AMEND, "Agreed."))
    decision = do_decide_item(
        item, users.olivia, Ruling(AMEND, "Agreed.", action_taken="The remark was struck.")
    )
    assert decision.action_taken == "The remark was struck."
    assert "The remark was struck." in Letter.objects.get().body


def test_only_the_privacy_office_decides_and_only_once(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    amendment = request_absence(district, users.gail)
    first = amendment.items.get(position=1)
    for user in (users.teacher, users.gail):
        with pytest.raises(PermissionDenied):
            do_decide_item(first, user, Ruling(REFUSE, "No."))
    do_decide_item(first, users.olivia, Ruling(REFUSE, "Accurate."))
    with pytest.raises(ValidationError, match="decided already"):
        do_decide_item(first, users.hugo, Ruling(AMEND, "Changed my mind.", new_value="excused"))


def test_a_withdrawn_request_is_not_decided(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    from steward.amendments.actions.requests import do_withdraw_amendment_request

    amendment = request_absence(district, users.gail)
    do_withdraw_amendment_request(amendment, users.gail)
    with pytest.raises(ValidationError, match="not waiting"):
        do_decide_item(amendment.items.get(position=1), users.olivia, Ruling(REFUSE, "No."))
