"""Writes for the rostering API's credentials (design.md §3 rule 2): each action validates,
writes its rows and one ledger entry in the same transaction, so a failure writes nothing.

- `do_create_api_client`: the privacy office gives a vendor system credentials for one
  agreement; the secret is returned once and only its Argon2 hash is kept (design.md §6).
- `do_rotate_api_client_secret`: a new secret; every token issued under the old one stops.
- `do_deactivate_api_client`: the client and all its tokens stop at once.
- `do_issue_access_token`: the token endpoint's grant (RFC 6749 §4.4), a security event.
- `do_record_refused_token_request`: a refused client authentication, for the security trail
  (R65); the token endpoint's rate limit bounds how many a guesser can cause.
- `do_record_rate_limited`: the first request of a window refused by a rate limit (R116(4)).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit import ledger
from steward.audit.models import Action
from steward.rostering import scopes as sc
from steward.rostering.models import AccessToken, ApiClient
from steward.vendors.models import Agreement, AgreementStatus

PURPOSE = "credentials for the OneRoster rostering API (issue #7)"
TOKEN_PURPOSE = "OAuth 2 access token for the OneRoster rostering API (RFC 6749 4.4)"  # noqa: S105
TOKEN_SECONDS = 3600
# An agreement a client may be prepared for: a draft (the client waits for activation) or one
# that allows sharing now. Ended agreements get no new credentials.
_CLIENT_STATUSES = frozenset(
    {AgreementStatus.DRAFT, AgreementStatus.ACTIVE, AgreementStatus.EXPIRING}
)


def token_digest(token: str) -> str:
    """The SHA-256 under which a bearer token is stored and looked up."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def client_actor(client: ApiClient) -> dict[str, Any]:
    """Ledger actor fields for a request made by an API client (no Django user)."""
    vendor = client.agreement.vendor.name
    return {
        "actor_user_id": None,
        "actor_name": f"{vendor} API client {client.client_id}"[:255],
        "actor_role": "vendor",
        "actor_affiliation": vendor[:255],
    }


def _checked_scopes(agreement: Agreement, granted: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(granted))
    if not chosen:
        raise ValidationError(_("Choose at least one scope."), code="no_scope")
    unknown = [scope for scope in chosen if scope not in sc.ALL]
    if unknown:
        raise ValidationError(
            _("Unknown scopes: %(scopes)s."), code="unknown_scope", params={"scopes": unknown}
        )
    if sc.DEMOGRAPHICS in chosen and not any(
        category == "Demographics" for category, _element in agreement.data_elements
    ):
        raise ValidationError(
            _("The agreement lists no demographic data elements (Exhibit B): the demographics "
              "scope cannot be granted."),
            code="demographics_not_agreed",
        )  # fmt: skip
    return [scope for scope in sc.ALL if scope in chosen]


def do_create_api_client(
    *,
    agreement: Agreement,
    name: str,
    scopes: Iterable[str],
    by: Any,
    request: HttpRequest | None = None,
) -> tuple[ApiClient, str]:
    """Create credentials for `agreement`; returns the client and its secret, which is shown
    once and never stored. Refused for an external agreement or one that has ended."""
    name = name.strip()
    errors: list[ValidationError] = []
    if not name:
        errors.append(ValidationError(_("Give the client a name."), code="no_name"))
    elif len(name) > 200:
        errors.append(ValidationError(_("The name is longer than 200 characters."), code="long"))
    if agreement.external or agreement.status not in _CLIENT_STATUSES:
        errors.append(
            ValidationError(
                _("Credentials are only issued for this district's draft or active agreements; "
                  "this one is %(status)s."),
                code="agreement_not_open",
                params={"status": agreement.get_status_display()},
            )
        )  # fmt: skip
    try:
        granted = _checked_scopes(agreement, scopes)
    except ValidationError as error:
        errors.append(error)
    if errors:
        raise ValidationError(errors)
    secret = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        client = ApiClient.objects.create(
            agreement=agreement,
            name=name,
            client_id=f"or-{secrets.token_hex(10)}",
            secret_hash=make_password(secret),
            scopes=granted,
            created_by=by if getattr(by, "is_authenticated", False) else None,
            created_at=now,
        )
        _record(client, Action.CREATE, "created", by, request, scopes=granted)
    return client, secret


