"""Disclosure entries in the ledger (R55–R58, R63–R65, R69; issue #7 item 4)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from steward.audit.models import Action
from steward.audit.queries import search
from steward.sharing.disclosure import record_disclosure
from steward.sharing.engine import plan_for
from tests.sharing import factories as sf

NAME = ("Student Name", "First and/or last")


def test_it_writes_one_release_entry_with_the_99_32_and_massachusetts_fields(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    d = district
    plan = plan_for(sf.agreement(d.acme))
    entry = record_disclosure(
        plan,
        channel="export",
        student_ids=plan.student_ids,
        elements=[NAME],
        by=users.officer,
        detail={"redisclosure_notice_sha256": "a" * 64},
    )
    assert entry.action == Action.RELEASE
    assert entry.subject_count == 4
    assert entry.basis == "A1" and entry.agreement_id == str(plan.agreement_id)
    assert entry.scopes == "directory"
    release = json.loads(entry.release)
    assert release["recipient"] == {
        "name": "Acme Learning",
        "position": "operator under “Acme Learning DPA”",
        "affiliation": "Acme Learning",
    }
    assert release["releaser"]["signature"] == f"user:{users.officer.pk}"
    detail = json.loads(entry.detail)
    assert detail["elements"] == [list(NAME)] and detail["channel"] == "export"
    assert list(search(student=d.dee.pk).values_list("seq", flat=True)) == [entry.seq]


def test_an_automated_release_is_signed_by_the_agreement(district: SimpleNamespace) -> None:
    plan = plan_for(sf.agreement(district.acme))
    entry = record_disclosure(plan, channel="api", student_ids=[district.ana.pk], elements=[NAME])
    release = json.loads(entry.release)
    assert release["releaser"] == {
        "name": "Dana Director",
        "position": "district signatory of the agreement (standing authorization)",
        "signature": f"agreement:{plan.agreement_id}",
    }
    assert entry.actor_name == "Steward" and entry.actor_role == "system"


def test_it_refuses_to_record_a_student_outside_the_plan(district: SimpleNamespace) -> None:
    d = district
    plan = plan_for(sf.agreement(d.acme, scope="grades", scope_grades=["07"]))
    with pytest.raises(ValueError, match="outside the plan"):
        record_disclosure(plan, channel="api", student_ids=[d.ana.pk], elements=[NAME])


def test_it_refuses_to_record_an_element_outside_the_plan(district: SimpleNamespace) -> None:
    plan = plan_for(sf.agreement(district.acme))
    with pytest.raises(ValueError, match="elements outside the plan"):
        record_disclosure(
            plan, channel="api", student_ids=[], elements=[("Demographics", "Date of birth")]
        )


def test_an_export_without_the_redisclosure_notice_is_refused(district: SimpleNamespace) -> None:
    plan = plan_for(sf.agreement(district.acme, basis="A6"))
    with pytest.raises(ValueError, match="R69"):
        record_disclosure(plan, channel="export", student_ids=[], elements=[NAME])
