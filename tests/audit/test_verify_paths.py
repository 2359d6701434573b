"""The fast verification path (SQLite serialises) agrees with the reference path (Python
serialises) on every entry, whatever text the fields hold (issue #3)."""

from __future__ import annotations

import os

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from steward.audit import chain
from steward.audit.ledger import Event, record_many
from steward.audit.models import Action
from steward.audit.verify import stored_entries, verify_ledger

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the fast path is SQLite's",
    ),
]

TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40)


@settings(max_examples=30, deadline=None)
@given(names=st.lists(TEXT, min_size=1, max_size=8), purpose=TEXT)
def test_sqlite_json_matches_the_canonical_serialisation(names: list[str], purpose: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_entry")  # hypothesis reuses one test transaction
    record_many(
        [Event(action=Action.READ, actor_name=n, purpose=purpose, detail={"n": n}) for n in names]
    )
    fast = list(stored_entries(serialised=True))
    slow = list(stored_entries())
    for quick, reference in zip(fast, slow, strict=True):
        assert isinstance(quick.values, str) and reference.values is not None
        assert quick.values.encode() == chain.canonical(reference.values)
    assert verify_ledger().ok
