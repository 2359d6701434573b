"""Demo vendors for `steward demo`: five fictional providers, their apps in every registry
status, and agreements at each stage of their life (issue #6), so that the dashboard, the
public page, the registry export and the PDFs have something to show.

Everything is written through the vendor actions (each with its ledger entry), as the system
(`by=None`): vendors and contacts, apps, vettings rated item by item and decided, agreements
created, signed (a small generated PDF), activated, ended and certified. The actions stamp
the present moment, so a demo agreement that "ended" did so today; the dates inside the
agreements (start, end, signature) tell its story. Running the demo again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from steward.vendors.models import (
    AgreementKind,
    AppStatus,
    ContactRole,
    CoppaConsent,
    Product,
    Rating,
    ScopeKind,
    Template,
    Vendor,
    VettingTrigger,
)

FIRST_VENDOR = "Brightleaf Reading Co."


@dataclass(frozen=True)
class App:
    name: str
    description: str
    decision: str  # an AppStatus; UNDER_REVIEW leaves the vetting open
    in_use: bool = True
    used_under_13: bool = False
    coppa_consent: str = ""
    commercial_purpose: bool = False


@dataclass(frozen=True)
class Deal:
    """An agreement and where its life has got to: active, expiring, pending or certified."""

    title: str
    stage: str
    apps: tuple[str, ...]
    elements: tuple[tuple[str, str], ...]
    start: int  # days from today
    end: int
    kind: str = AgreementKind.SCHOOL_OFFICIAL_DPA
    terms: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Provider:
    name: str
    website: str
    address: str
    contact: tuple[str, str, str]  # name, title, e-mail
    storage: tuple[str, str, str]  # country, region, hosting provider
    apps: tuple[App, ...]
    deals: tuple[Deal, ...]


NAME = ("Student Name", "First and/or last")
GRADE = ("Enrollment", "Student grade level")
SCHOOL = ("Enrollment", "Student school enrollment")
LOCAL_ID = ("Student Identifiers", "Local (school district) ID number")
USERNAME = ("Student Identifiers", "Student app username")
PERFORMANCE = ("Student In App Performance", "Program/application performance")
COURSES = ("Schedule", "Student scheduled courses")
TEACHERS = ("Schedule", "Teacher names")
WORK = ("Student Work", "Student generated content")
SCORES = ("Assessment", "Standardized test scores")
EL = ("Special Indicator", "English language learner information")
IEP = ("Special Indicator", "Specialized education services (IEP or 504)")

PROVIDERS: tuple[Provider, ...] = (
    Provider(
        FIRST_VENDOR,
        "https://brightleaf.example",
        "12 Orchard Lane, Worcester, MA 01608",
        ("Zoë Ngô", "Chief Privacy Officer", "privacy@brightleaf.example"),
        ("United States", "us-east-1", "Amazon Web Services"),
        (
            App(
                "Brightleaf Reader",
                "Leveled e-books and reading logs for grades K–5.",
                AppStatus.APPROVED,
                used_under_13=True,
                coppa_consent=CoppaConsent.SCHOOL_AS_AGENT,
            ),
            App("Brightleaf Library", "A classroom library catalog.", AppStatus.UNDER_REVIEW),
        ),
        (
            Deal(
                "Brightleaf Reader data privacy agreement",
                "active",
                ("Brightleaf Reader",),
                (NAME, GRADE, SCHOOL, USERNAME, PERFORMANCE),
                start=-300,
                end=795,
                terms={"exhibit_e_offered": True, "exhibit_e_expires": 795},
            ),
        ),
    ),
    Provider(
        "Numberline Learning",
        "https://numberline.example",
        "400 Harbor Street, Boston, MA 02110",
        ("Marcus Oyelaran", "Data Protection Officer", "dpo@numberline.example"),
        ("United States", "Virginia", "Microsoft Azure"),
        (
            App(
                "Numberline Math Practice",
                "Adaptive math practice for grades 2–8.",
                AppStatus.APPROVED_WITH_GUARDIAN_RELEASE,
                used_under_13=True,
                coppa_consent=CoppaConsent.PARENT,
                commercial_purpose=True,
            ),
            App(
                "Numberline Arcade",
                "Math games with in-app advertising.",
                AppStatus.NOT_APPROVED,
                in_use=False,
            ),
        ),
        (
            Deal(
                "Numberline Math Practice agreement",
                "expiring",
                ("Numberline Math Practice",),
                (NAME, GRADE, USERNAME, PERFORMANCE),
                start=-685,
                end=45,
            ),
        ),
    ),
    Provider(
        "Coursewell Inc.",
        "https://coursewell.example",
        "77 Commerce Drive, Providence, RI 02903",
        ("Jean-Baptiste Désir", "General Counsel", "legal@coursewell.example"),
        ("Canada", "Montréal", "Coursewell data centre"),
        (App("Coursewell Classroom", "Learning management system.", AppStatus.APPROVED),),
        (
            Deal(
                "Coursewell Classroom agreement",
                "terminated",
                ("Coursewell Classroom",),
                (NAME, LOCAL_ID, COURSES, TEACHERS, WORK, GRADE),
                start=-500,
                end=230,
            ),
        ),
    ),
    Provider(
        "Veritas Assessment Group",
        "https://veritas-assessment.example",
        "5 Summit Avenue, Hartford, CT 06103",
        ("Priya Raman", "Security and Privacy Lead", "privacy@veritas-assessment.example"),
        ("United States", "Ohio", "Google Cloud"),
        (App("Veritas Benchmark", "Fall and spring benchmark assessments.", AppStatus.APPROVED),),
        (
            Deal(
                "Veritas Benchmark agreement 2023–2025",
                "certified",
                ("Veritas Benchmark",),
                (NAME, LOCAL_ID, GRADE, SCORES, EL, IEP),
                start=-1000,
                end=-20,
            ),
            Deal(
                "Veritas Benchmark agreement 2025–2028",
                "active",
                ("Veritas Benchmark",),
                (NAME, LOCAL_ID, GRADE, SCORES),
                start=-19,
                end=1076,
            ),
        ),
    ),
    Provider(
        "Harbor Education Research Institute",
        "https://harbor-research.example",
        "1 University Place, Amherst, MA 01003",
        ("Łukasz Wiśniewski", "Principal Investigator", "study@harbor-research.example"),
        ("United States", "Massachusetts", "University research cluster"),
        (
            App(
                "Harbor Early Literacy Study",
                "A two-year study of early reading interventions.",
                AppStatus.APPROVED,
                in_use=False,
            ),
        ),
        (
            Deal(
                "Early literacy study agreement",
                "active",
                ("Harbor Early Literacy Study",),
                (LOCAL_ID, GRADE, SCORES, EL),
                start=-60,
                end=670,
                kind=AgreementKind.STUDY,
                terms={
                    "ferpa_basis": "A6",
                    "ma_basis": "other",
                    "study_scope": "Reading outcomes of grade 1–2 students in six schools.",
                    "study_duration": "Two school years",
                    "irb_evidence": "IRB exemption HERI-2025-031, dated 2025-05-02",
                    "destruction_terms": "All data destroyed within 60 days of the final report.",
                },
            ),
        ),
    ),
)


def _pdf(title: str, lines: list[str]) -> bytes:
    """A small PDF standing in for a signed document."""
    from steward.vendors.pdf import Page

    page = Page(title, "Demo document generated by Steward")
    for line in lines:
        page.paragraph(line)
    return page.finish()


def _vet(product: Product, decision: str) -> None:
    from steward.vendors import rubric
    from steward.vendors.actions import vetting

    review = vetting.start_vetting(product, trigger=VettingTrigger.INITIAL, by=None)
    if decision == AppStatus.UNDER_REVIEW:
        return
    for key in rubric.ITEMS:
        failing = decision == AppStatus.NOT_APPROVED and key in rubric.BLOCKING_ITEMS
        vetting.rate_item(
            review,
            key,
            rating=Rating.DOES_NOT_MEET if failing else Rating.MEETS,
            evidence_note="Shows ads to students; sells usage data." if failing else "",
            by=None,
        )
    reasons: dict[str, str] = {
        AppStatus.APPROVED: "Meets every item of the rubric.",
        AppStatus.APPROVED_WITH_GUARDIAN_RELEASE: (
            "Meets the rubric; the operator has a commercial purpose, so each parent consents."
        ),
        AppStatus.NOT_APPROVED: "Advertising to students and sale of data (R75).",
    }
    vetting.decide_vetting(review, status=decision, reasons=reasons[decision], by=None)


def _agreement(
    vendor: Vendor, signer: str, deal: Deal, products: dict[str, Product], today: dt.date
) -> None:
    from steward.vendors.actions import agreements
    from steward.vendors.mandatory import DIRECT_CONTROL

    start, end = today + dt.timedelta(days=deal.start), today + dt.timedelta(days=deal.end)
    terms: dict[str, Any] = {
        "template": Template.MA_MULTISTATE_NDPA,
        "ferpa_basis": "A1",
        "ma_basis": "school_official",
        "purpose": "Instruction and assessment in the district's classrooms.",
        "services": ", ".join(deal.apps),
        "data_elements": [list(pair) for pair in deal.elements],
        "scope_kind": ScopeKind.DISTRICT,
        "start_date": start,
        "end_date": end,
        "signed_on": start - dt.timedelta(days=10),
        "district_signatory": "Dana Whitfield, Director of Technology",
        "provider_signatory": signer,
        "parent_access_days": 10,
        "breach_notification_hours": 72,
        "security_framework": "NIST Cybersecurity Framework",
        "security_evidence": "SOC 2 Type II report, renewed yearly",
        "direct_control": list(DIRECT_CONTROL)
        if deal.kind == AgreementKind.SCHOOL_OFFICIAL_DPA
        else [],
        "products": [products[name].pk for name in deal.apps],
        **deal.terms,
    }
    if "exhibit_e_expires" in deal.terms:
        terms["exhibit_e_expires"] = today + dt.timedelta(days=deal.terms["exhibit_e_expires"])
    row = agreements.create_agreement(vendor, title=deal.title, kind=deal.kind, by=None, **terms)
    signed = _pdf(deal.title, [f"{vendor.name} and the district", "Signed by both parties."])
    agreements.attach_signed_document(row, signed, "signed-agreement.pdf", by=None)
    # One whose end has passed is activated as of its start, so that its expiry can be shown.
    agreements.activate_agreement(row, by=None, today=today if end > today else start)
    if deal.stage == "terminated":
        agreements.terminate_agreement(
            row,
            reason="The district moved to another learning management system.",
            authorized_by="Dana Whitfield, Director of Technology",
            by=None,
        )
    elif deal.stage == "certified":
        agreements.expire_agreement(row, today=today, by=None)
        letter = _pdf("Certificate of disposition", ["All student data was deleted."])
        agreements.record_certificate(
            row,
            signer_name=signer,
            signer_title="Chief Privacy Officer",
            signed_on=today,
            method="Deletion of the district's tenant and its backups (NIST SP 800-88)",
            scope="All student data received under the agreement",
            data=letter,
            filename="certificate.pdf",
            by=None,
        )


@transaction.atomic
def build_demo_vendors(today: dt.date) -> None:
    """Create the demo vendors, apps and agreements as of `today`; nothing when they exist."""
    from steward.vendors.actions import registry

    if Vendor.objects.filter(name=FIRST_VENDOR).exists():
        return
    for provider in PROVIDERS:
        vendor = registry.create_vendor(
            name=provider.name, website=provider.website, address=provider.address, by=None
        )
        name, title, email = provider.contact
        registry.add_contact(
            vendor, name=name, title=title, email=email, role=ContactRole.PRIVACY, by=None
        )
        country, region, host = provider.storage
        registry.add_storage_location(
            vendor, country=country, region=region, hosting_provider=host, by=None
        )
        products = {}
        for app in provider.apps:
            product = registry.create_product(
                vendor,
                name=app.name,
                description=app.description,
                used_under_13=app.used_under_13,
                coppa_consent=app.coppa_consent,
                commercial_purpose=app.commercial_purpose,
                in_use=app.in_use,
                by=None,
            )
            _vet(product, app.decision)
            products[app.name] = product
        for deal in provider.deals:
            _agreement(vendor, name, deal, products, today)
