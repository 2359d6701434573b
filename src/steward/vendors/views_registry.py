"""The privacy office's registry pages (R73, R76): vendors, their contacts, subprocessors and
storage locations, and logins for vendor contacts; plus the contact's own set-password page.

Privacy office only (`privacy_office_only`: anonymous → login page, any other role → 403),
except `welcome`, which the link in a vendor contact's invitation opens signed out. Writes go
through `steward.vendors.actions.registry`; an action's refusal comes back on the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.accounts.models import Account
from steward.officer.views import privacy_office_only
from steward.vendors.actions import registry as actions
from steward.vendors.actions.vetting import APPROVALS
from steward.vendors.forms_registry import (
    ContactForm,
    SetPasswordForm,
    StorageLocationForm,
    SubprocessorForm,
    VendorForm,
)
from steward.vendors.models import (
    AppRequest,
    AppRequestStatus,
    AppStatus,
    Product,
    StorageLocation,
    Subprocessor,
    Vendor,
    VendorContact,
    Vetting,
    VettingState,
)

PER_PAGE = 50
FORM_TEMPLATE = "vendors/registry/form.html"


def form_page(
    request: HttpRequest,
    form_class: type[Form],
    *,
    save: Callable[[dict[str, Any]], Any],
    done: str | Callable[[Any], str],
    success: str,
    title: str,
    back: str,
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    """GET shows the form; POST runs `save(cleaned_data)` (an action) and redirects to `done`
    (a URL, or a function of what `save` returned) with `success`, or shows the form again
    with the errors (status 400)."""
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                saved = save(form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, success)
                return redirect(done(saved) if callable(done) else done)
        status = 400
    else:
        form = form_class(initial=initial)
    context = {"form": form, "title": title, "back": back}
    return render(request, FORM_TEMPLATE, context, status=status)


def refusal(request: HttpRequest, error: ValidationError) -> None:
    """Show an action's refusal as an error message on the next page."""
    for message in error.messages:
        messages.error(request, message)


# --- vendors -----------------------------------------------------------------------------


@privacy_office_only
@require_GET
def vendor_list(request: HttpRequest) -> HttpResponse:
    """Every vendor with its apps by status; `q` searches vendor and app names."""
    q = request.GET.get("q", "").strip()[:100]
    vendors = Vendor.objects.annotate(
        app_count=Count("products", distinct=True),
        approved_count=Count("products", filter=Q(products__status__in=APPROVALS), distinct=True),
        review_count=Count(
            "products", filter=Q(products__status=AppStatus.UNDER_REVIEW), distinct=True
        ),
        contact_count=Count("contacts", distinct=True),
    ).order_by("name")
    if q:
        apps = Product.objects.filter(name__icontains=q).values("vendor")
        vendors = vendors.filter(Q(name__icontains=q) | Q(pk__in=apps))
    page = Paginator(vendors, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "open_requests": AppRequest.objects.filter(status=AppRequestStatus.OPEN).count(),
        "vettings": Vetting.objects.filter(state=VettingState.IN_PROGRESS).count(),
    }
    return render(request, "vendors/registry/vendor_list.html", context)


@privacy_office_only
@require_http_methods(["GET", "POST"])
def vendor_create(request: HttpRequest) -> HttpResponse:
    """A new vendor; then straight to its page, to add its contacts and apps."""
    return form_page(
        request,
        VendorForm,
        save=lambda data: actions.create_vendor(**data, by=request.user, request=request),
        done=lambda vendor: reverse("vendors-registry-vendor", args=[vendor.pk]),
        success=_("The vendor is in the registry."),
        title=_("New vendor"),
        back=reverse("vendors-registry"),
    )


