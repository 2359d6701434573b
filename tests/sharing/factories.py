"""Fixtures and builders for the sharing tests (issue #7).

The world ("Model District"):

- Adams Elementary: Tess teaches "Grade 3 Homeroom" (Ana, Ben, grade 03) and Omar teaches
  "Art" (Ben, Cal; Cal is in grade 04). Lincoln Middle: Lena teaches "Algebra" (Dee, grade 07).
- Ana's parents: Gail (custodial) and Rex (barred by a court order); Cal's guardian: Gus.
- Every student has demographics and special indicators; nobody has opted out of anything.
- Vendors: Acme Learning (a contact with a login) and Beta Data; agreements are made active
  with the ORM (`agreement(...)`), the way a finished #6 lifecycle leaves them.
- Logins: a privacy officer, a teacher (Tess) and Acme's vendor contact.

Roster rows go through `tests.web.factories`; vendors and agreements through the ORM.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from steward.access import service
from steward.accounts.models import Account
from steward.bases import FerpaBasis, MassachusettsBasis
from steward.catalog.elements import EXHIBIT_B
from steward.consents.models import (
    DirectoryCategory,
    DirectoryNotice,
    DirectoryOptOut,
    DisclosureConsent,
    MadeBy,
    Method,
)
from steward.roster.models import (
    Org,
    SpecialIndicators,
    StaffRole,
    Student,
    StudentDemographics,
)
from steward.sharing.models import Feed
from steward.vendors.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    AppStatus,
    ContactRole,
    Product,
    ScopeKind,
    Vendor,
    VendorContact,
)
from tests.web import factories as f

Role = Account.Role
Position = StaffRole.Position
ALL_ELEMENTS = [[category, name] for category, names in EXHIBIT_B.items() for name in names]
ROSTER_ELEMENTS = [
    ["Student Name", "First and/or last"],
    ["Enrollment", "Student grade level"],
    ["Enrollment", "Student school enrollment"],
    ["Schedule", "Student scheduled courses"],
    ["Schedule", "Teacher names"],
    ["Student Identifiers", "Student app username"],
]
_n = itertools.count(1)


def now() -> dt.datetime:
    return timezone.now()


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def vendor(name: str | None = None) -> Vendor:
    return Vendor.objects.create(name=name or f"Vendor {next(_n)}", created_at=now())


def product(of: Vendor, status: str = AppStatus.APPROVED, name: str | None = None) -> Product:
    return Product.objects.create(
        vendor=of, name=name or f"App {next(_n)}", status=status, created_at=now()
    )


def agreement(
    of: Vendor,
    *,
    elements: Iterable[Iterable[str]] = ROSTER_ELEMENTS,
    status: str = AgreementStatus.ACTIVE,
    scope: str = ScopeKind.DISTRICT,
    basis: str = FerpaBasis.A1,
    products: Iterable[Product] = (),
    **fields: Any,
) -> Agreement:
    """An agreement in `status`, running from 30 days ago to a year from now."""
    made = Agreement.objects.create(
        vendor=of,
        title=fields.pop("title", f"{of.name} DPA"),
        kind=AgreementKind.SCHOOL_OFFICIAL_DPA,
        ferpa_basis=basis,
        ma_basis=MassachusettsBasis.SCHOOL_OFFICIAL,
        status=status,
        purpose=fields.pop("purpose", "Reading practice for students"),
        services="Online reading app",
        data_elements=[list(pair) for pair in elements],
        scope_kind=scope,
        start_date=fields.pop("start_date", days(-30)),
        end_date=fields.pop("end_date", days(365)),
        district_signatory="Dana Director",
        created_at=now(),
        updated_at=now(),
        **fields,
    )
    if products:
        made.products.set(list(products))
    return made


def feed(of: Agreement, **fields: Any) -> Feed:
    """The agreement's feed settings, made with the ORM (the action is tested on its own)."""
    return Feed.objects.create(agreement=of, updated_at=now(), **fields)


def demographics(run: Any, pupil: Student, **fields: Any) -> StudentDemographics:
    values = {
        "birth_date": dt.date(2015, 5, 1),
        "sex": "female",
        "asian": True,
        "white": False,
        "city_of_birth": "Cambridge",
        "state_of_birth": "MA",
        "country_of_birth": "US",
        "public_school_residence_status": "resident",
    } | fields
    return StudentDemographics.objects.create(student=pupil, last_import=run, **values)


def indicators(run: Any, pupil: Student, **flags: bool) -> SpecialIndicators:
    return SpecialIndicators.objects.create(student=pupil, last_import=run, **flags)


def release(pupil: Student, recipient: str, parts: Iterable[str], **fields: Any) -> Any:
    """A guardian release (a `DisclosureConsent`) naming `recipient`, in force now."""
    return DisclosureConsent.objects.create(
        student=pupil,
        made_by=MadeBy.GUARDIAN,
        method=Method.PAPER,
        attestation="signed form on file",
        scopes=list(parts),
        purpose=fields.pop("purpose", "use of the app"),
        recipient=recipient,
        expires_on=fields.pop("expires_on", days(200)),
        signed_at=fields.pop("signed_at", now() - dt.timedelta(days=1)),
        text="I allow it.",
        text_sha256="0" * 64,
        **fields,
    )


