"""Temporary export packages (`steward.sharing.staging`): a dead export's partial package is
removed, a live one's never (#10 item 7; R116: no stray copies of student data)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from steward.sharing import staging


def _leftover(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(b"student rows")
    return path


@pytest.mark.parametrize(
    "name",
    [
        ".roster.zip.8931.0badf00d.part",
        ".roster.zip.8931.17620179.part",  # a random part of digits only (it failed CI once)
        ".roster.zip.8931.part",  # written by releases before the random part
    ],
)
def test_it_removes_a_dead_exports_partial_package(tmp_path: Path, name: str) -> None:
    leftover = _leftover(tmp_path, name)
    assert staging.remove_stale(tmp_path / "roster.zip") == [leftover]
    assert not leftover.exists()


def test_it_leaves_another_destinations_partial_package(tmp_path: Path) -> None:
    other = _leftover(tmp_path, ".roster.zip.2026.8931.17620179.part")
    assert staging.remove_stale(tmp_path / "roster.zip") == []
    assert other.exists()
    assert staging.remove_stale(tmp_path / "roster.zip.2026") == [other]


def test_it_leaves_files_that_are_not_partial_packages(tmp_path: Path) -> None:
    for name in (".roster.zip.part", ".roster.zip.abc.part", "roster.zip.8931.part"):
        _leftover(tmp_path, name)
    assert staging.remove_stale(tmp_path / "roster.zip", whole_folder=True) == []


def test_it_never_removes_the_package_a_live_export_is_writing(tmp_path: Path) -> None:
    target = tmp_path / "roster.zip"
    staged = staging.stage(target)
    try:
        assert staging.remove_stale(target, whole_folder=True) == []
        assert staged.path.exists()
        assert staged.path.name.startswith(f".roster.zip.{os.getpid()}.")
        assert staged.path.stat().st_mode & 0o077 == 0
    finally:
        staged.discard()
    assert not staged.path.exists()
