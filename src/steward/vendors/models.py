"""Vendors, their apps, vetting and data sharing agreements (design.md P5; R71–R81, R107–R114).

Rows are written only by `steward.vendors.actions` (one function per user action, each with
its ledger entry in the same transaction). Decisions and certificates are history rows
(`HistoryRow`): a changed decision is a new row, so what was decided and when stays readable.

An agreement moves through `AgreementStatus` (see `steward.vendors.actions.agreements` for the
transitions); only an ACTIVE or EXPIRING agreement lets student data leave (R71).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.bases import FerpaBasis, MassachusettsBasis
from steward.history import HistoryRow
from steward.roster.models import Org, Section

# Days after termination or expiry within which the provider must certify disposition
# (NDPA Article IV.6: 60 days), unless the agreement says otherwise (R110).
DISPOSITION_WINDOW_DAYS = 60
# Reminders before an agreement ends (issue #6): days before `end_date`.
EXPIRY_REMINDER_DAYS = (90, 30, 7)
# Vetting is repeated at least this often (R74, issue #6 "yearly").
REVETTING_DAYS = 365


class Document(HistoryRow):
    """An uploaded file (a signed agreement, evidence, a deletion certificate), kept in the
    database so that it commits and rolls back with the action that brought it and is part of
    every backup. `sha256` is over `content`; the file never changes once stored."""

    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.filename} ({self.sha256[:12]})"


class Vendor(models.Model):
    """An outside provider (operator) that may receive student data (R73)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    website = models.URLField(_("website"), blank=True)
    address = models.TextField(_("address"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContactRole(models.TextChoices):
    PRIMARY = "primary", _("primary contact")
    PRIVACY = "privacy", _("privacy contact")
    SECURITY = "security", _("security contact")
    SIGNATORY = "signatory", _("authorized signatory")


class VendorContact(models.Model):
    """A person at the vendor. A contact with a login (an `Account` with the vendor role that
    points here) sees the vendor's agreements and certifies disposition."""

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=ContactRole.choices)

    class Meta:
        ordering = ["vendor", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.vendor})"


class Subprocessor(models.Model):
    """A third party the vendor passes student data to (R74 "third parties", NDPA II.4)."""

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="subprocessors")
    name = models.CharField(_("name"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=500)
    location = models.CharField(_("location"), max_length=200, blank=True)

    class Meta:
        ordering = ["vendor", "name"]

    def __str__(self) -> str:
        return self.name


class StorageLocation(models.Model):
    """Where the vendor stores student data (NDPA Article V: data storage)."""

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="storage_locations")
    country = models.CharField(_("country"), max_length=100)
    region = models.CharField(_("region"), max_length=100, blank=True)
    hosting_provider = models.CharField(_("hosting provider"), max_length=200, blank=True)

    class Meta:
        ordering = ["vendor", "country", "region"]

    def __str__(self) -> str:
        return ", ".join(
            part for part in (self.hosting_provider, self.region, self.country) if part
        )


class AppStatus(models.TextChoices):
    """Registry statuses (R73). Teachers may use APPROVED apps, and APPROVED_WITH_GUARDIAN_RELEASE
    apps only for students whose guardians consented."""

    APPROVED = "approved", _("approved")
    APPROVED_WITH_GUARDIAN_RELEASE = (
        "approved_guardian_release",
        _("approved with guardian release"),
    )
    NOT_APPROVED = "not_approved", _("not approved")
    UNDER_REVIEW = "under_review", _("under review")
    EXPIRED = "expired", _("expired")


class CoppaConsent(models.TextChoices):
    """Who consents to collection from children under 13 (R125, R127)."""

    NOT_APPLICABLE = "", _("not used by children under 13")
    SCHOOL_AS_AGENT = "school", _("the school, as the parent's agent")
    PARENT = "parent", _("each parent (verifiable parental consent)")


