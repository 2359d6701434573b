"""Provisioning a login is recorded in the ledger once; repeating it records nothing."""

from __future__ import annotations

import json

import pytest

from steward.accounts.actions import do_provision_account
from steward.audit.models import Action, Entry

pytestmark = pytest.mark.django_db


def test_provisioning_a_login_writes_one_entry_and_a_repeat_writes_none() -> None:
    do_provision_account(username="officer", role="privacy_officer", password="a-long-pass-9")
    do_provision_account(username="officer", role="privacy_officer", password="a-long-pass-9")
    entries = list(Entry.objects.all())
    assert len(entries) == 1
    assert entries[0].action == Action.CREATE
    detail = json.loads(entries[0].detail)
    assert detail["username"] == "officer" and "a-long-pass-9" not in entries[0].detail


def test_changing_a_logins_role_is_recorded_as_a_change() -> None:
    do_provision_account(username="pat", role="teacher")
    do_provision_account(username="pat", role="counselor")
    last = Entry.objects.order_by("-seq").first()
    assert last is not None and last.action == Action.CHANGE
    assert json.loads(last.detail)["changed"] == ["account"]
