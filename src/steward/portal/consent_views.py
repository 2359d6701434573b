"""The family's consents to disclose (issue #5 item 4; R45–R50): every consent given for
the child, what it covers, until when, and a way to revoke it from now on."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from steward.access.views import SCOPE_LABELS
from steward.accounts.models import Account
from steward.consents.actions import do_revoke_disclosure_consent
from steward.consents.models import DisclosureConsent
from steward.portal.views import _child, guardians_only
from steward.rights.selectors import can_act


@guardians_only
@require_GET
def consents(request: HttpRequest, account: Account, pk: int) -> HttpResponse:
    """The child's consents to disclose, newest first, with their state today."""
    child = _child(account, pk)
    today = timezone.localdate()
    rows = []
    for consent in (
        DisclosureConsent.objects.filter(student=child)
        .select_related("revocation")
        .order_by("-signed_at", "-pk")
    ):
        revocation = getattr(consent, "revocation", None)
        if revocation is not None:
            state = _("Revoked on %(day)s") % {"day": revocation.revoked_at.date().isoformat()}
        elif consent.expires_on < today:
            state = _("Expired on %(day)s") % {"day": consent.expires_on.isoformat()}
        else:
            state = _("In force until %(day)s") % {"day": consent.expires_on.isoformat()}
        rows.append(
            {
                "consent": consent,
                "records": [SCOPE_LABELS.get(s, s) for s in consent.scopes],
                "state": state,
                "revocable": revocation is None and consent.expires_on >= today,
            }
        )
    return render(
        request,
        "portal/consents.html",
        {"child": child, "rows": rows, "may_revoke": can_act(account, child.pk, "consent")},
    )


@guardians_only
@require_POST
def revoke_consent(
    request: HttpRequest, account: Account, pk: int, consent_id: int
) -> HttpResponse:
    """Revoke one consent from now on (R50): disclosures made before it stay lawful."""
    child = _child(account, pk)
    consent = DisclosureConsent.objects.filter(pk=consent_id, student=child).first()
    if consent is None:
        raise Http404
    if not can_act(account, child.pk, "consent"):
        raise PermissionDenied
    try:
        do_revoke_disclosure_consent(consent, request.user, request=request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.info(request, message)
    else:
        messages.success(request, _("The consent is revoked from now on."))
    return redirect("portal-consents", pk=child.pk)
