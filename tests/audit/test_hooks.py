"""What already happens elsewhere leaves ledger entries: logins, failed logins, logouts, roster
imports and admin changes (issue #3 item 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from steward.audit.models import Action, Entry
from steward.audit.verify import verify_ledger
from steward.roster.importer import ImportRejected, import_package

pytestmark = pytest.mark.django_db
PUBLIC = Path(__file__).resolve().parents[2].parent / "shared/data/oneroster-public"


def last() -> Entry:
    entry = Entry.objects.order_by("-seq").first()
    assert entry is not None
    return entry


def test_a_login_is_recorded_with_who_and_from_where(client: Client) -> None:
    User.objects.create_user("amy", password="a-long-passphrase-1")
    client.post(
        "/login/",
        {"username": "amy", "password": "a-long-passphrase-1"},
        REMOTE_ADDR="10.1.2.3",
        HTTP_X_REQUEST_ID="req-42",
    )
    entry = Entry.objects.get(action=Action.LOGIN)
    assert entry.actor_name == "amy" and entry.client_ip == "10.1.2.3"
    assert entry.request_id == "req-42"


def test_a_failed_login_is_recorded_without_the_password(client: Client) -> None:
    client.post("/login/", {"username": "mallory", "password": "guess-123"})
    entry = last()
    assert entry.action == Action.LOGIN_FAILED and entry.actor_name == "mallory"
    assert "guess-123" not in entry.detail and "guess-123" not in entry.actor_name


def test_a_logout_is_recorded(client: Client) -> None:
    User.objects.create_user("bo", password="a-long-passphrase-2")
    client.post("/login/", {"username": "bo", "password": "a-long-passphrase-2"})
    client.post("/logout/")
    assert last().action == Action.LOGOUT


def test_a_roster_import_is_recorded_as_a_change_with_counts(tmp_path: Path) -> None:
    result = import_package(PUBLIC / "Test_full_data_set.zip", error_log=tmp_path / "log.csv")
    entry = last()
    detail = json.loads(entry.detail)
    assert entry.action == Action.CHANGE and entry.actor_role == "district IT"
    assert detail["import_run"] == result.run_id
    assert detail["counts"]["students"]["created"] == 3
    assert verify_ledger().ok


def test_a_rejected_import_writes_nothing_to_the_ledger(tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ImportRejected):
        import_package(bad, error_log=tmp_path / "log.csv")
    assert Entry.objects.count() == 0


def test_an_admin_change_is_recorded_in_the_same_transaction(client: Client) -> None:
    admin = User.objects.create_superuser("root", password="a-long-passphrase-3")
    client.force_login(admin)
    response = client.post("/admin/auth/group/add/", {"name": "Records office"})
    assert response.status_code == 302
    assert Group.objects.filter(name="Records office").exists()
    entry = last()
    detail = json.loads(entry.detail)
    assert entry.action == Action.CREATE and entry.actor_name == "root"
    assert detail["admin"] is True and detail["object"] == "Records office"
