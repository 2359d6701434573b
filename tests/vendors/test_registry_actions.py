"""Registry actions (R73, R76, R125, R127): each writes its rows and one ledger entry, or
refuses with a clear message and writes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import resolve
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from steward.accounts.models import Account
from steward.audit.models import Entry
from steward.vendors.actions import registry as actions
from steward.vendors.models import (
    AppRequest,
    AppRequestStatus,
    AppStatus,
    CoppaConsent,
    Product,
    StorageLocation,
    Subprocessor,
    Vendor,
    VendorContact,
    Vetting,
    VettingState,
    VettingTrigger,
)

from .factories_registry import entries, make_contact, reg_world

__all__ = ["reg_world"]

Capture = Callable[..., AbstractContextManager[object]]


def last_entry() -> Entry:
    entry = Entry.objects.order_by("-seq").first()
    assert entry is not None
    return entry


@pytest.fixture
def broken_ledger(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The ledger refuses to write: the action around it must leave nothing behind."""

    def broken(**_fields: object) -> None:
        raise RuntimeError("ledger unavailable")

    monkeypatch.setattr(actions.ledger, "record", broken)
    yield


def ask(
    w: SimpleNamespace, app: str = "Storyboard", vendor: str = "Storyco", **kw: object
) -> AppRequest:
    fields: dict[str, object] = {
        "app_name": app,
        "vendor_name": vendor,
        "website": "https://storyboard.example",
        "purpose": "Students write and illustrate stories.",
        "grades": "Grade 3",
        "student_accounts": True,
    } | kw
    return actions.request_app(by=w.teacher, **fields)  # type: ignore[arg-type]


# --- vendors ---------------------------------------------------------------------------------


def test_it_adds_a_vendor_with_one_ledger_entry(reg_world: SimpleNamespace) -> None:
    before = entries()
    vendor = actions.create_vendor(
        name=" Initech ", website="https://initech.example", by=reg_world.officer
    )
    assert vendor.name == "Initech"
    assert entries() == before + 1
    entry = last_entry()
    assert (entry.action, entry.actor_name) == ("create", "Rita Reyes")
    assert entry.purpose == actions.PURPOSE


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "  "}, "Enter the vendor's name"),
        ({"name": "ACME learning"}, "already in the registry"),
        ({"name": "Initech", "website": "javascript:alert(1)"}, "not a web address"),
    ],
)
def test_it_refuses_a_vendor_without_a_name_a_duplicate_or_a_bad_website(
    reg_world: SimpleNamespace, fields: dict[str, str], message: str
) -> None:
    before = entries()
    with pytest.raises(ValidationError, match=message):
        actions.create_vendor(by=reg_world.officer, **fields)  # type: ignore[arg-type]
    assert Vendor.objects.count() == 2
    assert entries() == before


def test_an_edit_records_what_changed_and_a_no_change_records_nothing(
    reg_world: SimpleNamespace,
) -> None:
    w = reg_world
    before = entries()
    actions.update_vendor(
        w.acme, name="Acme Learning", website="", address="1 Main St", notes="", by=w.officer
    )
    assert entries() == before + 1
    assert '"address":{"from":"","to":"1 Main St"}' in last_entry().detail
    actions.update_vendor(
        w.acme, name="Acme Learning", website="", address="1 Main St", notes="", by=w.officer
    )
    assert entries() == before + 1


def test_a_vendor_may_not_be_renamed_to_another_vendors_name(reg_world: SimpleNamespace) -> None:
    w = reg_world
    with pytest.raises(ValidationError, match="already in the registry"):
        actions.update_vendor(w.acme, name="globex", website="", address="", notes="", by=w.officer)
    w.acme.refresh_from_db()
    assert w.acme.name == "Acme Learning"


# --- contacts ----------------------------------------------------------------------------------