@privacy_office_only
@require_GET
def vendor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A vendor's contacts (and their logins), subprocessors, storage locations and apps."""
    vendor = get_object_or_404(Vendor, pk=pk)
    logins = Account.objects.filter(vendor_contact=OuterRef("pk"), user__is_active=True)
    contacts = vendor.contacts.annotate(
        has_login=Exists(logins),
        login_pending=Exists(logins.filter(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)),
    )
    in_vetting = Vetting.objects.filter(product=OuterRef("pk"), state=VettingState.IN_PROGRESS)
    context = {
        "vendor": vendor,
        "contacts": contacts,
        "subprocessors": vendor.subprocessors.all(),
        "storage_locations": vendor.storage_locations.all(),
        "products": vendor.products.annotate(in_vetting=Exists(in_vetting)),
        # Three forms on one page: their own id prefixes keep every field id unique.
        "contact_form": ContactForm(auto_id="contact_%s"),
        "subprocessor_form": SubprocessorForm(auto_id="subprocessor_%s"),
        "storage_form": StorageLocationForm(auto_id="storage_%s"),
    }
    return render(request, "vendors/registry/vendor_detail.html", context)


@privacy_office_only
@require_http_methods(["GET", "POST"])
def vendor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = get_object_or_404(Vendor, pk=pk)
    page = reverse("vendors-registry-vendor", args=[vendor.pk])
    return form_page(
        request,
        VendorForm,
        save=lambda data: actions.update_vendor(vendor, **data, by=request.user, request=request),
        done=page,
        success=_("The vendor is updated."),
        title=_("Edit %(vendor)s") % {"vendor": vendor.name},
        back=page,
        initial=VendorForm.initial_from(vendor),
    )


# --- contacts ----------------------------------------------------------------------------


@privacy_office_only
@require_http_methods(["GET", "POST"])
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = get_object_or_404(Vendor, pk=pk)
    page = reverse("vendors-registry-vendor", args=[vendor.pk])
    return form_page(
        request,
        ContactForm,
        save=lambda data: actions.add_contact(vendor, **data, by=request.user, request=request),
        done=page,
        success=_("The contact is added."),
        title=_("New contact at %(vendor)s") % {"vendor": vendor.name},
        back=page,
    )


@privacy_office_only
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(VendorContact.objects.select_related("vendor"), pk=pk)
    page = reverse("vendors-registry-vendor", args=[contact.vendor_id])
    return form_page(
        request,
        ContactForm,
        save=lambda data: actions.update_contact(contact, **data, by=request.user, request=request),
        done=page,
        success=_("The contact is updated."),
        title=_("Edit %(name)s") % {"name": contact.name},
        back=page,
        initial=ContactForm.initial_from(contact),
    )


