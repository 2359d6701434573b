"""The privacy office's alert for emergency access (R83): at sign-in, a privacy officer is
told how many break-glass grants await review, with a link to the queue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from steward.access.models import BreakGlassGrant
from steward.accounts.selectors import is_privacy_office


@receiver(user_logged_in, dispatch_uid="steward.access.break_glass_alert")
def alert_pending_break_glass(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    """Warn a privacy officer (or superuser) at sign-in when grants await review."""
    if request is None or not hasattr(request, "_messages"):
        return
    if not is_privacy_office(user):
        return
    pending = BreakGlassGrant.objects.filter(outcome=BreakGlassGrant.Outcome.PENDING).count()
    if not pending:
        return
    text = ngettext(
        "%(n)d emergency access awaits your review.",
        "%(n)d emergency accesses await your review.",
        pending,
    ) % {"n": pending}
    link = format_html('{} <a href="{}">{}</a>', text, reverse("officer-break-glass"), _("Review"))
    messages.warning(request, link)
