"""Fixtures for the importer tests: a database snapshot, a seeded roster, and a CLI runner.

`db_snapshot()` is the yardstick for "the database is untouched": the row count of every table
of the roster and accounts apps and a sha256 over every row of every table, in primary-key
order. Two snapshots are equal only if no row was added, removed or changed.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.db.models import Model

from steward import cli
from steward.roster.importer import ImportResult, import_package
from steward.roster.models import ImportRun

from .fixtures import OneRosterPackage, package

APPS = ("roster", "accounts")
PUBLIC = Path(__file__).parents[2].parent / "shared/data/oneroster-public"


def snapshot_models(exclude: Iterable[type[Model]] = ()) -> list[type[Model]]:
    skipped = set(exclude)
    return [
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if model not in skipped
    ]


def db_snapshot(exclude: Iterable[type[Model]] = ()) -> dict[str, tuple[int, str]]:
    """{table: (row count, sha256 of every row in pk order)} for the roster and accounts apps.

    `exclude` leaves tables out (e.g. ImportRun, which records every run even when the roster
    content does not change).
    """
    state: dict[str, tuple[int, str]] = {}
    for model in snapshot_models(exclude):
        fields = [f.attname for f in model._meta.concrete_fields]
        digest = hashlib.sha256()
        count = 0
        for row in model._base_manager.order_by("pk").values_list(*fields).iterator():
            digest.update(json.dumps(list(row), default=str, sort_keys=True).encode())
            digest.update(b"\n")
            count += 1
        state[model._meta.db_table] = (count, digest.hexdigest())
    return state


def roster_content() -> dict[str, tuple[int, str]]:
    """The snapshot without the import-run journal: what the roster itself holds."""
    return db_snapshot(exclude=[ImportRun])


def every_row_text() -> str:
    """Every value of every row of every table of every installed app, as one string (to
    search for things that must never be stored, such as passwords)."""
    parts = []
    for model in apps.get_models():
        for row in model._base_manager.values_list().iterator():
            parts.append(json.dumps(list(row), default=str))
    return "\n".join(parts)


@dataclass
class CliRun:
    code: int
    out: str
    err: str
    log_path: Path

    def log_rows(self) -> list[dict[str, str]]:
        with self.log_path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep default import logs out of the repository's var/ folder."""
    monkeypatch.setenv("STEWARD_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """write(pkg, as_zip=False) -> path of a fresh copy of `pkg` under tmp_path."""
    counter = itertools.count(1)

    def _write(pkg: OneRosterPackage, *, as_zip: bool = False) -> Path:
        return pkg.write(tmp_path / f"pkg{next(counter)}", as_zip=as_zip)

    return _write


@pytest.fixture
def steward_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., CliRun]:
    """Run `steward import PATH --error-log LOG` through the real CLI entry point."""
    counter = itertools.count(1)

    def _run(path: Path) -> CliRun:
        log_path = tmp_path / f"conformance-{next(counter)}.csv"
        capsys.readouterr()
        code = 0
        try:
            cli.main(["steward", "import", str(path), "--error-log", str(log_path)])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return CliRun(code, out, err, log_path)

    return _run


@pytest.fixture
def import_pkg(tmp_path: Path, write: Callable[..., Path]) -> Callable[..., ImportResult]:
    """import_pkg(pkg) -> ImportResult, through the Python API."""
    counter = itertools.count(1)

    def _import(pkg: OneRosterPackage, *, as_zip: bool = False) -> ImportResult:
        path = write(pkg, as_zip=as_zip)
        return import_package(path, error_log=tmp_path / f"api-log-{next(counter)}.csv")

    return _import


@pytest.fixture
def seeded(db: None, import_pkg: Callable[..., ImportResult]) -> ImportResult:
    """A database that already holds the valid 1.1 package of `fixtures.package()`."""
    result = import_pkg(package("1.1"))
    assert result.changed
    return result
