"""Written notices to the family (R34, R35, R36): rendered, kept, shown and e-mailed.

`issue()` runs inside the deciding action's transaction: the `Letter` row (the text as sent,
with its SHA-256) commits with the decision or not at all. The e-mail goes after the commit,
so a mail failure never undoes a decision; the letter stays in the portal whatever happens to
the e-mail, and the failure is logged.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from steward.amendments.models import AmendmentRequest, Letter, LetterKind, RequesterKind

logger = logging.getLogger(__name__)

TEMPLATES: dict[str, str] = {
    LetterKind.DECISION: "amendments/letters/decision.txt",
    LetterKind.HEARING_NOTICE: "amendments/letters/hearing_notice.txt",
    LetterKind.HEARING_DECISION: "amendments/letters/hearing_decision.txt",
}


def address_of(request: AmendmentRequest) -> str:
    """Where the requester's letters are e-mailed: the roster's address, else their login's."""
    if request.requester_kind == RequesterKind.GUARDIAN and request.requester_guardian:
        email = request.requester_guardian.email.strip()
    else:
        email = request.student.email.strip()
    if not email and request.submitted_by is not None:
        email = request.submitted_by.email.strip()
    return email


def issue(request: AmendmentRequest, kind: str, user: Any, context: dict[str, Any]) -> Letter:
    """Render and keep the letter of `kind` in the requester's language, and e-mail it once
    the caller's transaction commits."""
    with translation.override(request.language):
        subject = str(LetterKind(kind).label)
        body = render_to_string(
            TEMPLATES[kind],
            {"request": request, "student": request.student, **context},
        ).strip()
    email = address_of(request)
    letter = Letter.objects.create(
        request=request,
        kind=kind,
        language=request.language,
        subject=subject,
        body=body,
        body_sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        issued_at=timezone.now(),
        issued_by=user if getattr(user, "is_authenticated", False) else None,
        emailed_to=email,
    )
    if email:
        transaction.on_commit(lambda: _send(letter.pk, subject, body, email))
    return letter


def _send(letter_id: int, subject: str, body: str, email: str) -> None:
    try:
        send_mail(subject, body, None, [email])
    except OSError:  # smtplib's errors: the letter is in the portal all the same
        logger.warning("amendment letter %s could not be e-mailed", letter_id, exc_info=True)
