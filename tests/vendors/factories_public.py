"""Vendor rows for the dashboard, public page, registry and PDF tests, written straight through
the ORM (tests may; the app writes only through actions). Every function takes what a test
cares about and fills the rest with plausible values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from steward.accounts.models import Account
from steward.roster.models import Org, StaffRole
from steward.vendors.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    AppRequest,
    AppStatus,
    ContactRole,
    DispositionCertificate,
    DispositionDirective,
    Document,
    Product,
    Template,
    Vendor,
    VendorContact,
    Vetting,
    VettingDecision,
    VettingTrigger,
)
from tests.web import factories as f

_n = itertools.count(1)
DISTRICT = "Model District"


def now() -> dt.datetime:
    return timezone.now()


def pdf_bytes(text: str = "signed") -> bytes:
    """A tiny file that passes the PDF check (magic bytes); its content varies with `text`."""
    return b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"


def document(text: str = "signed agreement", filename: str = "agreement.pdf") -> Document:
    data = pdf_bytes(text)
    return Document.objects.create(
        filename=filename,
        content_type="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        uploaded_at=now(),
    )


def vendor(name: str | None = None, **fields: Any) -> Vendor:
    return Vendor.objects.create(name=name or f"Vendor {next(_n)}", created_at=now(), **fields)


def contact(of: Vendor, name: str = "Pat Provider", **fields: Any) -> VendorContact:
    fields.setdefault("email", f"contact{next(_n)}@vendor.example")
    fields.setdefault("role", ContactRole.PRIMARY)
    return VendorContact.objects.create(vendor=of, name=name, **fields)


def product(of: Vendor, name: str | None = None, **fields: Any) -> Product:
    fields.setdefault("status", AppStatus.APPROVED)
    return Product.objects.create(
        vendor=of, name=name or f"App {next(_n)}", created_at=now(), **fields
    )


def agreement(
    of: Vendor,
    products: Iterable[Product] = (),
    *,
    status: str = AgreementStatus.ACTIVE,
    signed: bool = True,
    **fields: Any,
) -> Agreement:
    """An agreement of `of` covering `products`; `signed` attaches a stored signed PDF."""
    today = timezone.localdate()
    fields.setdefault("title", f"Data privacy agreement {next(_n)}")
    fields.setdefault("kind", AgreementKind.SCHOOL_OFFICIAL_DPA)
    fields.setdefault("template", Template.MA_MULTISTATE_NDPA)
    fields.setdefault("ferpa_basis", "A1")
    fields.setdefault("ma_basis", "school_official")
    fields.setdefault("purpose", "Reading practice")
    fields.setdefault("data_elements", [["Student Name", "First and/or last"]])
    fields.setdefault("start_date", today - dt.timedelta(days=200))
    fields.setdefault("end_date", today + dt.timedelta(days=400))
    if signed and "signed_document" not in fields:
        fields["signed_document"] = document(f"agreement {next(_n)}")
    made = Agreement.objects.create(
        vendor=of, status=status, created_at=now(), updated_at=now(), **fields
    )
    made.products.set(list(products))
    return made


def directive(of: Agreement, **fields: Any) -> DispositionDirective:
    fields.setdefault("due_date", timezone.localdate() + dt.timedelta(days=30))
    fields.setdefault("authorized_by", "Dana Director")
    return DispositionDirective.objects.create(agreement=of, issued_at=now(), **fields)


def certificate(of: Agreement, **fields: Any) -> DispositionCertificate:
    fields.setdefault("signer_name", "Zoë Ngô")
    fields.setdefault("signer_title", "Chief Privacy Officer")
    fields.setdefault("signed_on", timezone.localdate())
    fields.setdefault("method", "cryptographic erasure of the district's tenant")
    fields.setdefault("scope", "All student data received under the agreement")
    fields.setdefault("document", document("certificate", "certificate.pdf"))
    return DispositionCertificate.objects.create(agreement=of, recorded_at=now(), **fields)


def decision(on: Product, status: str, at: dt.datetime | None = None) -> VettingDecision:
    when = at or now()
    vetting = Vetting.objects.create(product=on, trigger=VettingTrigger.INITIAL, started_at=when)
    return VettingDecision.objects.create(
        vetting=vetting, status=status, reasons="Reviewed.", decided_at=when
    )


def app_request(by: User, name: str = "Sketchpad", **fields: Any) -> AppRequest:
    fields.setdefault("purpose", "Drawing in art class")
    return AppRequest.objects.create(requested_by=by, app_name=name, created_at=now(), **fields)


def vendor_login(username: str, person: VendorContact) -> User:
    user = User.objects.create_user(username=username)
    Account.objects.create(user=user, role=Account.Role.VENDOR, vendor_contact=person)
    return user


def people() -> SimpleNamespace:
    """The four kinds of visitor of the vendor pages, plus a second vendor's contact:
    `teacher` (staff), `officer` (privacy office), `contact` (of `acme`) and `other_contact`
    (of `globex`). The district org is named `DISTRICT`."""
    run = f.import_run()
    district = f.org(run, DISTRICT, Org.Type.DISTRICT)
    school = f.org(run, "Adams Elementary", parent=district)
    tess = f.staff(run, "Tess", "Turner")
    f.staff_role(run, tess, school, StaffRole.Position.TEACHER)
    acme, globex = vendor("Acme Learning"), vendor("Globex Assessment")
    acme_contact, globex_contact = contact(acme, "Zoë Ngô"), contact(globex, "Gil Globex")
    return SimpleNamespace(
        district=district,
        school=school,
        acme=acme,
        globex=globex,
        teacher=f.login("teacher", Account.Role.TEACHER, staff=tess),
        officer=f.login("officer", Account.Role.PRIVACY_OFFICER),
        contact=vendor_login("acme_contact", acme_contact),
        other_contact=vendor_login("globex_contact", globex_contact),
    )