class Product(models.Model):
    """A product or app of a vendor: the unit teachers use and the registry lists (R73)."""

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="products")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(
        _("status"), max_length=32, choices=AppStatus.choices, default=AppStatus.UNDER_REVIEW
    )
    # Why the status is what it is (a vetting decision's reasons, or the reason given when the
    # app was set not approved or expired) and since when: shown to the privacy office and to
    # staff on the registry pages; the ledger keeps every earlier reason.
    status_reason = models.TextField(_("reason for the status"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # Used by students under 13 (COPPA, R125–R127), and whether the operator has any commercial
    # purpose beyond the service to the school (then guardian release is mandatory, R127).
    used_under_13 = models.BooleanField(_("used by children under 13"), default=False)
    coppa_consent = models.CharField(
        _("COPPA consent"), max_length=16, choices=CoppaConsent.choices, blank=True
    )
    commercial_purpose = models.BooleanField(
        _("operator has a commercial purpose beyond the school's use"), default=False
    )
    # In use in the district (reported by IT or a teacher's request): an app in use without an
    # active agreement is on the privacy office's dashboard.
    in_use = models.BooleanField(_("in use in the district"), default=False)
    # The terms of service / privacy policy as last entered; a change starts a re-vetting.
    terms_text = models.TextField(_("terms of service and privacy policy"), blank=True)
    terms_sha256 = models.CharField(max_length=64, blank=True)
    terms_updated_at = models.DateTimeField(null=True, blank=True)
    last_vetted_at = models.DateTimeField(null=True, blank=True)
    revetting_due = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "name"], name="vendors_product_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class AppRequestStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_REVIEW = "in_review", _("in review")
    APPROVED = "approved", _("approved")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


class AppRequest(models.Model):
    """A staff member's request to use an app that is not approved (request → review)."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="requests"
    )
    app_name = models.CharField(_("app name"), max_length=200)
    vendor_name = models.CharField(_("vendor"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    purpose = models.TextField(_("what it is for"))
    grades = models.CharField(_("grades or classes"), max_length=200, blank=True)
    student_accounts = models.BooleanField(_("students need accounts"), default=False)
    status = models.CharField(
        max_length=16, choices=AppRequestStatus.choices, default=AppRequestStatus.OPEN
    )
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.app_name


class VettingTrigger(models.TextChoices):
    INITIAL = "initial", _("first review")
    TERMS_CHANGED = "terms_changed", _("terms changed")
    ANNUAL = "annual", _("yearly review")
    REQUESTED = "requested", _("requested by staff")


class VettingState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("in progress")
    DECIDED = "decided", _("decided")


class Vetting(models.Model):
    """One review of a product against the TrustEd Apps rubric areas (R74–R76, R127)."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="vettings")
    trigger = models.CharField(max_length=16, choices=VettingTrigger.choices)
    state = models.CharField(
        max_length=16, choices=VettingState.choices, default=VettingState.IN_PROGRESS
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The terms reviewed (sha256 of Product.terms_text when the vetting started) and the R75
    # warning terms found in them, as [{"key", "label", "excerpt"}].
    terms_sha256 = models.CharField(max_length=64, blank=True)
    terms_flags = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField()

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.product} ({self.get_trigger_display()}, {self.started_at:%Y-%m-%d})"


class Rating(models.TextChoices):
    MEETS = "meets", _("meets")
    MEETS_WITH_RESERVATIONS = "reservations", _("meets with reservations")
    DOES_NOT_MEET = "does_not_meet", _("does not meet")


class VettingAnswer(HistoryRow):
    """A reviewer's rating of one rubric item, with evidence. A re-rating is a new row; the
    latest per (vetting, item) counts."""

    vetting = models.ForeignKey(Vetting, on_delete=models.PROTECT, related_name="answers")
    item = models.CharField(max_length=64)  # a key of steward.vendors.rubric.ITEMS
    rating = models.CharField(max_length=16, choices=Rating.choices)
    evidence_note = models.TextField(blank=True)
    evidence_url = models.URLField(blank=True)
    evidence_document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField()

    class Meta:
        ordering = ["vetting", "item", "-rated_at", "-id"]


class VettingDecision(HistoryRow):
    """The outcome of a vetting: the app status it sets, with reasons."""

    vetting = models.OneToOneField(Vetting, on_delete=models.PROTECT, related_name="decision")
    status = models.CharField(max_length=32, choices=AppStatus.choices)
    reasons = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()


class AgreementKind(models.TextChoices):
    """Agreement types (R80), each with its own mandatory fields (R72, R78, R79)."""

    SCHOOL_OFFICIAL_DPA = "dpa_school_official", _("data privacy agreement with a school official")
    AUDIT_EVALUATION = "audit_eval_99_35", _("audit or evaluation (99.35)")
    STUDY = "study_99_31a6", _("study (99.31(a)(6))")
    OTHER = "other", _("other")


class Template(models.TextChoices):
    """The agreement template signed (R107)."""

    NDPA_V1 = "ndpa_v1", _("NDPA Standard v1")
    MA_MULTISTATE_NDPA = "ma_multistate_ndpa", _("MA-ME-NH-RI-VT-NY NDPA, Standard Version 1.0")
    MA_2018 = "ma_2018", _("Massachusetts Student Data Privacy Agreement (2018)")
    NDPA_V2 = "ndpa_v2", _("NDPA Standard v2")
    OTHER = "other", _("other or district-drafted")


class ScopeKind(models.TextChoices):
    """Which students the agreement covers."""

    DISTRICT = "district", _("the whole district")
    SCHOOLS = "schools", _("some schools")
    GRADES = "grades", _("some grades")
    SECTIONS = "sections", _("some classes")
    RULE = "rule", _("a rule")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ACTIVE = "active", _("active")
    EXPIRING = "expiring", _("expiring")
    EXPIRED = "expired", _("expired")
    TERMINATED = "terminated", _("terminated")
    DISPOSITION_PENDING = "disposition_pending", _("disposition pending")
    DISPOSITION_CERTIFIED = "disposition_certified", _("disposition certified")
    DISPOSITION_OVERDUE = "disposition_overdue", _("disposition overdue")


# Statuses under which the agreement allows sharing (R71).
SHARING_STATUSES = frozenset({AgreementStatus.ACTIVE, AgreementStatus.EXPIRING})


class Agreement(models.Model):
    """A data sharing agreement (R80, R107–R112). Editable while DRAFT; activation checks the
    mandatory fields of its kind (`steward.vendors.mandatory`)."""

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="agreements")
    products = models.ManyToManyField(Product, blank=True, related_name="agreements")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=32, choices=AgreementKind.choices)
    template = models.CharField(_("template"), max_length=32, choices=Template.choices, blank=True)
    ferpa_basis = models.CharField(
        _("FERPA basis"), max_length=8, choices=FerpaBasis.choices, blank=True
    )
    ma_basis = models.CharField(
        _("Massachusetts basis"), max_length=32, choices=MassachusettsBasis.choices, blank=True
    )
    status = models.CharField(
        max_length=32, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    # Exhibit A: purpose and services.
    purpose = models.TextField(_("purpose"), blank=True)
    services = models.TextField(_("description of services (Exhibit A)"), blank=True)
    # Exhibit B: [[category, element], ...] from steward.catalog.elements.EXHIBIT_B.
    data_elements = models.JSONField(_("data elements (Exhibit B)"), default=list, blank=True)
    # Which students.
    scope_kind = models.CharField(
        _("students covered"), max_length=16, choices=ScopeKind.choices, blank=True
    )
    scope_schools = models.ManyToManyField(Org, blank=True, related_name="+")
    scope_grades = models.JSONField(default=list, blank=True)  # OneRoster grade codes
    scope_sections = models.ManyToManyField(Section, blank=True, related_name="+")
    scope_rule = models.TextField(_("rule"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # Days within which the provider answers a parent-access request (NDPA II.3; ≤ the MA
    # clock, R108) and hours within which it reports a breach after confirmation (R119).
    parent_access_days = models.PositiveIntegerField(_("parent-access response days"), null=True)
    breach_notification_hours = models.PositiveIntegerField(
        _("breach notification hours"), null=True
    )
    # Exhibit F: the security framework(s) the provider declares, and the evidence.
    security_framework = models.CharField(
        _("security framework (Exhibit F)"), max_length=200, blank=True
    )
    security_evidence = models.TextField(_("security evidence"), blank=True)
    signed_document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    district_signatory = models.CharField(_("district signatory"), max_length=200, blank=True)
    provider_signatory = models.CharField(_("provider signatory"), max_length=200, blank=True)
    # Direct control (R72, 99.31(a)(1)(i)(B)): the district's attestation that the agreement
    # contains each provision (for a school-official DPA).
    direct_control = models.JSONField(default=list, blank=True)  # keys of mandatory.DIRECT_CONTROL
    # Audit/evaluation (R78) and study (R79) fields.
    representative = models.CharField(_("authorized representative"), max_length=200, blank=True)
    activity_description = models.TextField(_("description of the activity"), blank=True)
    study_scope = models.TextField(_("scope of the study"), blank=True)
    study_duration = models.CharField(_("duration of the study"), max_length=200, blank=True)
    irb_evidence = models.TextField(_("IRB approval or exemption"), blank=True)
    destruction_terms = models.TextField(_("destruction requirement and time period"), blank=True)
    # Days after the end within which disposition must be certified (R110).
    disposition_window_days = models.PositiveIntegerField(default=DISPOSITION_WINDOW_DAYS)
    # Exhibit E: the provider's general offer to other districts, and adoption of one.
    exhibit_e_offered = models.BooleanField(
        _("provider offers these terms (Exhibit E)"), default=False
    )
    exhibit_e_expires = models.DateField(_("offer expires"), null=True, blank=True)
    originating_agreement = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="adoptions"
    )
    # The district that signed: this district, or another LEA whose agreement was imported
    # from the SDPC registry (only to adopt its Exhibit E offer; never allows sharing here).
    lea_name = models.CharField(_("district"), max_length=200, blank=True)
    external = models.BooleanField(default=False)
    # For an imported (external) agreement: its id in the registry it came from, so a later
    # import of the same registry updates it, and the SHA-256 of the signed document there
    # (the PDF itself stays with the other district). Blank for this district's agreements.
    registry_id = models.CharField(_("registry id"), max_length=100, blank=True)
    registry_document_sha256 = models.CharField(max_length=64, blank=True)
    renewal_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewals"
    )
    activated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)  # expired or terminated
    end_reason = models.TextField(blank=True)
    disposition_due = models.DateField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["vendor", "-start_date", "title"]
        indexes = [models.Index(fields=["status", "end_date"], name="vendors_agreement_due")]

    def __str__(self) -> str:
        return f"{self.title} ({self.vendor})"

    @property
    def allows_sharing(self) -> bool:
        return not self.external and self.status in SHARING_STATUSES


