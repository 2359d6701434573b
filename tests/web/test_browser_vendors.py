"""Issue #6 acceptance in headless Chromium (Playwright, sync API) against the live server.

The privacy officer, through the pages alone:

1. registers a vendor (name, website), adds a contact and an app, and enters terms of service
   with an R75 warning term, which the app's page flags;
2. vets the app: every rubric item rated (one "meets with reservations", with a note), then
   "approved" with reasons; the public page lists the app, but no data shared with it;
3. drafts a school-official DPA with every mandatory term, is refused activation while the
   signed PDF is missing, uploads it, and activates: the public page shows the app's data in
   plain language, the agreement's dates and the signed PDF;
4. terminates it with an Exhibit D directive: DISPOSITION_PENDING; the public page shows the
   agreement ended and the deletion not certified yet;
5. creates a login for the vendor's contact, who chooses a password, signs in at /vendor/ and
   submits the verification of disposition: DISPOSITION_CERTIFIED; the public page shows the
   deletion certified, with its date.

axe-core checks each main page on the way: no serious or critical violation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from steward.accounts.models import Account
from steward.vendors import rubric
from steward.vendors.models import Agreement, AgreementStatus, AppStatus, Product, Vendor

from . import factories as f
from .axe import blocking, describe, run_axe
from .browser import sign_in as _sign_in
from .browser import wait_for_path as _wait_for_path

pytestmark = [
    pytest.mark.browser,
    # The live server's WhiteNoise looks for STATIC_ROOT, which tests never collect; the
    # live server serves static files from the finders instead.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PASSWORD = "browser-test-passphrase"
CONTACT_PASSWORD = "a vendor's own passphrase 7"
VENDOR = "Brightpath Learning"
APP = "Brightpath Reader"
CONTACT_EMAIL = "dana.reyes@brightpath.example"
TERMS = (
    "We may use student data to show targeted advertising to students. "
    "We delete all student data within 60 days of the end of the agreement. "
    "Student data is encrypted in transit and at rest. "
    "We notify the district of any breach within 72 hours."
)
RESERVED = "collected.minimum"  # the item rated "meets with reservations"
# Exhibit B elements checked, and the words the public page uses for them.
ELEMENTS = {
    "Student Name|First and/or last": "first and last name",
    "Enrollment|Student grade level": "grade level",
    "Student In App Performance|Program/application performance": (
        "how well the student does in the app's activities"
    ),
}
PDF = b"%PDF-1.4\n% a signed agreement\n%%EOF\n"
CERTIFICATE_PDF = b"%PDF-1.4\n% a verification of disposition\n%%EOF\n"


@pytest.fixture
def open_tab(browser: Any, live_server: Any) -> Iterator[Any]:
    """A new tab in a browser context of its own (one per person: cookies are not shared)."""
    contexts: list[Any] = []

    def new_tab() -> Any:
        context = browser.new_context(base_url=live_server.url)
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(10_000)
        return tab

    yield new_tab
    for context in contexts:
        context.close()


@pytest.fixture
def journey(
    district: SimpleNamespace, transactional_db: None, live_server: Any, settings: Any
) -> SimpleNamespace:
    # The contact's one-time link starts with the public address: here, the live server's.
    settings.STEWARD_PUBLIC_URL = live_server.url
    officer = f.login("officer", Account.Role.PRIVACY_OFFICER, password=PASSWORD)
    return SimpleNamespace(officer=officer, north=district.north)


def _day(day: dt.date) -> str:
    """A date as the English pages print it (DATE_FORMAT)."""
    with translation.override("en"):
        return formats.date_format(day, "DATE_FORMAT")


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _open(page: Any, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response}"


def _submit(page: Any, button: Any) -> None:
    with page.expect_navigation():
        button.click()


def _axe(page: Any, found: dict[str, str]) -> None:
    """Record the page's serious or critical axe-core violations, under its path."""
    serious = blocking(run_axe(page))
    if serious:
        found[urlsplit(page.url).path] = describe(serious)


