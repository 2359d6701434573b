"""E-mail about requests, sent after the action's transaction commits (a rolled-back action
sends nothing), through Django's configured backend.

- `after_receipt`: the requester's acknowledgement with the due date, and for a parent without
  custody the R18 notice to each custodial parent, in English and in the notice language the
  office chose (603 CMR 23.07(5): "in English and the primary language of the custodial
  parent"). The office also prints the letter for certified and first-class mail.
- `requester_update`: the meeting's time and place, the copy ready in the portal, a refusal.
- `reminder`: the sweep's reminders and escalations to the office (`sweep`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from steward.requests.models import AccessRequest, CustodialNotice, RequesterKind

logger = logging.getLogger(__name__)


def link(name: str, *args: object) -> str:
    return settings.STEWARD_PUBLIC_URL.rstrip("/") + reverse(name, args=args)


def _load(request_id: int) -> AccessRequest:
    return AccessRequest.objects.select_related("student", "requester_guardian").get(pk=request_id)


def requester_email(req: AccessRequest) -> str:
    """Where the requester is written to: their guardian row's or the student's address."""
    if req.requester_kind == RequesterKind.GUARDIAN and req.requester_guardian is not None:
        return req.requester_guardian.email.strip()
    return req.student.email.strip()


def _send(subject: str, body: str, to: Sequence[str]) -> None:
    try:
        send_mail(subject, body, None, list(to), connection=get_connection())
    except OSError:  # smtplib errors: the request stands; the office sees it in the queue
        logger.exception("e-mail about an access request failed")


def after_receipt(request_id: int) -> None:
    req = _load(request_id)
    requester_update(request_id, "received", req=req)
    notices = (
        CustodialNotice.objects.filter(request=req)
        .exclude(emailed_to="")
        .select_related("guardian")
    )
    languages = list(dict.fromkeys(["en", req.notice_language]))
    for notice in notices:
        parts = []
        for language in languages:
            with translation.override(language):
                parts.append(
                    render_to_string(
                        "requests/email/custodial_notice.txt",
                        {
                            "name": notice.guardian.display_name,
                            "req": req,
                            "student": req.student.display_name,
                            "link": link("requests-portal-list"),
                        },
                    )
                )
        with translation.override("en"):
            subject = _("Notice: a request to see %(student)s's school record") % {
                "student": req.student.display_name
            }
        _send(subject, "\n\n----------\n\n".join(parts), [notice.emailed_to])


def requester_update(request_id: int, event: str, req: AccessRequest | None = None) -> None:
    """Tell the requester about `event`: received, meeting, fulfilled or refused."""
    req = req or _load(request_id)
    address = requester_email(req)
    if not address:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subjects = {
            "received": _("We received your request about %(student)s's record"),
            "meeting": _("Your appointment about %(student)s's record"),
            "fulfilled": _("Your request about %(student)s's record is answered"),
            "refused": _("Your request about %(student)s's record"),
        }
        subject = subjects[event] % {"student": req.student.display_name}
        body = render_to_string(
            "requests/email/requester_update.txt",
            {
                "req": req,
                "event": event,
                "student": req.student.display_name,
                "portal": req.requester_user_id is not None,
                "link": link("requests-portal-detail", req.pk),
            },
        )
    _send(subject, body, [address])


def reminder(req: AccessRequest, kind: str, today: dt.date, to: Sequence[str]) -> None:
    """One reminder or escalation about `req` to `to`, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        late = (today - req.due_on).days
        if late > 0:
            subject = _("Late by %(days)d days: access request #%(id)d") % {
                "days": late,
                "id": req.pk,
            }
        else:
            subject = _("Due in %(days)d days: access request #%(id)d") % {
                "days": -late,
                "id": req.pk,
            }
        body = render_to_string(
            "requests/email/reminder.txt",
            {
                "req": req,
                "kind": kind,
                "days_left": -late,
                "late": late,
                "link": link("requests-detail", req.pk),
            },
        )
    send_mail(subject, body, None, list(to), connection=get_connection())
