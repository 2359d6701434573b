"""Families see every disclosure to a vendor in the portal's log (R61(1), R66; issue #7)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from steward.accounts.models import Account
from steward.audit.family import family_log
from steward.sharing import actions
from steward.sharing.disclosure import record_disclosure
from steward.sharing.engine import plan_for
from tests.sharing import factories as sf
from tests.web import factories as f

Capture = Callable[..., AbstractContextManager[object]]


def _export(agreement: Any, tmp_path: Path, capture: Capture) -> None:
    with capture(execute=True):
        actions.do_export(agreement, out=tmp_path / f"{agreement.pk}.zip")


def test_the_family_log_says_what_was_shared_with_which_vendor(
    district: SimpleNamespace, tmp_path: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    d = district
    _export(sf.agreement(d.acme), tmp_path, django_capture_on_commit_callbacks)
    [row] = [row for row in family_log(d.ana.pk) if row.shared_with]
    assert row.shared_with == "Acme Learning"
    assert "The student's name (first and last name)" in row.shared_data
    assert "Class schedule (the student's classes, the names of the student's teachers)" in (
        row.shared_data
    )
    assert row.other_students == 3


def test_every_disclosure_is_shown_exports_and_api_responses_alike(
    district: SimpleNamespace, tmp_path: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    d = district
    agreement = sf.agreement(d.beta)
    _export(agreement, tmp_path, django_capture_on_commit_callbacks)
    plan = plan_for(agreement)
    record_disclosure(
        plan,
        channel="api",
        student_ids=[d.cal.pk],
        elements=[("Student Name", "First and/or last")],
    )
    shared = [row for row in family_log(d.cal.pk) if row.shared_with]
    assert [row.shared_with for row in shared] == ["Beta Data", "Beta Data"]
    assert shared[0].shared_data == ("The student's name (first and last name)",)
    assert next(row for row in family_log(d.dee.pk) if row.shared_with).shared_with == "Beta Data"


def test_a_guardian_reads_the_sentence_in_the_portal(
    district: SimpleNamespace,
    tmp_path: Path,
    client: Client,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    d = district
    _export(sf.agreement(d.acme), tmp_path, django_capture_on_commit_callbacks)
    gail: User = f.login("gail", Account.Role.GUARDIAN, guardian=d.gail)
    client.force_login(gail)
    html = client.get(reverse("portal-child-log", args=[d.ana.pk])).content.decode()
    day = sf.days(0).isoformat()
    assert f"Shared with Acme Learning on {day}: School enrollment" in html
    assert "The student&#x27;s name (first and last name)" in html
