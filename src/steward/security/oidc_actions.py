"""Ledger writes of single sign-on (design.md §3 rule 2; R33, R116(4) monitoring).

A successful SSO sign-in needs nothing here: `django.contrib.auth.login` sends
`user_logged_in`, and steward.audit records it as for a password sign-in. A refusal never
reaches Django's `authenticate` (see steward.security.oidc), so it is recorded here, in the
shape steward.audit gives a failed password sign-in — `login_failed`, the attempted name as
actor — plus why, and which provider and subject asserted it.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from steward.audit.ledger import Event, record, request_context
from steward.audit.models import Action
from steward.security.oidc_refusals import SsoRefusal


@transaction.atomic
def do_record_sso_refusal(request: HttpRequest, refusal: SsoRefusal, *, provider: str) -> None:
    """Write one `login_failed` ledger entry for `refusal` at `provider` (its issuer URL)."""
    record(
        Event(
            action=Action.LOGIN_FAILED,
            actor_name=refusal.email[:255],
            detail={
                "username": refusal.email,
                "method": "oidc",
                "reason": refusal.code,
                "provider": provider,
                "subject": refusal.subject,
                "note": refusal.detail,
            },
            **request_context(request),
        )
    )