def do_rotate_api_client_secret(
    *, client: ApiClient, by: Any, request: HttpRequest | None = None
) -> str:
    """Give an active client a new secret (returned once) and revoke its tokens."""
    if not client.active:
        raise ValidationError(_("This client is deactivated."), code="inactive")
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        client.secret_hash = make_password(secret)
        client.rotated_at = timezone.now()
        client.save(update_fields=["secret_hash", "rotated_at"])
        revoked = _revoke_tokens(client)
        _record(client, Action.CHANGE, "secret rotated", by, request, revoked_tokens=revoked)
    return secret


def do_deactivate_api_client(
    *, client: ApiClient, reason: str, by: Any, request: HttpRequest | None = None
) -> ApiClient:
    """Stop a client for good: it gets no token, and every token it holds stops working."""
    if not client.active:
        raise ValidationError(_("This client is already deactivated."), code="inactive")
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for deactivating the client."), code="reason")
    with transaction.atomic():
        client.active = False
        client.deactivated_at = timezone.now()
        client.save(update_fields=["active", "deactivated_at"])
        revoked = _revoke_tokens(client)
        _record(
            client, Action.CHANGE, "deactivated", by, request, reason=reason[:1000],
            revoked_tokens=revoked,
        )  # fmt: skip
    return client


def do_issue_access_token(
    *, client: ApiClient, scopes: list[str], request: HttpRequest | None = None
) -> tuple[str, AccessToken]:
    """Issue a bearer token for `scopes` (already checked to be the client's) to an
    authenticated client; returns the token, which only the client ever holds."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        issued = AccessToken.objects.create(
            client=client,
            token_sha256=token_digest(token),
            scopes=scopes,
            issued_at=now,
            expires_at=now + dt.timedelta(seconds=TOKEN_SECONDS),
        )
        ledger.record(
            action=Action.SECURITY,
            **client_actor(client),
            **ledger.request_context(request),
            purpose=TOKEN_PURPOSE,
            agreement_id=str(client.agreement_id),
            detail={
                "event": "access token issued",
                "client_id": client.client_id,
                "token": issued.pk,
                "scopes": scopes,
                "expires_at": issued.expires_at.isoformat(),
            },
        )
    return token, issued


def do_record_refused_token_request(
    *, client_id: str, error: str, request: HttpRequest | None = None
) -> None:
    """A token request refused for bad client credentials or grant (security trail, R65)."""
    with transaction.atomic():
        ledger.record(
            action=Action.LOGIN_FAILED,
            actor_name=f"API client {client_id[:64]}" if client_id else "API client",
            actor_role="vendor",
            **ledger.request_context(request),
            purpose=TOKEN_PURPOSE,
            detail={"event": "token request refused", "error": error},
        )


def do_record_rate_limited(
    *,
    endpoint: str,
    limit: int,
    seconds: int,
    client: ApiClient | None = None,
    request: HttpRequest | None = None,
) -> None:
    """A rate limit began refusing requests (security trail, R116(4) monitoring): on the token
    endpoint by address, or on the data endpoints for `client`. Once per window, by the caller."""
    actor: dict[str, Any] = (
        client_actor(client) if client is not None else {"actor_name": "API client"}
    )
    actor.setdefault("actor_role", "vendor")
    with transaction.atomic():
        ledger.record(
            action=Action.SECURITY,
            **actor,
            **ledger.request_context(request),
            purpose=TOKEN_PURPOSE if endpoint == "token" else PURPOSE,
            agreement_id=str(client.agreement_id) if client is not None else "",
            detail={
                "event": "rate limit reached",
                "endpoint": endpoint,
                "limit": limit,
                "seconds": seconds,
                **({"client_id": client.client_id} if client is not None else {}),
            },
        )


def _revoke_tokens(client: ApiClient) -> int:
    return AccessToken.objects.filter(client=client, revoked=False).update(revoked=True)


def _record(
    client: ApiClient,
    action: str,
    event: str,
    by: Any,
    request: HttpRequest | None,
    **detail: Any,
) -> None:
    ledger.record(
        action=action,
        **ledger.actor_of(by),
        **ledger.request_context(request),
        purpose=PURPOSE,
        agreement_id=str(client.agreement_id),
        detail={"event": f"API client {event}", "client_id": client.client_id, **detail},
    )
