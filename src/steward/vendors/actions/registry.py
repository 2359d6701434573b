"""Registry writes (design.md §3 rule 2; R73, R76, R125, R127): vendors, their contacts,
subprocessors, storage locations and products; vendor-contact logins; staff app requests.

Each public function validates, writes its rows and one ledger entry in one transaction, and
raises ValidationError (writing nothing) when refused. An edit that changes nothing writes
nothing and records nothing.

Vendor-contact logins use Django's password-reset tokens (`default_token_generator`) rather
than the family portal's invitations, whose rows can only point at a guardian or a student: a
token is signed, never stored, expires after `PASSWORD_RESET_TIMEOUT`, and stops working once
the password is set (it is bound to the password hash), so the link works once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from steward.accounts.models import Account
from steward.accounts.selectors import signed_in as _user
from steward.audit import ledger
from steward.audit.models import Action
from steward.vendors.actions import vetting as vetting_actions
from steward.vendors.models import (
    AppRequest,
    AppRequestStatus,
    AppStatus,
    ContactRole,
    CoppaConsent,
    Product,
    StorageLocation,
    Subprocessor,
    Vendor,
    VendorContact,
    Vetting,
    VettingTrigger,
)

PURPOSE = "vendor registry (R73, R76)"
LOGIN_PURPOSE = "vendor contact login (R80)"
REQUEST_PURPOSE = "staff app request (R73)"
# Statuses an officer sets by hand, with a reason; approvals come only from a vetting.
MANUAL_STATUSES = (AppStatus.NOT_APPROVED, AppStatus.EXPIRED)


def _record(
    action: str,
    by: Any,
    request: HttpRequest | None,
    detail: dict[str, Any],
    purpose: str = PURPOSE,
) -> None:
    ledger.record(
        action=action,
        **ledger.actor_of(by),
        **ledger.request_context(request),
        purpose=purpose,
        detail=detail,
    )


def _required(value: str, message: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError(message)
    return value


def _url(value: str) -> str:
    value = value.strip()
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise ValidationError(
                _("%(url)s is not a web address (http or https).") % {"url": value}
            ) from None
    return value


def _apply(obj: Any, values: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Set the fields that differ and save only those; returns {field: {from, to}}."""
    changed = {
        name: {"from": getattr(obj, name), "to": value}
        for name, value in values.items()
        if getattr(obj, name) != value
    }
    for name, change in changed.items():
        setattr(obj, name, change["to"])
    if changed:
        obj.save(update_fields=list(changed))
    return changed


# --- vendors -----------------------------------------------------------------------------


def _vendor_values(name: str, website: str, address: str, notes: str) -> dict[str, str]:
    return {
        "name": _required(name, _("Enter the vendor's name.")),
        "website": _url(website),
        "address": address.strip(),
        "notes": notes.strip(),
    }


def _refuse_duplicate_vendor(name: str, exclude: int | None = None) -> None:
    if Vendor.objects.filter(name__iexact=name).exclude(pk=exclude or 0).exists():
        raise ValidationError(
            _("A vendor named %(name)s is already in the registry.") % {"name": name}
        )


@transaction.atomic
def create_vendor(
    *,
    name: str,
    website: str = "",
    address: str = "",
    notes: str = "",
    by: Any,
    request: HttpRequest | None = None,
) -> Vendor:
    """Add a vendor to the registry (R73); names are unique regardless of case."""
    values = _vendor_values(name, website, address, notes)
    _refuse_duplicate_vendor(values["name"])
    vendor = Vendor.objects.create(**values, created_at=timezone.now())
    _record(Action.CREATE, by, request, {"vendor": vendor.pk, "name": vendor.name})
    return vendor


@transaction.atomic
def update_vendor(
    vendor: Vendor,
    *,
    name: str,
    website: str,
    address: str,
    notes: str,
    by: Any,
    request: HttpRequest | None = None,
) -> Vendor:
    """Change a vendor's name, website, address or notes."""
    values = _vendor_values(name, website, address, notes)
    _refuse_duplicate_vendor(values["name"], exclude=vendor.pk)
    changed = _apply(vendor, values)
    if changed:
        _record(Action.CHANGE, by, request, {"vendor": vendor.pk, "changed": changed})
    return vendor


# --- contacts ----------------------------------------------------------------------------


