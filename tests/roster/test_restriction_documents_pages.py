"""The privacy office's restriction pages (R17, R33, R116; #10 item 3): every page anonymous,
for the wrong roles (a teacher, a parent, the restricted parent), for the office with an unknown
id, and for the office; filing and withdrawing through the forms; the document served with safe
headers after a recent sign-in, each opening a READ entry; the list's query count pinned."""

from __future__ import annotations

import json
import time
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from steward.audit.models import Action, Entry
from steward.roster.models import GuardianRelationship
from steward.roster.models_restrictions import RestrictionDocument
from steward.security import reauth

from .restriction_support import NOTE, REASON, file_document, pdf, rd_world

__all__ = ["rd_world"]

MISSING = 999_999
BASE = "/officer/restrictions"


def _urls(w: SimpleNamespace, doc: RestrictionDocument) -> dict[str, tuple[str, str, str]]:
    """name → (method, URL of the right object, URL of an unknown one)."""
    link, missing = w.nick_link.pk, MISSING
    return {
        "list": ("get", f"{BASE}/", f"{BASE}/"),
        "link": ("get", f"{BASE}/links/{link}/", f"{BASE}/links/{missing}/"),
        "upload": ("post", f"{BASE}/links/{link}/upload/", f"{BASE}/links/{missing}/upload/"),
        "withdraw": ("post", f"{BASE}/{doc.pk}/withdraw/", f"{BASE}/{missing}/withdraw/"),
        "document": ("get", f"{BASE}/{doc.pk}/document/", f"{BASE}/{missing}/document/"),
    }


def _upload_data(**changes: Any) -> dict[str, Any]:
    data = {
        "kind": "court_order",
        "issuer": "Suffolk Probate and Family Court",
        "issued_on": "2026-01-05",
        "effective_on": "",
        "expires_on": "",
        "note": "Supervised visitation only.",
        "document": SimpleUploadedFile("custody.pdf", pdf(), content_type="application/pdf"),
    }
    return data | changes


@pytest.fixture
def rd_doc(rd_world: SimpleNamespace) -> RestrictionDocument:
    return file_document(rd_world.nick_link, rd_world.officer)


@pytest.mark.parametrize("page", ["list", "link", "upload", "withdraw", "document"])
def test_every_page_sends_anonymous_visitors_to_sign_in(
    rd_world: SimpleNamespace, rd_doc: RestrictionDocument, client: Client, page: str
) -> None:
    method, url, _missing = _urls(rd_world, rd_doc)[page]
    response = getattr(client, method)(url)
    assert response.status_code == 302 and response["Location"] == f"/login/?next={url}"


@pytest.mark.parametrize("page", ["list", "link", "upload", "withdraw", "document"])
@pytest.mark.parametrize("who", ["teacher", "gail_user", "nick_user", "rex_user"])
def test_every_page_is_forbidden_to_teachers_and_parents_the_restricted_one_above_all(
    rd_world: SimpleNamespace, rd_doc: RestrictionDocument, client: Client, page: str, who: str
) -> None:
    method, url, _missing = _urls(rd_world, rd_doc)[page]
    client.force_login(getattr(rd_world, who))
    response = getattr(client, method)(url, _upload_data() if page == "upload" else {})
    assert response.status_code == 403
    assert NOTE.encode() not in response.content and b"%PDF" not in response.content
    assert (
        RestrictionDocument.objects.count() == 1
        and rd_doc.pk == RestrictionDocument.objects.get().pk
    )


@pytest.mark.parametrize("page", ["link", "upload", "withdraw", "document"])
def test_an_unknown_link_or_document_is_404_for_the_privacy_office(
    rd_world: SimpleNamespace, rd_doc: RestrictionDocument, client: Client, page: str
) -> None:
    method, _url, missing = _urls(rd_world, rd_doc)[page]
    client.force_login(rd_world.officer)
    data = _upload_data() if page == "upload" else {"reason": REASON}
    assert getattr(client, method)(missing, data).status_code == 404


def test_the_list_shows_documents_on_file_and_restricted_parents_without_one(
    rd_world: SimpleNamespace, rd_doc: RestrictionDocument, client: Client
) -> None:
    w = rd_world
    client.force_login(w.officer)
    page = client.get(f"{BASE}/").content.decode()
    assert f'id="document-{rd_doc.pk}"' in page and "Nick Avery" in page
    assert "Middlesex Probate and Family Court" in page and NOTE not in page  # note: link page
    undocumented = client.get(f"{BASE}/", {"show": "undocumented"}).content.decode()
    assert f'id="link-{w.rex_link.pk}"' in undocumented
    assert f'id="link-{w.nick_link.pk}"' not in undocumented
    found = client.get(f"{BASE}/", {"q": "nick"}).content.decode()
    assert f'id="found-{w.nick_link.pk}"' in found and f'id="found-{w.nick_ben.pk}"' in found
    assert f'id="found-{w.gail_link.pk}"' not in found
    reviews = Entry.objects.filter(action=Action.READ, actor_user_id=w.officer.pk).order_by("seq")
    assert [json.loads(e.detail)["event"] for e in reviews] == ["restrictions_reviewed"] * 3
    assert reviews.last().subject_count == 2  # type: ignore[union-attr]  # Ana and Ben


