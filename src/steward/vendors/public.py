"""What the public transparency page shows (R77, R113, R76 "transparency with parents").

Approved apps (APPROVED and APPROVED WITH GUARDIAN RELEASE, R73) with their vendor, the
agreements under which the district shares data with them (only those that allow sharing,
R71), and the data those agreements cover as NDPA Exhibit B elements (R109) in plain language;
then this district's agreements that have ended, with whether the provider certified deletion
(R80, R110). Another district's imported agreements and drafts are never shown. A fixed number
of queries whatever the number of apps.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from steward.catalog.elements import ELEMENTS, EXHIBIT_B
from steward.vendors.models import (
    SHARING_STATUSES,
    Agreement,
    AgreementStatus,
    AppStatus,
    Document,
    Product,
)

PUBLIC_STATUSES = (AppStatus.APPROVED, AppStatus.APPROVED_WITH_GUARDIAN_RELEASE)
ENDED_STATUSES = (
    AgreementStatus.EXPIRED,
    AgreementStatus.TERMINATED,
    AgreementStatus.DISPOSITION_PENDING,
    AgreementStatus.DISPOSITION_OVERDUE,
    AgreementStatus.DISPOSITION_CERTIFIED,
)

# Exhibit B in the words a parent would use: the category, then each element.
PLAIN_CATEGORIES: dict[str, Promise] = {
    "Application Technology Meta Data": _("Technical information about devices"),
    "Application Use Statistics": _("How the app is used"),
    "Assessment": _("Tests and assessments"),
    "Attendance": _("Attendance"),
    "Communications": _("Messages"),
    "Conduct": _("Behavior"),
    "Demographics": _("Background information"),
    "Enrollment": _("School enrollment"),
    "Parent/Guardian Contact Information": _("How to reach parents and guardians"),
    "Parent/Guardian ID": _("Parent and guardian ID numbers"),
    "Parent/Guardian Name": _("Parents' and guardians' names"),
    "Schedule": _("Class schedule"),
    "Special Indicator": _("Special services and circumstances"),
    "Student Contact Information": _("How to reach the student"),
    "Student Identifiers": _("ID numbers and logins"),
    "Student Name": _("The student's name"),
    "Student In App Performance": _("Progress in the app"),
    "Student Program Membership": _("Activities"),
    "Student Survey Responses": _("Survey answers"),
    "Student Work": _("Student work"),
    "Transcript": _("Grades and transcript"),
    "Transportation": _("Transportation"),
    "Other": _("Other information"),
}

PLAIN_ELEMENTS: dict[tuple[str, str], Promise] = {
    ("Application Technology Meta Data", "IP addresses"): _("the device's internet (IP) address"),
    ("Application Technology Meta Data", "Cookies"): _("cookies saved by the web browser"),
    ("Application Technology Meta Data", "Other"): _("other technical details of the device"),
    ("Application Use Statistics", "Meta data on user interaction"): _(
        "records of how the student uses the app, such as pages opened and time spent"
    ),
    ("Assessment", "Standardized test scores"): _("scores on standardized tests"),
    ("Assessment", "Observation data"): _("teachers' observations of the student's learning"),
    ("Assessment", "Other"): _("other assessment results"),
    ("Attendance", "School daily attendance"): _("whether the student was at school each day"),
    ("Attendance", "Class attendance"): _("whether the student was in each class"),
    ("Communications", "Online communications captured"): _(
        "messages the student sends or receives in the app"
    ),
    ("Conduct", "Conduct or behavioral data"): _("records about the student's behavior"),
    ("Demographics", "Date of birth"): _("date of birth"),
    ("Demographics", "Place of birth"): _("place of birth"),
    ("Demographics", "Gender"): _("gender"),
    ("Demographics", "Ethnicity or race"): _("race and ethnicity"),
    ("Demographics", "Language"): _("languages the student speaks"),
    ("Demographics", "Other"): _("other background information"),
    ("Enrollment", "Student school enrollment"): _("which school the student attends"),
    ("Enrollment", "Student grade level"): _("grade level"),
    ("Enrollment", "Homeroom"): _("homeroom"),
    ("Enrollment", "Guidance counselor"): _("the student's guidance counselor"),
    ("Enrollment", "Specific curriculum programs"): _("special programs the student takes"),
    ("Enrollment", "Year of graduation"): _("the year the student will graduate"),
    ("Enrollment", "Other"): _("other enrollment information"),
    ("Parent/Guardian Contact Information", "Address"): _("home address"),
    ("Parent/Guardian Contact Information", "Email"): _("e-mail address"),
    ("Parent/Guardian Contact Information", "Phone"): _("phone number"),
    ("Parent/Guardian ID", "Parent ID number"): _("an ID number given to the parent"),
    ("Parent/Guardian Name", "First and/or last"): _("first and last name"),
    ("Schedule", "Student scheduled courses"): _("the student's classes"),
    ("Schedule", "Teacher names"): _("the names of the student's teachers"),
    ("Special Indicator", "English language learner information"): _("English learner status"),
    ("Special Indicator", "Low income status"): _("low-income status"),
    ("Special Indicator", "Student medical alerts/health data"): _(
        "medical alerts and health information"
    ),
    ("Special Indicator", "Student disability information"): _("disability information"),
    ("Special Indicator", "Specialized education services (IEP or 504)"): _(
        "special education services (IEP or 504 plan)"
    ),
    ("Special Indicator", "Living situations (homeless/foster care)"): _(
        "housing situation (homeless or in foster care)"
    ),
    ("Special Indicator", "Other"): _("other special circumstances"),
    ("Student Contact Information", "Address"): _("home address"),
    ("Student Contact Information", "Email"): _("e-mail address"),
    ("Student Contact Information", "Phone"): _("phone number"),
    ("Student Identifiers", "Local (school district) ID number"): _("the district's student ID"),
    ("Student Identifiers", "State ID number"): _("the state's student ID"),
    ("Student Identifiers", "Provider/app assigned student ID number"): _(
        "an ID the app gives the student"
    ),
    ("Student Identifiers", "Student app username"): _("the student's username in the app"),
    ("Student Identifiers", "Student app passwords"): _("the student's password in the app"),
    ("Student Name", "First and/or last"): _("first and last name"),
    ("Student In App Performance", "Program/application performance"): _(
        "how well the student does in the app's activities"
    ),
    ("Student Program Membership", "Academic or extracurricular activities"): _(
        "school and after-school activities the student takes part in"
    ),
    ("Student Survey Responses", "Student responses to surveys or questionnaires"): _(
        "the student's answers to surveys or questionnaires"
    ),
    ("Student Work", "Student generated content"): _(
        "work the student creates: writing, pictures, projects"
    ),
    ("Student Work", "Other"): _("other student work"),
    ("Transcript", "Student course grades"): _("course grades"),
    ("Transcript", "Student course data"): _("courses taken"),
    ("Transcript", "Performance scores"): _("performance scores"),
    ("Transcript", "Other"): _("other transcript information"),
    ("Transportation", "Student bus assignment"): _("bus assignment"),
    ("Transportation", "Pick-up and/or drop-off location"): _("where the student is picked up"),
    ("Transportation", "Student bus card ID number"): _("bus card ID number"),
    ("Transportation", "Other"): _("other transportation information"),
    ("Other", "Other"): _("other information, described in the agreement"),
}

# What Steward itself holds under each Exhibit B element (the data catalog, R137), so a parent
# can see which fields of the record an element means.
_CATALOG: dict[tuple[str, str], list[Promise]] = {}
for _element in ELEMENTS:
    _labels = _CATALOG.setdefault(_element.exhibit_b, [])
    if _element.label not in _labels:
        _labels.append(_element.label)

_ORDER = {
    (category, name): n
    for n, (category, name) in enumerate((c, e) for c, names in EXHIBIT_B.items() for e in names)
}


@dataclass(frozen=True)
class DataItem:
    category: str
    element: str
    label: Promise | str
    catalog: tuple[Promise, ...]


@dataclass(frozen=True)
class DataGroup:
    """The elements of one Exhibit B category, in the agreement's order."""

    category: str
    label: Promise | str
    items: list[DataItem] = field(default_factory=list)


