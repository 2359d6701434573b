"""The feed settings action (issue #7 item 1): validated, office only, in the ledger."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from steward.audit.models import Action, Entry
from steward.sharing.actions import do_save_feed
from steward.sharing.models import Feed
from tests.sharing import factories as sf


def test_the_office_creates_then_changes_a_feed_with_its_before_and_after_in_the_ledger(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    agreement = sf.agreement(district.acme)
    common = {"by": users.officer, "recruiter": False}
    do_save_feed(agreement, version="1.2", pseudonymous=False, requested_columns={}, **common)
    feed = do_save_feed(
        agreement,
        version="1.1",
        pseudonymous=True,
        requested_columns={"users.csv": ["email", "givenName", "email"]},
        **common,
    )
    assert feed.requested_columns == {"users.csv": ["givenName", "email"]}  # spec order, once
    entries = Entry.objects.filter(agreement_id=str(agreement.pk)).order_by("seq")
    assert [e.action for e in entries] == [Action.CREATE, Action.CHANGE]
    detail = json.loads(entries.last().detail)  # type: ignore[union-attr]
    assert detail["before"]["version"] == "1.2" and detail["after"]["pseudonymous"] is True


def test_unknown_columns_are_refused_and_nothing_is_written(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    agreement = sf.agreement(district.acme)
    before = Entry.objects.count()
    with pytest.raises(ValidationError) as refused:
        do_save_feed(
            agreement,
            version="1.1",
            pseudonymous=False,
            recruiter=False,
            requested_columns={"users.csv": ["pronouns"], "grades.csv": ["x"]},
            by=users.officer,
        )
    text = " ".join(refused.value.messages)
    assert "Not columns of users.csv in OneRoster 1.1: pronouns." in text
    assert "grades.csv is not a OneRoster file Steward sends." in text
    assert not Feed.objects.exists() and Entry.objects.count() == before


@pytest.mark.parametrize("who", ["teacher", "vendor"])
def test_only_the_privacy_office_changes_a_feed(
    district: SimpleNamespace, users: SimpleNamespace, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        do_save_feed(
            sf.agreement(district.acme),
            version="1.2",
            pseudonymous=True,
            recruiter=False,
            requested_columns={},
            by=getattr(users, who),
        )
    assert not Feed.objects.exists()
