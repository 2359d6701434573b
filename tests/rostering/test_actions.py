"""The credential actions (issue #7 item 3; design.md §3 rule 2): each writes its ledger
entry in the same transaction, refuses with clear messages, and a failure writes nothing."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from steward.audit.models import Action, Entry
from steward.rostering import actions
from steward.rostering import scopes as sc
from steward.rostering.models import AccessToken, ApiClient
from steward.vendors.models import AgreementStatus
from tests.rostering.factories import make_client
from tests.sharing.factories import ROSTER_ELEMENTS, agreement


def test_creating_a_client_records_who_for_which_agreement_and_scopes(
    world: SimpleNamespace,
) -> None:
    made, secret = actions.do_create_api_client(
        agreement=world.deal, name="Acme nightly sync", scopes=[sc.ROSTER, sc.CORE],
        by=world.logins.officer,
    )  # fmt: skip
    assert made.client_id.startswith("or-") and len(secret) >= 40
    assert made.scopes == [sc.CORE, sc.ROSTER]  # in the scopes' own order
    entry = Entry.objects.get(action=Action.CREATE, agreement_id=str(world.deal.pk))
    assert entry.actor_user_id == world.logins.officer.pk
    detail = json.loads(entry.detail)
    assert detail["client_id"] == made.client_id
    assert secret not in entry.detail


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"name": " "}, "no_name"),
        ({"scopes": []}, "no_scope"),
        ({"scopes": ["https://example.org/write"]}, "unknown_scope"),
    ],
)
def test_it_refuses_a_client_without_a_name_or_with_bad_scopes(
    world: SimpleNamespace, fields: dict[str, Any], code: str
) -> None:
    values: dict[str, Any] = {"name": "Sync", "scopes": [sc.CORE]} | fields
    with pytest.raises(ValidationError) as error:
        actions.do_create_api_client(agreement=world.deal, by=None, **values)
    assert code in [e.code for e in error.value.error_list]
    assert not ApiClient.objects.exists()


def test_it_refuses_the_demographics_scope_when_the_agreement_lists_no_demographics(
    world: SimpleNamespace,
) -> None:
    deal = agreement(world.beta, elements=ROSTER_ELEMENTS)
    with pytest.raises(ValidationError, match="demographic"):
        make_client(deal, [sc.DEMOGRAPHICS])


@pytest.mark.parametrize(
    "status",
    [AgreementStatus.TERMINATED, AgreementStatus.EXPIRED, AgreementStatus.DISPOSITION_PENDING],
)
def test_it_refuses_credentials_for_an_agreement_that_has_ended(
    world: SimpleNamespace, status: str
) -> None:
    deal = agreement(world.beta, status=status)
    with pytest.raises(ValidationError, match="only issued"):
        make_client(deal)


def test_a_draft_agreement_may_have_credentials_that_work_once_it_is_active(
    world: SimpleNamespace,
) -> None:
    made, _secret = make_client(agreement(world.beta, status=AgreementStatus.DRAFT))
    assert made.active


def test_a_failed_ledger_write_leaves_no_client(
    world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("ledger down")

    monkeypatch.setattr("steward.rostering.actions.ledger.record", broken)
    with pytest.raises(RuntimeError):
        make_client(world.deal)
    assert not ApiClient.objects.exists()


def test_rotating_revokes_tokens_and_a_failure_keeps_the_old_secret(
    world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    made, _secret = make_client(world.deal)
    actions.do_issue_access_token(client=made, scopes=[sc.CORE])
    old_hash = made.secret_hash

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("ledger down")

    with monkeypatch.context() as patch:
        patch.setattr("steward.rostering.actions.ledger.record", broken)
        with pytest.raises(RuntimeError):
            actions.do_rotate_api_client_secret(client=made, by=None)
    made.refresh_from_db()
    assert made.secret_hash == old_hash
    assert not AccessToken.objects.filter(revoked=True).exists()
    actions.do_rotate_api_client_secret(client=made, by=None)
    made.refresh_from_db()
    assert made.secret_hash != old_hash and made.rotated_at is not None
    assert AccessToken.objects.get().revoked


def test_deactivating_needs_a_reason_and_happens_once(world: SimpleNamespace) -> None:
    made, _secret = make_client(world.deal)
    with pytest.raises(ValidationError, match="reason"):
        actions.do_deactivate_api_client(client=made, reason="", by=None)
    actions.do_deactivate_api_client(client=made, reason="contract ended", by=None)
    assert not made.active and made.deactivated_at is not None
    with pytest.raises(ValidationError, match="already"):
        actions.do_deactivate_api_client(client=made, reason="again", by=None)
    with pytest.raises(ValidationError, match="deactivated"):
        actions.do_rotate_api_client_secret(client=made, by=None)
    reasons = [
        json.loads(e.detail).get("reason") for e in Entry.objects.filter(action=Action.CHANGE)
    ]
    assert "contract ended" in reasons
