"""The audit CSV: the /officer/audit.csv download and `steward.audit.csvexport` itself."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import StreamingHttpResponse
from django.test import Client

from steward.audit import csvexport, ledger, queries
from steward.audit.ledger import Release
from steward.audit.models import Entry

Login = Callable[[User], Client]
URL = "/officer/audit.csv"


def _record(action: str = "read", **fields: Any) -> Entry:
    return ledger.record(action=action, **fields)


def _download(client: Client, params: dict[str, Any] | None = None) -> list[dict[str, str]]:
    response = client.get(URL, params or {})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="steward-audit-')
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_it_sends_anonymous_visitors_to_the_login_page(client: Client, db: None) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("user", ["teacher", "guardian", "no_role"])
def test_it_forbids_everyone_but_the_privacy_office(
    client_as: Login, users: SimpleNamespace, user: str
) -> None:
    assert client_as(getattr(users, user)).get(URL).status_code == 403


def test_it_downloads_every_matching_entry_with_its_columns(
    client_as: Login, users: SimpleNamespace
) -> None:
    release = Release(
        releaser_name="Rita Reyes",
        releaser_position="records custodian",
        releaser_signature="sig",
        recipient_name="Quill Learning",
        recipient_affiliation="Quill Learning Inc.",
    )
    entry = _record(
        "export",
        actor_name="Rita Reyes",
        actor_role="privacy_officer",
        students=[users.ann.pk, users.ben.pk],
        scopes=["roster", "grades"],
        purpose="rostering",
        legitimate_interest="school official",
        basis="A1",
        agreement_id="DPA-7",
        release=release,
        request_id="req-1",
        client_ip="10.0.0.9",
    )
    _record(students=[users.ben.pk])
    rows = _download(client_as(users.officer), {"student": users.ann.sourced_id})
    own, row = rows  # this download's own entry first, then the export
    assert own["purpose"] == "audit review"
    assert row == {
        "seq": str(entry.seq),
        "time_utc": entry.at.isoformat().replace("+00:00", "Z"),
        "actor_name": "Rita Reyes",
        "actor_role": "privacy_officer",
        "actor_affiliation": "",
        "action": "export",
        "scopes": "grades,roster",
        "purpose": "rostering",
        "legitimate_interest": "school official",
        "basis": "A1",
        "agreement_id": "DPA-7",
        "consent_id": "",
        "subject_count": "2",
        "recipient_name": "Quill Learning",
        "recipient_affiliation": "Quill Learning Inc.",
        "releaser": "Rita Reyes (records custodian)",
        "request_id": "req-1",
        "client_ip": "10.0.0.9",
        "hash": entry.hash,
        "tombstone": "false",
    }


def test_downloading_is_itself_recorded(client_as: Login, users: SimpleNamespace) -> None:
    _download(client_as(users.officer), {"basis": "A9"})
    own = Entry.objects.order_by("-seq").first()
    assert own is not None
    assert (own.action, own.purpose, own.actor_user_id) == (
        "read",
        "audit review",
        users.officer.pk,
    )
    assert json.loads(own.detail) == {"filters": {"basis": "A9"}, "format": "csv"}


def test_it_refuses_invalid_filters(client_as: Login, users: SimpleNamespace) -> None:
    client = client_as(users.officer)  # signing in is recorded too
    before = Entry.objects.count()
    response = client.get(URL, {"since": "not a date"})
    assert response.status_code == 400
    assert Entry.objects.count() == before


def test_cells_that_a_spreadsheet_would_run_are_quoted(
    client_as: Login, users: SimpleNamespace
) -> None:
    _record(
        actor_name='=HYPERLINK("http://evil.example","x")',
        actor_affiliation="+1 555",
        purpose="-2+3",
        legitimate_interest="@SUM(A1)",
    )
    rows = _download(client_as(users.officer), {"action": "read", "actor": "hyperlink"})
    [row] = rows
    assert row["actor_name"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["actor_affiliation"] == "'+1 555"
    assert row["purpose"] == "'-2+3"
    assert row["legitimate_interest"] == "'@SUM(A1)"


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_the_guard_prefixes_only_dangerous_first_characters(cell: str, written: str) -> None:
    assert csvexport.guard(cell) == written


@pytest.mark.django_db
def test_the_file_writer_writes_a_header_and_one_line_per_entry() -> None:
    for i in range(3):
        _record(actor_name=f"Staff {i}")
    out = io.StringIO(newline="")
    assert csvexport.write(queries.search(), out) == 3
    lines = list(csv.reader(io.StringIO(out.getvalue())))
    assert lines[0] == list(csvexport.HEADER)
    assert [line[2] for line in lines[1:]] == ["Staff 2", "Staff 1", "Staff 0"]


@pytest.mark.django_db
def test_the_file_writer_reads_the_ledger_in_chunks(
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    ledger.record_many([ledger.Event(action="read", actor_name=f"S{i}") for i in range(2500)])
    out = io.StringIO(newline="")
    with django_assert_max_num_queries(3):
        assert csvexport.write(queries.search(), out) == 2500
