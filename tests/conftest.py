"""Fixtures shared by test packages."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def scratch_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for `steward` child processes with a database of their own: an SQLite file
    in a temporary data directory, or a scratch PostgreSQL database when DATABASE_URL points at
    PostgreSQL (dropped afterwards). Migrate it with `steward migrate` before use."""
    env = {**os.environ, "STEWARD_DATA_DIR": str(tmp_path / "data")}
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        env.pop("DATABASE_URL", None)
        yield env
        return
    import psycopg

    name = f"steward_scratch_{uuid.uuid4().hex[:8]}"
    base = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = f"{base}/{name}"
    try:
        yield env
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def _plain_static_files(settings: object, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Serve static files from the finders: tests never run collectstatic for the manifest."""
    settings.STORAGES = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.STATIC_ROOT = tmp_path_factory.mktemp("static")  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open(monkeypatch: pytest.MonkeyPatch) -> None:
    """`steward` (Django's run_from_argv) closes every connection when a command ends. Inside a
    test that would close the test transaction's connection (PostgreSQL then refuses further
    queries), so tests run the real CLI but leave the connection to pytest-django."""
    from django.core.management import base

    monkeypatch.setattr(base.connections, "close_all", lambda: None)


@pytest.fixture(autouse=True)
def _site_language_by_default() -> Iterator[None]:
    """Every test starts and ends in the site's language. A request made in another language
    leaves that language active in its thread (LocaleMiddleware activates, nothing resets),
    and the next test on the same worker would otherwise read its strings in Spanish."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