class ReminderKind(models.TextChoices):
    EXPIRY_90 = "expiry_90", _("90 days before the end")
    EXPIRY_30 = "expiry_30", _("30 days before the end")
    EXPIRY_7 = "expiry_7", _("7 days before the end")
    DISPOSITION_OVERDUE = "disposition_overdue", _("disposition overdue: escalation")
    REVETTING_DUE = "revetting_due", _("yearly re-vetting due")


class Reminder(HistoryRow):
    """A reminder sent about an agreement; unique per kind, so the sweep is idempotent."""

    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.PROTECT, related_name="reminders"
    )
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="reminders"
    )
    kind = models.CharField(max_length=32, choices=ReminderKind.choices)
    # For yearly re-vetting: the due date it is about (one reminder per due date).
    due = models.DateField(null=True, blank=True)
    recipients = models.TextField(blank=True)  # e-mail addresses, one per line
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kind"],
                condition=models.Q(agreement__isnull=False),
                name="vendors_reminder_once_per_agreement",
            ),
            models.UniqueConstraint(
                fields=["product", "kind", "due"],
                condition=models.Q(product__isnull=False),
                name="vendors_reminder_once_per_product_due",
            ),
        ]


class Extent(models.TextChoices):
    COMPLETE = "complete", _("complete: all student data")
    PARTIAL = "partial", _("partial: the categories listed")


