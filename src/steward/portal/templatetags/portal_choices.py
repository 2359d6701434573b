"""Template tags of the family portal's choices: the child's pending event release requests,
for the child's page (R130)."""

from __future__ import annotations

from django import template

from steward.media.models import EventReleaseRequest
from steward.roster.models import Student

register = template.Library()


@register.simple_tag
def pending_event_requests(child: Student) -> list[EventReleaseRequest]:
    """Event release requests addressed to `child` and not answered yet. Two queries."""
    from steward.portal.choices import pending_event_requests as pending

    return pending(child)