def test_it_adds_a_contact_and_refuses_a_second_with_the_same_address(
    reg_world: SimpleNamespace,
) -> None:
    w = reg_world
    carl = actions.add_contact(
        w.acme, name="Carl Cole", email="Carl@Acme.Example", role="security", by=w.officer
    )
    assert carl.email == "carl@acme.example"
    with pytest.raises(ValidationError, match="already has a contact"):
        actions.add_contact(
            w.acme, name="C. Cole", email="carl@acme.example", role="privacy", by=w.officer
        )
    # The same person may be a contact of another vendor.
    actions.add_contact(
        w.globex, name="Carl Cole", email="carl@acme.example", role="privacy", by=w.officer
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "", "email": "c@acme.example", "role": "primary"}, "contact's name"),
        ({"name": "Carl", "email": "", "role": "primary"}, "e-mail address"),
        ({"name": "Carl", "email": "carl-at-acme", "role": "primary"}, "not an e-mail address"),
        ({"name": "Carl", "email": "c@acme.example", "role": "boss"}, "contact's role"),
    ],
)
def test_it_refuses_an_incomplete_contact(
    reg_world: SimpleNamespace, fields: dict[str, str], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        actions.add_contact(reg_world.acme, by=reg_world.officer, **fields)  # type: ignore[arg-type]
    assert reg_world.acme.contacts.count() == 1


def test_it_updates_and_removes_a_contact_without_a_login(reg_world: SimpleNamespace) -> None:
    w = reg_world
    carl = make_contact(w.acme, "Carl Cole", "carl@acme.example")
    actions.update_contact(
        carl, name="Carl Cole", email="carl@acme.example", role="privacy", title="DPO", phone="",
        by=w.officer,
    )  # fmt: skip
    carl.refresh_from_db()
    assert (carl.role, carl.title) == ("privacy", "DPO")
    before = entries()
    actions.remove_contact(carl, by=w.officer)
    assert not VendorContact.objects.filter(pk=carl.pk).exists()
    assert (entries(), last_entry().action) == (before + 1, "delete")


def test_it_refuses_to_remove_a_contact_who_has_a_login(reg_world: SimpleNamespace) -> None:
    w = reg_world
    with pytest.raises(ValidationError, match="revoke it before removing"):
        actions.remove_contact(w.alice, by=w.officer)
    assert VendorContact.objects.filter(pk=w.alice.pk).exists()


# --- contact logins ------------------------------------------------------------------------------


def test_it_gives_a_contact_a_vendor_login_and_a_one_time_link(
    reg_world: SimpleNamespace, django_capture_on_commit_callbacks: Capture
) -> None:
    w = reg_world
    carl = make_contact(w.acme, "Carl Cole", "carl@acme.example")
    before = entries()
    with django_capture_on_commit_callbacks(execute=True):
        link = actions.create_contact_login(carl, by=w.officer)
    user = User.objects.get(username="carl@acme.example")
    assert (user.first_name, user.last_name, user.email) == ("Carl", "Cole", "carl@acme.example")
    assert not user.has_usable_password()
    account = Account.objects.get(user=user)
    assert (account.role, account.vendor_contact) == (Account.Role.VENDOR, carl)
    assert resolve(urlsplit(link).path).url_name == "vendors-registry-welcome"
    assert entries() == before + 1
    entry = last_entry()
    assert entry.purpose == actions.LOGIN_PURPOSE
    assert urlsplit(link).path.split("/")[-2] not in entry.detail  # the token is never logged
    assert [m.to for m in mail.outbox] == [["carl@acme.example"]]


def test_the_link_sets_the_password_once(reg_world: SimpleNamespace) -> None:
    w = reg_world
    carl = make_contact(w.acme, "Carl Cole", "carl@acme.example")
    uid, token = urlsplit(actions.create_contact_login(carl, by=w.officer)).path.split("/")[-3:-1]
    user = actions.activate_contact_login(uid, token, password="a long Passphrase 42")
    assert user.check_password("a long Passphrase 42")
    assert last_entry().action == "security"
    with pytest.raises(ValidationError, match="not valid or has expired"):
        actions.activate_contact_login(uid, token, password="another Passphrase 43")


def test_a_new_link_voids_the_unused_one(reg_world: SimpleNamespace) -> None:
    w = reg_world
    carl = make_contact(w.acme, "Carl Cole", "carl@acme.example")
    first = urlsplit(actions.create_contact_login(carl, by=w.officer)).path.split("/")[-3:-1]
    second = urlsplit(actions.create_contact_login(carl, by=w.officer)).path.split("/")[-3:-1]
    assert actions.contact_user_for_link(*first) is None
    assert actions.contact_user_for_link(*second) is not None
    assert Account.objects.filter(vendor_contact=carl).count() == 1


def test_it_refuses_a_login_for_a_contact_who_already_uses_one(
    reg_world: SimpleNamespace,
) -> None:
    w = reg_world
    User.objects.filter(pk=w.vendor.pk).update(password="argon2$set")  # Alice chose one
    before = entries()
    with pytest.raises(ValidationError, match="already has a login"):
        actions.create_contact_login(w.alice, by=w.officer)
    assert entries() == before


def test_it_refuses_a_login_whose_username_is_taken(reg_world: SimpleNamespace) -> None:
    w = reg_world
    User.objects.create_user(username="carl@acme.example")
    carl = make_contact(w.acme, "Carl Cole", "carl@acme.example")
    with pytest.raises(ValidationError, match="already exists"):
        actions.create_contact_login(carl, by=w.officer)
    assert not Account.objects.filter(vendor_contact=carl).exists()


def test_closing_a_login_deactivates_it_and_a_new_one_can_be_given(
    reg_world: SimpleNamespace,
) -> None:
    w = reg_world
    carl = make_contact(w.acme, "Carl Cole", "carl@acme.example")
    actions.create_contact_login(carl, by=w.officer)
    actions.revoke_contact_login(carl, by=w.officer)
    user = User.objects.get(username="carl@acme.example")
    assert not user.is_active and not user.has_usable_password()
    assert not Account.objects.filter(user=user).exists()
    with pytest.raises(ValidationError, match="has no login"):
        actions.revoke_contact_login(carl, by=w.officer)
    actions.create_contact_login(carl, by=w.officer)  # the same user comes back
    user.refresh_from_db()
    assert user.is_active and user.account.vendor_contact == carl


def test_a_link_for_any_other_kind_of_login_is_refused(reg_world: SimpleNamespace) -> None:
    teacher = reg_world.teacher
    uid = urlsafe_base64_encode(force_bytes(teacher.pk))
    token = default_token_generator.make_token(teacher)
    with pytest.raises(ValidationError):
        actions.activate_contact_login(uid, token, password="a long Passphrase 42")
    assert actions.contact_user_for_link("not-base64!", token) is None


# --- subprocessors and storage -------------------------------------------------------------------


def test_subprocessors_are_added_updated_removed_and_not_duplicated(
    reg_world: SimpleNamespace,
) -> None:
    w = reg_world
    sub = actions.add_subprocessor(w.acme, name="Cloudy", purpose="Hosting", by=w.officer)
    with pytest.raises(ValidationError, match="already a subprocessor"):
        actions.add_subprocessor(w.acme, name="cloudy", purpose="Backups", by=w.officer)
    with pytest.raises(ValidationError, match="what the subprocessor does"):
        actions.add_subprocessor(w.acme, name="Mailer", purpose=" ", by=w.officer)
    actions.update_subprocessor(
        sub, name="Cloudy", purpose="Hosting", location="Ireland", by=w.officer
    )
    sub.refresh_from_db()
    assert sub.location == "Ireland"
    actions.remove_subprocessor(sub, by=w.officer)
    assert not Subprocessor.objects.exists()


def test_storage_locations_are_added_updated_removed_and_not_duplicated(
    reg_world: SimpleNamespace,
) -> None:
    w = reg_world
    place = actions.add_storage_location(
        w.acme, country="United States", hosting_provider="AWS", by=w.officer
    )
    with pytest.raises(ValidationError, match="already recorded"):
        actions.add_storage_location(
            w.acme, country="united states", hosting_provider="aws", by=w.officer
        )
    with pytest.raises(ValidationError, match="country"):
        actions.add_storage_location(w.acme, country="", by=w.officer)
    actions.update_storage_location(
        place, country="United States", region="us-east-1", hosting_provider="AWS", by=w.officer
    )
    place.refresh_from_db()
    assert str(place) == "AWS, us-east-1, United States"
    actions.remove_storage_location(place, by=w.officer)
    assert not StorageLocation.objects.exists()


# --- apps ---------------------------------------------------------------------------------------


def test_a_new_app_is_under_review(reg_world: SimpleNamespace) -> None:
    w = reg_world
    before = entries()
    app = actions.create_product(
        w.acme, name="Spellio", used_under_13=True, coppa_consent="school", by=w.officer
    )
    assert (app.status, app.coppa_consent) == (AppStatus.UNDER_REVIEW, "school")
    assert entries() == before + 1


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"used_under_13": True}, "Say who consents"),
        ({"coppa_consent": "parent"}, "only to apps used by children under 13"),
        (
            {"used_under_13": True, "coppa_consent": "school", "commercial_purpose": True},
            "R125",
        ),
        ({"used_under_13": True, "coppa_consent": "teacher"}, "Choose who consents"),
        ({"name": "quizzo"}, "already has an app named"),
    ],
)
def test_it_refuses_an_app_whose_coppa_facts_do_not_hold_together(
    reg_world: SimpleNamespace, facts: dict[str, object], message: str
) -> None:
    fields: dict[str, object] = {"name": "Spellio"} | facts
    with pytest.raises(ValidationError, match=message):
        actions.create_product(reg_world.acme, by=reg_world.officer, **fields)  # type: ignore[arg-type]
    assert reg_world.acme.products.count() == 1


