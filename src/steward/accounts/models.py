"""A login's link to the roster: the staff member or guardian a Django user acts as."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.roster.models import Guardian, Staff, Student


class Account(models.Model):
    """One Django user's role in Steward.

    Staff roles point at a `Staff` row; guardians at a `Guardian` row; students (their own
    portal login) at a `Student` row; the privacy office needs none (its rights come from the
    role, not from a roster relationship); vendor contacts at a `VendorContact`.
    """

    class Role(models.TextChoices):
        PRIVACY_OFFICER = "privacy_officer", _("privacy officer")
        PRINCIPAL = "principal", _("principal")
        TEACHER = "teacher", _("teacher")
        COUNSELOR = "counselor", _("counselor")
        NURSE = "nurse", _("nurse")
        SPECIAL_EDUCATION = "special_education", _("special-education staff")
        GUARDIAN = "guardian", _("guardian")
        STUDENT = "student", _("student")
        VENDOR = "vendor", _("vendor contact")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    staff = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="accounts"
    )
    guardian = models.ForeignKey(
        Guardian, null=True, blank=True, on_delete=models.PROTECT, related_name="accounts"
    )
    # A student's own login for the family portal: record rights from 14 or grade 9 in
    # Massachusetts, and every right from 18 (R9, R10; steward.rights).
    student = models.ForeignKey(
        Student, null=True, blank=True, on_delete=models.PROTECT, related_name="accounts"
    )
    # A contact at an outside provider: sees the vendor's agreements, certifies disposition.
    vendor_contact = models.ForeignKey(
        "vendors.VendorContact",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(role="guardian") & models.Q(guardian__isnull=True)),
                name="guardian_account_has_guardian",
            ),
            models.CheckConstraint(
                condition=~(models.Q(role="student") & models.Q(student__isnull=True)),
                name="student_account_has_student",
            ),
            models.CheckConstraint(
                condition=~(models.Q(role="vendor") & models.Q(vendor_contact__isnull=True)),
                name="vendor_account_has_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


# The roles that open student records (the access policy grants them record parts) and the
# privacy office (records custodian): every role but guardians, students and vendor contacts
# (design.md P3). They must confirm the annual privacy training (R44, R138) and sign in with a
# second factor (#10, design.md §6).
RECORD_ACCESS_ROLES: frozenset[str] = frozenset(
    {
        Account.Role.PRIVACY_OFFICER,
        Account.Role.PRINCIPAL,
        Account.Role.TEACHER,
        Account.Role.COUNSELOR,
        Account.Role.NURSE,
        Account.Role.SPECIAL_EDUCATION,
    }
)