def test_the_list_costs_the_same_queries_for_two_documents_or_six(
    rd_world: SimpleNamespace, client: Client
) -> None:
    w = rd_world
    for link in (w.nick_link, w.nick_ben):
        file_document(link, w.officer)
    client.force_login(w.officer)
    client.get(f"{BASE}/")  # the session, and the ledger's set of these two students

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{BASE}/").status_code == 200
        return len(queries)

    few = count()
    for link in (w.nick_link, w.nick_ben, w.nick_link, w.nick_ben):
        file_document(link, w.officer)
    assert count() == few
    # Session, user, second-factor device, account; count and page of documents (with their
    # links, students, parents and uploaders); the READ entry: chain head, subject set, insert,
    # inside two savepoints (PostgreSQL adds the ledger's advisory lock).
    assert few == (14 if connection.vendor == "postgresql" else 13), few


def test_the_link_page_shows_the_history_and_the_office_files_a_document_through_it(
    rd_world: SimpleNamespace, client: Client
) -> None:
    w = rd_world
    client.force_login(w.officer)
    page = client.get(f"{BASE}/links/{w.nick_link.pk}/")
    assert page.status_code == 200 and b'id="documents-empty"' in page.content
    assert f"/officer/restrictions/links/{w.nick_ben.pk}/".encode() in page.content  # Ben
    response = client.post(f"{BASE}/links/{w.nick_link.pk}/upload/", _upload_data())
    assert response.status_code == 302
    doc = RestrictionDocument.objects.get()
    assert doc.issuer == "Suffolk Probate and Family Court" and doc.filename == "custody.pdf"
    assert GuardianRelationship.objects.get(pk=w.nick_link.pk).access_restricted
    text = client.get(response["Location"]).content.decode()
    assert "Supervised visitation only." in text and "custody.pdf" in text
    assert f'id="withdraw-form-{doc.pk}"' in text


def test_a_refused_file_is_named_on_the_form_and_nothing_is_stored(
    rd_world: SimpleNamespace, client: Client
) -> None:
    w = rd_world
    client.force_login(w.officer)
    fake = SimpleUploadedFile(
        "order.pdf", b"<html>not a pdf</html>", content_type="application/pdf"
    )
    response = client.post(f"{BASE}/links/{w.nick_link.pk}/upload/", _upload_data(document=fake))
    assert response.status_code == 400
    assert "order.pdf: only PDF documents are accepted." in response.content.decode()
    assert not RestrictionDocument.objects.exists()
    assert not GuardianRelationship.objects.get(pk=w.nick_link.pk).access_restricted


def test_the_office_withdraws_a_document_and_gives_access_back_through_the_form(
    rd_world: SimpleNamespace, rd_doc: RestrictionDocument, client: Client
) -> None:
    w = rd_world
    client.force_login(w.officer)
    url = f"{BASE}/{rd_doc.pk}/withdraw/"
    refused = client.post(url, {"reason": ""})
    assert (
        refused.status_code == 400 and f'id="withdraw-form-{rd_doc.pk}"' in refused.content.decode()
    )
    assert client.post(url, {"reason": REASON, "lift": "on"}).status_code == 302
    assert RestrictionDocument.objects.get(pk=rd_doc.pk).withdrawn_reason == REASON
    assert not GuardianRelationship.objects.get(pk=w.nick_link.pk).access_restricted
    again = client.post(url, {"reason": REASON})
    assert again.status_code == 400 and "already withdrawn" in again.content.decode()


def test_the_document_is_served_with_safe_headers_and_each_opening_is_logged(
    rd_world: SimpleNamespace, rd_doc: RestrictionDocument, client: Client
) -> None:
    w = rd_world
    client.force_login(w.officer)
    response = client.get(f"{BASE}/{rd_doc.pk}/document/")
    assert response.status_code == 200 and response.content == pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="restriction-{rd_doc.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["Cache-Control"] == "private, no-store"
    assert response["Digest"] == f"sha-256={rd_doc.sha256}"
    [read] = Entry.objects.filter(action=Action.READ, actor_user_id=w.officer.pk)
    assert read.subject_student == w.ana.pk and read.scopes == "guardian_contact"
    detail = json.loads(read.detail)
    assert detail["event"] == "restriction_document_read" and detail["guardian"] == w.nick.pk
    assert detail["document"] == rd_doc.pk and NOTE not in read.detail


def test_opening_the_document_needs_a_recent_sign_in(
    rd_world: SimpleNamespace, rd_doc: RestrictionDocument, client: Client
) -> None:
    client.force_login(rd_world.officer)
    session = client.session
    session[reauth.PASSWORD_AT] = int(time.time()) - 24 * 3600
    session.save()
    url = f"{BASE}/{rd_doc.pk}/document/"
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == reauth.reauthenticate_url(url)
    assert not Entry.objects.filter(action=Action.READ).exists()