def _contact_values(name: str, email: str, role: str, title: str, phone: str) -> dict[str, str]:
    email = _required(email, _("Enter the contact's e-mail address.")).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("%(email)s is not an e-mail address.") % {"email": email}) from None
    if role not in ContactRole.values:
        raise ValidationError(_("Choose the contact's role."))
    return {
        "name": _required(name, _("Enter the contact's name.")),
        "email": email,
        "role": role,
        "title": title.strip(),
        "phone": phone.strip(),
    }


def _refuse_duplicate_contact(vendor: Vendor, email: str, exclude: int | None = None) -> None:
    if vendor.contacts.filter(email__iexact=email).exclude(pk=exclude or 0).exists():
        raise ValidationError(
            _("%(vendor)s already has a contact with the e-mail address %(email)s.")
            % {"vendor": vendor.name, "email": email}
        )


@transaction.atomic
def add_contact(
    vendor: Vendor,
    *,
    name: str,
    email: str,
    role: str,
    title: str = "",
    phone: str = "",
    by: Any,
    request: HttpRequest | None = None,
) -> VendorContact:
    """Add a person at the vendor; one contact per e-mail address per vendor."""
    values = _contact_values(name, email, role, title, phone)
    _refuse_duplicate_contact(vendor, values["email"])
    contact = VendorContact.objects.create(vendor=vendor, **values)
    _record(
        Action.CREATE,
        by,
        request,
        {"vendor": vendor.pk, "contact": contact.pk, "role": contact.role},
    )
    return contact


@transaction.atomic
def update_contact(
    contact: VendorContact,
    *,
    name: str,
    email: str,
    role: str,
    title: str,
    phone: str,
    by: Any,
    request: HttpRequest | None = None,
) -> VendorContact:
    """Change a contact. Their login, if any, keeps its username (the e-mail it was made for)."""
    values = _contact_values(name, email, role, title, phone)
    _refuse_duplicate_contact(contact.vendor, values["email"], exclude=contact.pk)
    changed = _apply(contact, values)
    if changed:
        _record(
            Action.CHANGE,
            by,
            request,
            {"vendor": contact.vendor_id, "contact": contact.pk, "changed": sorted(changed)},
        )
    return contact


@transaction.atomic
def remove_contact(contact: VendorContact, *, by: Any, request: HttpRequest | None = None) -> None:
    """Remove a contact; refused while they have a login (revoke it first, so that the
    removal of access is its own recorded step)."""
    if contact.accounts.exists():
        raise ValidationError(
            _("%(name)s has a Steward login; revoke it before removing the contact.")
            % {"name": contact.name}
        )
    detail = {"vendor": contact.vendor_id, "contact": contact.pk, "name": contact.name}
    contact.delete()
    _record(Action.DELETE, by, request, detail)


# --- vendor-contact logins -------------------------------------------------------------------


def _split_name(name: str) -> tuple[str, str]:
    given, _sep, family = name.strip().rpartition(" ")
    return (given or family)[:150], (family if given else "")[:150]


def _login_link(user: AbstractUser) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("vendors-registry-welcome", args=[uid, token])
    return f"{settings.STEWARD_PUBLIC_URL.rstrip('/')}{path}"


def _new_login(contact: VendorContact) -> AbstractUser:
    username = contact.email.lower()
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is not None:
        # Only a login that was revoked (inactive, no role, no admin rights) comes back.
        reusable = not (
            user.is_active
            or user.is_staff
            or user.is_superuser
            or Account.objects.filter(user=user).exists()
        )
        if not reusable:
            raise ValidationError(
                _("A login with the username %(username)s already exists.") % {"username": username}
            )
        user.is_active = True
    else:
        user = user_model(username=username)
    user.email = contact.email
    user.first_name, user.last_name = _split_name(contact.name)
    user.set_unusable_password()
    user.save()
    Account.objects.create(user=user, role=Account.Role.VENDOR, vendor_contact=contact)
    return user