def product_facts(product: Product, **changes: object) -> dict[str, object]:
    facts: dict[str, object] = {
        "name": product.name,
        "description": product.description,
        "website": product.website,
        "used_under_13": product.used_under_13,
        "coppa_consent": product.coppa_consent,
        "commercial_purpose": product.commercial_purpose,
        "in_use": product.in_use,
    }
    return facts | changes


@pytest.mark.parametrize(
    "change",
    [{"commercial_purpose": True}, {"used_under_13": True, "coppa_consent": CoppaConsent.PARENT}],
)
def test_an_approved_app_that_needs_guardian_release_tightens_at_once(
    reg_world: SimpleNamespace, change: dict[str, object]
) -> None:
    w = reg_world
    actions.update_product(w.mathly, **product_facts(w.mathly, **change), by=w.officer)  # type: ignore[arg-type]
    w.mathly.refresh_from_db()
    assert w.mathly.status == AppStatus.APPROVED_WITH_GUARDIAN_RELEASE
    assert "R127" in w.mathly.status_reason
    assert '"status":{"from":"approved","to":"approved_guardian_release"}' in last_entry().detail


def test_an_app_update_that_changes_nothing_records_nothing(reg_world: SimpleNamespace) -> None:
    w = reg_world
    before = entries()
    actions.update_product(w.quizzo, **product_facts(w.quizzo), by=w.officer)  # type: ignore[arg-type]
    assert entries() == before
    actions.update_product(w.quizzo, **product_facts(w.quizzo, in_use=True), by=w.officer)  # type: ignore[arg-type]
    assert entries() == before + 1
    assert '"in_use":{"from":false,"to":true}' in last_entry().detail


