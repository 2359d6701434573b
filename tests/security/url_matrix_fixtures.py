"""Fixtures of the role × URL matrix: the district, built once per test module, and a client
signed in as a matrix role.

The district is built inside one outer transaction that is rolled back when the module ends;
each test's own transaction (pytest-django's `db`) is a savepoint inside it, so a POST that
changes something is undone before the next test, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from steward.access import service
from steward.rostering import plans

from .url_matrix_world import World, build_roster
from .url_matrix_world_family import build_family
from .url_matrix_world_office import build_office


def _fresh_caches() -> None:
    # The access index, the API's plans and the rate-limit counters live outside the database:
    # they must not outlive the rows they were built from.
    service.reset()
    plans.reset()
    cache.clear()


@pytest.fixture(scope="module")
def matrix_world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The matrix district (see `url_matrix_world`), shared by every test of the module."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        with django_db_blocker.unblock():
            _fresh_caches()
            world = build_roster()
            build_family(world)
            build_office(world, tmp_path_factory.mktemp("matrix"))
        yield world
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            _fresh_caches()


@pytest.fixture
def matrix_client(matrix_world: World, db: None) -> Iterator[Client]:
    """A fresh client; the access index and API caches start empty for each test."""
    _fresh_caches()
    yield Client()
    _fresh_caches()