@transaction.atomic
def create_contact_login(
    contact: VendorContact, *, by: Any, request: HttpRequest | None = None
) -> str:
    """Give a vendor contact a login (a user named by their e-mail, with the vendor role) and
    return the one-time link where they choose a password; the link is also e-mailed to them
    once committed. For a contact whose login was made but never used, issues a new link and
    voids the old one. Refuses a contact whose login is in use, or whose e-mail address is
    already another login's username."""
    contact = VendorContact.objects.select_for_update().select_related("vendor").get(pk=contact.pk)
    account = Account.objects.select_related("user").filter(vendor_contact=contact).first()
    if account is None:
        user = _new_login(contact)
        action, reissued = Action.CREATE, False
    else:
        user = account.user
        if user.has_usable_password() or not user.is_active:
            raise ValidationError(_("%(name)s already has a login.") % {"name": contact.name})
        user.set_unusable_password()  # a new password hash voids the earlier link
        user.save(update_fields=["password"])
        action, reissued = Action.SECURITY, True
    link = _login_link(user)
    _record(
        action,
        by,
        request,
        {
            "vendor": contact.vendor_id,
            "contact": contact.pk,
            "username": user.get_username(),
            "link_reissued": reissued,
        },
        purpose=LOGIN_PURPOSE,
    )
    email, vendor_name = contact.email, contact.vendor.name
    transaction.on_commit(lambda: _send_welcome(email, contact.name, vendor_name, link))
    return link


