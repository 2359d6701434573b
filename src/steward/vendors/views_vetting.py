"""The privacy office's app and vetting pages (R73–R76, R127).

- An app (product): its facts, status and reason, terms of service with the R75 flags found
  in them, the vetting history; forms to edit it, enter new terms, set it not approved or
  expired, and start a vetting.
- A vetting: the R75 flags of the terms it reviews, the rubric grouped by area with each
  item's latest rating and evidence, a rating form per item, and the decision form.

Privacy office only. Writes go through `steward.vendors.actions`; a refusal is shown on the
form it came from (status 400), keeping what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.officer.views import privacy_office_only
from steward.security import uploads
from steward.vendors import documents, rubric, terms
from steward.vendors.actions import registry
from steward.vendors.actions import vetting as actions
from steward.vendors.forms_registry import (
    DecisionForm,
    ProductForm,
    ProductStatusForm,
    RatingForm,
    TermsForm,
)
from steward.vendors.models import (
    AppRequest,
    Product,
    Rating,
    Vendor,
    Vetting,
    VettingAnswer,
    VettingState,
    VettingTrigger,
)
from steward.vendors.views_registry import form_page, refusal


@dataclass(frozen=True)
class ShownFlag:
    """An R75 flag as a page shows it: the label in the reader's language."""

    key: str
    label: Any
    excerpt: str | None


def shown_flags(flags: list[dict[str, Any]]) -> list[ShownFlag]:
    return [ShownFlag(f["key"], terms.label(f["key"]), f.get("excerpt")) for f in flags]


# --- apps ---------------------------------------------------------------------------------


def _product_values(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "coppa_consent": data.get("coppa_consent") or ""}


@privacy_office_only
@require_http_methods(["GET", "POST"])
def product_create(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = get_object_or_404(Vendor, pk=pk)
    return form_page(
        request,
        ProductForm,
        save=lambda data: registry.create_product(
            vendor, **_product_values(data), by=request.user, request=request
        ),
        done=lambda product: reverse("vendors-registry-product", args=[product.pk]),
        success=_("The app is in the registry, under review. Enter its terms and start vetting."),
        title=_("New app of %(vendor)s") % {"vendor": vendor.name},
        back=reverse("vendors-registry-vendor", args=[vendor.pk]),
    )


@privacy_office_only
@require_http_methods(["GET", "POST"])
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product, pk=pk)
    page = reverse("vendors-registry-product", args=[product.pk])
    return form_page(
        request,
        ProductForm,
        save=lambda data: registry.update_product(
            product, **_product_values(data), by=request.user, request=request
        ),
        done=page,
        success=_("The app is updated."),
        title=_("Edit %(app)s") % {"app": product.name},
        back=page,
        initial=ProductForm.initial_from(product),
    )


def _product_page(
    request: HttpRequest, product: Product, forms: dict[str, Form] | None = None
) -> HttpResponse:
    forms = forms or {}
    vettings = list(product.vettings.select_related("decision", "reviewer"))
    open_vetting = next((v for v in vettings if v.state == VettingState.IN_PROGRESS), None)
    context = {
        "product": product,
        "vettings": vettings,
        "open_vetting": open_vetting,
        "flags": terms.flag_terms(product.terms_text),
        "requests": AppRequest.objects.filter(product=product).select_related("requested_by"),
        "terms_form": forms.get("terms") or TermsForm(initial={"text": product.terms_text}),
        "status_form": forms.get("status") or ProductStatusForm(),
        "triggers": VettingTrigger.choices,
        "default_trigger": VettingTrigger.ANNUAL if vettings else VettingTrigger.INITIAL,
        "approved": product.status in actions.APPROVALS,
        "needs_guardian_release": actions.needs_guardian_release(product),
    }
    return render(
        request, "vendors/vetting/product_detail.html", context, status=400 if forms else 200
    )


def _product(pk: int) -> Product:
    return get_object_or_404(Product.objects.select_related("vendor"), pk=pk)


@privacy_office_only
@require_GET
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _product_page(request, _product(pk))


@privacy_office_only
@require_POST
def product_terms(request: HttpRequest, pk: int) -> HttpResponseBase:
    """New terms text: stored and reviewed (a re-vetting starts, or the open one re-reads)."""
    product = _product(pk)
    form = TermsForm(request.POST)
    if form.is_valid():
        try:
            vetting = actions.update_terms(
                product, form.cleaned_data["text"], by=request.user, request=request
            )
        except ValidationError as error:
            form.add_error("text", error)
        else:
            if vetting is None:
                messages.info(request, _("The terms are unchanged."))
                return redirect("vendors-registry-product", pk=product.pk)
            messages.success(request, _("The new terms are stored; this vetting reviews them."))
            return redirect("vendors-vetting", pk=vetting.pk)
    return _product_page(request, product, {"terms": form})


