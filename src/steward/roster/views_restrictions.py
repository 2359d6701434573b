"""The privacy office's guardian restriction pages (R17, R116), mounted at /officer/restrictions/.

Privacy office only (`officer.views.privacy_office_only`): anonymous visitors go to the login
page, every other role (teachers, parents, the restricted parent above all) gets 403, and an
unknown link or document is 404. Opening a document also needs a recent sign-in
(`recent_authentication_required`) and is served with the upload module's safe headers under a
name that says nothing (`restriction-<id>.pdf`). Every page that names students writes one READ
entry; filing and withdrawing go through `steward.roster.actions_restrictions`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from steward.officer.views import privacy_office_only
from steward.roster import actions_restrictions as actions
from steward.roster import selectors_restrictions as selectors
from steward.roster.forms_restrictions import (
    IN_FORCE,
    UNDOCUMENTED,
    RestrictionFilterForm,
    RestrictionUploadForm,
    RestrictionWithdrawForm,
    withdraw_form,
)
from steward.roster.models import GuardianRelationship
from steward.security import uploads
from steward.security.reauth import recent_authentication_required

PER_PAGE = 50


@privacy_office_only
@require_GET
def restriction_list(request: HttpRequest) -> HttpResponse:
    """Documents on file (or the chosen filter), restricted parents without a document, and a
    search for the guardian link on which to file one."""
    form = RestrictionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    show = data.get("show") or IN_FORCE
    text = data.get("q") or ""
    today = timezone.localdate()
    rows: Any = (
        selectors.undocumented() if show == UNDOCUMENTED else selectors.documents(show, today)
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    found = selectors.search(text) if text else []
    links = [row if show == UNDOCUMENTED else row.link for row in page.object_list] + found
    actions.do_record_restriction_review(
        [row.student_id for row in links], "list", by=request.user, request=request
    )
    params = [(k, str(v)) for k, v in (("show", show), ("q", text)) if v]
    return render(
        request,
        "roster/restrictions/list.html",
        {
            "form": form,
            "show": show,
            "undocumented": show == UNDOCUMENTED,
            "page": page,
            "found": found,
            "searched": bool(text),
            "today": today,
            "query": urlencode(params),
        },
        status=200 if form.is_valid() or not request.GET else 400,
    )


def _link_or_404(pk: int) -> GuardianRelationship:
    found = selectors.link(pk)
    if found is None:
        raise Http404
    return found


def _link_page(
    request: HttpRequest,
    link: GuardianRelationship,
    *,
    upload_form: RestrictionUploadForm | None = None,
    posted: RestrictionWithdrawForm | None = None,
    withdrawing: int | None = None,
) -> HttpResponse:
    actions.do_record_restriction_review(
        [link.student_id], "link", by=request.user, request=request
    )
    failed = bool(
        (upload_form is not None and upload_form.errors) or (posted is not None and posted.errors)
    )
    documents = [
        (doc, posted if posted is not None and doc.pk == withdrawing else withdraw_form(doc.pk))
        for doc in selectors.history(link)
    ]
    # A refusal about a document that shows no form any more (already withdrawn meanwhile).
    refused = [
        message
        for doc, form in documents
        if doc.pk == withdrawing and doc.withdrawn
        for message in form.non_field_errors()
    ]
    return render(
        request,
        "roster/restrictions/link.html",
        {
            "link": link,
            "documents": documents,
            "others": selectors.other_links(link),
            "refused": refused,
            "today": timezone.localdate(),
            "upload_form": upload_form or RestrictionUploadForm(),
        },
        status=400 if failed else 200,
    )


@privacy_office_only
@require_GET
def link_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One guardian link: whether the parent is restricted, its documents, the upload form."""
    return _link_page(request, _link_or_404(pk))


def _show(form: Any, error: ValidationError) -> None:
    """An action's refusal on the form: by field where it names one the form has."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


@privacy_office_only
@require_POST
def link_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """File a document for the link; the link is restricted in the same transaction."""
    link = _link_or_404(pk)
    form = RestrictionUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["document"]
        data = uploads.read(upload, uploads.document_limit())
        try:
            actions.do_upload_restriction_document(
                link,
                form.particulars(),
                data,
                upload.name or "document.pdf",
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # the file's own check: shown on the file
                error = ValidationError({"document": error.messages})
            _show(form, error)
        else:
            messages.success(
                request, _("The document is on file; this parent no longer has access.")
            )
            return redirect("roster-restriction-link", link.pk)
    return _link_page(request, link, upload_form=form)


@privacy_office_only
@require_POST
def document_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a document, and on request give the parent their access back."""
    document = selectors.document(pk)
    if document is None:
        raise Http404
    form = withdraw_form(document.pk, request.POST)
    if form.is_valid():
        try:
            actions.do_withdraw_restriction_document(
                document,
                form.cleaned_data["reason"],
                lift=form.cleaned_data["lift"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            _show(form, error)
        else:
            messages.success(request, _("The document is withdrawn."))
            return redirect("roster-restriction-link", document.link_id)
    link = _link_or_404(document.link_id)
    return _link_page(request, link, posted=form, withdrawing=document.pk)


@privacy_office_only
@recent_authentication_required  # a court order about a family (R33, R116; #10)
@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The document itself, decrypted, after its READ entry is committed."""
    document = selectors.document(pk)
    if document is None:
        raise Http404
    actions.do_record_restriction_read(document, by=request.user, request=request)
    return uploads.document_response(
        bytes(document.content),
        filename=f"restriction-{document.pk}.pdf",
        content_type=uploads.PDF,
        sha256=document.sha256,
    )