class Nature(models.TextChoices):
    DESTROY = "destroy", _("destruction or deletion")
    TRANSFER = "transfer", _("transfer")


class Schedule(models.TextChoices):
    ASAP = "asap", _("as soon as commercially practicable")
    BY_DATE = "by_date", _("by a date")


class DispositionDirective(HistoryRow):
    """NDPA Exhibit D, generated when an agreement ends (R110)."""

    agreement = models.OneToOneField(Agreement, on_delete=models.PROTECT, related_name="directive")
    extent = models.CharField(max_length=16, choices=Extent.choices, default=Extent.COMPLETE)
    categories = models.JSONField(default=list, blank=True)  # Exhibit B categories, if partial
    nature = models.CharField(max_length=16, choices=Nature.choices, default=Nature.DESTROY)
    transfer_to = models.CharField(max_length=500, blank=True)
    schedule = models.CharField(max_length=16, choices=Schedule.choices, default=Schedule.BY_DATE)
    due_date = models.DateField()
    authorized_by = models.CharField(max_length=200)  # the LEA's authorized representative
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField()


class DispositionCertificate(HistoryRow):
    """The provider's verification of disposition (Exhibit D part 5; R80, R110)."""

    agreement = models.OneToOneField(
        Agreement, on_delete=models.PROTECT, related_name="certificate"
    )
    signer_name = models.CharField(max_length=200)
    signer_title = models.CharField(max_length=200)
    signed_on = models.DateField()
    method = models.CharField(max_length=500)  # e.g. "cryptographic erasure of the tenant"
    scope = models.TextField()  # what was disposed of
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()


def disposition_due(ended_on: dt.date, window_days: int) -> dt.date:
    """The date by which disposition must be certified after an agreement ends on `ended_on`."""
    return ended_on + dt.timedelta(days=window_days)
