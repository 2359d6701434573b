"""Exports: the package, its disclosure, refusals, re-import (R67–R71, R109; issue #7 item 2)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from steward.audit.models import Action, Entry
from steward.roster.importer.run import import_package
from steward.sharing import actions, notice, package
from steward.sharing.engine import SharingRefused
from steward.sharing.models import Export
from steward.vendors.models import AgreementStatus
from tests.sharing import factories as sf

Capture = Callable[..., AbstractContextManager[object]]


def export(agreement: Any, out: Path, capture: Capture, **kwargs: Any) -> Export:
    with capture(execute=True):
        return actions.do_export(agreement, out=out, **kwargs)


def test_a_bulk_export_is_a_package_with_manifest_notice_and_one_disclosure(
    district: SimpleNamespace,
    users: SimpleNamespace,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    agreement = sf.agreement(district.acme, elements=sf.ROSTER_ELEMENTS)
    out = tmp_path / "acme.zip"
    made = export(agreement, out, django_capture_on_commit_callbacks, by=users.officer)
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        notice_text = archive.read(notice.FILENAME).decode()
    assert names == {
        "manifest.csv", notice.FILENAME, "orgs.csv", "academicSessions.csv", "courses.csv",
        "classes.csv", "users.csv", "roles.csv", "enrollments.csv",
    }  # fmt: skip
    assert "may not disclose this information to any other party" in notice_text
    assert made.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    assert made.counts["users.csv"] == 4 + 3  # students, their teachers
    assert made.entry_seq is not None
    entry = Entry.objects.get(seq=made.entry_seq)
    assert entry.action == Action.RELEASE and entry.subject_count == 4
    detail = json.loads(entry.detail)
    assert detail["export"] == made.pk and detail["package_sha256"] == made.sha256
    assert detail["redisclosure_notice_sha256"] == notice.sha256(notice_text)
    manifest = dict((r["propertyName"], r["value"]) for r in sf.read_package(out)["manifest.csv"])
    assert manifest["file.users"] == "bulk" and manifest["file.demographics"] == "absent"
    assert manifest["file.userProfiles"] == "absent"


def test_an_exported_package_re_imports_into_steward_without_error(
    district: SimpleNamespace, tmp_path: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    agreement = sf.agreement(district.acme, elements=sf.ALL_ELEMENTS)
    export(agreement, tmp_path / "all.zip", django_capture_on_commit_callbacks)
    result = import_package(tmp_path / "all.zip", error_log=tmp_path / "log.csv")
    assert result.log.error_count == 0
    assert result.rows_read["users"] == 4 + 3 + 2  # students, teachers, Gail and Gus


def test_a_minimized_pseudonymous_package_re_imports_without_error(
    district: SimpleNamespace, tmp_path: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    agreement = sf.agreement(district.acme, elements=[["Enrollment", "Student grade level"]])
    sf.feed(agreement, pseudonymous=True, version="1.1")
    export(agreement, tmp_path / "min.zip", django_capture_on_commit_callbacks)
    result = import_package(tmp_path / "min.zip", error_log=tmp_path / "log.csv")
    assert result.log.error_count == 0, list(result.log.lines())


@pytest.mark.parametrize(
    "status",
    [AgreementStatus.EXPIRED, AgreementStatus.TERMINATED, AgreementStatus.DISPOSITION_PENDING],
)
def test_an_ended_agreement_is_refused_an_export_and_nothing_is_written(
    district: SimpleNamespace,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Capture,
    status: str,
) -> None:
    agreement = sf.agreement(district.acme, status=status)
    before = Entry.objects.count()
    with pytest.raises(SharingRefused, match="only an active agreement"):
        export(agreement, tmp_path / "x.zip", django_capture_on_commit_callbacks)
    assert not Export.objects.exists()
    assert Entry.objects.count() == before
    assert list(tmp_path.iterdir()) == []


def test_an_agreement_ended_while_the_package_is_written_is_refused_at_once(
    district: SimpleNamespace,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Capture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    agreement = sf.agreement(district.acme)
    real_write = package.write

    def write_then_terminate(*args: Any, **kwargs: Any) -> package.Result:
        result = real_write(*args, **kwargs)
        type(agreement).objects.filter(pk=agreement.pk).update(status=AgreementStatus.TERMINATED)
        return result

    monkeypatch.setattr(package, "write", write_then_terminate)
    with pytest.raises(SharingRefused, match="terminated"):
        export(agreement, tmp_path / "x.zip", django_capture_on_commit_callbacks)
    assert not Export.objects.exists()
    assert list(tmp_path.iterdir()) == []  # the temporary file is gone too


def test_a_delta_sends_changes_and_tobedeleted_for_students_who_left_the_plan(
    district: SimpleNamespace, tmp_path: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    d = district
    agreement = sf.agreement(d.acme)
    bulk = export(agreement, tmp_path / "bulk.zip", django_capture_on_commit_callbacks)
    run = sf.f.import_run()
    type(d.ben).objects.filter(pk=d.ben.pk).update(family_name="Braun", last_import=run)
    type(d.dee).objects.filter(pk=d.dee.pk).update(active=False, last_import=run)
    delta = export(
        agreement, tmp_path / "delta.zip", django_capture_on_commit_callbacks, delta=True
    )
    assert delta.baseline_id == bulk.pk and delta.mode == "delta"
    users = {r["sourcedId"]: r for r in sf.read_package(tmp_path / "delta.zip")["users.csv"]}
    # Dee left, and with her the Algebra class and its teacher, Lena.
    assert set(users) == {d.ben.sourced_id, d.dee.sourced_id, d.lena.sourced_id}
    assert users[d.lena.sourced_id]["status"] == "tobedeleted"
    assert users[d.ben.sourced_id]["familyName"] == "Braun"
    assert users[d.ben.sourced_id]["status"] == "active"
    assert users[d.ben.sourced_id]["dateLastModified"].endswith("Z")
    assert users[d.dee.sourced_id]["status"] == "tobedeleted"
    assert users[d.dee.sourced_id]["givenName"] == d.dee.sourced_id  # nothing but ids
    files = sf.read_package(tmp_path / "delta.zip")
    assert [r["status"] for r in files["enrollments.csv"]] == ["tobedeleted"] * 2  # Algebra I
    assert [r["title"] for r in files["classes.csv"]] == ["Algebra I"]
    assert import_package(tmp_path / "bulk.zip", error_log=tmp_path / "a.csv").log.error_count == 0
    result = import_package(tmp_path / "delta.zip", error_log=tmp_path / "b.csv")
    assert result.log.error_count == 0, list(result.log.lines())


def test_a_delta_without_an_earlier_export_is_refused(
    district: SimpleNamespace, tmp_path: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    with pytest.raises(SharingRefused, match="send a bulk export first"):
        export(
            sf.agreement(district.acme),
            tmp_path / "d.zip",
            django_capture_on_commit_callbacks,
            delta=True,
        )


def test_a_delta_after_the_allowed_columns_changed_is_refused(
    district: SimpleNamespace, tmp_path: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    agreement = sf.agreement(district.acme)
    export(agreement, tmp_path / "b.zip", django_capture_on_commit_callbacks)
    agreement.data_elements = [*agreement.data_elements, ["Student Contact Information", "Email"]]
    agreement.save(update_fields=["data_elements"])
    with pytest.raises(SharingRefused, match="columns the agreement allows changed"):
        export(agreement, tmp_path / "d.zip", django_capture_on_commit_callbacks, delta=True)
