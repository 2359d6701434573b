"""Issue #9 acceptance in headless Chromium (Playwright, sync API) against the live server.

The privacy officer, through the pages alone, builds a table of enrollment by school, grade
band and race; sees the withheld cells marked (and why) with the audit passed; prepares the
release in a new series, approves it with a determination, and downloads the CSV: every cell
the page marked withheld is "*" in the file, no other is, and the file carries the note on
the method. axe-core checks the builder's result and the release page: no serious or
critical violation.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from steward.accounts.models import Account
from steward.reports.models import Release, ReleaseStatus
from tests.web import factories as f
from tests.web.axe import blocking, describe, run_axe
from tests.web.browser import sign_in, wait_for_path

from .factories import AS_OF, district

pytestmark = [
    pytest.mark.browser,
    # The live server's WhiteNoise looks for STATIC_ROOT, which tests never collect.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PASSWORD = "browser-test-passphrase"
WITHHELD = {"primary", "complement", "secondary"}
DETERMINATION = (
    "Counts under 10 are withheld, further cells protect them, and the audit proves every "
    "withheld count stays uncertain by at least 3 either way; this is the first release."
)


@pytest.fixture
def journey(transactional_db: None) -> SimpleNamespace:
    w = district(seed=31, students=150)
    w.officer = f.login("officer", Account.Role.PRIVACY_OFFICER, password=PASSWORD)
    return w


def _axe(tab: Any, found: dict[str, str]) -> None:
    serious = blocking(run_axe(tab))
    if serious:
        found[urlsplit(tab.url).path] = describe(serious)


def _clean(text: str) -> str:
    return text.replace("\u00a0", " ").strip()


def _marked(tab: Any) -> dict[tuple[str, ...], str]:
    """(row labels…, column label) → the cell's status, as the page shows the table."""
    rows = tab.evaluate(
        """() => {
        const table = document.querySelector('table.report-table');
        const text = (el) => el.textContent;
        const heads = [...table.querySelectorAll('thead tr:last-child th')].map(text);
        const out = [];
        for (const tr of table.querySelectorAll('tbody tr')) {
            const labels = [...tr.querySelectorAll('th')].map(text);
            const cells = [...tr.querySelectorAll('td')].map(td => [td.dataset.status, text(td)]);
            out.push([labels, cells]);
        }
        return [heads, out];
    }"""
    )
    heads, body = rows
    columns = [_clean(h) for h in heads][-len(body[0][1]) :]
    marked: dict[tuple[str, ...], str] = {}
    for labels, cells in body:
        for column, (status, _text) in zip(columns, cells, strict=True):
            marked[(*(_clean(label) for label in labels), column)] = status
    return marked


def test_the_privacy_officer_builds_approves_and_downloads_a_protected_table(
    page: Any, journey: SimpleNamespace, tmp_path: Path
) -> None:
    found: dict[str, str] = {}
    sign_in(page, "officer", PASSWORD)
    wait_for_path(page, "/")

    # 1. Build the table.
    page.goto(reverse("reports-build"))
    page.get_by_label("Measure").select_option("enrollment")
    page.get_by_label("Geography").select_option("school")
    page.locator("#id_grades").select_option("band")
    page.get_by_label("Subgroups").select_option("race")
    page.get_by_label("Students enrolled on").fill(AS_OF.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Build the table").click()
    table = page.locator("table.report-table")
    assert table.is_visible()
    marked = _marked(page)
    statuses = set(marked.values())
    assert {"primary", "secondary"} <= statuses
    first_primary = page.locator('td[data-status="primary"]').first
    assert first_primary.inner_text().strip() == "* P"
    assert page.locator("#report-legend").is_visible()
    assert page.locator("figure.report-chart svg").is_visible()
    assert page.locator("#report-audit").get_attribute("data-ok") == "yes"
    _axe(page, found)

    # 2. Prepare the release in a new series, then approve it.
    page.get_by_label("Title of the new series").fill("Enrollment by school, grade band and race")
    with page.expect_navigation():
        page.get_by_role("button", name="Prepare the release").click()
    release = Release.objects.get()
    wait_for_path(page, reverse("reports-release", args=[release.pk]))
    assert _marked(page) == marked  # the release holds the table the builder showed
    _axe(page, found)
    page.get_by_label("Determination").fill(DETERMINATION)
    with page.expect_navigation():
        page.get_by_role("button", name="Approve and publish").click()
    assert page.locator("#release-status").inner_text() == "approved and published"
    release.refresh_from_db()
    assert release.status == ReleaseStatus.APPROVED

    # 3. Download the CSV: "*" exactly where the page marked a withheld cell, and the note.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the published CSV").click()
    path = tmp_path / "release.csv"
    download.value.save_as(path)
    text = path.read_text(encoding="utf-8")
    notes = [line for line in text.splitlines() if line.startswith("# ")]
    assert any("Counts of fewer than 10 students are withheld" in line for line in notes)
    assert any("independent audit" in line for line in notes)
    body = [line for line in text.splitlines() if not line.startswith("#")]
    rows = list(csv.reader(io.StringIO("\n".join(body))))
    assert rows[0] == [
        "School or level",
        "Grade",
        "Race and ethnicity",
        "Enrollment (number of students)",
    ]
    published = {tuple(row[:-1]): row[-1] for row in rows[1:]}
    assert set(published) == set(marked)
    for key, status in marked.items():
        assert (published[key] == "*") == (status in WITHHELD), key
    assert found == {}, "\n".join(f"{path}:\n{text}" for path, text in found.items())