def test_an_app_is_set_not_approved_with_a_reason_and_waiting_requests_hear_it(
    reg_world: SimpleNamespace,
) -> None:
    w = reg_world
    waiting = ask(w, app="Quizzo", vendor="Acme Learning")
    assert waiting.product == w.quizzo
    actions.set_product_status(
        w.quizzo, AppStatus.NOT_APPROVED, reason="Sells data to advertisers.", by=w.officer
    )
    w.quizzo.refresh_from_db()
    waiting.refresh_from_db()
    assert (w.quizzo.status, w.quizzo.status_reason) == (
        AppStatus.NOT_APPROVED,
        "Sells data to advertisers.",
    )
    assert (waiting.status, waiting.decision_reason) == (
        AppRequestStatus.DECLINED,
        "Sells data to advertisers.",
    )


def test_an_app_is_set_expired_for_the_agreements_part(reg_world: SimpleNamespace) -> None:
    w = reg_world
    actions.set_product_status(
        w.mathly, AppStatus.EXPIRED, reason="The agreement ended.", by=w.officer
    )
    w.mathly.refresh_from_db()
    assert w.mathly.status == AppStatus.EXPIRED
    assert w.mathly.revetting_due is not None  # a renewal keeps its yearly cycle


@pytest.mark.parametrize(
    ("status", "reason", "message"),
    [
        (AppStatus.APPROVED, "Fine.", "a vetting approves an app"),
        (AppStatus.UNDER_REVIEW, "Again.", "a vetting approves an app"),
        (AppStatus.NOT_APPROVED, " ", "Give the reason"),
        (AppStatus.UNDER_REVIEW, "", "a vetting approves an app"),
    ],
)
def test_it_refuses_to_set_a_status_by_hand_that_is_not_allowed(
    reg_world: SimpleNamespace, status: str, reason: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        actions.set_product_status(reg_world.quizzo, status, reason=reason, by=reg_world.officer)


def test_it_refuses_to_set_the_status_an_app_already_has(reg_world: SimpleNamespace) -> None:
    w = reg_world
    actions.set_product_status(w.quizzo, AppStatus.NOT_APPROVED, reason="Ads.", by=w.officer)
    with pytest.raises(ValidationError, match="already not approved"):
        actions.set_product_status(w.quizzo, AppStatus.NOT_APPROVED, reason="Ads.", by=w.officer)


# --- staff app requests --------------------------------------------------------------------------


def test_a_teacher_requests_an_app_that_is_not_in_the_registry(
    reg_world: SimpleNamespace,
) -> None:
    w = reg_world
    before = entries()
    asked = ask(w)
    assert (asked.status, asked.product, asked.requested_by) == (
        AppRequestStatus.OPEN,
        None,
        w.teacher,
    )
    assert entries() == before + 1
    assert last_entry().purpose == actions.REQUEST_PURPOSE


def test_a_request_for_an_approved_app_is_refused(reg_world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError, match="already approved"):
        ask(reg_world, app="mathly", vendor="")
    assert not AppRequest.objects.exists()


def test_a_second_open_request_for_the_same_app_is_refused(reg_world: SimpleNamespace) -> None:
    w = reg_world
    ask(w)
    with pytest.raises(ValidationError, match="already have an open request"):
        ask(w, app="STORYBOARD")
    # Another teacher may ask for the same app.
    actions.request_app(
        by=w.other_teacher,
        app_name="Storyboard",
        vendor_name="",
        website="",
        purpose="Book reports",
        grades="",
        student_accounts=False,
    )
    assert AppRequest.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"app_name": " "}, "Enter the app's name"),
        ({"purpose": ""}, "what you would use the app for"),
        ({"website": "ftp://storyboard.example"}, "not a web address"),
    ],
)
def test_an_incomplete_request_is_refused(
    reg_world: SimpleNamespace, fields: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        ask(reg_world, **fields)  # type: ignore[arg-type]
    assert not AppRequest.objects.exists()


def test_a_request_needs_a_signed_in_person(reg_world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError, match="Sign in"):
        actions.request_app(
            by=None,
            app_name="Storyboard",
            vendor_name="",
            website="",
            purpose="Stories",
            grades="",
            student_accounts=False,
        )


def test_review_adds_the_vendor_and_app_and_starts_a_vetting(reg_world: SimpleNamespace) -> None:
    w = reg_world
    asked = ask(w)
    before = entries()
    vetting = actions.start_review(asked, by=w.officer)
    asked.refresh_from_db()
    app = Product.objects.get(name="Storyboard")
    assert app.vendor.name == "Storyco"
    assert (app.status, app.website) == (AppStatus.UNDER_REVIEW, "https://storyboard.example")
    assert (vetting.product, vetting.trigger) == (app, VettingTrigger.REQUESTED)
    assert (asked.status, asked.product) == (AppRequestStatus.IN_REVIEW, app)
    assert entries() == before + 1  # one entry for the whole step


def test_review_of_a_known_app_joins_its_vetting_in_progress(reg_world: SimpleNamespace) -> None:
    w = reg_world
    vetting = Vetting.objects.create(
        product=w.quizzo, trigger=VettingTrigger.INITIAL, started_at=timezone.now()
    )
    asked = ask(w, app="quizzo", vendor="acme learning")
    assert actions.start_review(asked, by=w.officer) == vetting
    assert w.quizzo.vettings.filter(state=VettingState.IN_PROGRESS).count() == 1


def test_review_uses_the_vendor_the_officer_chooses(reg_world: SimpleNamespace) -> None:
    w = reg_world
    asked = ask(w, app="Quizzo Pro", vendor="")
    with pytest.raises(ValidationError, match="names no vendor"):
        actions.start_review(asked, by=w.officer)
    vetting = actions.start_review(asked, vendor=w.acme, by=w.officer)
    assert vetting.product.vendor == w.acme
    assert Vendor.objects.count() == 2


def test_a_failed_review_leaves_no_vendor_app_or_vetting_behind(
    reg_world: SimpleNamespace, broken_ledger: None
) -> None:
    w = reg_world
    asked = AppRequest.objects.create(
        requested_by=w.teacher,
        app_name="Storyboard",
        vendor_name="Storyco",
        purpose="Stories",
        created_at=timezone.now(),
    )
    with pytest.raises(RuntimeError):
        actions.start_review(asked, by=w.officer)
    asked.refresh_from_db()
    assert asked.status == AppRequestStatus.OPEN
    assert not Vendor.objects.filter(name="Storyco").exists()
    assert not Product.objects.filter(name="Storyboard").exists()
    assert not Vetting.objects.filter(trigger=VettingTrigger.REQUESTED).exists()


def test_a_failed_login_creation_leaves_no_login_behind(
    reg_world: SimpleNamespace, broken_ledger: None
) -> None:
    carl = make_contact(reg_world.acme, "Carl Cole", "carl@acme.example")
    with pytest.raises(RuntimeError):
        actions.create_contact_login(carl, by=reg_world.officer)
    assert not User.objects.filter(username="carl@acme.example").exists()
    assert not Account.objects.filter(vendor_contact=carl).exists()


def test_review_of_an_app_approved_meanwhile_is_refused(reg_world: SimpleNamespace) -> None:
    w = reg_world
    asked = AppRequest.objects.create(
        requested_by=w.teacher,
        product=w.mathly,
        app_name="Mathly",
        purpose="Maths",
        created_at=timezone.now(),
    )
    with pytest.raises(ValidationError, match="already approved"):
        actions.start_review(asked, by=w.officer)


def test_only_an_open_request_is_reviewed_or_declined(reg_world: SimpleNamespace) -> None:
    w = reg_world
    asked = ask(w)
    actions.start_review(asked, by=w.officer)
    with pytest.raises(ValidationError, match="already in review"):
        actions.start_review(asked, by=w.officer)
    with pytest.raises(ValidationError, match="already in review"):
        actions.decline_request(asked, reason="No.", by=w.officer)


def test_a_request_is_declined_with_a_reason_for_the_requester(
    reg_world: SimpleNamespace,
) -> None:
    w = reg_world
    asked = ask(w)
    with pytest.raises(ValidationError, match="Give the reason"):
        actions.decline_request(asked, reason=" ", by=w.officer)
    actions.decline_request(asked, reason="We already have Storybird.", by=w.officer)
    asked.refresh_from_db()
    assert (asked.status, asked.decision_reason, asked.decided_by) == (
        AppRequestStatus.DECLINED,
        "We already have Storybird.",
        w.officer,
    )
    assert asked.decided_at is not None


def test_only_the_requester_withdraws_an_open_or_in_review_request(
    reg_world: SimpleNamespace,
) -> None:
    w = reg_world
    asked = ask(w)
    actions.start_review(asked, by=w.officer)
    with pytest.raises(ValidationError, match="Only the person who made a request"):
        actions.withdraw_request(asked, by=w.other_teacher)
    actions.withdraw_request(asked, by=w.teacher)
    asked.refresh_from_db()
    assert asked.status == AppRequestStatus.WITHDRAWN
    with pytest.raises(ValidationError, match="already withdrawn"):
        actions.withdraw_request(asked, by=w.teacher)
