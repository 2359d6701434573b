"""Fulfilling requests (R26, R27, R31, R32, R17) and the non-custodial flow of R18 on days 0,
20 and 21."""

from __future__ import annotations

import datetime as dt
import io
import json
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from steward.audit.models import Action, Entry
from steward.requests import actions, formats
from steward.requests.models import AccessRequest, Kind, RequestStep, Status, Step

from .conftest import DAY0, Capture, at, restrict, submit


def _last() -> Entry:
    entry = Entry.objects.order_by("-seq").first()
    assert entry is not None
    return entry


def test_a_copy_is_released_and_the_release_is_logged_with_the_response_date(
    users: SimpleNamespace, district: SimpleNamespace, django_capture_on_commit_callbacks: Capture
) -> None:
    req = submit(users.gail, district.ana, now=at(DAY0))
    copy = actions.do_make_copy(req, users.officer, now=at(DAY0 + dt.timedelta(days=1)))
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_fulfil_request(req, users.officer, now=at(DAY0 + dt.timedelta(days=2)))
    req.refresh_from_db()
    assert req.status == Status.FULFILLED and req.released_copy == copy
    assert req.closed_at == at(DAY0 + dt.timedelta(days=2))
    entry = _last()
    assert entry.action == Action.RELEASE and entry.subject_student == district.ana.pk  # R32
    release = json.loads(entry.release)
    assert release["recipient"] == {"name": "Gail Avery", "position": "parent", "affiliation": ""}
    assert release["releaser"]["name"] == "Olivia Ode"
    assert '"response_date":"2026-03-04"' in entry.detail and copy.pdf_sha256 in entry.detail
    ready = [m for m in mail.outbox if m.to == ["gail@example.org"]]
    assert ready and "ready" in ready[-1].body


