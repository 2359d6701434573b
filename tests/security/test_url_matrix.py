"""The role × URL matrix (#10 item 4; design.md §6; R33, R116(1)(2)): every URL pattern of the
project, enumerated from the URLconf, for every role, in the four states — anonymous, wrong
role, right role with the wrong student or object, right role with the right one — answering
exactly what its view is meant to answer. A URL without a row in the tables fails the build.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from steward.accounts.models import Account
from steward.roster.models import GuardianRelationship
from tests.web import factories as f

from . import (
    url_matrix_admin,
    url_matrix_api,
    url_matrix_family,
    url_matrix_office,
    url_matrix_office_data,
    url_matrix_security,
    url_matrix_staff,
    url_matrix_vendors,
)
from .url_matrix_fixtures import matrix_client, matrix_world
from .url_matrix_harness import ask_and_check, check, headers_of, url_of
from .url_matrix_spec import (
    ANONYMOUS,
    API_CLIENTS,
    ROLES,
    SIGNED_IN,
    Spec,
)
from .url_matrix_urls import table_for, url_patterns
from .url_matrix_world import World

__all__ = ["matrix_client", "matrix_world"]

TABLES = (
    url_matrix_staff,
    url_matrix_family,
    url_matrix_office,
    url_matrix_office_data,
    url_matrix_security,
    url_matrix_vendors,
    url_matrix_api,
    url_matrix_admin,
)


def _specs() -> dict[str, Spec]:
    found: dict[str, Spec] = {}
    for table in TABLES:
        for spec in table.SPECS:
            assert spec.key not in found, f"{spec.key} has two rows ({table.__name__})"
            found[spec.key] = spec
    return found


SPECS = _specs()
PATTERNS = url_patterns()


def _roles(spec: Spec) -> tuple[str, ...]:
    # Off the API, a bearer token is no one: one client stands for both.
    return ROLES if spec.api else tuple(r for r in ROLES if r != "api_core")


def _params() -> list[Any]:
    return [
        pytest.param(SPECS[p.key], role, id=f"{p.key}[{role}]")
        for p in PATTERNS
        if p.key in SPECS
        for role in _roles(SPECS[p.key])
    ]


def test_every_url_pattern_of_the_project_is_in_the_matrix() -> None:
    missing = [p for p in PATTERNS if p.key not in SPECS]
    assert not missing, "URL patterns without a row in the role × URL matrix:\n" + "\n".join(
        f"  {p.key!r} (route /{p.route}, view {p.view}): add a Spec(key={p.key!r}, ...) "
        f"to SPECS in tests/security/{table_for(p.route)}"
        for p in missing
    )


def test_every_row_of_the_matrix_names_a_url_pattern_of_the_project() -> None:
    keys = {p.key for p in PATTERNS}
    stale = sorted(set(SPECS) - keys)
    assert not stale, f"rows for URL patterns that no longer exist: {stale}"


@pytest.mark.parametrize(("spec", "role"), _params())
def test_each_role_gets_exactly_what_the_view_answers(
    spec: Spec, role: str, matrix_world: World, matrix_client: Client
) -> None:
    w, client = matrix_world, matrix_client
    if role in SIGNED_IN:
        client.force_login(w.users[role])
    if role not in spec.allowed:
        if role == ANONYMOUS or (role in API_CLIENTS and not spec.api):
            ask_and_check(client, spec, w, role, spec.anonymous, "anonymous")
        else:
            ask_and_check(client, spec, w, role, spec.expect_denied(role), "wrong role")
        return
    if spec.post and spec.get is not None:
        kwargs = spec.args(w, role, True)
        asked = client.get(url_of(spec, w, kwargs), headers=headers_of(spec, w, role, True))
        check(asked, spec.get, spec, w, role, kwargs, "GET of a POST-only URL")
    ok = spec.expect_right(role)
    ask_and_check(client, spec, w, role, ok, "right role, right object", place=spec.goes_to)
    wrong = spec.expect_wrong(role)
    if wrong is not None:
        ask_and_check(client, spec, w, role, wrong, "right role, wrong object", right=False)
        if spec.also_wrong is not None:
            what = "right role, its other wrong object"
            ask_and_check(client, spec, w, role, wrong, what, right=False, args=spec.also_wrong)


def test_a_hearing_officer_replaced_on_a_case_no_longer_opens_it(
    matrix_world: World, matrix_client: Client
) -> None:
    """Regression (#10 item 4): the page let in anyone ever scheduled to hear the case, so a
    hearing officer replaced (say, for a conflict of interest) still read the contested record
    parts; only the current schedule's officer may (R36), as the decision action requires."""
    w, client = matrix_world, matrix_client
    url = reverse("amendments-office-hearing-decision", args=[w.amend["eli"].request.pk])
    client.force_login(w.users["principal"])  # Eli's hearing was hers, then moved to Carl
    assert client.get(url).status_code == 403
    client.force_login(w.users["counselor"])
    assert client.get(url).status_code == 200


def test_a_relative_who_is_not_acting_as_parent_sees_no_record(
    matrix_world: World, matrix_client: Client
) -> None:
    """Regression (#10 item 4): any active, unrestricted guardian link opened the whole record
    at /students/<id>/ (and the family's documents in it), though a relative's link makes no
    parent while a parent is on record (R11), as the family portal already said (404)."""
    w, client = matrix_world, matrix_client
    aunt = f.guardian(w.run, "Ada", "Avery")
    GuardianRelationship.objects.create(
        guardian=aunt, student=w.ana, kind="relative", custodial=False, last_import=w.run
    )
    client.force_login(f.login("aunt", Account.Role.GUARDIAN, guardian=aunt))
    for url in (
        reverse("student-record", args=[w.ana.pk]),
        reverse("amendments-addition-document", args=[w.addition["ana"].pk]),
        reverse("portal-child", args=[w.ana.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert w.ana.display_name not in client.get(reverse("portal-home")).content.decode()


def test_a_parent_barred_after_the_exit_notice_no_longer_reads_or_acknowledges_it(
    matrix_world: World, matrix_client: Client
) -> None:
    """Regression (#10 item 4): the exit notice checked only whom it was addressed to when it
    was written, so a parent barred by a court order since (R17) still read it and could
    acknowledge it, which is what lets the record's destruction go ahead (R102)."""
    w, client = matrix_world, matrix_client
    notice = w.exit["eli"].notice
    GuardianRelationship.objects.filter(guardian=w.gail, student=w.eli).update(
        access_restricted=True
    )
    client.force_login(w.users["guardian"])
    for name in ("retention-family-notice", "retention-family-notice-pdf"):
        assert client.get(reverse(name, args=[notice.pk])).status_code == 404, name
    assert client.post(reverse("retention-family-notice", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.delivered_at is None
    client.force_login(w.users["student"])  # Eli himself still has it
    assert client.get(reverse("retention-family-notice", args=[notice.pk])).status_code == 200
