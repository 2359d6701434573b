"""Fixtures and builders for the agreement tests (issue #6 items 3 and 4).

The world: Model District with Adams and Lincoln schools and one class; two vendors, Acme
Learning (product "Acme Reader", a primary contact with a login) and Beta Data (a contact with
a login); a privacy officer and a teacher. Vendors, products and contacts are made with the
ORM (tests may); agreements go through `steward.vendors.actions.agreements`.

`complete_terms(world, kind)` gives every term an agreement of `kind` needs; `blank(agreement,
key)` empties exactly one of them in the database, for the "one test per mandatory field"
tests. Test modules import the fixtures they use by name.
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
from steward.bases import FerpaBasis, MassachusettsBasis
from steward.roster.models import Org, StaffRole
from steward.vendors.actions import agreements as actions
from steward.vendors.mandatory import DIRECT_CONTROL
from steward.vendors.models import (
    Agreement,
    AgreementKind,
    ContactRole,
    Product,
    ScopeKind,
    Template,
    Vendor,
    VendorContact,
)
from tests.web import factories as f

Kind = AgreementKind
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ELEMENTS = [["Student Name", "First and/or last"], ["Enrollment", "Student grade level"]]
KINDS = [Kind.SCHOOL_OFFICIAL_DPA, Kind.AUDIT_EVALUATION, Kind.STUDY, Kind.OTHER]
BASIS: dict[str, str] = {
    Kind.SCHOOL_OFFICIAL_DPA: FerpaBasis.A1,
    Kind.AUDIT_EVALUATION: FerpaBasis.A3,
    Kind.STUDY: FerpaBasis.A6,
    Kind.OTHER: FerpaBasis.CONSENT,
}
# The mandatory keys every kind has, then those of each kind (steward.vendors.mandatory).
COMMON_KEYS = [
    "title", "kind", "template", "ferpa_basis", "ma_basis", "purpose", "services",
    "data_elements", "scope_kind", "scope_schools", "scope_grades", "scope_sections",
    "scope_rule", "start_date", "end_date", "parent_access_days", "breach_notification_hours",
    "security_framework", "disposition_window_days", "signed_document", "signed_on",
    "district_signatory", "provider_signatory",
]  # fmt: skip
KIND_KEYS: dict[str, list[str]] = {
    Kind.SCHOOL_OFFICIAL_DPA: [f"direct_control.{key}" for key in DIRECT_CONTROL],
    Kind.AUDIT_EVALUATION: ["representative", "activity_description", "destruction_terms"],
    Kind.STUDY: ["study_scope", "study_duration", "destruction_terms", "irb_evidence"],
    Kind.OTHER: [],
}
NULLABLE = {"parent_access_days", "breach_notification_hours"}
CASES = [(kind, key) for kind in KINDS for key in COMMON_KEYS + KIND_KEYS[kind]]


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def vendor_login(username: str, contact: VendorContact) -> User:
    user = User.objects.create_user(username=username, email=contact.email)
    Account.objects.create(user=user, role=Account.Role.VENDOR, vendor_contact=contact)
    return user


def build_world() -> SimpleNamespace:
    run = f.import_run()
    w = SimpleNamespace(run=run)
    w.district = f.org(run, "Model District", Org.Type.DISTRICT)
    w.adams = f.org(run, "Adams Elementary", parent=w.district)
    w.lincoln = f.org(run, "Lincoln Middle", parent=w.district)
    w.homeroom = f.section(run, w.adams, "Grade 3 Homeroom")
    now = timezone.now()
    w.acme = Vendor.objects.create(name="Acme Learning", created_at=now)
    w.reader = Product.objects.create(vendor=w.acme, name="Acme Reader", created_at=now)
    w.acme_contact = VendorContact.objects.create(
        vendor=w.acme, name="Ada Acme", email="ada@acme.example", role=ContactRole.PRIMARY
    )
    w.beta = Vendor.objects.create(name="Beta Data", created_at=now)
    w.beta_contact = VendorContact.objects.create(
        vendor=w.beta, name="Bo Beta", email="bo@beta.example", role=ContactRole.PRIMARY
    )
    tess = f.staff(run, "Tess", "Turner")
    f.staff_role(run, tess, w.adams, StaffRole.Position.TEACHER)
    w.officer = f.login("officer", Account.Role.PRIVACY_OFFICER)
    w.officer.email = "privacy@district.example"
    w.officer.save(update_fields=["email"])
    w.teacher = f.login("teacher", Account.Role.TEACHER, staff=tess)
    w.ada = vendor_login("ada", w.acme_contact)
    w.bo = vendor_login("bo", w.beta_contact)
    return w


def complete_terms(w: SimpleNamespace, kind: str = Kind.SCHOOL_OFFICIAL_DPA) -> dict[str, Any]:
    """Every term an agreement of `kind` needs, running from 30 days ago for a year."""
    terms: dict[str, Any] = {
        "title": f"Acme Reader {kind}",
        "kind": kind,
        "template": Template.MA_MULTISTATE_NDPA,
        "ferpa_basis": BASIS[kind],
        "ma_basis": MassachusettsBasis.SCHOOL_OFFICIAL,
        "purpose": "Reading practice for grades 3-5.",
        "services": "A reading app with student accounts.",
        "data_elements": ELEMENTS,
        "scope_kind": ScopeKind.DISTRICT,
        "start_date": days(-30),
        "end_date": days(335),
        "parent_access_days": 5,
        "breach_notification_hours": 72,
        "security_framework": "NIST CSF",
        "signed_on": days(-31),
        "district_signatory": "Dana Director",
        "provider_signatory": "Ada Acme",
        "products": [w.reader],
    }
    if kind == Kind.SCHOOL_OFFICIAL_DPA:
        terms["direct_control"] = list(DIRECT_CONTROL)
    if kind == Kind.AUDIT_EVALUATION:
        terms |= {
            "representative": "State evaluation office",
            "activity_description": "Evaluate the reading program's effect on grades.",
            "destruction_terms": "Destroyed within 60 days after the evaluation report.",
        }
    if kind == Kind.STUDY:
        terms |= {
            "study_scope": "Whether daily reading practice improves fluency.",
            "study_duration": "Two school years",
            "destruction_terms": "Destroyed within 60 days after the study ends.",
            "irb_evidence": "University IRB exemption 2024-117.",
        }
    return terms


def draft(w: SimpleNamespace, kind: str = Kind.SCHOOL_OFFICIAL_DPA, **over: Any) -> Agreement:
    """A complete DRAFT of `kind` with its signed document, ready to activate."""
    agreement = actions.create_agreement(w.acme, by=w.officer, **(complete_terms(w, kind) | over))
    actions.attach_signed_document(agreement, PDF, "signed.pdf", by=w.officer)
    return agreement


def active(w: SimpleNamespace, kind: str = Kind.SCHOOL_OFFICIAL_DPA, **over: Any) -> Agreement:
    agreement = draft(w, kind, **over)
    actions.activate_agreement(agreement, by=w.officer)
    return agreement


def ended(w: SimpleNamespace, **over: Any) -> Agreement:
    """An agreement terminated today: DISPOSITION_PENDING with a default directive."""
    agreement = active(w, **over)
    actions.terminate_agreement(
        agreement, reason="Service discontinued.", by=w.officer, authorized_by="Dana Director"
    )
    return agreement


def offer(w: SimpleNamespace, **over: Any) -> Agreement:
    """Another district's agreement with Acme, imported with its Exhibit E general offer."""
    now = timezone.now()
    values: dict[str, Any] = {
        k: v for k, v in complete_terms(w).items() if k not in {"products", "signed_on"}
    }
    values |= {
        "title": "Acme Reader (Springfield)",
        "lea_name": "Springfield Public Schools",
        "external": True,
        "status": "active",
        "exhibit_e_offered": True,
        "exhibit_e_expires": days(400),
        "created_at": now,
        "updated_at": now,
    }
    origin = Agreement.objects.create(vendor=w.acme, **(values | over))
    origin.products.set([w.reader])
    return origin


def blank(agreement: Agreement, key: str) -> None:
    """Empty exactly the mandatory term `key` of `agreement` in the database."""
    rows = Agreement.objects.filter(pk=agreement.pk)
    if key.startswith("direct_control."):
        kept = [k for k in agreement.direct_control if k != key.split(".", 1)[1]]
        rows.update(direct_control=kept)
    elif key in {"scope_schools", "scope_sections", "scope_grades", "scope_rule"}:
        # The scope's detail is blank while its kind asks for it.
        rows.update(scope_kind=key.removeprefix("scope_"))
    elif key in {"start_date", "end_date", "signed_on", "signed_document"} | NULLABLE:
        rows.update(**{key: None})
    elif key == "disposition_window_days":
        rows.update(disposition_window_days=0)
    elif key == "data_elements":
        rows.update(data_elements=[])
    else:
        rows.update(**{key: ""})
    agreement.refresh_from_db()


@pytest.fixture
def ag_world(db: None) -> SimpleNamespace:
    return build_world()


@pytest.fixture
def ag_client(client: Client) -> Callable[[User], Client]:
    def log_in(user: User) -> Client:
        client.force_login(user)
        return client

    return log_in
