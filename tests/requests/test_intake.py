"""Receiving requests (R24, R25, R28, R31, R33): who may ask for whom, the clock, the ledger."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from steward.audit.models import Action, Entry
from steward.requests import actions
from steward.requests.models import (
    AccessRequest,
    Channel,
    CustodialNotice,
    Kind,
    RequesterKind,
    RequestStep,
    Status,
    Step,
)

from .conftest import DAY0, Capture, at, submit


def test_a_parent_asks_for_a_copy_and_the_clock_is_ten_calendar_days(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    req = submit(users.gail, district.ana, now=at(DAY0))
    assert req.status == Status.RECEIVED and req.channel == Channel.PORTAL
    assert req.requester_kind == RequesterKind.GUARDIAN
    assert req.requester_guardian == district.gail and req.requester_user == users.gail
    assert req.due_on == DAY0 + dt.timedelta(days=10)  # R25
    assert req.ceiling_on == DAY0 + dt.timedelta(days=45)  # R24
    assert not req.non_custodial and req.release_on is None
    assert [s.step for s in RequestStep.objects.filter(request=req)] == [Step.RECEIVED]


def test_the_request_is_in_the_ledger_in_the_same_transaction(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    req = submit(users.gail, district.ana, details="Everything, please.", now=at(DAY0))
    entry = Entry.objects.order_by("-seq").first()
    assert entry is not None and entry.action == Action.CREATE
    assert entry.subject_student == district.ana.pk and entry.actor_user_id == users.gail.pk
    assert f'"access_request":{req.pk}' in entry.detail
    assert '"due_on":"2026-03-12"' in entry.detail


@override_settings(STEWARD_MA_ACCESS_DAYS=5)
def test_the_district_may_shorten_the_clock(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    assert submit(users.gail, district.ana, now=at(DAY0)).due_on == DAY0 + dt.timedelta(days=5)


@override_settings(STEWARD_MA_ACCESS_DAYS=90)
def test_no_setting_lets_the_clock_pass_the_ferpa_ceiling(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    assert submit(users.gail, district.ana, now=at(DAY0)).due_on == DAY0 + dt.timedelta(days=45)


def test_a_restricted_parent_cannot_ask_at_all(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    with pytest.raises(PermissionDenied):
        submit(users.rex, district.ana)
    assert not AccessRequest.objects.exists()


def test_a_parent_cannot_ask_about_another_familys_child(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    with pytest.raises(PermissionDenied):
        submit(users.gus, district.ana)
    with pytest.raises(PermissionDenied):
        submit(users.teacher, district.ana)


def test_an_eligible_student_asks_for_herself_but_not_for_a_classmate(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    req = submit(users.dee, district.dee, Kind.INSPECTION, now=at(DAY0))
    assert req.requester_kind == RequesterKind.STUDENT and req.requester_guardian is None
    with pytest.raises(PermissionDenied):
        submit(users.dee, district.ana, Kind.TRANSCRIPT)


def test_any_student_may_ask_for_their_own_transcript(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    from django.contrib.auth.models import User

    from steward.accounts.models import Account

    young = User.objects.create_user(username="ana")
    Account.objects.create(user=young, role=Account.Role.STUDENT, student=district.ana)
    assert submit(young, district.ana, Kind.TRANSCRIPT).kind == Kind.TRANSCRIPT  # R28
    with pytest.raises(PermissionDenied):
        submit(young, district.ana, Kind.COPY)  # 8 years old: no right to inspect yet


def test_a_third_party_inspection_needs_a_name_and_written_consent(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    with pytest.raises(ValidationError) as caught:
        submit(users.gail, district.ana, Kind.THIRD_PARTY)
    assert set(caught.value.message_dict) == {"third_party_name", "third_party_consent"}
    req = submit(
        users.gail,
        district.ana,
        Kind.THIRD_PARTY,
        third_party_name="Dr. Lee",
        third_party_affiliation="Family Advocates",
        third_party_consent="I consent to Dr. Lee inspecting Ana's record.",
    )
    assert req.third_party_name == "Dr. Lee"


def test_the_office_enters_a_paper_request_with_an_identity_check(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.do_enter_request(
            users.officer, district.ana, Kind.COPY, guardian=district.gail,
            channel=Channel.PAPER, identity_check=" ",
        )  # fmt: skip
    assert "identity_check" in caught.value.message_dict  # R33
    received = at(DAY0 - dt.timedelta(days=2))
    req = actions.do_enter_request(
        users.officer,
        district.ana,
        Kind.COPY,
        guardian=district.gail,
        channel=Channel.PAPER,
        identity_check="Signed letter; signature matches the enrollment form.",
        received_at=received,
        now=at(DAY0),
    )
    assert req.entered_by == users.officer and req.requester_user is None
    assert req.due_on == received.date() + dt.timedelta(days=10)  # from receipt, not entry


def test_staff_enter_only_requests_from_rights_holders_and_only_the_office_enters(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    common: dict[str, Any] = {"channel": Channel.IN_PERSON, "identity_check": "Driver's license"}
    with pytest.raises(ValidationError) as caught:
        actions.do_enter_request(
            users.officer, district.ana, Kind.COPY, guardian=district.rex, **common
        )
    assert "requester" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        actions.do_enter_request(
            users.teacher, district.ana, Kind.COPY, guardian=district.gail, **common
        )
    with pytest.raises(ValidationError):
        actions.do_enter_request(
            users.officer, district.ana, Kind.COPY, guardian=district.gail,
            received_at=at(dt.date.today() + dt.timedelta(days=3)), **common,
        )  # fmt: skip
    assert not AccessRequest.objects.exists()


def test_a_parent_without_custody_must_state_that_no_order_restricts_them(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    with pytest.raises(ValidationError) as caught:
        submit(users.nick, district.ana)
    assert "affirmation" in caught.value.message_dict
    assert not AccessRequest.objects.exists() and not CustodialNotice.objects.exists()


def test_a_parent_without_custody_starts_the_21_day_notice_at_once(
    users: SimpleNamespace, district: SimpleNamespace, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        req = submit(users.nick, district.ana, affirmation="No order restricts me.", now=at(DAY0))
    assert req.non_custodial
    assert req.release_on == DAY0 + dt.timedelta(days=21)  # R18
    assert req.due_on == req.ceiling_on  # the 10-day clock does not apply
    notice = CustodialNotice.objects.get(request=req)
    assert notice.guardian == district.gail and notice.emailed_to == "gail@example.org"
    to_gail = [m for m in mail.outbox if m.to == ["gail@example.org"]]
    assert len(to_gail) == 1 and "21 days" in to_gail[0].body
    steps = list(RequestStep.objects.filter(request=req).values_list("step", flat=True))
    assert steps == [Step.RECEIVED, Step.NOTICE_SENT]


def test_the_notice_goes_in_english_and_the_language_the_office_chose(
    users: SimpleNamespace, district: SimpleNamespace, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_enter_request(
            users.officer, district.ana, Kind.COPY, guardian=district.nick, channel=Channel.PAPER,
            identity_check="Letter with a certified copy of the order",
            affirmation="Affidavit on file", notice_language="es",
        )  # fmt: skip
    body = next(m for m in mail.outbox if m.to == ["gail@example.org"]).body
    assert "21 days" in body and "----------" in body
