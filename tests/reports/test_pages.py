"""The report pages in four states (anonymous → login, teacher or guardian → 403, unknown
object → 404, privacy officer → 200 with the content), their forms, the published files, and
the list pages' pinned query counts."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from steward.reports.actions import extracts as extract_actions
from steward.reports.actions import releases as actions
from steward.reports.extracts import ExtractSpec
from steward.reports.models import ExtractStatus, Release, ReleaseStatus, ResearchExtract, Series
from steward.reports.sdc.rules import Rules
from steward.reports.spec import Family, Geography, Grades, Measure, ReportSpec

from .factories import AS_OF, study_agreement

Login = Callable[[User], Client]
DETERMINATION = (
    "Every count under 10 is withheld and the audit shows no withheld count can be "
    "narrowed below the protection interval, alone or with release 1."
)
BUILD = {
    "measure": "enrollment",
    "geography": "school",
    "grades": "band",
    "family": "race",
    "as_of": AS_OF.isoformat(),
    "threshold": "10",
    "rare_threshold": "20",
    "protection": "30",
    "complement": "on",
    "percent_decimals": "0",
}


def enrollment_spec() -> ReportSpec:
    return ReportSpec(Measure.ENROLLMENT, Geography.SCHOOL, Grades.BAND, Family.RACE, AS_OF)


@pytest.fixture
def filled(world: SimpleNamespace) -> SimpleNamespace:
    """A series with an approved release and a draft; a study with a delivered extract and
    a draft one."""
    w = world
    w.first = actions.prepare_from_builder(
        enrollment_spec(), Rules(), new_title="Enrollment by school and race", user=w.officer
    )
    w.first = actions.approve_release(w.first, DETERMINATION, user=w.officer)
    w.series = w.first.series
    w.draft = actions.prepare_release(w.series, AS_OF.replace(day=20), user=w.officer)
    w.study = study_agreement(w.officer)
    spec = ExtractSpec(AS_OF, ("school", "sex"), ("ela_level",), (), k=5, l_div=1)
    w.sent = extract_actions.prepare_extract(w.study, "Sent", spec, user=w.officer)
    w.sent = extract_actions.deliver_extract(w.sent, user=w.officer)
    w.waiting = extract_actions.prepare_extract(w.study, "Waiting", spec, user=w.officer)
    return w


def page_urls(w: SimpleNamespace) -> list[str]:
    return [
        reverse("reports-index"),
        reverse("reports-build"),
        f"{reverse('reports-build')}?{urlencode(BUILD)}",
        reverse("reports-series", args=[w.series.pk]),
        reverse("reports-release", args=[w.first.pk]),
        reverse("reports-release", args=[w.draft.pk]),
        reverse("reports-release-csv", args=[w.first.pk]),
        reverse("reports-release-pdf", args=[w.first.pk]),
        reverse("reports-extracts"),
        reverse("reports-extract", args=[w.sent.pk]),
        reverse("reports-extract-csv", args=[w.sent.pk]),
    ]


def post_urls(w: SimpleNamespace) -> list[str]:
    return [
        f"{reverse('reports-prepare')}?{urlencode(BUILD)}",
        reverse("reports-series-next", args=[w.series.pk]),
        reverse("reports-release-approve", args=[w.draft.pk]),
        reverse("reports-release-discard", args=[w.draft.pk]),
        reverse("reports-extracts"),
        reverse("reports-extract-deliver", args=[w.waiting.pk]),
        reverse("reports-extract-discard", args=[w.waiting.pk]),
    ]


def test_anonymous_visitors_go_to_the_login_page(client: Client, filled: SimpleNamespace) -> None:
    for url in page_urls(filled) + post_urls(filled):
        response = client.post(url) if url in post_urls(filled) else client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{reverse('login')}?next="), url


def test_teachers_and_guardians_are_forbidden(client_as: Login, filled: SimpleNamespace) -> None:
    for who in (filled.teacher, filled.guardian):
        client = client_as(who)
        for url in page_urls(filled):
            assert client.get(url).status_code == 403, url
        for url in post_urls(filled):
            assert client.post(url).status_code == 403, url
    filled.draft.refresh_from_db()
    assert filled.draft.status == ReleaseStatus.DRAFT


def test_unknown_objects_and_unpublished_files_are_not_found(
    client_as: Login, filled: SimpleNamespace
) -> None:
    office = client_as(filled.officer)
    for name in ("reports-series", "reports-release", "reports-extract"):
        assert office.get(reverse(name, args=[999999])).status_code == 404, name
    for name in ("reports-release-csv", "reports-release-pdf"):
        assert office.get(reverse(name, args=[filled.draft.pk])).status_code == 404, name
    assert office.get(reverse("reports-extract-csv", args=[filled.waiting.pk])).status_code == 404
    assert office.post(reverse("reports-release-approve", args=[999999])).status_code == 404


def test_the_officer_sees_every_page(client_as: Login, filled: SimpleNamespace) -> None:
    office = client_as(filled.officer)
    for url in page_urls(filled):
        assert office.get(url).status_code == 200, url
    index = office.get(reverse("reports-index")).content.decode()
    assert "Enrollment by school and race" in index
    assert reverse("reports-release", args=[filled.draft.pk]) in index
    history = office.get(reverse("reports-series", args=[filled.series.pk])).content.decode()
    assert 'data-status="approved"' in history and 'data-status="draft"' in history
    extracts = office.get(reverse("reports-extracts")).content.decode()
    assert "Reading fluency study" in extracts and "Waiting" in extracts


def test_the_builder_marks_why_each_cell_is_withheld_and_shows_the_audit(
    client_as: Login, filled: SimpleNamespace
) -> None:
    page = client_as(filled.officer).get(f"{reverse('reports-build')}?{urlencode(BUILD)}")
    html = page.content.decode()
    view = page.context["view"]
    assert view.counts["primary"] > 0 and view.counts["secondary"] > 0
    assert html.count('data-status="primary"') >= view.counts["primary"]
    assert "* P" in html and "* S" in html
    assert 'id="report-legend"' in html
    assert '<svg role="img"' in html
    assert 'id="report-audit" data-ok="yes"' in html
    assert "Counts of fewer than 10 students are withheld" in html
    assert 'id="prepare-form"' in html


def test_invalid_builder_parameters_are_shown_as_errors(
    client_as: Login, filled: SimpleNamespace
) -> None:
    office = client_as(filled.officer)
    low = office.get(f"{reverse('reports-build')}?{urlencode(BUILD | {'threshold': '3'})}")
    assert low.status_code == 200
    assert low.context["form"].errors["threshold"]
    nothing = BUILD | {"geography": "district", "grades": "all", "family": "none"}
    page = office.get(f"{reverse('reports-build')}?{urlencode(nothing)}")
    assert "Break the table down" in page.content.decode()
    assert "view" not in page.context


def test_preparing_approving_and_downloading_a_release_through_the_pages(
    client_as: Login, filled: SimpleNamespace
) -> None:
    office = client_as(filled.officer)
    params = BUILD | {"family": "sex", "grades": "all"}
    response = office.post(
        f"{reverse('reports-prepare')}?{urlencode(params)}", {"new_title": "Enrollment by sex"}
    )
    release = Release.objects.get(series__title="Enrollment by sex")
    assert response["Location"] == reverse("reports-release", args=[release.pk])
    approve = reverse("reports-release-approve", args=[release.pk])
    short = office.post(approve, {"determination": "fine"}, follow=True)
    assert "Write the determination" in short.content.decode()
    office.post(approve, {"determination": DETERMINATION})
    release.refresh_from_db()
    assert release.status == ReleaseStatus.APPROVED
    download = office.get(reverse("reports-release-csv", args=[release.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    text = download.content.decode()
    assert text == release.published_csv
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    assert rows[0] == ["School or level", "Sex", "Enrollment (number of students)"]
    assert any(row[-1] == "*" for row in rows[1:])
    assert not any(row[-1] in ("* P", "* S", "* C") for row in rows[1:])
    pdf = office.get(reverse("reports-release-pdf", args=[release.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_a_series_next_release_and_a_discarded_draft(
    client_as: Login, filled: SimpleNamespace
) -> None:
    office = client_as(filled.officer)
    response = office.post(
        reverse("reports-series-next", args=[filled.series.pk]), {"as_of": "2026-03-09"}
    )
    newest = Release.objects.filter(series=filled.series).order_by("-number").first()
    assert newest is not None and newest.number == 3
    assert response["Location"] == reverse("reports-release", args=[newest.pk])
    assert newest.considered == [filled.first.pk]
    office.post(reverse("reports-release-discard", args=[newest.pk]))
    newest.refresh_from_db()
    assert newest.status == ReleaseStatus.DISCARDED


def test_preparing_delivering_and_downloading_an_extract_through_the_pages(
    client_as: Login, filled: SimpleNamespace
) -> None:
    office = client_as(filled.officer)
    response = office.post(
        reverse("reports-extracts"),
        {
            "agreement": filled.study.pk,
            "title": "Grades and levels",
            "as_of": AS_OF.isoformat(),
            "quasi_identifiers": ["grade", "sex"],
            "attributes": ["ela_level", "english_learner"],
            "sensitive": ["english_learner"],
            "k": "5",
            "l_div": "2",
            "max_suppressed_percent": "5",
        },
    )
    extract = ResearchExtract.objects.get(title="Grades and levels")
    assert response["Location"] == reverse("reports-extract", args=[extract.pk])
    page = office.get(response["Location"]).content.decode()
    assert 'id="extract-rows"' in page and 'id="deliver-form"' in page
    office.post(reverse("reports-extract-deliver", args=[extract.pk]))
    extract.refresh_from_db()
    assert extract.status == ExtractStatus.DELIVERED
    file = office.get(reverse("reports-extract-csv", args=[extract.pk]))
    assert file.content == bytes(extract.content)


def test_an_extract_form_with_columns_the_agreement_lacks_shows_why(
    client_as: Login, filled: SimpleNamespace
) -> None:
    page = client_as(filled.officer).post(
        reverse("reports-extracts"),
        {
            "agreement": filled.study.pk,
            "title": "Discipline",
            "as_of": AS_OF.isoformat(),
            "quasi_identifiers": ["grade"],
            "attributes": ["incidents"],
            "k": "5",
            "l_div": "1",
            "max_suppressed_percent": "5",
        },
    )
    assert page.status_code == 200
    assert "Conduct or behavioral data" in page.content.decode()
    assert not ResearchExtract.objects.filter(title="Discipline").exists()


def _more(w: SimpleNamespace, n: int) -> None:
    for i in range(n):
        series = actions.create_series(f"Extra {i}", enrollment_spec(), Rules(), user=w.officer)
        release = Release.objects.get(pk=w.draft.pk)
        Release.objects.create(
            series=series,
            number=1,
            title=release.title,
            spec=release.spec,
            rules=release.rules,
            tables=release.tables,
            audit=release.audit,
            audit_ok=True,
            prepared_at=release.prepared_at,
            prepared_by=w.officer,
        )
        spec = ExtractSpec(AS_OF, ("school",), (), (), k=5, l_div=1)
        extract_actions.prepare_extract(w.study, f"Extra {i}", spec, user=w.officer)


@pytest.mark.parametrize(
    ("name", "queries"),
    [("reports-index", 2), ("reports-extracts", 2), ("reports-series", 2)],
)
def test_list_pages_make_a_fixed_number_of_queries(
    client_as: Login,
    filled: SimpleNamespace,
    django_assert_num_queries: Any,
    name: str,
    queries: int,
) -> None:
    office = client_as(filled.officer)
    args = [filled.series.pk] if name == "reports-series" else []
    url = reverse(name, args=args)
    office.get(url)  # warm the session and the user
    # Session, user, the second factor's device (R33) and account (`privacy_office_only`),
    # then the page's own queries, however many rows.
    expected = 4 + queries
    with django_assert_num_queries(expected):
        office.get(url)
    _more(filled, 3)
    with django_assert_num_queries(expected):
        office.get(url)
    assert Series.objects.count() == 4
