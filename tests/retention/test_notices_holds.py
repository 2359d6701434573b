"""Tracking the exit notice (R102) and legal holds (R104)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from steward.audit.models import Action, Entry
from steward.retention.actions import holds, notices
from steward.retention.models import ExitNotice, LegalHold, SendMethod
from steward.roster.models import Guardian

from .conftest import exit_ana


def test_a_notice_is_sent_once_and_delivered_with_evidence(
    world: SimpleNamespace, users: SimpleNamespace
) -> None:
    notice = exit_ana(world).notice
    with pytest.raises(ValidationError, match="sent"):
        notices.record_delivery(notice, "receipt", user=users.officer)
    notices.mark_sent(notice, SendMethod.MAIL, user=users.officer)
    with pytest.raises(ValidationError, match="already sent"):
        notices.mark_sent(notice, SendMethod.EMAIL, user=users.officer)
    with pytest.raises(ValidationError, match="delivered"):
        notices.record_delivery(notice, "   ", user=users.officer)
    done = notices.record_delivery(notice, "signed copy", user=users.officer)
    assert done.delivered and done.delivery_recorded_by == users.officer
    changes = Entry.objects.filter(action=Action.CHANGE).order_by("seq")  # heap order is no order
    purposes = list(changes.values_list("purpose", flat=True))
    assert purposes == [notices.SENT_PURPOSE, notices.DELIVERED_PURPOSE]


def test_the_portal_is_not_a_way_the_office_sends(world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError):
        notices.mark_sent(exit_ana(world).notice, SendMethod.PORTAL)


def test_a_parent_it_is_addressed_to_acknowledges_it_and_no_one_else_can(
    world: SimpleNamespace, users: SimpleNamespace
) -> None:
    notice = exit_ana(world).notice
    with pytest.raises(PermissionDenied):
        notices.acknowledge(notice, users.gus)
    with pytest.raises(PermissionDenied):
        notices.acknowledge(notice, users.officer)
    done = notices.acknowledge(notice, users.gail)
    assert done.delivered and done.acknowledged_by_id == world.gail.pk
    assert done.sent_method == SendMethod.PORTAL
    assert "acknowledged in the family portal" in done.delivery_evidence
    with pytest.raises(ValidationError, match="already"):
        notices.acknowledge(done, users.gail)


def test_notices_are_emailed_only_when_everyone_has_an_address_and_only_once(
    world: SimpleNamespace,
) -> None:
    notice = exit_ana(world).notice
    assert notices.email_unsent() == ([], [notice.pk])  # Gail has no address yet
    assert mail.outbox == []
    Guardian.objects.filter(pk=world.gail.pk).update(email="gail@example.org")
    assert notices.email_unsent() == ([notice.pk], [])
    assert sorted(mail.outbox[0].to) == ["ana@example.org", "gail@example.org"]
    assert f"/retention/family/notices/{notice.pk}/" in mail.outbox[0].body
    assert ExitNotice.objects.get(pk=notice.pk).sent_method == SendMethod.EMAIL
    assert notices.email_unsent() == ([], [])
    assert len(mail.outbox) == 1


def test_a_hold_needs_a_reason_and_is_released_with_one(
    world: SimpleNamespace, users: SimpleNamespace
) -> None:
    with pytest.raises(ValidationError, match="reason"):
        holds.place_hold(world.ana, "litigation", "x", user=users.officer)
    with pytest.raises(ValidationError, match="kind"):
        holds.place_hold(world.ana, "whim", "a long enough reason", user=users.officer)
    assert not LegalHold.objects.exists()
    hold = holds.place_hold(world.ana, "subpoena", "Subpoena 24-117, Lowell", user=users.officer)
    assert hold.active and hold.placed_by == users.officer
    with pytest.raises(ValidationError, match="reason"):
        holds.release_hold(hold, "", user=users.officer)
    released = holds.release_hold(hold, "subpoena withdrawn on 3 May", user=users.officer)
    assert not released.active
    with pytest.raises(ValidationError, match="already released"):
        holds.release_hold(released, "subpoena withdrawn on 3 May", user=users.officer)
    entries = Entry.objects.filter(purpose__in=[holds.PLACE_PURPOSE, holds.RELEASE_PURPOSE])
    assert entries.count() == 2