def opt_out(pupil: Student, kind: str, category: str | None = None) -> DirectoryOptOut:
    return DirectoryOptOut.objects.create(
        student=pupil,
        made_by=MadeBy.GUARDIAN,
        method=Method.PAPER,
        attestation="signed form on file",
        kind=kind,
        category=DirectoryCategory.objects.get(key=category) if category else None,
        made_at=now() - dt.timedelta(days=1),
    )


def directory_notice(ended_days_ago: int = 10) -> DirectoryNotice:
    """This school year's notice, its opt-out window over `ended_days_ago` days ago."""
    from steward.consents.rules import school_year_of

    return DirectoryNotice.objects.create(
        school_year=school_year_of(timezone.localdate()),
        published_at=now() - dt.timedelta(days=ended_days_ago + 30),
        opt_out_ends_on=days(-ended_days_ago),
        text="notice",
        text_sha256="0" * 64,
    )


def build_district() -> SimpleNamespace:
    service.reset()
    run = f.import_run()
    d = SimpleNamespace(run=run)
    d.district = f.org(run, "Model District", Org.Type.DISTRICT)
    d.adams = f.org(run, "Adams Elementary", parent=d.district)
    d.lincoln = f.org(run, "Lincoln Middle", parent=d.district)
    d.term = f.term(run, "Fall")
    d.tess = f.staff(run, "Tess", "Turner")
    d.omar = f.staff(run, "Omar", "Ortiz")
    d.lena = f.staff(run, "Lena", "Lopez")
    f.staff_role(run, d.tess, d.adams, Position.TEACHER)
    f.staff_role(run, d.omar, d.adams, Position.TEACHER)
    f.staff_role(run, d.lena, d.lincoln, Position.TEACHER)
    d.homeroom = f.section(run, d.adams, "Grade 3 Homeroom", [d.term], course_title="Homeroom 3")
    d.art = f.section(run, d.adams, "Art", [d.term], course_title="Art")
    d.algebra = f.section(run, d.lincoln, "Algebra I", [d.term], course_title="Algebra")
    for teacher, section in ((d.tess, d.homeroom), (d.omar, d.art), (d.lena, d.algebra)):
        f.enroll(run, teacher, section)
    d.ana = f.student(run, "Ana", "Avery", grade="03")
    d.ben = f.student(run, "Ben", "Brown", grade="03")
    d.cal = f.student(run, "Cal", "Cole", grade="04")
    d.dee = f.student(run, "Dee", "Diaz", grade="07")
    for pupil, school in ((d.ana, d.adams), (d.ben, d.adams), (d.cal, d.adams)):
        f.attend(run, pupil, school)
    f.attend(run, d.dee, d.lincoln)
    f.enroll(run, d.ana, d.homeroom)
    f.enroll(run, d.ben, d.homeroom)
    f.enroll(run, d.ben, d.art)
    f.enroll(run, d.cal, d.art)
    f.enroll(run, d.dee, d.algebra)
    for pupil in (d.ana, d.ben, d.cal, d.dee):
        Student.objects.filter(pk=pupil.pk).update(
            email=f"{pupil.given_name.lower()}@students.example.org",
            phone="555-0100",
            identifier=f"SASID-{pupil.pk}",
        )
        demographics(run, pupil)
        indicators(run, pupil, iep=pupil is d.ana, english_learner=pupil is d.cal)
    d.gail = f.guardian(run, "Gail", "Avery")
    d.rex = f.guardian(run, "Rex", "Avery")
    d.gus = f.guardian(run, "Gus", "Cole")
    f.guardian_of(run, d.gail, d.ana)
    f.guardian_of(run, d.rex, d.ana, restricted=True)
    f.guardian_of(run, d.gus, d.cal)
    d.acme = vendor("Acme Learning")
    d.beta = vendor("Beta Data")
    d.acme_contact = VendorContact.objects.create(
        vendor=d.acme, name="Pat Provider", email="pat@acme.example", role=ContactRole.PRIMARY
    )
    return d


def logins(d: SimpleNamespace) -> SimpleNamespace:
    vendor_user = User.objects.create_user(username="pat", email="pat@acme.example")
    Account.objects.create(user=vendor_user, role=Role.VENDOR, vendor_contact=d.acme_contact)
    return SimpleNamespace(
        officer=f.login("officer", Role.PRIVACY_OFFICER),
        teacher=f.login("teacher", Role.TEACHER, staff=d.tess),
        vendor=vendor_user,
    )


@pytest.fixture
def district(db: None) -> SimpleNamespace:
    return build_district()


@pytest.fixture
def users(district: SimpleNamespace) -> SimpleNamespace:
    return logins(district)


@pytest.fixture
def client_as(client: Client) -> Callable[[User], Client]:
    def log_in(user: User) -> Client:
        client.force_login(user)
        return client

    return log_in


def read_package(path: Any) -> dict[str, list[dict[str, str]]]:
    """{file name: rows as {column: value}} for every CSV in the zip at `path`."""
    import csv
    import io
    import zipfile

    out: dict[str, list[dict[str, str]]] = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".csv"):
                text = archive.read(name).decode("utf-8")
                out[name] = list(csv.DictReader(io.StringIO(text)))
    return out