def test_a_copy_request_cannot_close_without_a_copy(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    req = submit(users.gail, district.ana)
    with pytest.raises(ValidationError, match="Make the copy"):
        actions.do_fulfil_request(req, users.officer)
    req.refresh_from_db()
    assert req.status == Status.RECEIVED


def test_a_meeting_needs_when_where_with_whom_and_an_outcome(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    req = submit(users.gail, district.ana, Kind.EXPLANATION)
    with pytest.raises(ValidationError) as caught:
        actions.do_fulfil_request(req, users.officer)
    assert set(caught.value.message_dict) == {"meeting", "outcome"}
    with pytest.raises(ValidationError) as caught:
        actions.do_schedule_meeting(req, users.officer, when=at(DAY0), place=" ", with_whom="")
    assert set(caught.value.message_dict) == {"place", "with_whom"}
    actions.do_schedule_meeting(
        req, users.officer, when=at(DAY0, 15), place="Adams School office",
        with_whom="Ms. Park, principal",
    )  # fmt: skip
    actions.do_fulfil_request(req, users.officer, outcome="Explained the grade scale.")
    req.refresh_from_db()
    assert req.status == Status.FULFILLED and req.meeting_place == "Adams School office"
    assert _last().action == Action.CHANGE  # the family's own inspection is no disclosure


def test_a_copy_request_has_no_meeting(users: SimpleNamespace, district: SimpleNamespace) -> None:
    req = submit(users.gail, district.ana, Kind.COPY)
    with pytest.raises(ValidationError, match="copy, not a meeting"):
        actions.do_schedule_meeting(
            req, users.officer, when=at(DAY0), place="Office", with_whom="Me"
        )


def test_a_third_party_inspection_is_logged_as_a_release_to_the_third_party(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    req = submit(
        users.gail, district.ana, Kind.THIRD_PARTY, third_party_name="Dr. Lee",
        third_party_affiliation="Family Advocates", third_party_consent="I consent.",
    )  # fmt: skip
    actions.do_schedule_meeting(
        req, users.officer, when=at(DAY0), place="Office", with_whom="Ms. Park"
    )
    actions.do_fulfil_request(req, users.officer, outcome="Dr. Lee read the record.")
    entry = _last()
    assert entry.action == Action.RELEASE  # R31, R63: a third party's access is logged
    recipient = json.loads(entry.release)["recipient"]
    assert recipient["name"] == "Dr. Lee" and recipient["affiliation"] == "Family Advocates"


def test_the_office_refuses_with_reasons_and_a_closed_request_stays_closed(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    req = submit(users.gail, district.ana)
    with pytest.raises(ValidationError):
        actions.do_refuse_request(req, users.officer, "  ")
    actions.do_refuse_request(req, users.officer, "A court order restricts access.")
    req.refresh_from_db()
    assert req.status == Status.REFUSED and req.closed_at is not None
    with pytest.raises(ValidationError, match="already"):
        actions.do_make_copy(req, users.officer)
    with pytest.raises(ValidationError, match="already"):
        actions.do_withdraw_request(req, users.gail)


def test_the_requester_withdraws_but_nobody_else_but_the_office_can(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    req = submit(users.gail, district.ana)
    with pytest.raises(PermissionDenied):
        actions.do_withdraw_request(req, users.gus)
    with pytest.raises(ValidationError):
        actions.do_withdraw_request(req, users.officer)  # the office says how
    actions.do_withdraw_request(req, users.gail)
    req.refresh_from_db()
    assert req.status == Status.WITHDRAWN


def test_a_restriction_that_arrives_later_blocks_the_release_and_the_download(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    req = submit(users.gail, district.ana)
    copy = actions.do_make_copy(req, users.officer)
    actions.do_fulfil_request(req, users.officer)
    req.refresh_from_db()
    actions.do_record_download(req, copy, users.gail, "pdf")
    restrict(district.gail.relationships.get(student=district.ana))  # R17
    with pytest.raises(PermissionDenied):
        actions.do_record_download(req, copy, users.gail, "zip")
    second = submit(users.nick, district.ana, affirmation="No order.")
    restrict(district.nick_link)
    with pytest.raises(ValidationError, match="no longer holds"):
        actions.do_fulfil_request(second, users.officer)


def test_each_download_is_logged_and_only_the_requester_gets_the_released_copy(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    req = submit(users.gail, district.ana)
    copy = actions.do_make_copy(req, users.officer)
    with pytest.raises(PermissionDenied):  # not released yet
        actions.do_record_download(req, copy, users.gail, "pdf")
    actions.do_fulfil_request(req, users.officer)
    req.refresh_from_db()
    with pytest.raises(PermissionDenied):
        actions.do_record_download(req, copy, users.gus, "pdf")
    for fmt in ("pdf", "zip", "pdf"):
        actions.do_record_download(req, copy, users.gail, fmt)
        entry = _last()
        assert entry.action == Action.READ and entry.actor_user_id == users.gail.pk
        assert f'"format":"{fmt}"' in entry.detail
    assert RequestStep.objects.filter(request=req, step=Step.DOWNLOADED).count() == 3


def test_a_failed_release_changes_nothing(
    users: SimpleNamespace, district: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    req = submit(users.gail, district.ana)
    actions.do_make_copy(req, users.officer)
    before = (Entry.objects.count(), RequestStep.objects.count())

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("ledger unavailable")

    monkeypatch.setattr("steward.requests.actions.base.ledger.record", broken)
    with pytest.raises(RuntimeError):
        actions.do_fulfil_request(req, users.officer)
    req.refresh_from_db()
    assert req.status == Status.IN_PROGRESS and req.released_copy is None and req.closed_at is None
    assert (Entry.objects.count(), RequestStep.objects.count()) == before


# --- R18: a parent without custody, on days 0, 20 and 21 ---------------------------------


@pytest.fixture
def nick_request(users: SimpleNamespace, district: SimpleNamespace) -> AccessRequest:
    req = submit(users.nick, district.ana, affirmation="No order restricts me.", now=at(DAY0))
    district.ana.phone = "617-555-0100"  # the household phone is Gail's too
    district.ana.metadata = {"homeAddress": "12 Elm Street", "favoriteColor": "green"}
    district.ana.save(update_fields=["phone", "metadata"])
    district.gail.metadata = {"workPhone": "617 555 0199", "employer": "Acme"}
    district.gail.save(update_fields=["metadata"])
    return req


@pytest.mark.parametrize(("day", "released"), [(0, False), (20, False), (21, True)])
def test_a_non_custodial_parents_copy_is_released_on_day_21_not_before(
    users: SimpleNamespace, nick_request: AccessRequest, day: int, released: bool
) -> None:
    moment = at(DAY0 + dt.timedelta(days=day))
    actions.do_make_copy(nick_request, users.officer, now=moment)
    if released:
        actions.do_fulfil_request(nick_request, users.officer, now=moment)
        nick_request.refresh_from_db()
        assert nick_request.status == Status.FULFILLED
    else:
        with pytest.raises(ValidationError, match="21 days"):
            actions.do_fulfil_request(nick_request, users.officer, now=moment)
        nick_request.refresh_from_db()
        assert nick_request.status == Status.IN_PROGRESS and nick_request.released_copy is None


def test_the_non_custodial_copy_has_no_custodial_contact_and_carries_the_marking(
    users: SimpleNamespace, district: SimpleNamespace, nick_request: AccessRequest
) -> None:
    copy = actions.do_make_copy(nick_request, users.officer, now=at(DAY0 + dt.timedelta(days=21)))
    data = formats.read_json(bytes(copy.archive))
    text = json.dumps(data, ensure_ascii=False)
    for secret in ("gail@example.org", "(617) 555-0100", "617-555-0100", "12 Elm", "0199"):
        assert secret not in text, secret
    guardians = next(t for t in data["record"] if t["key"] == "guardian_contact")["rows"]
    gail = next(r for r in guardians if r["guardian_given_name"] == "Gail")
    assert gail["guardian_email"].startswith("[removed") and gail["guardian_phone"].startswith(
        "[removed"
    )
    nick = next(r for r in guardians if r["guardian_given_name"] == "Nick")
    assert nick["guardian_email"] == "nick@example.org"  # his own stays
    student = next(t for t in data["record"] if t["key"] == "contact")["rows"][0]
    assert student["phone"].startswith("[removed")
    assert "green" in text  # only contact data goes
    assert data["redactions"]["custodial_contact"] >= 4
    assert "enroll" in data["notices"][0]
    pages = PdfReader(io.BytesIO(bytes(copy.pdf))).pages
    assert all("Not to be used to enroll" in page.extract_text() for page in pages)
    assert "gail@example.org" not in "".join(page.extract_text() for page in pages)


def test_the_custodial_parent_gets_a_normal_copy(
    users: SimpleNamespace, district: SimpleNamespace
) -> None:
    req = submit(users.gail, district.ana)
    data = formats.read_json(bytes(actions.do_make_copy(req, users.officer).archive))
    assert (
        "gail@example.org" in json.dumps(data)
        and data["redactions"].get("custodial_contact") is None
    )


def test_the_office_records_the_mailed_letter_once(
    users: SimpleNamespace, nick_request: AccessRequest
) -> None:
    notice = nick_request.custodial_notices.get()
    actions.do_mark_notice_mailed(notice, users.officer)
    notice.refresh_from_db()
    assert notice.mailed_at is not None and notice.mailed_by == users.officer
    with pytest.raises(ValidationError):
        actions.do_mark_notice_mailed(notice, users.officer)
    with pytest.raises(PermissionDenied):
        actions.do_mark_notice_mailed(notice, users.teacher)