def _public(tab: Any, found: dict[str, str]) -> Any:
    """The public apps page, freshly loaded (and checked by axe)."""
    _open(tab, reverse("vendors-public-apps"))
    _axe(tab, found)
    return tab.locator("main")


def _pdf(tmp: Path, name: str, data: bytes) -> str:
    path = tmp / name
    path.write_bytes(data)
    return str(path)


def test_the_privacy_officer_takes_a_vendor_from_registry_to_certified_deletion(
    open_tab: Any, journey: SimpleNamespace, tmp_path: Path
) -> None:
    found: dict[str, str] = {}
    today = timezone.localdate()
    end = today + dt.timedelta(days=365)
    officer = open_tab()
    public = open_tab()  # an anonymous reader: never signed in

    # 1. The registry: a vendor, its contact, its app, and the app's terms with an R75 flag.
    _sign_in(officer, "officer", PASSWORD)
    _wait_for_path(officer, "/")
    officer.locator("#officer-vendors-link").click()
    _wait_for_path(officer, reverse("vendors-registry"))
    _axe(officer, found)
    officer.locator("#new-vendor-link").click()
    _wait_for_path(officer, reverse("vendors-registry-vendor-create"))
    officer.get_by_label("Name").fill(VENDOR)
    officer.get_by_label("Website").fill("https://brightpath.example")
    _submit(officer, officer.get_by_role("button", name="Save"))
    vendor = Vendor.objects.get(name=VENDOR)
    _wait_for_path(officer, reverse("vendors-registry-vendor", args=[vendor.pk]))
    assert officer.get_by_role("heading", level=1).inner_text() == VENDOR
    assert "https://brightpath.example" in officer.locator("#vendor-facts").inner_text()

    officer.locator("summary", has_text="Add a contact").click()
    contact_form = officer.locator("#contact-form")
    contact_form.get_by_label("Name").fill("Dana Reyes")
    contact_form.get_by_label("Title").fill("Chief Privacy Officer")
    contact_form.get_by_label("E-mail").fill(CONTACT_EMAIL)
    contact_form.get_by_label("Role").select_option("privacy")
    _submit(officer, contact_form.get_by_role("button", name="Add the contact"))
    _wait_for_path(officer, reverse("vendors-registry-vendor", args=[vendor.pk]))
    assert "Dana Reyes" in officer.locator("#contact-table").inner_text()

    officer.locator("#new-app-link").click()
    _wait_for_path(officer, reverse("vendors-registry-product-create", args=[vendor.pk]))
    officer.get_by_label("Name").fill(APP)
    officer.get_by_label("Description").fill("Reading practice with levelled books.")
    officer.get_by_label("Website").fill("https://brightpath.example/reader")
    officer.get_by_label("Used by children under 13").check()
    officer.get_by_label("Who consents for children under 13 (R127)").select_option("school")
    officer.get_by_label("In use in the district").check()
    _submit(officer, officer.get_by_role("button", name="Save"))
    product = Product.objects.get(name=APP)
    product_url = reverse("vendors-registry-product", args=[product.pk])
    _wait_for_path(officer, product_url)
    assert officer.locator("#terms-missing").is_visible()
    _axe(officer, found)

    terms_form = officer.locator("#terms-form")
    terms_form.get_by_label("Terms of service and privacy policy").fill(TERMS)
    _submit(officer, terms_form.get_by_role("button", name="Save the terms"))
    # New terms start the first vetting, which opens on its own page with the flags.
    assert urlsplit(officer.url).path.startswith("/officer/vendors/vettings/")
    flags = officer.locator("#terms-flags")
    assert flags.locator("li[data-flag='advertising']").count() == 1
    assert "targeted advertising" in flags.inner_text()
    vetting_url = urlsplit(officer.url).path
    _open(officer, product_url)
    product_flags = officer.locator("#terms-flags li")
    assert [flag.get_attribute("data-flag") for flag in product_flags.all()] == ["advertising"]

    # 2. The vetting: every item rated, one with reservations and a note, then approved.
    officer.locator("#open-vetting-link").click()
    _wait_for_path(officer, vetting_url)
    assert (
        officer.locator("#vetting-progress").inner_text()
        == f"0 of {len(rubric.ITEMS)} items rated."
    )
    _axe(officer, found)
    for key in rubric.ITEMS:
        anchor = "item-" + key.replace(".", "-").replace("_", "-")
        item = officer.locator(f"#{anchor}")
        if key == RESERVED:
            item.get_by_label("meets with reservations").check()
            item.get_by_label("Evidence: note").fill(
                "The privacy policy lists the data collected, but not why each is needed."
            )
        else:
            item.get_by_label("meets", exact=True).check()
        _submit(officer, item.get_by_role("button", name="Rate"))
    assert officer.locator("#vetting-progress").inner_text() == (
        f"{len(rubric.ITEMS)} of {len(rubric.ITEMS)} items rated."
    )
    reserved = officer.locator(f"#item-{RESERVED.replace('.', '-')}")
    assert reserved.locator("[data-rating]").get_attribute("data-rating") == "reservations"
    assert "not why each is needed" in reserved.inner_text()
    decision = officer.locator("#decision-form")
    decision.get_by_label("approved", exact=True).check()
    decision.get_by_label("Reasons").fill(
        "Meets the rubric; the advertising sentence is overridden by the DPA's Article IV."
    )
    _submit(officer, decision.get_by_role("button", name="Record the decision"))
    _wait_for_path(officer, product_url)
    product.refresh_from_db()
    assert product.status == AppStatus.APPROVED
    assert "overridden by the DPA" in officer.locator("#vetting-history").inner_text()

    page = _public(public, found)
    app = page.locator(f"#app-{product.pk}")
    assert app.get_by_role("heading", name=APP).is_visible()
    assert app.locator("[data-exhibit-b]").count() == 0  # no agreement: no data shared yet
    assert "No agreement allows the district to share student data" in app.inner_text()
    assert "first and last name" not in app.inner_text()
    assert "No agreement has ended yet." in page.inner_text()

    # 3. The agreement: a draft with every mandatory term, refused without the signed PDF.
    _open(officer, "/")
    officer.locator("#officer-agreements-link").click()
    _wait_for_path(officer, reverse("vendors-agreement-list"))
    _axe(officer, found)
    officer.locator("#new-agreement").click()
    _wait_for_path(officer, reverse("vendors-agreement-create"))
    create = officer.locator("#create-form")
    create.get_by_label("Vendor").select_option(label=VENDOR)
    create.get_by_label("Title").fill("Brightpath Reader DPA 2025")
    create.get_by_label("Type").select_option("dpa_school_official")
    _submit(officer, create.get_by_role("button", name="Create the draft"))
    agreement = Agreement.objects.get(vendor=vendor)
    detail_url = reverse("vendors-agreement-detail", args=[agreement.pk])
    _wait_for_path(officer, reverse("vendors-agreement-edit", args=[agreement.pk]))
    _axe(officer, found)

    form = officer.locator("#agreement-form")
    form.get_by_label("template").select_option("ma_multistate_ndpa")
    form.get_by_label("FERPA basis").select_option("A1")
    form.get_by_label("Massachusetts basis").select_option("school_official")
    form.get_by_label("Products").select_option(label=APP)
    form.get_by_label("purpose:", exact=True).fill("Reading practice assigned by teachers.")
    form.get_by_label("description of services (Exhibit A)").fill(
        "An online library of levelled books with comprehension quizzes."
    )
    checklist = form.locator("#exhibit-b-checklist")
    for value in ELEMENTS:
        checklist.locator(f"input[value='{value}']").check()
    form.get_by_label("students covered").select_option("schools")
    form.get_by_label("Schools").select_option(label="Adams Elementary")
    form.get_by_label("start date").fill(_iso(today))
    form.get_by_label("end date").fill(_iso(end))
    form.get_by_label("parent-access response days").fill("10")
    form.get_by_label("breach notification hours").fill("72")
    form.get_by_label("Days to dispose of the data after the end").fill("60")
    form.get_by_label("security framework (Exhibit F)").fill("NIST Cybersecurity Framework 2.0")
    provisions = form.locator("input[name='direct_control']")
    assert provisions.count() == 7
    for n in range(provisions.count()):
        provisions.nth(n).check()
    form.get_by_label("signed on").fill(_iso(today))
    form.get_by_label("district signatory").fill("Maria Lopez, Superintendent")
    form.get_by_label("provider signatory").fill("Dana Reyes, Chief Privacy Officer")
    _submit(officer, form.get_by_role("button", name="Save the draft"))
    _wait_for_path(officer, detail_url)
    missing = officer.locator("#missing li")
    assert [item.get_attribute("data-key") for item in missing.all()] == ["signed_document"]
    _axe(officer, found)

    _submit(officer, officer.get_by_role("button", name="Activate the agreement"))
    refusal = officer.locator("#activation-errors")
    assert refusal.is_visible()
    assert "Signed document: upload the signed agreement (PDF)." in refusal.inner_text()
    assert refusal.locator("li").count() == 1
    assert officer.locator("#agreement-status").get_attribute("data-status") == "draft"

    upload = officer.locator("#upload-form")
    upload.get_by_label("Signed agreement (PDF)").set_input_files(
        _pdf(tmp_path, "brightpath-dpa-signed.pdf", PDF)
    )
    _submit(officer, upload.get_by_role("button", name="Attach the signed document"))
    _wait_for_path(officer, detail_url)
    assert officer.locator("#complete").is_visible()
    assert "brightpath-dpa-signed.pdf" in officer.locator("#signed-document").inner_text()
    _submit(officer, officer.get_by_role("button", name="Activate the agreement"))
    _wait_for_path(officer, detail_url)
    assert officer.locator("#agreement-status").get_attribute("data-status") == "active"
    _axe(officer, found)

    page = _public(public, found)
    app = page.locator(f"#app-{product.pk}")
    data = app.locator("[data-exhibit-b]")
    assert data.count() == 1
    for words in ELEMENTS.values():
        assert words in data.inner_text()
    assert "The student's name" in data.inner_text()  # the category, in plain words
    row = app.locator("tbody tr", has_text="Brightpath Reader DPA 2025")
    assert _day(today) in row.inner_text()
    assert _day(end) in row.inner_text()
    link = row.get_by_role("link", name="Read the signed agreement (PDF)")
    href = link.get_attribute("href")
    assert href == reverse("vendors-public-document", args=[agreement.pk])
    document = public.request.get(href)
    assert document.status == 200
    assert document.headers["content-type"] == "application/pdf"
    assert document.body() == PDF
    agreement.refresh_from_db()
    assert agreement.signed_document is not None
    assert agreement.signed_document.sha256 in row.inner_text()

    # 4. Termination with the Exhibit D directive.
    terminate = officer.locator("#terminate-form")
    terminate.get_by_label("Reason for terminating").fill(
        "The district is moving to another reading programme."
    )
    terminate.get_by_label("complete: all student data").check()
    terminate.get_by_label("destruction or deletion").check()
    terminate.get_by_label("by a date").check()
    due = today + dt.timedelta(days=30)
    terminate.get_by_label("Due date", exact=False).fill(_iso(due))
    assert (
        terminate.get_by_label("The district's authorized representative").input_value()
        == "Maria Lopez, Superintendent"
    )
    _submit(officer, terminate.get_by_role("button", name="Terminate the agreement"))
    _wait_for_path(officer, detail_url)
    status = officer.locator("#agreement-status")
    assert status.get_attribute("data-status") == AgreementStatus.DISPOSITION_PENDING
    directive = officer.locator("#directive")
    assert "destruction or deletion" in directive.inner_text()
    assert officer.locator("#directive-due").inner_text() == _day(due)
    assert "another reading programme" in directive.inner_text()
    assert officer.locator("#certificate-form").is_visible()
    _axe(officer, found)

    page = _public(public, found)
    assert page.locator(f"#app-{product.pk}").count() == 0  # expired: no longer approved
    ended = page.locator(f"#ended-{agreement.pk}")
    assert APP in ended.inner_text()
    assert ended.locator("td").nth(2).inner_text() == _day(today)  # ended: terminated today
    assert ended.locator("[data-deletion]").inner_text() == f"Not certified yet; due by {_day(due)}"
    assert ended.get_by_role("link", name="Read the signed agreement (PDF)").is_visible()

    # 5. The vendor's contact gets a login and submits the verification of disposition.
    _open(officer, reverse("vendors-registry-vendor", args=[vendor.pk]))
    contact_row = officer.locator("#contact-table tbody tr", has_text="Dana Reyes")
    _submit(officer, contact_row.get_by_role("button", name="Create a login"))
    link_url = officer.locator("#login-link").input_value()
    _axe(officer, found)

    vendor_tab = open_tab()
    _open(vendor_tab, urlsplit(link_url).path)
    assert CONTACT_EMAIL in vendor_tab.locator("main").inner_text()
    _axe(vendor_tab, found)
    vendor_tab.get_by_label("Password:", exact=True).fill(CONTACT_PASSWORD)
    vendor_tab.get_by_label("Password again").fill(CONTACT_PASSWORD)
    _submit(vendor_tab, vendor_tab.get_by_role("button", name="Set my password"))
    _wait_for_path(vendor_tab, reverse("login"))
    _sign_in(vendor_tab, CONTACT_EMAIL, CONTACT_PASSWORD)
    _wait_for_path(vendor_tab, reverse("vendors-portal-home"))
    row = vendor_tab.locator(f"#portal-agreements tr[data-agreement='{agreement.pk}']")
    assert row.get_attribute("data-status") == AgreementStatus.DISPOSITION_PENDING
    assert "verification of disposition needed" in row.inner_text()
    _axe(vendor_tab, found)
    row.get_by_role("link").click()
    _wait_for_path(vendor_tab, reverse("vendors-portal-agreement", args=[agreement.pk]))
    _axe(vendor_tab, found)
    certificate = vendor_tab.locator("#certificate-form")
    assert certificate.get_by_label("Signed by").input_value() == "Dana Reyes"
    assert certificate.get_by_label("Title").input_value() == "Chief Privacy Officer"
    certificate.get_by_label("Date signed").fill(_iso(today))
    certificate.get_by_label("Method of disposition").fill(
        "Cryptographic erasure of the database rows and backups (NIST SP 800-88)."
    )
    certificate.get_by_label("What was disposed of").fill(
        "All student data received under the agreement, including backups."
    )
    certificate.get_by_label("Signed verification (PDF)").set_input_files(
        _pdf(tmp_path, "brightpath-verification.pdf", CERTIFICATE_PDF)
    )
    _submit(vendor_tab, certificate.get_by_role("button", name="Submit the verification"))
    _wait_for_path(vendor_tab, reverse("vendors-portal-agreement", args=[agreement.pk]))
    status = vendor_tab.locator("#agreement-status")
    assert status.get_attribute("data-status") == AgreementStatus.DISPOSITION_CERTIFIED
    assert "Cryptographic erasure" in vendor_tab.locator("#certificate").inner_text()
    assert vendor_tab.locator("#certificate-form").count() == 0

    _open(officer, detail_url)
    status = officer.locator("#agreement-status")
    assert status.get_attribute("data-status") == AgreementStatus.DISPOSITION_CERTIFIED
    assert "Dana Reyes, Chief Privacy Officer" in officer.locator("#certificate").inner_text()
    _axe(officer, found)

    page = _public(public, found)
    deletion = page.locator(f"#ended-{agreement.pk} [data-deletion]")
    assert deletion.inner_text() == f"Deletion certified on {_day(today)}"

    assert not found, "axe-core found serious or critical violations:\n" + "\n".join(
        f"{path}\n{text}" for path, text in found.items()
    )