def _send_welcome(email: str, name: str, vendor: str, link: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "name": name,
            "vendor": vendor,
            "link": link,
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        subject = _("Your Steward login for the district's data agreements")
        body = render_to_string("vendors/registry/welcome_email.txt", context)
    send_mail(subject, body, None, [email])


def contact_user_for_link(uidb64: str, token: str) -> AbstractUser | None:
    """The vendor-contact user a set-password link is for, or None when the link is unknown,
    used or expired."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = (
        get_user_model()
        .objects.filter(pk=pk, is_active=True, account__role=Account.Role.VENDOR)
        .first()
    )
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@transaction.atomic
def activate_contact_login(
    uidb64: str, token: str, *, password: str, request: HttpRequest | None = None
) -> AbstractUser:
    """Set the password of a vendor contact's login from their one-time link. Refuses an
    unknown, used or expired link and a password the validators reject."""
    user = contact_user_for_link(uidb64, token)
    if user is None:
        raise ValidationError(
            _(
                "This link is not valid or has expired. Ask the district's privacy office "
                "for a new one."
            )
        )
    password_validation.validate_password(password, user)  # type: ignore[arg-type]
    user.set_password(password)
    user.save(update_fields=["password"])
    _record(
        Action.SECURITY,
        user,
        request,
        {"username": user.get_username(), "password_set": True},
        purpose=LOGIN_PURPOSE,
    )
    return user


@transaction.atomic
def revoke_contact_login(
    contact: VendorContact, *, by: Any, request: HttpRequest | None = None
) -> None:
    """Close a vendor contact's login: the user is deactivated, its password voided and its
    vendor role removed (the contact can then be removed, or given a login again)."""
    account = (
        Account.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(vendor_contact=contact)
        .first()
    )
    if account is None:
        raise ValidationError(_("%(name)s has no login.") % {"name": contact.name})
    user = account.user
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["is_active", "password"])
    account.delete()
    _record(
        Action.SECURITY,
        by,
        request,
        {"vendor": contact.vendor_id, "contact": contact.pk, "username": user.get_username()},
        purpose=LOGIN_PURPOSE,
    )


# --- subprocessors and storage locations -------------------------------------------------------


def _subprocessor_values(name: str, purpose: str, location: str) -> dict[str, str]:
    return {
        "name": _required(name, _("Enter the subprocessor's name.")),
        "purpose": _required(purpose, _("Say what the subprocessor does with the data.")),
        "location": location.strip(),
    }


def _refuse_duplicate_subprocessor(vendor: Vendor, name: str, exclude: int | None = None) -> None:
    if vendor.subprocessors.filter(name__iexact=name).exclude(pk=exclude or 0).exists():
        raise ValidationError(
            _("%(name)s is already a subprocessor of %(vendor)s.")
            % {"name": name, "vendor": vendor.name}
        )


@transaction.atomic
def add_subprocessor(
    vendor: Vendor,
    *,
    name: str,
    purpose: str,
    location: str = "",
    by: Any,
    request: HttpRequest | None = None,
) -> Subprocessor:
    """Record a third party the vendor passes student data to (R74 "third parties")."""
    values = _subprocessor_values(name, purpose, location)
    _refuse_duplicate_subprocessor(vendor, values["name"])
    sub = Subprocessor.objects.create(vendor=vendor, **values)
    _record(Action.CREATE, by, request, {"vendor": vendor.pk, "subprocessor": sub.pk, **values})
    return sub


@transaction.atomic
def update_subprocessor(
    sub: Subprocessor,
    *,
    name: str,
    purpose: str,
    location: str,
    by: Any,
    request: HttpRequest | None = None,
) -> Subprocessor:
    values = _subprocessor_values(name, purpose, location)
    _refuse_duplicate_subprocessor(sub.vendor, values["name"], exclude=sub.pk)
    changed = _apply(sub, values)
    if changed:
        _record(
            Action.CHANGE,
            by,
            request,
            {"vendor": sub.vendor_id, "subprocessor": sub.pk, "changed": changed},
        )
    return sub


@transaction.atomic
def remove_subprocessor(sub: Subprocessor, *, by: Any, request: HttpRequest | None = None) -> None:
    detail = {"vendor": sub.vendor_id, "subprocessor": sub.pk, "name": sub.name}
    sub.delete()
    _record(Action.DELETE, by, request, detail)


def _storage_values(country: str, region: str, hosting_provider: str) -> dict[str, str]:
    return {
        "country": _required(country, _("Enter the country where the data is stored.")),
        "region": region.strip(),
        "hosting_provider": hosting_provider.strip(),
    }


def _refuse_duplicate_storage(
    vendor: Vendor, values: Mapping[str, str], exclude: int | None = None
) -> None:
    same = vendor.storage_locations.filter(
        country__iexact=values["country"],
        region__iexact=values["region"],
        hosting_provider__iexact=values["hosting_provider"],
    )
    if same.exclude(pk=exclude or 0).exists():
        raise ValidationError(_("This storage location is already recorded for the vendor."))


@transaction.atomic
def add_storage_location(
    vendor: Vendor,
    *,
    country: str,
    region: str = "",
    hosting_provider: str = "",
    by: Any,
    request: HttpRequest | None = None,
) -> StorageLocation:
    """Record where the vendor stores student data (NDPA Article V)."""
    values = _storage_values(country, region, hosting_provider)
    _refuse_duplicate_storage(vendor, values)
    place = StorageLocation.objects.create(vendor=vendor, **values)
    _record(Action.CREATE, by, request, {"vendor": vendor.pk, "storage": place.pk, **values})
    return place


@transaction.atomic
def update_storage_location(
    place: StorageLocation,
    *,
    country: str,
    region: str,
    hosting_provider: str,
    by: Any,
    request: HttpRequest | None = None,
) -> StorageLocation:
    values = _storage_values(country, region, hosting_provider)
    _refuse_duplicate_storage(place.vendor, values, exclude=place.pk)
    changed = _apply(place, values)
    if changed:
        _record(
            Action.CHANGE,
            by,
            request,
            {"vendor": place.vendor_id, "storage": place.pk, "changed": changed},
        )
    return place


@transaction.atomic
def remove_storage_location(
    place: StorageLocation, *, by: Any, request: HttpRequest | None = None
) -> None:
    detail = {"vendor": place.vendor_id, "storage": place.pk, "place": str(place)}
    place.delete()
    _record(Action.DELETE, by, request, detail)


# --- products ---------------------------------------------------------------------------------


def _check_coppa(used_under_13: bool, coppa_consent: str, commercial_purpose: bool) -> None:
    if coppa_consent not in CoppaConsent.values:
        raise ValidationError(_("Choose who consents for children under 13."))
    if used_under_13 and not coppa_consent:
        raise ValidationError(
            _(
                "Say who consents for children under 13: the school as the parent's agent, "
                "or each parent (R127)."
            )
        )
    if not used_under_13 and coppa_consent:
        raise ValidationError(_("COPPA consent applies only to apps used by children under 13."))
    if coppa_consent == CoppaConsent.SCHOOL_AS_AGENT and commercial_purpose:
        raise ValidationError(
            _(
                "The school may consent as the parent's agent only when the operator has no "
                "commercial purpose beyond the school's use (R125); choose consent by each "
                "parent."
            )
        )


def _product_values(
    name: str,
    description: str,
    website: str,
    used_under_13: bool,
    coppa_consent: str,
    commercial_purpose: bool,
    in_use: bool,
) -> dict[str, Any]:
    _check_coppa(used_under_13, coppa_consent, commercial_purpose)
    return {
        "name": _required(name, _("Enter the app's name.")),
        "description": description.strip(),
        "website": _url(website),
        "used_under_13": used_under_13,
        "coppa_consent": coppa_consent,
        "commercial_purpose": commercial_purpose,
        "in_use": in_use,
    }


def _refuse_duplicate_product(vendor: Vendor, name: str, exclude: int | None = None) -> None:
    if vendor.products.filter(name__iexact=name).exclude(pk=exclude or 0).exists():
        raise ValidationError(
            _("%(vendor)s already has an app named %(name)s.")
            % {"vendor": vendor.name, "name": name}
        )


@transaction.atomic
def create_product(
    vendor: Vendor,
    *,
    name: str,
    description: str = "",
    website: str = "",
    used_under_13: bool = False,
    coppa_consent: str = "",
    commercial_purpose: bool = False,
    in_use: bool = False,
    by: Any,
    request: HttpRequest | None = None,
) -> Product:
    """Add an app of `vendor` to the registry, UNDER_REVIEW until a vetting decides (R73).

    COPPA (R125, R127): an app used by children under 13 says who consents; the school may
    consent as the parent's agent only when the operator has no other commercial purpose."""
    values = _product_values(
        name, description, website, used_under_13, coppa_consent, commercial_purpose, in_use
    )
    _refuse_duplicate_product(vendor, values["name"])
    now = timezone.now()
    product = Product.objects.create(
        vendor=vendor,
        **values,
        status=AppStatus.UNDER_REVIEW,
        status_changed_at=now,
        created_at=now,
    )
    _record(
        Action.CREATE,
        by,
        request,
        {
            "vendor": vendor.pk,
            "product": product.pk,
            "name": product.name,
            "status": product.status,
        },
    )
    return product


@transaction.atomic
def update_product(
    product: Product,
    *,
    name: str,
    description: str,
    website: str,
    used_under_13: bool,
    coppa_consent: str,
    commercial_purpose: bool,
    in_use: bool,
    by: Any,
    request: HttpRequest | None = None,
) -> Product:
    """Change an app's facts. If an APPROVED app turns out to need guardian release (a
    commercial purpose, or consent by each parent: R127), its status tightens to
    APPROVED_WITH_GUARDIAN_RELEASE in the same step, so the registry never overstates it."""
    values = _product_values(
        name, description, website, used_under_13, coppa_consent, commercial_purpose, in_use
    )
    product = Product.objects.select_for_update().get(pk=product.pk)
    _refuse_duplicate_product(product.vendor, values["name"], exclude=product.pk)
    tighten = product.status == AppStatus.APPROVED and (
        commercial_purpose or coppa_consent == CoppaConsent.PARENT
    )
    if tighten:
        values |= {
            "status": AppStatus.APPROVED_WITH_GUARDIAN_RELEASE,
            "status_reason": _(
                "Guardian release is required: the operator has a commercial purpose or each "
                "parent consents for children under 13 (R127)."
            ),
            "status_changed_at": timezone.now(),
        }
    changed = _apply(product, values)
    if changed:
        summary = {
            key: change for key, change in changed.items() if key not in {"status_changed_at"}
        }
        _record(
            Action.CHANGE,
            by,
            request,
            {"product": product.pk, "changed": {k: _plain(v) for k, v in summary.items()}},
        )
    return product


def _plain(change: dict[str, Any]) -> dict[str, Any]:
    # Ledger detail is canonical JSON: dates and lazy strings as text.
    return {
        key: value if isinstance(value, bool | int | None) else str(value)
        for key, value in change.items()
    }


@transaction.atomic
def set_product_status(
    product: Product,
    status: str,
    *,
    reason: str,
    by: Any,
    request: HttpRequest | None = None,
) -> Product:
    """Set an app NOT_APPROVED or EXPIRED by hand, with a reason (R73). EXPIRED is for the
    agreements part when the app's agreement lapses. Approvals come only from
    `vetting.decide_vetting`. Setting NOT_APPROVED also declines the staff requests waiting
    on the app, with the reason."""
    if status not in MANUAL_STATUSES:
        raise ValidationError(
            _("Only 'not approved' or 'expired' can be set by hand; a vetting approves an app.")
        )
    reason = _required(reason, _("Give the reason for the change."))
    product = Product.objects.select_for_update().get(pk=product.pk)
    if product.status == status:
        raise ValidationError(
            _("%(app)s is already %(status)s.")
            % {"app": product.name, "status": AppStatus(status).label}
        )
    before = product.status
    now = timezone.now()
    product.status, product.status_reason, product.status_changed_at = status, reason, now
    fields = ["status", "status_reason", "status_changed_at"]
    if status == AppStatus.NOT_APPROVED:
        product.revetting_due = None
        fields.append("revetting_due")
    product.save(update_fields=fields)
    declined: list[int] = []
    if status == AppStatus.NOT_APPROVED:
        waiting = AppRequest.objects.filter(
            product=product, status__in=[AppRequestStatus.OPEN, AppRequestStatus.IN_REVIEW]
        )
        declined = sorted(waiting.values_list("pk", flat=True))
        waiting.update(
            status=AppRequestStatus.DECLINED,
            decision_reason=reason,
            decided_by=_user(by),
            decided_at=now,
        )
    _record(
        Action.CHANGE,
        by,
        request,
        {
            "product": product.pk,
            "status": {"from": before, "to": status},
            "reason": reason,
            "requests_declined": declined,
        },
    )
    return product


# --- staff app requests (request → review) ----------------------------------------------------


def _registry_match(app_name: str, vendor_name: str) -> Product | None:
    candidates = Product.objects.filter(name__iexact=app_name)
    if vendor_name:
        candidates = candidates.filter(vendor__name__iexact=vendor_name)
    found = list(candidates[:2])
    return found[0] if len(found) == 1 else None


@transaction.atomic
def request_app(
    *,
    by: Any,
    app_name: str,
    vendor_name: str,
    website: str,
    purpose: str,
    grades: str,
    student_accounts: bool,
    request: HttpRequest | None = None,
) -> AppRequest:
    """A staff member asks to use an app that is not approved (R73: teachers use only approved
    tools; any tool with student accounts is vetted first). Linked to the registry's app when
    the name (and vendor, if given) matches exactly one. Refuses an app already approved, and
    a second open request by the same person for the same app."""
    user = _user(by)
    if user is None:
        raise ValidationError(_("Sign in to request an app."))
    app_name = _required(app_name, _("Enter the app's name."))
    vendor_name = vendor_name.strip()
    purpose = _required(purpose, _("Say what you would use the app for."))
    product = _registry_match(app_name, vendor_name)
    if product is not None and product.status in vetting_actions.APPROVALS:
        raise ValidationError(
            _("%(app)s is already %(status)s; you do not need to request it.")
            % {"app": product.name, "status": product.get_status_display()}
        )
    if AppRequest.objects.filter(
        requested_by=user,
        app_name__iexact=app_name,
        status__in=[AppRequestStatus.OPEN, AppRequestStatus.IN_REVIEW],
    ).exists():
        raise ValidationError(
            _("You already have an open request for %(app)s.") % {"app": app_name}
        )
    app_request = AppRequest.objects.create(
        requested_by=user,
        product=product,
        app_name=app_name,
        vendor_name=vendor_name,
        website=_url(website),
        purpose=purpose,
        grades=grades.strip(),
        student_accounts=student_accounts,
        created_at=timezone.now(),
    )
    _record(
        Action.CREATE,
        by,
        request,
        {
            "request": app_request.pk,
            "app": app_name,
            "vendor": vendor_name,
            "product": product.pk if product else None,
            "student_accounts": student_accounts,
        },
        purpose=REQUEST_PURPOSE,
    )
    return app_request


def _locked_request(app_request: AppRequest) -> AppRequest:
    return AppRequest.objects.select_for_update().get(pk=app_request.pk)


def _refuse_unless(app_request: AppRequest, *statuses: str) -> None:
    if app_request.status not in statuses:
        raise ValidationError(
            _("This request is already %(status)s.") % {"status": app_request.get_status_display()}
        )


def _product_for(
    app_request: AppRequest, vendor: Vendor | None, now: dt.datetime
) -> tuple[Product, dict[str, bool]]:
    """The registry app a request is about, creating the vendor and the app if needed."""
    created = {"vendor": False, "product": False}
    if app_request.product_id is not None:
        return Product.objects.select_for_update().get(pk=app_request.product_id), created
    if vendor is None:
        name = app_request.vendor_name.strip()
        if not name:
            raise ValidationError(
                _("The request names no vendor: choose the vendor before starting the review.")
            )
        vendor = Vendor.objects.filter(name__iexact=name).first()
        if vendor is None:
            vendor = Vendor.objects.create(name=name, created_at=now)
            created["vendor"] = True
    product = (
        Product.objects.select_for_update()
        .filter(vendor=vendor, name__iexact=app_request.app_name)
        .first()
    )
    if product is None:
        product = Product.objects.create(
            vendor=vendor,
            name=app_request.app_name,
            website=app_request.website,
            status=AppStatus.UNDER_REVIEW,
            status_changed_at=now,
            created_at=now,
        )
        created["product"] = True
    return product, created


@transaction.atomic
def start_review(
    app_request: AppRequest,
    *,
    by: Any,
    vendor: Vendor | None = None,
    request: HttpRequest | None = None,
) -> Vetting:
    """Take an open request into review: find or create its vendor (by the name given, or
    `vendor`) and app (UNDER_REVIEW), and join the app's vetting in progress or start one
    (trigger REQUESTED). The vetting's decision answers the request. Refuses a request that
    is not open, one without a vendor, and an app that is already approved."""
    app_request = _locked_request(app_request)
    _refuse_unless(app_request, AppRequestStatus.OPEN)
    now = timezone.now()
    product, created = _product_for(app_request, vendor, now)
    if product.status in vetting_actions.APPROVALS:
        raise ValidationError(
            _(
                "%(app)s is already %(status)s; decline the request and tell the requester "
                "they may use it."
            )
            % {"app": product.name, "status": product.get_status_display()}
        )
    vetting = vetting_actions.open_vetting_of(product)
    started = vetting is None
    if vetting is None:
        vetting = vetting_actions.open_vetting(product, VettingTrigger.REQUESTED, by, now)
    app_request.status = AppRequestStatus.IN_REVIEW
    app_request.product = product
    app_request.save(update_fields=["status", "product"])
    _record(
        Action.CHANGE,
        by,
        request,
        {
            "request": app_request.pk,
            "status": {"from": AppRequestStatus.OPEN.value, "to": AppRequestStatus.IN_REVIEW.value},
            "vendor": product.vendor_id,
            "product": product.pk,
            "created": created,
            "vetting": vetting.pk,
            "vetting_started": started,
        },
        purpose=REQUEST_PURPOSE,
    )
    return vetting


@transaction.atomic
def decline_request(
    app_request: AppRequest, *, reason: str, by: Any, request: HttpRequest | None = None
) -> AppRequest:
    """Decline an open request with a reason the requester reads. A request in review is
    answered by its vetting's decision instead."""
    app_request = _locked_request(app_request)
    _refuse_unless(app_request, AppRequestStatus.OPEN)
    reason = _required(reason, _("Give the reason, for the person who asked."))
    app_request.status = AppRequestStatus.DECLINED
    app_request.decision_reason = reason
    app_request.decided_by = _user(by)
    app_request.decided_at = timezone.now()
    app_request.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    _record(
        Action.CHANGE,
        by,
        request,
        {"request": app_request.pk, "status": {"from": "open", "to": "declined"}, "reason": reason},
        purpose=REQUEST_PURPOSE,
    )
    return app_request


@transaction.atomic
def withdraw_request(
    app_request: AppRequest, *, by: Any, request: HttpRequest | None = None
) -> AppRequest:
    """The requester withdraws their open or in-review request (any vetting it started goes
    on: the app may be requested by others)."""
    app_request = _locked_request(app_request)
    if _user(by) is None or app_request.requested_by_id != by.pk:
        raise ValidationError(_("Only the person who made a request can withdraw it."))
    _refuse_unless(app_request, AppRequestStatus.OPEN, AppRequestStatus.IN_REVIEW)
    before = app_request.status
    app_request.status = AppRequestStatus.WITHDRAWN
    app_request.decided_by = by
    app_request.decided_at = timezone.now()
    app_request.save(update_fields=["status", "decided_by", "decided_at"])
    _record(
        Action.CHANGE,
        by,
        request,
        {"request": app_request.pk, "status": {"from": before, "to": "withdrawn"}},
        purpose=REQUEST_PURPOSE,
    )
    return app_request
