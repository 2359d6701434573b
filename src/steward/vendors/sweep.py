"""The daily agreement sweep (R80, R110; issue #6 item 4): `run_sweep(today)`.

In order, for this district's agreements (imported ones of other districts are never swept):
1. ACTIVE or EXPIRING agreements whose end date has come expire (`expire_agreement`): they
   rest at EXPIRED under an active renewal, or get the default Exhibit D directive;
2. ACTIVE agreements ending within `EXPIRING_DAYS` become EXPIRING (`mark_expiring`);
3. DISPOSITION_PENDING agreements whose directive is past due become DISPOSITION_OVERDUE
   (`mark_disposition_overdue`);
4. reminders: one at 90, 30 and 7 days before the end (`EXPIRY_REMINDER_DAYS`), the one for
   the nearest threshold not yet passed, so a sweep that missed days catches up with the
   current reminder only, never with stale ones; and the escalation of every overdue
   disposition;
5. approved apps whose yearly re-vetting is due get a new vetting (`start_due_revettings`, R74).

Reminders go by e-mail (Django's configured backend) to the privacy office (the e-mail of
every active privacy-officer login) and the vendor's primary contacts, then are recorded with
`record_reminder`; `Reminder` holds one row per agreement and kind, so running the sweep twice
sends nothing twice. A reminder whose e-mail fails, or that has no one to go to, is not
recorded: the next sweep tries again, and the report lists it among the errors.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import get_connection, send_mail
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from steward.accounts.models import Account
from steward.vendors.actions import agreements as actions
from steward.vendors.actions import vetting
from steward.vendors.models import (
    EXPIRY_REMINDER_DAYS,
    SHARING_STATUSES,
    Agreement,
    AgreementStatus,
    ContactRole,
    Reminder,
    ReminderKind,
    VendorContact,
)

Status = AgreementStatus
EXPIRY_KINDS: dict[int, str] = {
    90: ReminderKind.EXPIRY_90,
    30: ReminderKind.EXPIRY_30,
    7: ReminderKind.EXPIRY_7,
}
assert set(EXPIRY_KINDS) == set(EXPIRY_REMINDER_DAYS)


@dataclass
class SweepReport:
    """What one sweep did: agreement ids per change, reminders sent, and what failed."""

    today: dt.date
    expired: list[int] = field(default_factory=list)
    expiring: list[int] = field(default_factory=list)
    overdue: list[int] = field(default_factory=list)
    reminders: list[tuple[int, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    revettings: list[int] = field(default_factory=list)  # product ids whose yearly review began

    def lines(self) -> list[str]:
        """A plain summary for the command line."""
        out = [
            f"Agreement sweep for {self.today.isoformat()}:",
            f"  expired: {len(self.expired)}",
            f"  now expiring: {len(self.expiring)}",
            f"  disposition overdue: {len(self.overdue)}",
            f"  reminders sent: {len(self.reminders)}",
            f"  yearly re-vettings started: {len(self.revettings)}",
        ]
        out += [f"    agreement {pk}: {kind}" for pk, kind in self.reminders]
        out += [f"  error, agreement {pk}: {message}" for pk, message in self.errors]
        return out


def expiry_kind(days_left: int) -> str | None:
    """The expiry reminder due `days_left` days before the end: that of the nearest threshold
    at or above it (None beyond the first threshold or once the end has come)."""
    due = [days for days in sorted(EXPIRY_KINDS) if days >= days_left]
    return EXPIRY_KINDS[due[0]] if due and days_left > 0 else None


def _ours() -> QuerySet[Agreement]:
    return Agreement.objects.filter(external=False).select_related("vendor")


def run_sweep(today: dt.date) -> SweepReport:
    """Run the five steps above for `today`; each change is its own transaction, so one
    failure is reported and the others still happen."""
    report = SweepReport(today)
    for agreement in _ours().filter(status__in=SHARING_STATUSES, end_date__lte=today):
        if _step(report, agreement, lambda a: actions.expire_agreement(a, today=today)):
            report.expired.append(agreement.pk)
    horizon = today + dt.timedelta(days=actions.EXPIRING_DAYS)
    for agreement in _ours().filter(status=Status.ACTIVE, end_date__lte=horizon):
        if _step(report, agreement, lambda a: actions.mark_expiring(a, today=today)):
            report.expiring.append(agreement.pk)
    for agreement in _ours().filter(status=Status.DISPOSITION_PENDING, disposition_due__lt=today):
        if _step(report, agreement, lambda a: actions.mark_disposition_overdue(a, today=today)):
            report.overdue.append(agreement.pk)
    _send_reminders(report, today)
    # Approved apps a year past their last vetting are reviewed again (R74); idempotent.
    report.revettings = [v.product_id for v in vetting.start_due_revettings(today)]
    return report


def _step(report: SweepReport, agreement: Agreement, change: Callable[[Agreement], object]) -> bool:
    """Run one transition; a refusal (a race with an officer, say) is reported, not raised."""
    try:
        change(agreement)
    except ValidationError as error:
        report.errors.append((agreement.pk, "; ".join(error.messages)))
        return False
    return True


def _send_reminders(report: SweepReport, today: dt.date) -> None:
    horizon = today + dt.timedelta(days=max(EXPIRY_KINDS))
    due: list[tuple[Agreement, str]] = []
    for agreement in _ours().filter(
        status__in=SHARING_STATUSES, end_date__gt=today, end_date__lte=horizon
    ):
        assert agreement.end_date is not None
        kind = expiry_kind((agreement.end_date - today).days)
        if kind is not None:
            due.append((agreement, kind))
    for agreement in _ours().filter(status=Status.DISPOSITION_OVERDUE):
        due.append((agreement, ReminderKind.DISPOSITION_OVERDUE))
    sent = set(
        Reminder.objects.filter(agreement__in=[a.pk for a, _k in due]).values_list(
            "agreement_id", "kind"
        )
    )
    due = [(a, kind) for a, kind in due if (a.pk, kind) not in sent]
    if not due:
        return
    office = office_addresses()
    contacts = _primary_contacts({a.vendor_id for a, _k in due})
    connection = get_connection()
    for agreement, kind in due:
        vendor = contacts.get(agreement.vendor_id, [])
        if not office and not vendor:
            report.errors.append((agreement.pk, "no privacy-office or vendor address to send to"))
            continue
        try:
            _mail(agreement, kind, today, office, vendor, connection)
        except OSError as error:  # smtplib's errors are OSErrors: retried by the next sweep
            report.errors.append((agreement.pk, f"e-mail failed: {error}"))
            continue
        if actions.record_reminder(agreement, kind, recipients=office + vendor) is not None:
            report.reminders.append((agreement.pk, kind))


def office_addresses() -> list[str]:
    """The e-mail of every active privacy-officer login, sorted."""
    users = get_user_model().objects.filter(
        is_active=True, account__role=Account.Role.PRIVACY_OFFICER
    )
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def _primary_contacts(vendor_ids: set[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    rows = VendorContact.objects.filter(vendor_id__in=vendor_ids, role=ContactRole.PRIMARY)
    for vendor_id, email in rows.exclude(email="").values_list("vendor_id", "email"):
        found[vendor_id].append(email)
    return found


def _mail(
    agreement: Agreement,
    kind: str,
    today: dt.date,
    office: list[str],
    vendor: list[str],
    connection: object,
) -> None:
    """One message to the office (with the officer's link), one to the vendor's contacts
    (with their portal's link), in the site's language."""
    base = settings.STEWARD_PUBLIC_URL.rstrip("/")
    context = {
        "agreement": agreement,
        "kind": kind,
        "overdue": kind == ReminderKind.DISPOSITION_OVERDUE,
        "days_left": (agreement.end_date - today).days if agreement.end_date else None,
    }
    with translation.override(settings.LANGUAGE_CODE):
        if kind == ReminderKind.DISPOSITION_OVERDUE:
            subject = _("Disposition overdue: %(title)s (%(vendor)s)")
        else:
            subject = _("Agreement ends in %(days)d days: %(title)s (%(vendor)s)")
        subject %= {
            "title": agreement.title,
            "vendor": agreement.vendor.name,
            "days": context["days_left"] or 0,
        }
        for recipients, link, audience in (
            (office, reverse("vendors-agreement-detail", args=[agreement.pk]), "office"),
            (vendor, reverse("vendors-portal-agreement", args=[agreement.pk]), "vendor"),
        ):
            if recipients:
                body = render_to_string(
                    "vendors/agreements/reminder_email.txt",
                    context | {"link": f"{base}{link}", "audience": audience},
                )
                send_mail(subject, body, None, recipients, connection=connection)