def grouped(elements: Iterable[Iterable[str]]) -> list[DataGroup]:
    """Exhibit B elements ([category, element] pairs) grouped by category in Exhibit B's
    order, each with its plain-language label; unknown pairs keep their own words, last."""
    pairs = {(str(c), str(e)) for c, e in (tuple(pair) for pair in elements)}
    groups: dict[str, DataGroup] = {}
    for category, element in sorted(pairs, key=lambda p: (_ORDER.get(p, len(_ORDER)), p)):
        group = groups.setdefault(
            category, DataGroup(category, PLAIN_CATEGORIES.get(category, category))
        )
        group.items.append(
            DataItem(
                category,
                element,
                PLAIN_ELEMENTS.get((category, element), element),
                tuple(_CATALOG.get((category, element), ())),
            )
        )
    return list(groups.values())


@dataclass(frozen=True)
class PublicApp:
    product: Product
    agreements: list[Agreement]
    data: list[DataGroup]

    @property
    def guardian_release(self) -> bool:
        return self.product.status == AppStatus.APPROVED_WITH_GUARDIAN_RELEASE


def _with_document_hash(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    # The document's hash and name, never its bytes: a page lists many agreements.
    return agreements.select_related("signed_document").defer("signed_document__content")


def approved_apps() -> list[PublicApp]:
    """Every approved app with the agreements that let the district share data with it, and
    the data those agreements cover. Two queries."""
    sharing = _with_document_hash(
        Agreement.objects.filter(external=False, status__in=SHARING_STATUSES)
    ).order_by("start_date", "pk")
    products = (
        Product.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("vendor")
        .prefetch_related(Prefetch("agreements", queryset=sharing, to_attr="sharing"))
        .order_by("name", "vendor__name")
    )
    apps = []
    for product in products:
        agreements: list[Agreement] = product.sharing
        elements = [pair for a in agreements for pair in a.data_elements or ()]
        apps.append(PublicApp(product, agreements, grouped(elements)))
    return apps


def ended_agreements() -> list[Agreement]:
    """This district's agreements that have ended, newest end first, with their products and
    deletion certificate. Two queries."""
    return list(
        _with_document_hash(Agreement.objects.filter(external=False, status__in=ENDED_STATUSES))
        .select_related("vendor", "certificate")
        .prefetch_related(Prefetch("products", queryset=Product.objects.order_by("name")))
        .order_by(F("end_date").desc(nulls_last=True), "-pk")
    )


def published_document(agreement_id: int) -> Document | None:
    """The signed document of a published agreement (not a draft, not another district's),
    or None."""
    agreement = (
        Agreement.objects.filter(pk=agreement_id, external=False, signed_document__isnull=False)
        .exclude(status=AgreementStatus.DRAFT)
        .select_related("signed_document")
        .first()
    )
    return agreement.signed_document if agreement is not None else None
