"""Pseudonymous sourcedIds: stable for one vendor, different across vendors (issue #7)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from steward.sharing import package
from steward.sharing.engine import plan_for
from steward.sharing.pseudonym import LENGTH, Pseudonymizer
from tests.sharing import factories as sf


def test_a_pseudonym_is_stable_for_a_vendor_and_differs_across_vendors_and_kinds() -> None:
    acme, beta = Pseudonymizer(1, b"district key"), Pseudonymizer(2, b"district key")
    assert acme("users", "stu-1") == Pseudonymizer(1, b"district key")("users", "stu-1")
    assert acme("users", "stu-1") != beta("users", "stu-1")
    assert acme("users", "stu-1") != acme("classes", "stu-1")
    assert acme("users", "stu-1") != Pseudonymizer(1, b"another key")("users", "stu-1")
    assert len(acme("users", "stu-1")) == LENGTH and acme("users", "") == ""


def test_the_key_comes_from_the_environment_or_the_data_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("STEWARD_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("STEWARD_PSEUDONYM_KEY", raising=False)
    kept = Pseudonymizer(1)("users", "x")
    assert (tmp_path / "pseudonym_key").stat().st_mode & 0o777 == 0o600
    assert Pseudonymizer(1)("users", "x") == kept
    monkeypatch.setenv("STEWARD_PSEUDONYM_KEY", "from the environment")
    assert Pseudonymizer(1)("users", "x") != kept


def _ids(path: Path) -> set[str]:
    files = sf.read_package(path)
    return {
        row["sourcedId"] for name, rows in files.items() if name != "manifest.csv" for row in rows
    }


def test_two_vendors_get_unlinkable_ids_and_one_vendor_the_same_ids_each_time(
    district: SimpleNamespace, tmp_path: Path
) -> None:
    d = district
    acme, beta = sf.agreement(d.acme), sf.agreement(d.beta)
    for agreement in (acme, beta):
        sf.feed(agreement, pseudonymous=True)
    package.write(plan_for(acme), tmp_path / "a1.zip")
    package.write(plan_for(acme), tmp_path / "a2.zip")
    package.write(plan_for(beta), tmp_path / "b.zip")
    assert _ids(tmp_path / "a1.zip") == _ids(tmp_path / "a2.zip")
    assert not _ids(tmp_path / "a1.zip") & _ids(tmp_path / "b.zip")


def test_a_pseudonymous_package_holds_no_real_sourced_id_in_any_reference(
    district: SimpleNamespace, tmp_path: Path
) -> None:
    d = district
    agreement = sf.agreement(d.acme, elements=sf.ALL_ELEMENTS)
    sf.feed(agreement, pseudonymous=True)
    plan = plan_for(agreement)
    package.write(plan, tmp_path / "p.zip")
    cells = {
        part
        for rows in sf.read_package(tmp_path / "p.zip").values()
        for row in rows
        for value in row.values()
        for part in value.split(",")
    }
    real = [
        d.ana.sourced_id, d.gail.sourced_id, d.tess.sourced_id, d.homeroom.sourced_id,
        d.adams.sourced_id, d.district.sourced_id, d.term.sourced_id,
    ]  # fmt: skip
    assert not set(real) & cells
    assert plan.sourced_id("users", d.ana.sourced_id) in cells
    assert plan.sourced_id("users", d.gail.sourced_id) in cells  # Ana's parent, as her agent
