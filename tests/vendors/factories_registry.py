"""Fixtures and builders for the registry and vetting tests (issue #6 items 1 and 2).

The world (`reg_world`): Model District with Adams Elementary; Tess and Omar teach there.
Two vendors: Acme Learning (app "Quizzo", under review; a primary contact, Alice, with a
login) and Globex (app "Mathly", approved; a contact, Bob, with a login). Logins named for
their role: `officer` (privacy officer), `teacher` (Tess), `other_teacher` (Omar), `vendor`
(Alice at Acme), `other_vendor` (Bob at Globex), `root` (a bare superuser), `guardian`.

Rows the tests are not about are made with the ORM; what a test is about goes through the
actions. Test modules import the fixtures they use by name (and list them in `__all__`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from steward.accounts.models import Account
from steward.audit.models import Entry
from steward.roster.models import Org, StaffRole
from steward.vendors import rubric
from steward.vendors.actions import vetting as vetting_actions
from steward.vendors.models import (
    REVETTING_DAYS,
    AppStatus,
    ContactRole,
    Product,
    Rating,
    Vendor,
    VendorContact,
    Vetting,
    VettingAnswer,
    VettingDecision,
    VettingState,
    VettingTrigger,
)
from tests.web import factories as f

Role = Account.Role
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def make_vendor(name: str) -> Vendor:
    return Vendor.objects.create(name=name, created_at=timezone.now())


def make_product(vendor: Vendor, name: str, **fields: Any) -> Product:
    now = timezone.now()
    return Product.objects.create(vendor=vendor, name=name, created_at=now, **fields)


def make_contact(vendor: Vendor, name: str, email: str) -> VendorContact:
    return VendorContact.objects.create(
        vendor=vendor, name=name, email=email, role=ContactRole.PRIMARY
    )


def contact_login(username: str, contact: VendorContact) -> User:
    user = User.objects.create_user(username=username, email=contact.email)
    Account.objects.create(user=user, role=Role.VENDOR, vendor_contact=contact)
    return user


def rate_all(vetting: Vetting, by: User, rating: str = Rating.MEETS, **overrides: str) -> None:
    """Rate every rubric item `rating` (evidence given when it needs some), except the
    items in `overrides` (key → rating)."""
    for key in rubric.ITEMS:
        chosen = overrides.get(key, rating)
        note = "" if chosen == Rating.MEETS else "See section 4 of the privacy policy."
        vetting_actions.rate_item(vetting, key, rating=chosen, evidence_note=note, by=by)


def approve(product: Product, by: User, status: str = AppStatus.APPROVED) -> Vetting:
    """Vet `product` with every item met and decide `status`."""
    vetting = vetting_actions.start_vetting(product, trigger=VettingTrigger.INITIAL, by=by)
    rate_all(vetting, by)
    vetting_actions.decide_vetting(vetting, status=status, reasons="Meets every item.", by=by)
    vetting.refresh_from_db()
    return vetting


def approved_without_actions(product: Product, by: User) -> Vetting:
    """An APPROVED app with a decided vetting, written straight to the database: the
    fixture's background, much faster than forty actions."""
    now = timezone.now()
    vetting = Vetting.objects.create(
        product=product,
        trigger=VettingTrigger.INITIAL,
        state=VettingState.DECIDED,
        reviewer=by,
        started_at=now,
    )
    VettingAnswer.objects.bulk_create(
        VettingAnswer(vetting=vetting, item=key, rating=Rating.MEETS, rated_by=by, rated_at=now)
        for key in rubric.ITEMS
    )
    VettingDecision.objects.create(
        vetting=vetting, status=AppStatus.APPROVED, reasons="Meets every item.", decided_at=now
    )
    Product.objects.filter(pk=product.pk).update(
        status=AppStatus.APPROVED,
        status_reason="Meets every item.",
        status_changed_at=now,
        last_vetted_at=now,
        revetting_due=timezone.localdate(now) + dt.timedelta(days=REVETTING_DAYS),
    )
    product.refresh_from_db()
    return vetting


def entries() -> int:
    return Entry.objects.count()


@pytest.fixture
def reg_world(db: None) -> SimpleNamespace:
    run = f.import_run()
    w = SimpleNamespace(run=run)
    w.district = f.org(run, "Model District", Org.Type.DISTRICT)
    w.adams = f.org(run, "Adams Elementary", parent=w.district)
    w.tess = f.staff(run, "Tess", "Turner")
    f.staff_role(run, w.tess, w.adams, StaffRole.Position.TEACHER)
    w.omar = f.staff(run, "Omar", "Ortiz")
    f.staff_role(run, w.omar, w.adams, StaffRole.Position.TEACHER)
    w.gail = f.guardian(run, "Gail", "Avery")
    w.acme = make_vendor("Acme Learning")
    w.quizzo = make_product(w.acme, "Quizzo", website="https://quizzo.example")
    w.alice = make_contact(w.acme, "Alice Archer", "alice@acme.example")
    w.globex = make_vendor("Globex")
    w.mathly = make_product(w.globex, "Mathly")
    w.bob = make_contact(w.globex, "Bob Brown", "bob@globex.example")
    officer = f.login("officer", Role.PRIVACY_OFFICER)
    officer.first_name, officer.last_name = "Rita", "Reyes"
    officer.save(update_fields=["first_name", "last_name"])
    w.officer = officer
    w.teacher = f.login("teacher", Role.TEACHER, staff=w.tess)
    w.other_teacher = f.login("other_teacher", Role.TEACHER, staff=w.omar)
    w.guardian = f.login("guardian", Role.GUARDIAN, guardian=w.gail)
    w.vendor = contact_login("alice", w.alice)
    w.other_vendor = contact_login("bob", w.bob)
    w.root = f.login("root", is_staff=True, is_superuser=True)
    approved_without_actions(w.mathly, officer)
    return w


@pytest.fixture
def reg_client(client: Client) -> Callable[[User | None], Client]:
    """The test client signed in as `user` (None: anonymous)."""

    def sign_in(user: User | None) -> Client:
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in