@privacy_office_only
@require_POST
def product_status(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Set the app not approved or expired, with a reason."""
    product = _product(pk)
    form = ProductStatusForm(request.POST)
    if form.is_valid():
        try:
            registry.set_product_status(
                product,
                form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The app's status is changed."))
            return redirect("vendors-registry-product", pk=product.pk)
    return _product_page(request, product, {"status": form})


@privacy_office_only
@require_POST
def product_vet(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Start a vetting of the app, for the reason chosen."""
    product = _product(pk)
    trigger = request.POST.get("trigger", "")
    try:
        vetting = actions.start_vetting(product, trigger=trigger, by=request.user, request=request)
    except ValidationError as error:
        refusal(request, error)
        return redirect("vendors-registry-product", pk=product.pk)
    return redirect("vendors-vetting", pk=vetting.pk)


# --- vetting ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One rubric item on the vetting page: its latest answer and its rating form."""

    item: rubric.Item
    answer: VettingAnswer | None
    form: RatingForm | None
    anchor: str


def _anchor(key: str) -> str:
    return "item-" + key.replace(".", "-").replace("_", "-")


def _rating_form(key: str, data: Any = None, files: Any = None) -> RatingForm:
    return RatingForm(
        data,
        files,
        initial={"item": key},
        auto_id=f"id_{_anchor(key)}_%s",
    )


def _vetting(pk: int) -> Vetting:
    return get_object_or_404(
        Vetting.objects.select_related("product__vendor", "reviewer", "decision__decided_by"),
        pk=pk,
    )


def _vetting_page(
    request: HttpRequest,
    vetting: Vetting,
    *,
    bound: RatingForm | None = None,
    decision_form: DecisionForm | None = None,
) -> HttpResponse:
    latest = actions.latest_answers(vetting)
    editable = vetting.state == VettingState.IN_PROGRESS
    bound_key = bound.data.get("item") if bound is not None else None
    areas = [
        (
            area,
            [
                Row(
                    item,
                    latest.get(item.key),
                    (bound if item.key == bound_key else _rating_form(item.key))
                    if editable
                    else None,
                    _anchor(item.key),
                )
                for item in area.items
            ],
        )
        for area in rubric.AREAS
    ]
    decision = getattr(vetting, "decision", None) if not editable else None
    product = vetting.product
    context = {
        "vetting": vetting,
        "product": product,
        "flags": shown_flags(vetting.terms_flags),
        "terms_outdated": vetting.terms_sha256 != product.terms_sha256,
        "areas": areas,
        "rated": len(latest),
        "total": len(rubric.ITEMS),
        "editable": editable,
        "decision": decision,
        "decision_form": decision_form or DecisionForm(),
        "needs_guardian_release": actions.needs_guardian_release(product),
        "blocking": sorted(
            key
            for key in rubric.BLOCKING_ITEMS
            if key in latest and latest[key].rating == Rating.DOES_NOT_MEET
        ),
    }
    status = 400 if bound is not None or decision_form is not None else 200
    return render(request, "vendors/vetting/vetting_detail.html", context, status=status)


@privacy_office_only
@require_GET
def vetting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _vetting_page(request, _vetting(pk))


@privacy_office_only
@require_POST
def vetting_rate(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Rate one item; back to it on the page, or the page again with the item's errors."""
    vetting = _vetting(pk)
    key = request.POST.get("item", "")
    form = _rating_form(key, request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["evidence_file"]
        data = uploads.read(upload, uploads.document_limit()) if upload else None
        try:
            actions.rate_item(
                vetting,
                form.cleaned_data["item"],
                rating=form.cleaned_data["rating"],
                evidence_note=form.cleaned_data["evidence_note"],
                evidence_url=form.cleaned_data["evidence_url"],
                evidence_data=data,
                evidence_filename=upload.name if upload else "",
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            url = reverse("vendors-vetting", args=[vetting.pk])
            return redirect(f"{url}#{_anchor(form.cleaned_data['item'])}")
    if key not in rubric.ITEMS:
        raise Http404
    return _vetting_page(request, vetting, bound=form)


@privacy_office_only
@require_POST
def vetting_decide(request: HttpRequest, pk: int) -> HttpResponseBase:
    vetting = _vetting(pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            actions.decide_vetting(
                vetting,
                status=form.cleaned_data["status"],
                reasons=form.cleaned_data["reasons"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The decision is recorded and the registry updated."))
            return redirect("vendors-registry-product", pk=vetting.product_id)
    return _vetting_page(request, vetting, decision_form=form)


@privacy_office_only
@require_GET
def vetting_evidence(request: HttpRequest, pk: int, answer: int) -> HttpResponse:
    """An evidence document of this vetting (404 for another vetting's)."""
    found = get_object_or_404(
        VettingAnswer.objects.select_related("evidence_document"),
        pk=answer,
        vetting_id=pk,
        evidence_document__isnull=False,
    )
    assert found.evidence_document is not None  # filtered above
    return documents.response(found.evidence_document)
