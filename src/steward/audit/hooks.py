"""Ledger entries for what already happens elsewhere: logins, failed logins, logouts, and
changes made in the Django admin (issue #3 item 7). Roster imports record themselves in
`steward.roster.actions.do_import_roster`."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

from steward.audit.ledger import Event, actor_of, record, request_context
from steward.audit.models import Action

_ADMIN_ACTIONS = {ADDITION: Action.CREATE, CHANGE: Action.CHANGE, DELETION: Action.DELETE}


@receiver(user_logged_in, dispatch_uid="steward.audit.login")
def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record(Event(action=Action.LOGIN, **actor_of(user), **request_context(request)))


@receiver(user_logged_out, dispatch_uid="steward.audit.logout")
def on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record(Event(action=Action.LOGOUT, **actor_of(user), **request_context(request)))


@receiver(user_login_failed, dispatch_uid="steward.audit.login_failed")
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Only the username is kept: Django masks the password, and we never want even the mask.
    username = str(credentials.get("username", ""))[:150]
    record(
        Event(
            action=Action.LOGIN_FAILED,
            actor_name=username,
            detail={"username": username},
            **request_context(request),
        )
    )


@receiver(post_save, sender=LogEntry, dispatch_uid="steward.audit.admin")
def on_admin_change(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    """The admin writes a LogEntry inside the transaction of each change: mirror it."""
    if not created:
        return
    record(
        Event(
            action=_ADMIN_ACTIONS.get(instance.action_flag, Action.CHANGE),
            **actor_of(instance.user),
            purpose="Django admin",
            detail={
                "admin": True,
                "content_type": str(instance.content_type) if instance.content_type else "",
                "object_id": instance.object_id or "",
                "object": instance.object_repr,
                "change": instance.get_change_message(),
            },
        )
    )
