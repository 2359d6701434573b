"""The login reminder (R138): a staff member whose annual privacy-training confirmation is
overdue sees a warning linking to /training/ on the first page after signing in."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from steward.stewardship import rules


@receiver(user_logged_in, dispatch_uid="steward.stewardship.training_reminder")
def remind_overdue_training(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    """Add a warning message when `user`'s training is overdue.

    A login without message storage (no request, or the test client's force_login) has no
    page to show it on, so nothing is looked up.
    """
    if request is None or not hasattr(request, "_messages"):
        return
    if rules.training_status(user, timezone.now()) is not rules.Status.OVERDUE:
        return
    if rules.enforcement() == rules.BLOCK:
        text = _(
            "Your annual privacy training confirmation is due. Student record access is "
            "blocked until you confirm it."
        )
    else:
        text = _("Your annual privacy training confirmation is due.")
    link = format_html(
        '{} <a href="{}" id="training-reminder-link">{}</a>',
        text,
        reverse("stewardship-training"),
        _("Confirm your privacy training"),
    )
    messages.warning(request, link)