@privacy_office_only
@require_POST
def contact_remove(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(VendorContact, pk=pk)
    vendor_id = contact.vendor_id
    try:
        actions.remove_contact(contact, by=request.user, request=request)
    except ValidationError as error:
        refusal(request, error)
    else:
        messages.success(request, _("The contact is removed."))
    return redirect("vendors-registry-vendor", pk=vendor_id)


@privacy_office_only
@require_POST
def contact_login(request: HttpRequest, pk: int) -> HttpResponse:
    """Create (or renew) a contact's login and show the one-time link, once: it is not kept
    anywhere, so the page is never cached."""
    contact = get_object_or_404(VendorContact.objects.select_related("vendor"), pk=pk)
    try:
        link = actions.create_contact_login(contact, by=request.user, request=request)
    except ValidationError as error:
        refusal(request, error)
        return redirect("vendors-registry-vendor", pk=contact.vendor_id)
    response = render(
        request, "vendors/registry/login_link.html", {"contact": contact, "link": link}
    )
    response["Cache-Control"] = "no-store"
    return response


@privacy_office_only
@require_POST
def contact_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(VendorContact, pk=pk)
    try:
        actions.revoke_contact_login(contact, by=request.user, request=request)
    except ValidationError as error:
        refusal(request, error)
    else:
        messages.success(request, _("The login is closed."))
    return redirect("vendors-registry-vendor", pk=contact.vendor_id)


@require_http_methods(["GET", "POST"])
def welcome(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """A vendor contact chooses their password from the one-time link (no sign-in needed:
    the link is the credential). An unknown, used or expired link says so (status 400)."""
    user = actions.contact_user_for_link(uidb64, token)
    status = 200 if user is not None else 400
    form = SetPasswordForm(request.POST if request.method == "POST" else None)
    if user is not None and request.method == "POST":
        if form.is_valid():
            try:
                actions.activate_contact_login(
                    uidb64, token, password=form.cleaned_data["password"], request=request
                )
            except ValidationError as error:
                form.add_error("password", error)
            else:
                messages.success(request, _("Your password is set. Sign in with it."))
                return redirect("login")
        status = 400
    response = render(
        request,
        "vendors/registry/welcome.html",
        {"form": form, "valid": user is not None, "username": getattr(user, "username", "")},
        status=status,
    )
    # The token is in the URL: no other site may see it in a Referer. Not "no-referrer": under
    # it browsers send `Origin: null` with the form's POST, which the CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response


# --- subprocessors and storage locations -------------------------------------------------------


@privacy_office_only
@require_http_methods(["GET", "POST"])
def subprocessor_add(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = get_object_or_404(Vendor, pk=pk)
    page = reverse("vendors-registry-vendor", args=[vendor.pk])
    return form_page(
        request,
        SubprocessorForm,
        save=lambda data: actions.add_subprocessor(
            vendor, **data, by=request.user, request=request
        ),
        done=page,
        success=_("The subprocessor is added."),
        title=_("New subprocessor of %(vendor)s") % {"vendor": vendor.name},
        back=page,
    )


@privacy_office_only
@require_http_methods(["GET", "POST"])
def subprocessor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_object_or_404(Subprocessor.objects.select_related("vendor"), pk=pk)
    page = reverse("vendors-registry-vendor", args=[sub.vendor_id])
    return form_page(
        request,
        SubprocessorForm,
        save=lambda data: actions.update_subprocessor(
            sub, **data, by=request.user, request=request
        ),
        done=page,
        success=_("The subprocessor is updated."),
        title=_("Edit %(name)s") % {"name": sub.name},
        back=page,
        initial=SubprocessorForm.initial_from(sub),
    )


@privacy_office_only
@require_POST
def subprocessor_remove(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_object_or_404(Subprocessor, pk=pk)
    vendor_id = sub.vendor_id
    actions.remove_subprocessor(sub, by=request.user, request=request)
    messages.success(request, _("The subprocessor is removed."))
    return redirect("vendors-registry-vendor", pk=vendor_id)


@privacy_office_only
@require_http_methods(["GET", "POST"])
def storage_add(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = get_object_or_404(Vendor, pk=pk)
    page = reverse("vendors-registry-vendor", args=[vendor.pk])
    return form_page(
        request,
        StorageLocationForm,
        save=lambda data: actions.add_storage_location(
            vendor, **data, by=request.user, request=request
        ),
        done=page,
        success=_("The storage location is added."),
        title=_("New storage location of %(vendor)s") % {"vendor": vendor.name},
        back=page,
    )


@privacy_office_only
@require_http_methods(["GET", "POST"])
def storage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(StorageLocation.objects.select_related("vendor"), pk=pk)
    page = reverse("vendors-registry-vendor", args=[place.vendor_id])
    return form_page(
        request,
        StorageLocationForm,
        save=lambda data: actions.update_storage_location(
            place, **data, by=request.user, request=request
        ),
        done=page,
        success=_("The storage location is updated."),
        title=_("Edit storage location"),
        back=page,
        initial=StorageLocationForm.initial_from(place),
    )


@privacy_office_only
@require_POST
def storage_remove(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(StorageLocation, pk=pk)
    vendor_id = place.vendor_id
    actions.remove_storage_location(place, by=request.user, request=request)
    messages.success(request, _("The storage location is removed."))
    return redirect("vendors-registry-vendor", pk=vendor_id)
